//! Dates as engagement files write them: `YYYY-MM-DD`, and RFC 3339 dates and times.

/// Whether `text` is a calendar date written `YYYY-MM-DD` (the day must exist: no
/// `2025-02-30`).
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(b, 0, 4), digits(b, 5, 2), digits(b, 8, 2))
    else {
        return false;
    };
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// Whether `text` is an RFC 3339 date and time, such as `2025-03-04T09:30:00Z` or
/// `2025-03-04T09:30:00.5+01:00`.
pub fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') || !is_date(&text[..10]) {
        return false;
    }
    let time = &b[11..];
    if time[2] != b':' || time[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(time, 0, 2), digits(time, 3, 2), digits(time, 6, 2))
    else {
        return false;
    };
    // 60 allows a leap second.
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', ..] if rest.len() == 6 && rest[3] == b':' => {
            matches!((digits(rest, 1, 2), digits(rest, 4, 2)), (Some(h), Some(m)) if h <= 23 && m <= 59)
        }
        _ => false,
    }
}

fn digits(b: &[u8], start: usize, len: usize) -> Option<u32> {
    let slice = b.get(start..start + len)?;
    slice.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2025-03-04"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2025-02-29"));
        assert!(!is_date("2025-13-01"));
        assert!(!is_date("2025-3-4"));
        assert!(!is_date("04/03/2025"));
        assert!(!is_date("2025-03-04T10:00:00Z"));
        assert!(!is_date("２０２５-03-04"));
    }

    #[test]
    fn date_times() {
        assert!(is_date_time("2025-03-04T09:30:00Z"));
        assert!(is_date_time("2025-03-04t09:30:00.125+01:00"));
        assert!(!is_date_time("2025-03-04T24:00:00Z"));
        assert!(!is_date_time("2025-03-04T09:30:00"));
        assert!(!is_date_time("2025-03-04 09:30:00Z"));
        assert!(!is_date_time("2025-03-04T09:30:00.Z"));
        assert!(!is_date_time("2025-03-04T09:30:00+0100"));
    }
}
