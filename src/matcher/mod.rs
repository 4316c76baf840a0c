//! Matching: a table in, an index out; a query in, an outcome out.
//!
//! Stages run cheapest first and stop at the first that decides:
//! 1. **exact / normalized**: the query's strict key equals a name's (any alias, exact-only
//!    ones included). One entity: matched at score 1. Several (a shared name): ambiguous.
//! 2. **romanized / fuzzy**: candidates from the loose key (romanization and word order
//!    folded), from the word index (same word, same skeleton, within two edits) and from
//!    derived acronyms (whole initials, or pieces of words: IASCO); each candidate name
//!    scored by word alignment (`score`); each entity by its best name, lifted just over
//!    the threshold when its names between them hold every word of the query.
//!    Exact-only aliases never take part.
//! 3. **decision**: below the threshold, no_match; a runner-up of another entity within
//!    the margin, ambiguous; otherwise matched. The margin shrinks as the score nears 1.
//!
//! The matcher never guesses between equals: ties between entities are ambiguous, and
//! the same table and query always give the same answer (ties ordered by entity id).

mod analyzed;
mod answer;
mod edit;
mod evidence;
mod given_names;
mod index;
mod lookalikes;
mod resolve;
pub mod score;
mod sort_key;
pub mod words;

pub use analyzed::AnalyzedName;
pub use answer::{
    Candidate, Comparison, Explanation, Method, Outcome, PairError, PairSide, Query, QueryError, Resolution,
};
pub use lookalikes::WordLookalikes;
pub use resolve::FloorNeighbours;

use std::sync::Arc;

use crate::aliases::AliasTable;
use index::Index;

/// The knobs of the decision. Defaults were chosen on the dev set (see BENCHMARKS.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchConfig {
    /// Scores below this are no_match.
    pub threshold: f64,
    /// A runner-up of another entity within this much of the best makes the answer
    /// ambiguous (at the threshold; the margin narrows toward a score of 1).
    pub margin: f64,
    /// The score given to a query that equals a name's derived acronym.
    pub acronym_score: f64,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig { threshold: 0.82, margin: 0.1, acronym_score: 0.86 }
    }
}

/// A table with its index: build once, query from many threads.
#[derive(Debug)]
pub struct Matcher {
    table: Arc<AliasTable>,
    index: Index,
    config: MatchConfig,
    /// Unique among the matchers of this process: what a thread remembers of one
    /// matcher's index (the look-alikes of common words) is never read for another,
    /// even one built after it at the same address.
    id: u64,
}

/// The id of the next matcher built.
static NEXT_MATCHER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A fresh [`Matcher::id`].
fn next_matcher_id() -> u64 {
    NEXT_MATCHER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Matcher {
    /// Indexes a table.
    pub fn new(table: Arc<AliasTable>, config: MatchConfig) -> Matcher {
        let index = Index::build(&table);
        Matcher { table, index, config, id: next_matcher_id() }
    }

    /// [`Matcher::new`] for a table whose entity `i` has `primaries[i]` as its primary
    /// name's analysis ([`AnalyzedName::new`] of exactly that text; `None`: analysed
    /// here): the same matcher, without analysing those names a second time.
    pub fn with_primary_analyses(
        table: Arc<AliasTable>,
        config: MatchConfig,
        primaries: &[Option<AnalyzedName>],
    ) -> Matcher {
        let index = Index::build_analyzed(&table, primaries);
        Matcher { table, index, config, id: next_matcher_id() }
    }

    /// The table this matcher answers from.
    pub fn table(&self) -> &AliasTable {
        &self.table
    }

    /// The decision knobs.
    pub fn config(&self) -> &MatchConfig {
        &self.config
    }
}
