//! What a query asks and what it gets back: the matcher's public vocabulary. Pure data,
//! with no matching logic; `resolve` fills it in.

use std::fmt;

use super::score::WordPair;
use crate::aliases::EntityType;

/// What to resolve, and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Query<'a> {
    /// The name as written.
    pub name: &'a str,
    /// Only entities of this type may answer.
    pub kind: Option<EntityType>,
    /// How many ranked candidates to return (0: only those an ambiguous answer needs).
    pub max_candidates: usize,
    /// Overrides the matcher's threshold.
    pub threshold: Option<f64>,
    /// Also return how the answer was reached.
    pub explain: bool,
}

impl<'a> Query<'a> {
    /// A query with defaults: any type, no extra candidates, default threshold.
    pub fn new(name: &'a str) -> Self {
        Query { name, kind: None, max_candidates: 0, threshold: None, explain: false }
    }
}

/// A query the matcher refuses, with what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    /// Nothing but white space.
    #[error("name is empty or whitespace-only")]
    Empty,
    /// Over the length limit.
    #[error("name is {chars} characters long, over the limit of {limit}")]
    TooLong {
        /// Its length.
        chars: usize,
        /// The limit.
        limit: usize,
    },
    /// No letter or digit to match on ("...", "--").
    #[error("name has no letter or digit to match")]
    NothingToMatch,
    /// A threshold outside [0, 1].
    #[error("threshold {0} is outside [0, 1]")]
    BadThreshold(f64),
}

/// Which name of a pair [`Matcher::compare`](super::Matcher::compare) refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairSide {
    /// The first name.
    Left,
    /// The second name.
    Right,
}

impl PairSide {
    /// `left` or `right`, as the CLI's JSON and the gRPC request name the field.
    pub fn as_str(self) -> &'static str {
        match self {
            PairSide::Left => "left",
            PairSide::Right => "right",
        }
    }
}

/// A pair the matcher refuses: which name, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{} name: {error}", side.as_str())]
pub struct PairError {
    /// The name refused.
    pub side: PairSide,
    /// What is wrong with it.
    pub error: QueryError,
}

/// The three answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// One entity is the answer.
    Matched,
    /// Two or more entities are about equally likely; none is chosen.
    Ambiguous,
    /// Nothing is close enough.
    NoMatch,
}

impl Outcome {
    /// `matched`, `ambiguous` or `no_match`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Matched => "matched",
            Outcome::Ambiguous => "ambiguous",
            Outcome::NoMatch => "no_match",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stage that produced a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// The query is a name of the table, character for character.
    Exact,
    /// Equal after normalization (case, diacritics, punctuation, Unicode forms).
    Normalized,
    /// Equal after romanization folding and word reordering.
    Romanized,
    /// The query is an acronym of a multi-word name.
    Acronym,
    /// Scored by word alignment.
    Fuzzy,
}

impl Method {
    /// The method's name in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Normalized => "normalized",
            Method::Romanized => "romanized",
            Method::Acronym => "acronym",
            Method::Fuzzy => "fuzzy",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entity that may be the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The entity's canonical id.
    pub entity_id: String,
    /// Its canonical (primary) name.
    pub name: String,
    /// Its type.
    pub kind: EntityType,
    /// The score in [0, 1].
    pub score: f64,
    /// The name of the entity that the query matched best.
    pub matched_alias: String,
    /// The stage that found it.
    pub method: Method,
}

/// How an answer was reached, for reviewers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Explanation {
    /// The query's strict key.
    pub query_key: String,
    /// The query's folded words.
    pub query_words: Vec<String>,
    /// The best name's folded words.
    pub name_words: Vec<String>,
    /// Which query word met which name word, by what rule.
    pub pairs: Vec<WordPair>,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// Matched, ambiguous or no match.
    pub outcome: Outcome,
    /// The answer, when matched.
    pub best: Option<Candidate>,
    /// Ranked candidates: those asked for, and at least the contenders of an ambiguous answer.
    pub candidates: Vec<Candidate>,
    /// How the best candidate was scored, when asked for.
    pub explanation: Option<Explanation>,
}

/// The answer to "are these two names the same entity?".
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The score in [0, 1], on the same scale as resolve's.
    pub score: f64,
    /// Whether the score reaches the threshold.
    pub is_match: bool,
    /// The stage that decided.
    pub method: Method,
    /// The word alignment.
    pub explanation: Explanation,
}
