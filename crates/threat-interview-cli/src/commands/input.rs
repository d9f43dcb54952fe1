//! Reading what the commands work on (a validated engagement, banks layered on the built-in
//! one) and writing an engagement back. Problems are printed here; callers get the status to
//! exit with.

use std::path::{Path, PathBuf};

use threat_interview::bank::{BankError, BankSet, QuestionBank};
use threat_interview::io::{self, LoadError, LoadOptions, Loaded, SaveError, SaveOptions};
use threat_interview::source::Limits;
use threat_interview::{Engagement, error_chain};

use super::{Status, count, eprint, eprint_diagnostics};

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
    pub(crate) fn load(&self) -> Result<(Loaded, BankSet), Status> {
        let loaded = load_engagement(&self.file)?;
        let banks = load_banks(&self.banks)?;
        Ok((loaded, banks))
    }
}

/// Prints why another tool's file could not be read (`outcome`: what did not happen, such as
/// `nothing imported`); the status to exit with: 2 for a file that cannot be read, 1 for one
/// that is broken or of no format the library reads.
pub(crate) fn report_import_error(
    file: &str,
    error: &threat_interview::import::ImportError,
    outcome: &str,
) -> Status {
    if let threat_interview::import::ImportError::Read(_) = error {
        eprint(&format!("{file}: error[io]: {}\n", error_chain(error)));
        return Status::Failure;
    }
    let errors = error.report().errors;
    eprint_diagnostics(file, &errors);
    eprint(&format!(
        "{file}: {outcome} ({})\n",
        count(errors.len(), "error")
    ));
    Status::Invalid
}

/// Loads and validates an engagement, printing its problems; `Err` is the status to exit with:
/// 1 for an invalid file, 2 for one that cannot be read.
pub(crate) fn load_engagement(path: &Path) -> Result<Loaded, Status> {
    load_engagement_with(path, &LoadOptions::default())
}

/// [`load_engagement`] with other options: a command that prints no warning leaves them
/// unplaced.
pub(crate) fn load_engagement_with(path: &Path, options: &LoadOptions) -> Result<Loaded, Status> {
    let file = path.display().to_string();
    match io::load_with(path, options) {
        Ok(loaded) => Ok(loaded),
        Err(LoadError::Invalid { report }) => {
            eprint_diagnostics(&file, &report.errors);
            eprint(&format!(
                "{file} is not a valid engagement: {}\n",
                count(report.errors.len(), "error")
            ));
            Err(Status::Invalid)
        }
        Err(error) => {
            eprint(&format!("{file}: error[io]: {}\n", error_chain(&error)));
            Err(Status::Failure)
        }
    }
}

/// Loads the banks and layers them on the built-in one; `Err` is the status to exit with.
/// Every problem of every bank is printed, placed in its file.
pub(crate) fn load_banks(paths: &[PathBuf]) -> Result<BankSet, Status> {
    let mut banks = Vec::with_capacity(paths.len());
    let mut status = Status::Valid;
    for path in paths {
        let file = path.display().to_string();
        match QuestionBank::from_path_with(path, &Limits::default()) {
            Ok(bank) => banks.push(bank),
            Err(error @ BankError::Read(_)) => {
                eprint(&format!("{file}: error[io]: {}\n", error_chain(&error)));
                status = status.max(Status::Failure);
            }
            Err(error) => {
                eprint_diagnostics(&file, &error.report().errors);
                status = status.max(Status::Invalid);
            }
        }
    }
    if status != Status::Valid {
        return Err(status);
    }
    BankSet::with_user_banks(banks).map_err(|errors| {
        for error in errors {
            let file = paths
                .get(error.index)
                .map_or_else(|| error.bank.clone(), |p| p.display().to_string());
            eprint_diagnostics(&file, &error.report.errors);
        }
        Status::Invalid
    })
}

/// Saves an engagement over the file it was loaded from, refusing to overwrite changes made
/// since (the revision check); problems are printed. `Err` is the status to exit with.
pub(crate) fn save(engagement: &Engagement, path: &Path, loaded: &Loaded) -> Result<(), Status> {
    save_expecting(engagement, path, loaded.revision)
}

/// [`save`], given the revision the file was loaded at.
pub(crate) fn save_expecting(
    engagement: &Engagement,
    path: &Path,
    revision: io::Revision,
) -> Result<(), Status> {
    let options = SaveOptions::default().expecting(revision);
    io::save_with(engagement, path, &options)
        .map(|_| ())
        .map_err(|error| report_save_error(path, &error))
}

/// Prints a save error; the status to exit with.
pub(crate) fn report_save_error(path: &Path, error: &SaveError) -> Status {
    let file = path.display().to_string();
    match error {
        SaveError::Invalid { report } => {
            eprint_diagnostics(&file, &report.errors);
            eprint(&format!("{file}: not saved: the result would be invalid\n"));
            Status::Invalid
        }
        SaveError::Conflict { .. } => {
            eprint(&format!(
                "{file}: error[conflict]: {}\n",
                error_chain(error)
            ));
            Status::Failure
        }
        _ => {
            eprint(&format!("{file}: error[io]: {}\n", error_chain(error)));
            Status::Failure
        }
    }
}

/// Applies an edit to the engagement file and saves it. When another process saved the file
/// between the load and the save, the file is loaded again and the edit applied again, so that
/// both changes survive; after a few lost races the conflict is reported.
pub(crate) fn edit(
    path: &Path,
    mut apply: impl FnMut(&mut Engagement) -> Result<(), Status>,
) -> Result<Engagement, Status> {
    const ATTEMPTS: usize = 20;
    for attempt in 1..=ATTEMPTS {
        let loaded = load_engagement(path)?;
        let mut engagement = loaded.engagement.clone();
        apply(&mut engagement)?;
        let options = SaveOptions::default().expecting(loaded.revision);
        match io::save_with(&engagement, path, &options) {
            Ok(_) => return Ok(engagement),
            Err(SaveError::Conflict { .. }) if attempt < ATTEMPTS => {}
            Err(error) => return Err(report_save_error(path, &error)),
        }
    }
    Err(Status::Failure)
}
