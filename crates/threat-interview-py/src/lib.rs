//! Python bindings for `threat-interview`, built by maturin as `threat_interview._native`.
//!
//! The binding is thin: every function calls the core crate's public API, data crosses as
//! plain Python objects (through pythonize) or as small handle classes, and the core's errors
//! become a small Python exception hierarchy (see the `errors` module). The Python package
//! `threat_interview` re-exports this module.

// pyo3 extracts arguments as owned values (`PathBuf`, `String`) even where a borrow would do.
#![allow(clippy::needless_pass_by_value)]

mod banks;
mod convert;
mod coverage;
mod engagement;
mod errors;
mod html;
mod questions;
mod report;

/// The native part of ``threat_interview``; import ``threat_interview`` instead.
#[pyo3::pymodule]
mod _native {
    use std::path::PathBuf;

    use pyo3::exceptions::PyValueError;
    use pyo3::prelude::*;
    use threat_interview::io::{Format, LoadOptions};
    use threat_interview::validate::{
        validate_engagement, validate_path, validate_slice, validate_value,
    };

    use crate::convert::{to_python, to_value};
    use crate::engagement::accept;
    use crate::errors::{EXCEPTION_NAMES, exception_type, load_error};

    #[pymodule_export]
    use crate::coverage::PyCoverage;
    #[pymodule_export]
    use crate::engagement::PyEngagement;
    #[pymodule_export]
    use crate::questions::PyQuestionList;
    #[pymodule_export]
    use crate::report::PyValidationReport;

    /// The version of the engagement file format this library reads and writes.
    #[pymodule_export]
    const SCHEMA_VERSION: u32 = threat_interview::SCHEMA_VERSION;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        for name in EXCEPTION_NAMES {
            m.add(name, exception_type(m.py(), name)?)?;
        }
        Ok(())
    }

    /// Text or bytes holding an engagement file.
    #[derive(FromPyObject)]
    enum Text {
        Str(String),
        Bytes(Vec<u8>),
    }

    /// Loads and validates the engagement file at ``path``, JSON or YAML by extension.
    ///
    /// Raises ``ValidationError`` listing every problem, each with its JSON Pointer and, for
    /// JSON, its line and column; ``OSError`` (such as ``FileNotFoundError``) when the file
    /// cannot be read. With ``strict=False`` errors of meaning (dangling references and the
    /// like) are let through, so a file being written can still be loaded.
    #[pyfunction]
    #[pyo3(signature = (path, *, strict = true))]
    fn load(py: Python<'_>, path: PathBuf, strict: bool) -> PyResult<PyEngagement> {
        let validation = py
            .detach(|| validate_path(&path, LoadOptions::default()))
            .map_err(|e| load_error(py, &e))?;
        accept(py, validation, strict).map(PyEngagement::new)
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
        let validation = py.detach(|| validate_slice(bytes, format, LoadOptions::default()));
        accept(py, validation, strict).map(PyEngagement::new)
    }

    /// Validates an engagement: a path to a file (``str`` or ``os.PathLike``), a dict shaped
    /// like an engagement file, or an ``Engagement``. Never raises for an invalid engagement:
    /// returns the report of every error and warning. Raises ``OSError`` when a file cannot be
    /// read.
    #[pyfunction]
    fn validate(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<PyValidationReport> {
        let report = if let Ok(engagement) = source.cast::<PyEngagement>() {
            let engagement = engagement.borrow();
            let inner = &engagement.inner;
            py.detach(|| validate_engagement(inner))
        } else if let Ok(path) = source.extract::<PathBuf>() {
            py.detach(|| validate_path(&path, LoadOptions::default()))
                .map_err(|e| load_error(py, &e))?
                .report
        } else {
            let value = to_value(source)?;
            py.detach(|| validate_value(&value)).report
        };
        Ok(PyValidationReport { inner: report })
    }

    /// The JSON Schema (draft 2020-12) of an engagement file, as a dict.
    #[pyfunction]
    fn schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        to_python(py, &threat_interview::schema::engagement_schema())
    }

    /// Times the core's question generation for ``engagement`` with the built-in bank,
    /// ``rounds`` times, entirely in Rust (no Python call in the loop), and returns the seconds
    /// each round took: the baseline ``benches/python_vs_rust.py`` compares
    /// ``Engagement.generate_questions`` with. ``render=True`` also turns every generated
    /// question into an owned ``Question`` (``Generated::questions``).
    #[pyfunction]
    #[pyo3(signature = (engagement, rounds, *, render = false))]
    fn _time_generate_in_rust(
        py: Python<'_>,
        engagement: PyRef<'_, PyEngagement>,
        rounds: usize,
        render: bool,
    ) -> Vec<f64> {
        let inner: &threat_interview::Engagement = &engagement.inner;
        py.detach(|| {
            (0..rounds)
                .map(|_| {
                    let start = std::time::Instant::now();
                    let banks = threat_interview::BankSet::builtin();
                    let generated = threat_interview::generate(inner, &banks);
                    if render {
                        std::hint::black_box(generated.questions());
                    } else {
                        std::hint::black_box(generated.len());
                    }
                    drop(generated);
                    start.elapsed().as_secs_f64()
                })
                .collect()
        })
    }

    fn parse_format(name: &str) -> PyResult<Format> {
        match name.to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "yaml" | "yml" => Ok(Format::Yaml),
            _ => Err(PyValueError::new_err(format!(
                "unknown format `{name}`: expected `json` or `yaml`"
            ))),
        }
    }
}
