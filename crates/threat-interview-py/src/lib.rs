//! Python bindings for `threat-interview`, built by maturin as `threat_interview._native`.
//!
//! The binding is thin: every function calls the core crate's public API, data crosses as
//! plain Python objects (converted without recursion, within the core's limits) or as small
//! handle classes, and the core's errors become the exception classes of
//! `threat_interview/_errors.py` (see the `errors` module). The Python package
//! `threat_interview` re-exports this module.

// pyo3 extracts arguments as owned values (`PathBuf`, `String`) even where a borrow would do.
#![allow(clippy::needless_pass_by_value)]

/// mimalloc for what the extension allocates, as in the command line: loading a model and
/// materialising its questions is mostly small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod banks;
mod convert;
mod coverage;
mod dicts;
mod engagement;
mod errors;
mod html;
mod questions;
mod recording;
mod report;
mod tms;

/// The native part of ``threat_interview``; import ``threat_interview`` instead.
#[pyo3::pymodule]
mod _native {
    use std::path::PathBuf;

    use pyo3::prelude::*;
    use threat_interview::io::LoadOptions;
    use threat_interview::validate::{validate_path, validate_slice, validate_value};

    use crate::convert::{parse_format, to_value, value_to_py};
    use crate::engagement::{accept, load_file};
    use crate::errors::read_error;

    #[pymodule_export]
    use crate::coverage::PyCoverage;
    #[pymodule_export]
    use crate::engagement::PyEngagement;
    #[pymodule_export]
    use crate::questions::PyQuestionList;
    #[pymodule_export]
    use crate::report::PyValidationReport;
    #[pymodule_export]
    use crate::tms::{export_tmq, export_tms};

