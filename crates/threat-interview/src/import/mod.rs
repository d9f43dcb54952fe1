//! Importing models from other threat-modeling tools, and exporting to them.
//!
//! An importer reads a foreign file within [`Limits`] and produces an [`Engagement`] whose
//! component model is the file's diagram, with a skeleton scope, participants and calendar to
//! fill in. Nothing is dropped without a word: what could not be mapped is a warning
//! [`Diagnostic`] whose pointer is a JSON Pointer into the foreign file (for XML and ZIP
//! formats, a path of the same shape into the document). Importers produce a model and know
//! nothing of the engine.
//!
//! The format is detected from the content ([`detect`]); a caller may force it. An engagement's
//! model goes out as Open Threat Model 0.2 with [`to_otm`]. `docs/import-export.md` says what
//! maps to what.
//!
//! | format | module | files |
//! | --- | --- | --- |
//! | [`ForeignFormat::ThreatDragon`] | `threat_dragon` | OWASP Threat Dragon JSON, v1 and v2 |
//! | [`ForeignFormat::Otm`] | `otm` | Open Threat Model 0.2, JSON and YAML |
//! | [`ForeignFormat::Tm7`] | `tm7` | Microsoft Threat Modeling Tool `.tm7` (XML) |
//! | [`ForeignFormat::Tms`] | `tms` | Threats Manager Studio `.tm` (ZIP of UTF-16 JSON) and `.tmj` |

mod geometry;
mod otm;
mod skeleton;
mod threat_dragon;
mod tm7;
mod tm_common;
mod tms;
pub mod tms_export;

use std::path::Path;

use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::Engagement;
use crate::source::{self, Limits};

pub use otm::{ATTRIBUTE as OTM_ATTRIBUTE, OTM_VERSION, to_otm, to_otm_string};

/// A format of another tool.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "kebab-case")]
#[non_exhaustive]
pub enum ForeignFormat {
    /// OWASP Threat Dragon JSON, v1 (`diagramJson.cells`) and v2 (`detail.diagrams[].cells`).
    ThreatDragon,
    /// Open Threat Model 0.2, JSON or YAML.
    Otm,
    /// Microsoft Threat Modeling Tool `.tm7` (XML, DataContract serialisation).
    Tm7,
    /// Threats Manager Studio `.tm` (an OPC ZIP holding UTF-16 JSON) or `.tmj` (the JSON);
    /// `tm` and `tmj`, the extensions, are read as its name too.
    #[strum(to_string = "tms", serialize = "tm", serialize = "tmj")]
    Tms,
}

impl ForeignFormat {
    /// The format's name, as `--from` takes it: `threat-dragon`, `otm`, `tm7`, `tms`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every format.
    pub fn all() -> impl Iterator<Item = ForeignFormat> {
        <ForeignFormat as strum::IntoEnumIterator>::iter()
    }
}

/// An imported engagement and what the import could not map.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Imported {
    /// The engagement: the foreign model, a skeleton of the rest.
    pub engagement: Engagement,
    /// What could not be mapped, each with its place in the foreign file.
    pub warnings: Vec<Diagnostic>,
    /// The format read.
    pub format: ForeignFormat,
}

/// Why a foreign file could not be imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file could not be read (missing, not a regular file, too large).
    #[error(transparent)]
    Read(#[from] source::ReadError),
    /// The content is not a file of any format this library imports.
    #[error("{0}")]
    Unrecognized(String),
    /// The file is of the format but broken or unreadable: every problem, placed.
    #[error("{}", report.summary(format.as_str()))]
    Invalid {
        /// The format it was read as.
        format: ForeignFormat,
        /// Every problem, with its place in the file.
        report: Box<Report>,
    },
}

impl ImportError {
    /// The problems as a report (one for an unreadable or unrecognized file).
    pub fn report(&self) -> Report {
        match self {
            ImportError::Invalid { report, .. } => (**report).clone(),
            ImportError::Read(error) => Report::one(error.to_diagnostic()),
            ImportError::Unrecognized(message) => {
                Report::from_diagnostics(vec![Diagnostic::error(
                    DiagnosticCode::InvalidStructure,
                    "",
                    message.clone(),
                )])
            }
        }
    }
}

/// The format of a foreign file, from its first bytes and, for JSON and YAML, its top-level
/// keys; `None` when it is none of them.
pub fn detect(bytes: &[u8]) -> Option<ForeignFormat> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(ForeignFormat::Tms);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        return head.contains("ThreatModel").then_some(ForeignFormat::Tm7);
    }
    // UTF-16 JSON (a `.tmj`) starts with a byte order mark or a zero byte.
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Some(ForeignFormat::Tms);
    }
    if head.contains("\"otmVersion\"") || head.contains("otmVersion:") {
        return Some(ForeignFormat::Otm);
    }
    if head.contains("\"diagramJson\"")
        || head.contains("\"detail\"") && head.contains("\"diagrams\"")
        || head.contains("\"summary\"") && head.contains("\"version\"")
    {
        return Some(ForeignFormat::ThreatDragon);
    }
    if head.contains("\"entities\"") || head.contains("\"$type\"") {
        return Some(ForeignFormat::Tms);
    }
    None
}

/// Imports a foreign file, detecting its format unless `format` forces one.
pub fn import_path(
    path: impl AsRef<Path>,
    format: Option<ForeignFormat>,
    limits: &Limits,
) -> Result<Imported, ImportError> {
    let bytes = source::read_file(path.as_ref(), limits)?;
    import_bytes(&bytes, format, limits)
}

/// Imports a foreign file's bytes, detecting its format unless `format` forces one.
pub fn import_bytes(
    bytes: &[u8],
    format: Option<ForeignFormat>,
    limits: &Limits,
) -> Result<Imported, ImportError> {
    let Some(format) = format.or_else(|| detect(bytes)) else {
        return Err(ImportError::Unrecognized(
            "not a file this library imports: expected Threat Dragon JSON, Open Threat Model JSON or YAML, a Threat Modeling Tool .tm7 or a Threats Manager Studio .tm or .tmj"
                .to_owned(),
        ));
    };
    match format {
        ForeignFormat::ThreatDragon => threat_dragon::import(bytes, limits),
        ForeignFormat::Otm => otm::import(bytes, limits),
        ForeignFormat::Tm7 => tm7::import(bytes, limits),
        ForeignFormat::Tms => tms::import(bytes, limits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_their_content() {
        assert_eq!(detect(b"PK\x03\x04rest"), Some(ForeignFormat::Tms));
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><ThreatModel xmlns=\"x\">"),
            Some(ForeignFormat::Tm7)
        );
        assert_eq!(
            detect(br#"{"otmVersion": "0.2.0", "project": {}}"#),
            Some(ForeignFormat::Otm)
        );
        assert_eq!(detect(b"otmVersion: 0.2.0\n"), Some(ForeignFormat::Otm));
        assert_eq!(
            detect(
                br#"{"summary": {"title": "x"}, "detail": {"diagrams": []}, "version": "2.2.0"}"#
            ),
            Some(ForeignFormat::ThreatDragon)
        );
        assert_eq!(detect(b"{\"schema_version\": 1}"), None);
        assert_eq!(detect(b"<html>"), None);
    }
}
