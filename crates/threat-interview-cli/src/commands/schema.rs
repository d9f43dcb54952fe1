//! `threat-interview schema`: print the engagement JSON Schema.

use super::{Status, print};

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

/// Prints the schema exactly as committed in `schemas/engagement.schema.json`.
pub(crate) fn run(_args: &Args) -> Status {
    let schema = threat_interview::schema::engagement_schema();
    print(&threat_interview::schema::to_file_text(&schema));
    Status::Valid
}