    /// The version of the engagement file format this library reads and writes.
    #[pymodule_export]
    const SCHEMA_VERSION: u32 = threat_interview::SCHEMA_VERSION;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }

    /// Text or bytes holding an engagement file.
    #[derive(FromPyObject)]
    enum Text {
        Str(String),
        Bytes(Vec<u8>),
    }

    /// Loads and validates the engagement file at ``path``, JSON or YAML by extension. The
    /// engagement remembers the file, so that ``save()`` writes it back.
    ///
    /// Raises ``ValidationError`` listing every problem, each with its JSON Pointer, line and
    /// column; ``OSError`` (such as ``FileNotFoundError``) when the file cannot be read. With
    /// ``strict=False`` errors of meaning (dangling references and the like) are let through,
    /// so a file being written can still be loaded.
    #[pyfunction]
    #[pyo3(signature = (path, *, strict = true))]
    fn load(py: Python<'_>, path: PathBuf, strict: bool) -> PyResult<PyEngagement> {
        load_file(py, path, strict)
    }

    /// Loads and validates an engagement from text (``str`` or UTF-8 ``bytes``) in ``format``
    /// (``"json"`` or ``"yaml"``). Raises ``ValidationError`` as ``load`` does.
    #[pyfunction]
    #[pyo3(signature = (text, format = "json", *, strict = true))]
    fn loads(py: Python<'_>, text: Text, format: &str, strict: bool) -> PyResult<PyEngagement> {
        let format = parse_format(format)?;
        let bytes = match &text {
            Text::Str(s) => s.as_bytes(),
            Text::Bytes(b) => b.as_slice(),
        };
        let validation = py.detach(|| validate_slice(bytes, format, &LoadOptions::default()));
        accept(py, validation, strict).map(PyEngagement::new)
    }

    /// Validates an engagement: a path to a file (``str`` or ``os.PathLike``), a dict shaped
    /// like an engagement file, or an ``Engagement``. Never raises for an invalid engagement:
    /// returns the report of every error and warning. Raises ``OSError`` when a file cannot be
    /// read.
    #[pyfunction]
    fn validate(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<PyValidationReport> {
        let report = if let Ok(engagement) = source.cast::<PyEngagement>() {
            let inner = std::sync::Arc::clone(&engagement.borrow().inner);
            py.detach(|| inner.validate())
        } else if let Ok(path) = source.extract::<PathBuf>() {
            py.detach(|| validate_path(&path, &LoadOptions::default()))
                .map_err(|e| read_error(py, &e))?
                .report
        } else {
            let value = to_value(source)?;
            py.detach(|| validate_value(&value)).report
        };
        Ok(PyValidationReport { inner: report })
    }

    /// Imports a model from another threat-modeling tool's file: OWASP Threat Dragon JSON
    /// (v1 and v2), Open Threat Model JSON or YAML, a Microsoft Threat Modeling Tool ``.tm7``
    /// or a Threats Manager Studio ``.tm`` or ``.tmj`` (whose topics to be clarified come in as
    /// questions with their answers), the format detected from the content unless ``from_``
    /// names it (``"threat-dragon"``, ``"otm"``, ``"tm7"``, ``"tms"``).
    ///
    /// Returns an ``Engagement`` with a skeleton scope, no participants and the standard
    /// calendar to fill in, ready for ``generate_questions`` and ``plan``; its
    /// ``import_warnings`` list what could not be mapped, each with its JSON Pointer into the
    /// file. Raises ``ForeignFormatError`` (with ``errors`` and ``format``) for a file of no
    /// or the wrong format, broken or over the limits; ``OSError`` when it cannot be read.
    #[pyfunction]
    #[pyo3(signature = (path, from_ = None))]
    fn import_file(
        py: Python<'_>,
        path: PathBuf,
        from_: Option<&str>,
    ) -> PyResult<crate::engagement::PyEngagement> {
        use threat_interview::import::{ForeignFormat, import_path};
        let format = from_
            .map(|name| crate::convert::parse_name::<ForeignFormat>("format", name))
            .transpose()?;
        let limits = threat_interview::source::Limits::default();
        let imported = py
            .detach(|| import_path(&path, format, &limits))
            .map_err(|e| crate::errors::import_error(py, &e, format.map(ForeignFormat::as_str)))?;
        Ok(crate::engagement::PyEngagement::imported(
            imported.engagement,
            imported.warnings,
        ))
    }

    /// The JSON Schema (draft 2020-12) of an engagement file, or with ``bank=True`` of a
    /// question bank file, as a dict.
    #[pyfunction]
    #[pyo3(signature = (*, bank = false))]
    fn schema(py: Python<'_>, bank: bool) -> PyResult<Bound<'_, PyAny>> {
        let schema = if bank {
            threat_interview::bank::bank_schema()
        } else {
            threat_interview::schema::engagement_schema()
        };
        value_to_py(py, &schema)
    }

    /// The question packs shipped with the library (and those of ``banks``, as
    /// ``generate_questions`` takes them): dicts with ``id``, ``name``, ``description``,
    /// ``templates`` (how many) and ``sources`` (the references each is written from).
    #[pyfunction]
    #[pyo3(signature = (banks = None))]
    fn packs<'py>(
        py: Python<'py>,
        banks: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let set = crate::banks::bank_set(py, banks)?;
        let packs: Vec<serde_json::Value> = set
            .packs()
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id, "name": p.name, "description": p.description,
                    "templates": p.templates, "sources": p.sources,
                })
            })
            .collect();
        value_to_py(py, &serde_json::Value::Array(packs))
    }

    /// Benchmark plumbing, not part of the API: times the core's question generation for
    /// ``engagement`` with the built-in bank, ``rounds`` times, entirely in Rust, and returns
    /// the seconds each round took. ``render=True`` also renders every question.
    #[pyfunction]
    #[pyo3(signature = (engagement, rounds, *, render = false))]
    fn _time_generate_in_rust(
        py: Python<'_>,
        engagement: PyRef<'_, PyEngagement>,
        rounds: usize,
        render: bool,
    ) -> PyResult<Vec<f64>> {
        let inner = std::sync::Arc::clone(&engagement.inner);
        py.detach(|| -> Result<Vec<f64>, String> {
            let checked = inner.check().map_err(|r| r.summary("engagement"))?;
            let engine = threat_interview::engine::Engine::builtin();
            Ok((0..rounds)
                .map(|_| {
                    let start = std::time::Instant::now();
                    let generated = engine.generate(checked);
                    if render {
                        std::hint::black_box(generated.to_questions());
                    } else {
                        std::hint::black_box(generated.len());
                    }
                    drop(generated);
                    start.elapsed().as_secs_f64()
                })
                .collect())
        })
        .map_err(pyo3::exceptions::PyValueError::new_err::<String>)
    }
}
