//! A matcher's answer to one name, reduced to what a curator compares: the outcome, the
//! entity (or the contenders, or the nearest miss), scores and matched aliases. Used by
//! case failures and by `canonym diff`. Never decides anything: it only summarises.

use std::fmt;

use crate::aliases::EntityType;
use crate::matcher::{Candidate, Matcher, Outcome, Query, QueryError, Resolution};

/// One entity in an answer: who, how close, through which name.
#[derive(Debug, Clone, PartialEq)]
pub struct Contender {
    /// The entity's canonical id.
    pub entity_id: String,
    /// The score in [0, 1].
    pub score: f64,
    /// The entity's name that the query matched best.
    pub matched_alias: String,
}

impl From<&Candidate> for Contender {
    fn from(candidate: &Candidate) -> Self {
        Contender {
            entity_id: candidate.entity_id.clone(),
            score: candidate.score,
            matched_alias: candidate.matched_alias.clone(),
        }
    }
}

/// What the matcher said about a name.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// One entity.
    Matched(Contender),
    /// Several entities, none chosen; the contenders, best first.
    Ambiguous(Vec<Contender>),
    /// Nothing close enough; the nearest entity below the threshold, if any.
    NoMatch(Option<Contender>),
    /// The matcher refused the name (empty, nothing to match, too long).
    Refused(QueryError),
}

impl Answer {
    /// Resolves `name` (restricted to `kind` when given) and summarises the answer.
    pub fn resolve(matcher: &Matcher, name: &str, kind: Option<EntityType>) -> Answer {
        // One candidate is asked for so that a no_match can show its nearest miss.
        let query = Query { kind, max_candidates: 1, ..Query::new(name) };
        Answer::from_result(matcher.resolve(&query))
    }

    /// Summarises a resolution (or the matcher's refusal).
    pub fn from_result(result: Result<Resolution, QueryError>) -> Answer {
        let resolution = match result {
            Ok(resolution) => resolution,
            Err(error) => return Answer::Refused(error),
        };
        match (resolution.outcome, &resolution.best) {
            (Outcome::Matched, Some(best)) => Answer::Matched(best.into()),
            (Outcome::Ambiguous, _) => Answer::Ambiguous(resolution.candidates.iter().map(Contender::from).collect()),
            _ => Answer::NoMatch(resolution.candidates.first().map(Contender::from)),
        }
    }

    /// The outcome, or `None` when the name was refused.
    pub fn outcome(&self) -> Option<Outcome> {
        match self {
            Answer::Matched(_) => Some(Outcome::Matched),
            Answer::Ambiguous(_) => Some(Outcome::Ambiguous),
            Answer::NoMatch(_) => Some(Outcome::NoMatch),
            Answer::Refused(_) => None,
        }
    }

    /// The matched entity's id, when matched.
    pub fn entity_id(&self) -> Option<&str> {
        match self {
            Answer::Matched(best) => Some(&best.entity_id),
            _ => None,
        }
    }

    /// The best score behind the answer: the match's, the top contender's, the nearest miss's.
    pub fn score(&self) -> Option<f64> {
        match self {
            Answer::Matched(best) | Answer::NoMatch(Some(best)) => Some(best.score),
            Answer::Ambiguous(contenders) => contenders.first().map(|c| c.score),
            Answer::NoMatch(None) | Answer::Refused(_) => None,
        }
    }

    /// The same decision, scores aside: same outcome, same entity or same contenders.
    pub fn same_decision(&self, other: &Answer) -> bool {
        match (self, other) {
            (Answer::Matched(a), Answer::Matched(b)) => a.entity_id == b.entity_id,
            (Answer::Ambiguous(a), Answer::Ambiguous(b)) => contender_ids(a) == contender_ids(b),
            (Answer::NoMatch(_), Answer::NoMatch(_)) => true,
            (Answer::Refused(a), Answer::Refused(b)) => a == b,
            _ => false,
        }
    }
}

fn contender_ids(contenders: &[Contender]) -> Vec<&str> {
    let mut ids: Vec<&str> = contenders.iter().map(|c| c.entity_id.as_str()).collect();
    ids.sort_unstable();
    ids
}

/// `id (0.9300, "alias")`.
impl fmt::Display for Contender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:.4}, {:?})", self.entity_id, self.score, self.matched_alias)
    }
}

/// `org:x (0.9300, "alias")`, `ambiguous: a (..), b (..)`, `no_match (nearest a (..))`,
/// `error (reason)`.
impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Matched(best) => write!(f, "{best}"),
            Answer::Ambiguous(contenders) => {
                let listed: Vec<String> = contenders.iter().map(ToString::to_string).collect();
                write!(f, "ambiguous ({})", listed.join(", "))
            }
            Answer::NoMatch(Some(nearest)) => write!(f, "no_match (nearest {nearest})"),
            Answer::NoMatch(None) => f.write_str("no_match"),
            Answer::Refused(error) => write!(f, "error ({error})"),
        }
    }
}
