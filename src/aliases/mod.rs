//! Alias tables: files in, a validated [`AliasTable`] out.
//!
//! Three formats load into one model: curated TOML (`[[entity]]` blocks, for people),
//! bulk JSONL (one entity a line, for machines) and CSV/TSV (`id,name[,type]`, one name a
//! row). A path may be a file or a directory walked recursively by extension. Every
//! problem is reported at once with its file and line; a table with any error is never
//! half-loaded: the loader returns either a whole table or the list of what is wrong.
//! This module never matches names: it only reads, checks and hashes them.

mod builtin;
mod csv_format;
mod diagnostic;
mod jsonl;
mod load;
mod model;
mod parse;
mod toml_format;
mod validate;

pub use builtin::{builtin_sources, load_builtin};
pub use diagnostic::{Diagnostic, InvalidTable, Problem, Severity};
pub use load::{load_paths, load_sources, read_sources, Loaded, Source, SourceKind};
pub use model::{AliasTable, Entity, EntityType, Equivalence, Location, Name, UnknownEntityType};

/// The longest name, in characters, that a table or a query may hold.
pub const MAX_NAME_CHARS: usize = 1024;

/// Table versions are the first 16 hex digits of a BLAKE3 hash: short enough to log,
/// long enough that two tables never share one by accident.
pub(crate) fn version_from_hash(hasher: blake3::Hasher) -> String {
    hasher.finalize().to_hex()[..16].to_string()
}
