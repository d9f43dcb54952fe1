//! `threat-interview calibrate FILE CATEGORY=WEIGHT...`: record the business stakeholders'
//! calibration of the STRIDE categories, saved at once; the next `plan` ranks by it.

use std::path::PathBuf;

use threat_interview::Stride;
use threat_interview::risk::{CalibrationError, record_calibration};

use super::hint::parse_category;
use super::input::edit;
use super::{Status, eprint, print};

/// Arguments of `calibrate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Weights from 1 (matters little) to 5 (matters most), such as `denial_of_service=5`;
    /// categories not given keep their weight.
    #[arg(value_name = "CATEGORY=WEIGHT", required = true, value_parser = parse_weight)]
    weights: Vec<(Stride, u8)>,
    /// The participant who gave the weights, by id.
    #[arg(long, value_name = "PARTICIPANT")]
    by: Option<String>,
    /// Why the weights are what they are.
    #[arg(long)]
    notes: Option<String>,
}

fn parse_weight(text: &str) -> Result<(Stride, u8), String> {
    let (name, weight) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not CATEGORY=WEIGHT, such as `spoofing=4`"))?;
    let category = parse_category(name)?;
    let weight: u8 = weight
        .parse()
        .ok()
        .filter(|w| (1..=5).contains(w))
        .ok_or_else(|| format!("the weight of {name} must be from 1 to 5, not `{weight}`"))?;
    Ok((category, weight))
}

/// Records the calibration and saves the file.
pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    let result = edit(&args.file, |engagement| {
        record_calibration(
            engagement,
            &args.weights,
            args.by.as_deref(),
            args.notes.as_deref(),
        )
        .map_err(|error| {
            let code = match error {
                CalibrationError::UnknownParticipant { .. } => "participant-missing",
                _ => "usage",
            };
            eprint(&format!("{file}: error[{code}]: {error}\n"));
            Status::Failure
        })
    });
    match result {
        Ok(engagement) => {
            let w = engagement
                .calibration
                .map(|c| c.weights)
                .unwrap_or_default();
            let weights: Vec<String> = Stride::ALL
                .iter()
                .map(|&s| format!("{}={}", s.as_str(), w.get(s)))
                .collect();
            eprint(&format!("{file}: calibration recorded\n"));
            print(&format!(
                "calibration: {}\nnext: `threat-interview plan {file}` ranks by it\n",
                weights.join(" ")
            ))
        }
        Err(status) => status,
    }
}
