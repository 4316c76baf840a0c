//! The table embedded from data/ at build time, so the binary works from any directory.

use super::diagnostic::InvalidTable;
use super::load::{load_sources, Loaded, Source};

/// (path relative to data/, contents) for every table file, written by build.rs.
const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_table.rs"));

/// The embedded files as sources named `builtin:data/<file>`.
pub fn builtin_sources() -> Vec<Source> {
    FILES
        .iter()
        .map(|(relative, text)| Source {
            name: format!("builtin:data/{relative}"),
            relative: (*relative).to_string(),
            text: (*text).to_string(),
        })
        .collect()
}

/// Loads the embedded table. It is checked in CI, so failing here means a broken build.
pub fn load_builtin() -> Result<Loaded, InvalidTable> {
    load_sources(builtin_sources())
}
