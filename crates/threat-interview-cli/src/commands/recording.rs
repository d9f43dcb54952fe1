//! What the recording commands (`ask`, `answer`, `hint`, `finding`, `follow-up`) share: a
//! refused change printed with its code and place, and the status to exit with.

use threat_interview::RecordError;

use super::{Status, eprint, eprint_diagnostics};

/// Prints why a change was refused and returns the status to exit with: 2 for an id that
/// names nothing (a usage error), 1 for a change the engagement does not allow (a finding
/// without an attack path, a verdict without a rationale, an invalid item).
pub(crate) fn refused(file: &str, what: &str, error: &RecordError) -> Status {
    match error {
        RecordError::UnknownQuestion { .. } | RecordError::Unknown { .. } => {
            eprint(&format!("{file}: error[usage]: {error}\n"));
            Status::Failure
        }
        _ => {
            eprint_diagnostics(file, &error.diagnostics());
            eprint(&format!("{file}: the {what} was not recorded\n"));
            Status::Invalid
        }
    }
}

/// A date given on the command line (`YYYY-MM-DD`), or a message naming the option.
pub(crate) fn parse_date(option: &str, text: &str) -> Result<jiff::civil::Date, String> {
    text.parse::<jiff::civil::Date>()
        .map_err(|e| format!("`{option} {text}` is not a date (YYYY-MM-DD): {e}"))
}
