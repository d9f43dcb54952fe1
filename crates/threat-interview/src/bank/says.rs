//! What a modeler wrote in prose: the `says` condition finds a phrase in a description, and
//! the `{statement}` placeholder quotes the sentence it is in.

/// The phrases of a `says` condition, lower-cased (ASCII) for matching.
pub(crate) fn lowered(phrases: &[String]) -> Vec<String> {
    phrases.iter().map(|p| p.to_ascii_lowercase()).collect()
}

/// The first sentence or clause (see [`sentence_around`]) of `text` holding one of the `phrases` (lower-cased, see [`lowered`])
/// at the start of a word, ASCII case ignored; trimmed, without its closing full stop.
///
/// A phrase whose parts are joined by ` … ` (an ellipsis between spaces) holds where its parts
/// appear in that order within one sentence or clause: `card … never reach` finds "Card
/// details are typed only into the provider's fields and never reach our systems".
pub(crate) fn first_sentence<'t>(text: &'t str, phrases: &[String]) -> Option<&'t str> {
    // ASCII lower-casing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    let start = phrases
        .iter()
        .filter(|p| !p.is_empty())
        .filter_map(|p| match p.split_once(JOIN) {
            None => lower
                .match_indices(p.as_str())
                .map(|(i, _)| i)
                .find(|&i| starts_word(&lower, i))
                .map(|i| (i, i + p.len())),
            Some(_) => parts_in_one_sentence(&lower, p),
        })
        .min()?;
    Some(sentence_around(text, start.0, start.1))
}

/// What joins the parts of a phrase that must appear in order in one sentence.
const JOIN: &str = " \u{2026} ";

/// Where the first part of a joined phrase starts and the last ends, in the first sentence or
/// clause of `lower` that holds every part, in order, each at the start of a word.
fn parts_in_one_sentence(lower: &str, phrase: &str) -> Option<(usize, usize)> {
    let parts: Vec<&str> = phrase.split(JOIN).filter(|p| !p.is_empty()).collect();
    let (first, rest) = parts.split_first()?;
    lower
        .match_indices(first)
        .map(|(i, _)| i)
        .filter(|&i| starts_word(lower, i))
        .find_map(|i| {
            let stop = (i..lower.len())
                .find(|&j| ends_sentence(lower, j))
                .unwrap_or(lower.len());
            let mut at = i + first.len();
            for part in rest {
                let found = lower[at..stop]
                    .match_indices(part)
                    .map(|(k, _)| at + k)
                    .find(|&k| starts_word(lower, k))?;
                at = found + part.len();
            }
            Some((i, at))
        })
}

/// Whether byte `at` of `text` starts a word: the text's start, or after a character that is
/// neither a letter nor a digit.
fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether the character at byte `at` closes a sentence or a clause: `.`, `!`, `?`, `;` or
/// `:` followed by white space or the end, or a line break.
fn ends_sentence(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    match bytes.get(at) {
        Some(b'\n') => true,
        Some(b'.' | b'!' | b'?' | b';' | b':') => {
            bytes.get(at + 1).is_none_or(u8::is_ascii_whitespace)
        }
        _ => false,
    }
}

/// The sentence (or the clause of a long one, between `;` and `:`) around bytes
/// `start..end` of `text`.
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let from = (0..start)
        .rev()
        .find(|&i| ends_sentence(text, i))
        .map_or(0, |i| i + 1);
    let to = (end..text.len())
        .find(|&i| ends_sentence(text, i))
        .unwrap_or(text.len());
    // Terminators are ASCII, so both ends are character boundaries.
    let raw = &text[from..to];
    let lead = raw.len() - raw.trim_start().len();
    let quote = raw.trim();
    let start = start - from - lead;
    balanced(quote, start, (end - from - lead).min(quote.len()))
}

