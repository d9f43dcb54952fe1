//! Why a question bank could not be loaded or layered: the same located diagnostics as an
//! engagement's, with the same codes from every surface.

use crate::diagnostic::Report;
use crate::source::ReadError;

/// Why a question bank could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BankError {
    /// The file could not be read at all.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The input is not a valid bank: every problem, located (line and column when it came
    /// from text).
    #[error("{}", report.summary("question bank"))]
    Invalid {
        /// Every problem found.
        report: Box<Report>,
    },
}

impl BankError {
    /// The report of every problem: the read error as an `io` or `too-large` diagnostic, or the
    /// validation report.
    pub fn report(&self) -> Report {
        match self {
            BankError::Read(error) => Report::one(error.to_diagnostic()),
            BankError::Invalid { report } => (**report).clone(),
        }
    }
}

/// Why a bank could not be layered on those loaded before it: every conflict, located in that
/// bank (with a line and column when it was loaded from text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bank `{bank}` conflicts with the banks before it: {}", report.summary("layering").trim_start_matches("not a valid layering: "))]
#[non_exhaustive]
pub struct LayerError {
    /// The id of the bank.
    pub bank: String,
    /// Its position among the banks layered together (0 for the first user bank).
    pub index: usize,
    /// The conflicts (`template-redefined`, `override-unknown`, `disable-unknown`,
    /// `bank-duplicate`, or the bank's own problems when it was built in code).
    pub report: Report,
}
