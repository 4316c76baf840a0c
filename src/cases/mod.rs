//! Expectation cases: the curators' safety net.
//!
//! In: the [`Source`]s of a table (only the case files among them are read: `*.cases.toml`
//! or `.toml` files under a `cases/` folder, see [`SourceKind::Cases`]) and a [`Matcher`]
//! built from that table. Out: a [`CaseReport`] of how many cases passed and, for each
//! that failed, what was expected and what the matcher answered, with the file and line.
//!
//! ```toml
//! [[case]]
//! query = "Rifaat al-Assad"
//! expect = "no_match"            # an entity id, "no_match" or "ambiguous"
//! note = "Bashar's uncle: not in the table, and never Bashar"
//!
//! [[case]]
//! query = "Assad"
//! expect = ["ambiguous", "no_match"]   # any of these answers passes
//!
//! [[case]]
//! query = "Georgia"
//! type = "location"              # optional type filter, as in `resolve --type`
//! expect = "country:GE"
//! ```
//!
//! A case file with an unknown key, a missing `query` or `expect`, or an `expect` id that
//! is not in the table is an error (with its file and line), like an error in an alias
//! file: the cases are part of the table.
//!
//! **Hot reload.** A service refuses a new table exactly when [`check`] returns an error:
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use canonym::{aliases, cases, matcher::{Matcher, MatchConfig}};
//! # fn reload(paths: &[std::path::PathBuf]) -> Result<(), Box<dyn std::error::Error>> {
//! let loaded = aliases::load_paths(paths)?;                 // validation errors refuse it
//! let matcher = Matcher::new(Arc::new(loaded.table), MatchConfig::default());
//! let report = cases::check(&loaded.sources, &matcher)?;    // a failing case refuses it too
//! println!("{} cases passed", report.passed);
//! // ...only now swap `matcher` in.
//! # Ok(()) }
//! ```
//!
//! This module never changes a table or a matcher and never decides an answer: it only
//! reads case files and compares the matcher's answers with them.

mod answer;
mod parse;
mod run;

pub use answer::{Answer, Contender};
pub use parse::{is_case_source, read, validate};
pub use run::run;

use std::fmt;

use crate::aliases::{EntityType, Location, Source, UnknownEntityType};
use crate::matcher::Matcher;

/// What a case accepts as the answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expected {
    /// Matched to this entity id.
    Entity(String),
    /// No entity is close enough.
    NoMatch,
    /// Two or more entities are about equally likely.
    Ambiguous,
}

impl Expected {
    /// Reads an `expect` value: `no_match`, `ambiguous`, or else an entity id.
    pub fn parse(value: &str) -> Expected {
        match value.trim() {
            "no_match" => Expected::NoMatch,
            "ambiguous" => Expected::Ambiguous,
            id => Expected::Entity(id.to_string()),
        }
    }

    /// Whether an answer is this one.
    pub fn accepts(&self, answer: &Answer) -> bool {
        match (self, answer) {
            (Expected::Entity(id), Answer::Matched(best)) => &best.entity_id == id,
            (Expected::NoMatch, Answer::NoMatch(_)) => true,
            (Expected::Ambiguous, Answer::Ambiguous(_)) => true,
            _ => false,
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Entity(id) => f.write_str(id),
            Expected::NoMatch => f.write_str("no_match"),
            Expected::Ambiguous => f.write_str("ambiguous"),
        }
    }
}

/// One expectation: a query and the answers that are right for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The name to resolve.
    pub query: String,
    /// Only entities of this type may answer, when set.
    pub kind: Option<EntityType>,
    /// The acceptable answers (any one passes); never empty.
    pub expect: Vec<Expected>,
    /// The curator's reason for the case.
    pub note: Option<String>,
    /// Where the case's `query` is written: the line a failure is reported at.
    pub location: Location,
    /// Where its `expect` is written: the line an unknown id is reported at.
    pub expect_location: Location,
}

impl Case {
    /// Whether an answer passes this case.
    pub fn accepts(&self, answer: &Answer) -> bool {
        self.expect.iter().any(|expected| expected.accepts(answer))
    }

    /// The expectation as written in messages: `X` or `X or Y`.
    pub fn expected_text(&self) -> String {
        self.expect.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ")
    }
}

/// What is wrong with a case file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseProblem {
    /// The TOML parser rejected the text (bad syntax, wrong value type, unknown key).
    #[error("{0}")]
    Malformed(String),
    /// A required key is absent.
    #[error("case is missing `{0}`")]
    Missing(&'static str),
    /// A value with nothing but white space.
    #[error("case `{0}` is empty or whitespace-only")]
    Empty(&'static str),
    /// A `type` that is not one of the five.
    #[error(transparent)]
    UnknownType(#[from] UnknownEntityType),
    /// An `expect` id that no entity of the table has.
    #[error("expected entity `{0}` is not in the table")]
    UnknownEntity(String),
    /// An `expect` id whose entity the case's own `type` filter excludes: it can never pass.
    #[error("expected entity `{id}` is a {actual}, but the case only allows type {filter}")]
    TypeConflict {
        /// The expected entity.
        id: String,
        /// Its type in the table.
        actual: EntityType,
        /// The case's filter.
        filter: EntityType,
    },
}

/// One problem in a case file, at its file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseError {
    /// Where it is.
    pub location: Location,
    /// What is wrong.
    pub problem: CaseProblem,
}

/// `file:line: error: message`, the form of the alias loader's diagnostics.
impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: error: {}", self.location, self.problem)
    }
}

/// Case files that cannot be used: every error found, sorted by file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("case files are invalid: {} error(s), first: {}", errors.len(), first(errors))]
pub struct InvalidCases {
    /// The errors, sorted by file and line; never empty.
    pub errors: Vec<CaseError>,
}

/// A case the matcher answered otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFailure {
    /// The case.
    pub case: Case,
    /// What the matcher answered.
    pub got: Answer,
}

/// `file:line: case failed: "query" expected X, got Y (score, "matched alias")`.
impl fmt::Display for CaseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let case = &self.case;
        write!(f, "{}: case failed: {:?}", case.location, case.query)?;
        if let Some(kind) = case.kind {
            write!(f, " (type {kind})")?;
        }
        write!(f, " expected {}, got {}", case.expected_text(), self.got)
    }
}

/// The outcome of running a table's cases.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseReport {
    /// How many cases passed.
    pub passed: usize,
    /// The cases that failed, sorted by file and line.
    pub failures: Vec<CaseFailure>,
}

impl CaseReport {
    /// How many cases ran.
    pub fn total(&self) -> usize {
        self.passed + self.failures.len()
    }

    /// True when every case passed.
    pub fn is_success(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Why a table's cases refuse it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckError {
    /// A case file is malformed or names an entity the table lacks.
    #[error(transparent)]
    Invalid(#[from] InvalidCases),
    /// At least one case got another answer.
    #[error("{} of {} case(s) failed, first: {}", .0.failures.len(), .0.total(), first(&.0.failures))]
    Failed(CaseReport),
}

/// Reads the case files among `sources`, checks them against the matcher's table and runs
/// them: `Ok` with the report only when every case passes. The one call a reload needs.
pub fn check(sources: &[Source], matcher: &Matcher) -> Result<CaseReport, CheckError> {
    let cases = read(sources)?;
    validate(&cases, matcher.table())?;
    let report = run(&cases, matcher);
    if report.is_success() {
        Ok(report)
    } else {
        Err(CheckError::Failed(report))
    }
}

fn first<T: ToString>(items: &[T]) -> String {
    items.first().map_or_else(String::new, ToString::to_string)
}