/// A quote without a bracket it does not both open and close, keeping the phrase found at
/// bytes `start..end` of it: a clause cut out of a parenthesis (`most rely on the link
/// alone), shows the page`) ends before the stray `)` when the phrase is before it, and
/// starts after it otherwise; one cut before its `)` starts after the stray `(` when the
/// phrase is after it, and ends before it otherwise.
fn balanced(quote: &str, start: usize, end: usize) -> &str {
    let mut depth = 0usize;
    for (i, c) in quote.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                if start > i {
                    let rest = &quote[i + 1..];
                    let cut = quote.len() - rest.trim_start_matches([' ', ',', ';']).len();
                    return balanced(&quote[cut..], start - cut, end - cut);
                }
                let head = quote[..i].trim_end_matches([' ', ',']);
                return balanced(head, start, end.min(head.len()));
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    if depth == 0 {
        return quote;
    }
    // Unclosed: the last unmatched `(`.
    let mut open = Vec::new();
    for (i, c) in quote.char_indices() {
        match c {
            '(' => open.push(i),
            ')' => {
                open.pop();
            }
            _ => {}
        }
    }
    match open.last() {
        Some(&at) if end <= at => {
            let head = quote[..at].trim_end();
            balanced(head, start, end.min(head.len()))
        }
        Some(&at) => {
            let rest = &quote[at + 1..];
            let cut = quote.len() - rest.trim_start().len();
            balanced(
                quote[cut..].trim_end(),
                start.saturating_sub(cut),
                end - cut,
            )
        }
        None => quote,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, phrases: &[&str]) -> Option<String> {
        let phrases: Vec<String> = phrases.iter().map(|p| (*p).to_owned()).collect();
        first_sentence(text, &lowered(&phrases)).map(str::to_owned)
    }

    #[test]
    fn joined_parts_hold_in_order_within_one_sentence() {
        let joined = ["card \u{2026} never reach"];
        assert_eq!(
            find(
                "Runs on AWS. Card details are typed only into the provider's fields and never \
                 reach our systems. Logs go to Loki.",
                &joined
            )
            .as_deref(),
            Some(
                "Card details are typed only into the provider's fields and never reach our systems"
            )
        );
        // Parts in two sentences, in the wrong order, or inside a word: no.
        assert_eq!(
            find("Card details are typed. They never reach us.", &joined),
            None
        );
        assert_eq!(find("It never reaches the card.", &joined), None);
        assert_eq!(find("Discard it; it never reaches us.", &joined), None);
    }

    #[test]
    fn quotes_the_sentence_holding_the_first_phrase() {
        let text = "Runs on Kubernetes. It trusts the X-User header as it comes! Logs go to Loki.";
        assert_eq!(
            find(text, &["trusts the"]).as_deref(),
            Some("It trusts the X-User header as it comes")
        );
        assert_eq!(
            find(text, &["logs go", "TRUSTS"]).as_deref(),
            Some("It trusts the X-User header as it comes")
        );
        assert_eq!(
            find(
                "Version 2.1 keeps keys. No backups since 2021",
                &["no backup"]
            )
            .as_deref(),
            Some("No backups since 2021")
        );
        assert_eq!(
            find(
                "Stores: keys; the key is not rotated: ever",
                &["not rotated"]
            )
            .as_deref(),
            Some("the key is not rotated")
        );
        assert_eq!(
            find(
                "First line\nthe key is not rotated\nthird",
                &["not rotated"]
            )
            .as_deref(),
            Some("the key is not rotated")
        );
    }

    #[test]
    fn a_quote_keeps_the_phrase_on_its_side_of_a_stray_bracket() {
        let text = "helm upgrade with the long-lived AWS key (drawn here for one service; the others are the same).";
        assert_eq!(
            find(text, &["long-lived"]).as_deref(),
            Some("helm upgrade with the long-lived AWS key")
        );
        let text = "Checks codes (six digits; most rely on the link alone), keys never rotated.";
        assert_eq!(
            find(text, &["never rotated"]).as_deref(),
            Some("keys never rotated")
        );
    }

    #[test]
    fn a_quote_keeps_its_brackets_balanced() {
        let text = "Checks codes (six digits; most envelopes rely on the link alone), shows pages.";
        assert_eq!(
            find(text, &["link alone"]).as_deref(),
            Some("most envelopes rely on the link alone")
        );
        assert_eq!(
            find("It runs (the old one; no backups here", &["no backup"]).as_deref(),
            Some("no backups here")
        );
        assert_eq!(
            find("Keys (two of them) are not rotated.", &["not rotated"]).as_deref(),
            Some("Keys (two of them) are not rotated")
        );
        assert_eq!(
            find("Data (kept (long) ago; no backups", &["no backup"]).as_deref(),
            Some("no backups")
        );
    }

    #[test]
    fn a_phrase_must_start_a_word() {
        assert_eq!(find("Everybody knows the password.", &["no"]), None);
        // A phrase may end inside a word: `no backup` finds `no backups`.
        assert_eq!(
            find("Nobody knows.", &["no"]).as_deref(),
            Some("Nobody knows")
        );
        assert_eq!(find("It is unencrypted.", &["encrypted"]), None);
        assert_eq!(
            find("Calls are (unencrypted) here.", &["unencrypted"]).as_deref(),
            Some("Calls are (unencrypted) here")
        );
        assert_eq!(find("", &["x"]), None);
        assert_eq!(
            find("Ünïcode façade, no TLS.", &["no tls"]).as_deref(),
            Some("Ünïcode façade, no TLS")
        );
    }
}
