//! Problems found while loading or validating a table, each tied to a file and line.

use std::fmt;

use super::model::{EntityType, Location, UnknownEntityType};

/// How bad a finding is: errors stop a table from loading, warnings only inform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The table cannot be used until this is fixed.
    Error,
    /// Worth a curator's look; the table still loads.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// What is wrong, with the evidence needed to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The file or directory could not be read.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// A path names a file whose extension no format claims.
    #[error("unsupported file type (expected .toml, .jsonl, .ndjson, .csv or .tsv)")]
    UnsupportedFile,
    /// A directory holds no alias file at all.
    #[error("no alias files (.toml, .jsonl, .ndjson, .csv, .tsv) found here")]
    NoFiles,
    /// The parser rejected the text (bad syntax, wrong value type, unknown key).
    #[error("{0}")]
    Malformed(String),
    /// A required field is absent.
    #[error("missing `{0}`")]
    Missing(&'static str),
    /// A column or key that the format does not define.
    #[error("unknown field `{0}`")]
    UnknownField(String),
    /// An id or name with nothing but white space in it.
    #[error("{0} is empty or whitespace-only")]
    Empty(&'static str),
    /// A name with no letter or digit left once normalized ("...", "-").
    #[error("name `{0}` has no letter or digit")]
    NothingToMatch(String),
    /// A type that is not one of the five.
    #[error(transparent)]
    UnknownType(#[from] UnknownEntityType),
    /// A name longer than the limit.
    #[error("name is {chars} characters long, over the limit of {limit}")]
    NameTooLong {
        /// Its length in characters.
        chars: usize,
        /// The limit.
        limit: usize,
    },
    /// Two entities with the same id.
    #[error("duplicate entity id `{id}`, first defined at {first}")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first defined.
        first: Location,
    },
    /// One id given two types (CSV rows of one entity, or the same id across files).
    #[error("entity `{id}` has type {here} here but {there} at {first}")]
    TypeMismatch {
        /// The id.
        id: String,
        /// The type at this location.
        here: EntityType,
        /// The type seen first.
        there: EntityType,
        /// Where the first type was given.
        first: Location,
    },
    /// The same normalized name claimed by two entities without both marking it shared.
    #[error("name `{name}` of `{id}` is also `{other_name}` of `{other_id}` at {other} (both normalize to `{key}`); mark it `shared = true` on both if both really own it")]
    AliasConflict {
        /// The name here.
        name: String,
        /// The entity that claims it here.
        id: String,
        /// The other entity's spelling.
        other_name: String,
        /// The other entity.
        other_id: String,
        /// Where the other entity claims it.
        other: Location,
        /// The normalized form both share.
        key: String,
    },
    /// Two entities whose names are near-identical once romanization is folded.
    #[error(
        "name `{name}` of `{id}` is near-identical to `{other_name}` of `{other_id}` at {other}; are they one entity?"
    )]
    NearDuplicate {
        /// The name here.
        name: String,
        /// Its entity.
        id: String,
        /// The other name.
        other_name: String,
        /// The other entity.
        other_id: String,
        /// Where the other name is.
        other: Location,
    },
}

/// One finding: severity, where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where it was found.
    pub location: Location,
    /// What is wrong.
    pub problem: Problem,
}

impl Diagnostic {
    /// An error at a location.
    pub fn error(location: Location, problem: Problem) -> Self {
        Diagnostic { severity: Severity::Error, location, problem }
    }

    /// A warning at a location.
    pub fn warning(location: Location, problem: Problem) -> Self {
        Diagnostic { severity: Severity::Warning, location, problem }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `file:line[:col]: error|warning: message`, the form editors and CI logs understand.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.location, self.severity, self.problem)
    }
}

/// A table that failed validation: every diagnostic found, errors and warnings alike.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("alias table is invalid: {} error(s), first: {}", self.error_count(), self.first_error())]
pub struct InvalidTable {
    /// All findings, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl InvalidTable {
    /// How many of the diagnostics are errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    fn first_error(&self) -> String {
        self.diagnostics.iter().find(|d| d.is_error()).map_or_else(String::new, ToString::to_string)
    }
}
