//! `threat-interview schema`: print a published JSON Schema.

use super::{Status, print};

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print the question bank schema instead of the engagement one.
    #[arg(long)]
    bank: bool,
}

/// Prints the schema exactly as committed under `schemas/`.
pub(crate) fn run(args: &Args) -> Status {
    let schema = if args.bank {
        threat_interview::bank::bank_schema()
    } else {
        threat_interview::schema::engagement_schema()
    };
    print(&threat_interview::schema::to_file_text(&schema))
}
