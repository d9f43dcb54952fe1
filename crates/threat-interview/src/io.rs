//! Loading and saving engagement files.
