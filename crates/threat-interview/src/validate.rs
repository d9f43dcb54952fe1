//! Validation of engagement files: structure, then meaning.
