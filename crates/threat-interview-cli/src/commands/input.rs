//! Reading what the commands work on: an engagement file, validated, and question banks
//! layered on the built-in one. Problems are printed here; callers get the status to exit with.

use std::path::{Path, PathBuf};

use threat_interview::Engagement;
use threat_interview::bank::{BankSet, QuestionBank};
use threat_interview::io::{LoadError, LoadOptions};
use threat_interview::validate::{Report, validate_path};

use super::{Status, count, diagnostic_line, eprint, error_chain};

/// The engagement file and the banks layered on the built-in one, as `questions` and `plan`
/// take them.
#[derive(Debug, clap::Args)]
pub(crate) struct EngagementInput {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    /// A question bank (JSON or YAML) layered on the built-in one; repeat for several, in order.
    #[arg(long = "bank", value_name = "F")]
    pub(crate) banks: Vec<PathBuf>,
}

impl EngagementInput {
    /// The engagement and the bank set; `Err` is the status to exit with.
    pub(crate) fn load(&self) -> Result<(Engagement, BankSet), Status> {
        let engagement = load_engagement(&self.file)?;
        let banks = load_banks(&self.banks)?;
        Ok((engagement, banks))
    }
}

/// Loads and validates an engagement, printing its problems; `Err` is the status to exit with.
pub(crate) fn load_engagement(path: &Path) -> Result<Engagement, Status> {
    load_engagement_with_report(path).map(|(engagement, _)| engagement)
}

/// [`load_engagement`], with the validation report (its warnings).
pub(crate) fn load_engagement_with_report(path: &Path) -> Result<(Engagement, Report), Status> {
    let file = path.display().to_string();
    let validation = match validate_path(path, LoadOptions::default()) {
        Ok(validation) => validation,
        Err(error) => {
            let message = match &error {
                LoadError::Io { source, .. } => format!("cannot read the file: {source}"),
                other => error_chain(other),
            };
            eprint(&format!("{file}: error[io]: {message}\n"));
            return Err(Status::Failure);
        }
    };
    let report = validation.report;
    match validation.engagement {
        Some(engagement) if report.is_valid() => Ok((engagement, report)),
        _ => {
            for d in &report.errors {
                eprint(&diagnostic_line(&file, d));
            }
            eprint(&format!(
                "{file} is not a valid engagement: {}\n",
                count(report.errors.len(), "error")
            ));
            Err(Status::Invalid)
        }
    }
}

/// Loads the banks and layers them on the built-in one; `Err` is the status to exit with.
pub(crate) fn load_banks(paths: &[PathBuf]) -> Result<BankSet, Status> {
    let mut banks = Vec::with_capacity(paths.len());
    let mut status = Status::Valid;
    for path in paths {
        let file = path.display().to_string();
        match QuestionBank::from_path(path) {
            Ok(bank) => banks.push(bank),
            Err(error) => {
                if error.problems().is_empty() {
                    let io = matches!(error, threat_interview::bank::BankError::Io { .. });
                    eprint(&format!("{file}: error[bank]: {}\n", error_chain(&error)));
                    status = status.max(if io { Status::Failure } else { Status::Invalid });
                } else {
                    for problem in error.problems() {
                        eprint(&format!(
                            "{file}: error[bank]: {} (at {})\n",
                            problem.kind, problem.pointer
                        ));
                    }
                    status = status.max(Status::Invalid);
                }
            }
        }
    }
    if status != Status::Valid {
        return Err(status);
    }
    BankSet::with_user_banks(banks).map_err(|error| {
        for conflict in &error.conflicts {
            eprint(&format!("error[bank-conflict]: {conflict}\n"));
        }
        Status::Invalid
    })
}
