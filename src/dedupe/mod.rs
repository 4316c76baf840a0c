//! Dedupe: every name of a dataset in, one entity label per name out.
//!
//! In: a [`NameTally`] (each distinct spelling with how many records hold it) and a
//! [`Matcher`] over the known alias table. Out: a [`Dedupe`] that labels each spelling
//! `known` (the table's entity, exactly as `resolve` answers), `clustered` (a cluster of
//! unknown names spelled differently but scored alike by the matcher) or `singleton`
//! (an unknown name alone), plus the clusters for curators ([`suggest`]).
//!
//! Work is done once per distinct spelling, never per record, and in parallel. Unknown
//! names are grouped by strict key, indexed by a second [`Matcher`], and linked through
//! its scored neighbourhoods ([`Matcher::similar`]): the index decides which pairs are
//! compared, so the cost never grows with the square of the names. Clusters are formed
//! by average link (or a centre-link rule), then joined where one strong link holds two
//! clusters together and no pair across them is far apart ([`cluster`]): a chain A~B~C
//! never puts A and C together unless they are alike too.
//!
//! It never reads or writes files itself except through [`records`], never decides a
//! known name differently from `resolve`, and never depends on the order of the input:
//! the same names and counts give the same labels and cluster ids.

mod chunks;
pub mod cluster;
mod label;
mod plain;
pub mod records;
pub mod suggest;

pub use label::{dedupe, Dedupe, Label, MatchKind, NameVerdict, Progress};
pub use records::{Format, RecordError, Summary};

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::matcher::MatchConfig;

/// How unknown names are clustered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DedupeConfig {
    /// How many scored neighbours of each unknown name are fetched from the index.
    pub neighbours: usize,
    /// A name joins a centre's cluster only when its score with the centre reaches this.
    pub link_threshold: f64,
    /// Centre-link: ... and its score with every other member reaches this. Both rules:
    /// scores below this are not kept in the neighbour graph (they count as 0).
    pub member_floor: f64,
    /// How clusters are formed from the scored pairs.
    pub linkage: Linkage,
    /// Average link, second pass: two clusters with a pair scoring at least this across
    /// them are joined... (above 1: no second pass).
    pub bridge_link: f64,
    /// ... when every pair across them scores at least this (a pair the graph lacks is
    /// scored directly).
    pub bridge_floor: f64,
}

/// The rule that turns scored pairs into clusters. Neither is single-link: a chain of
/// links never merges two names that are far apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linkage {
    /// A centre takes its linked neighbours that also score the floor with every member.
    Centre,
    /// Clusters merge while the average score over all their cross pairs (0 for a pair
    /// the graph does not hold) reaches the link threshold.
    Average,
}

/// How far below the matcher's threshold the average-link bar sits. An average over all
/// the pairs of two clusters is a stricter test than one pair's score, so the bar can be
/// lower than resolve's; 0.07 was chosen on the dev set (see BENCHMARKS.md, "Dedupe").
const LINK_BELOW_THRESHOLD: f64 = 0.07;

/// The second pass's strong link: as sure as a resolve match, with a little to spare,
/// because one pair decides for two whole clusters. Chosen on the dev set (BENCHMARKS.md,
/// "Clustering quality").
const BRIDGE_LINK: f64 = 0.8;

/// The second pass's guard: no pair across two joined clusters may score below this. An
/// average over a large entity's names (aliases, short and long forms) falls below the
/// average-link bar even when they all belong together; what still tells two entities
/// apart is a pair with little in common. Two names sharing one word of two ("Hassan
/// Nasrallah" / "Nasrallah Ali") score about 0.44, so a chain through a longer name
/// holding both never joins them. 0.4 gained a little recall on the dev set at that cost.
const BRIDGE_FLOOR: f64 = 0.45;

/// Pair scores below this are left out of the neighbour graph (they count as 0): low
/// enough to keep every pair that can matter in an average, high enough to bound memory.
const GRAPH_FLOOR: f64 = 0.5;

impl Default for DedupeConfig {
    fn default() -> Self {
        let threshold = MatchConfig::default().threshold;
        DedupeConfig {
            neighbours: 10,
            link_threshold: threshold - LINK_BELOW_THRESHOLD,
            member_floor: GRAPH_FLOOR,
            linkage: Linkage::Average,
            bridge_link: BRIDGE_LINK,
            bridge_floor: BRIDGE_FLOOR,
        }
    }
}

/// At most this many names are one piece of parallel work when each costs a matcher
/// search (resolve, the neighbour search). Given no upper bound, rayon cuts a range into
/// a few large pieces when no thread is idle at the start, and names differ in cost, so
/// at 10 M records the last piece of the resolving phase kept one core busy for about
/// 1.5 s while the other waited (perf, both threads' samples over time). 1,024 names are
/// a few hundredths of a second: enough to make splitting's cost nothing.
const NAMES_PER_JOB: usize = 1024;

/// Errors of the dedupe library: reading and writing records.
#[derive(Debug, thiserror::Error)]
pub enum DedupeError {
    /// The input or output failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The CSV/TSV reader or writer failed.
    #[error("{0}")]
    Csv(#[from] csv::Error),
    /// A JSON value could not be written.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    /// The header is too long to hold: no column can be found in it.
    #[error("the header is longer than {limit} bytes")]
    HeaderTooLong {
        /// The longest record held.
        limit: usize,
    },
    /// The header has no column of that name.
    #[error("the header has no column `{column}` (columns: {header})")]
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The header as read.
        header: String,
    },
}

/// Each distinct spelling of a name, with how many records hold it. Memory grows with
/// the number of distinct spellings, not of records: the order of records, when kept,
/// is kept for the first [`ORDER_KEPT_RECORDS`] only (four bytes each).
#[derive(Debug, Clone, Default)]
pub struct NameTally {
    /// Each spelling's slot in `counts`, in the order first seen.
    slots: HashMap<Box<str>, u32>,
    counts: Vec<u64>,
    records: u64,
    /// Kept only when asked for ([`NameTally::keeping_order`]): each record's slot, in
    /// input order ([`NO_NAME`] for a record without a name), so that the second pass
    /// finds a record's spelling by its position instead of hashing its text again; for
    /// the first `order_limit` records, the later ones are found by their text.
    order: Option<Vec<u32>>,
    order_limit: usize,
}

/// How many records' spellings a tally keeps in input order at most: 256 MiB of order,
/// so that memory stays bounded by the distinct names however many records there are
/// (pass 2 finds a later record's spelling by hashing its name).
pub const ORDER_KEPT_RECORDS: usize = 1 << 26;

/// A record of [`NameTally`]'s order that holds no name.
pub(crate) const NO_NAME: u32 = u32::MAX;

impl NameTally {
    /// An empty tally.
    pub fn new() -> Self {
        NameTally::default()
    }

    /// An empty tally that also keeps which spelling each record holds, in input order:
    /// every record is counted with [`NameTally::add_record`].
    pub fn keeping_order() -> Self {
        NameTally::keeping_order_of(ORDER_KEPT_RECORDS)
    }

    /// [`NameTally::keeping_order`] for the first `limit` records.
    fn keeping_order_of(limit: usize) -> Self {
        NameTally { order: Some(Vec::new()), order_limit: limit, ..NameTally::default() }
    }

    /// Counts one record holding `name`.
    pub fn add(&mut self, name: &str) {
        self.add_count(name, 1);
    }

    /// Counts the next record of the input: `Some(name)`, or `None` when it holds no
    /// name (it is only noted in the order, when the order is kept).
    pub fn add_record(&mut self, name: Option<&str>) {
        let slot = match name {
            Some(name) => self.slot_counted(name, 1),
            None => NO_NAME,
        };
        if let Some(order) = self.order.as_mut().filter(|order| order.len() < self.order_limit) {
            order.push(slot);
        }
    }

    /// Counts `count` records holding `name`.
    pub fn add_count(&mut self, name: &str, count: u64) {
        self.slot_counted(name, count);
    }

    /// Adds `count` to `name`'s records; returns its slot.
    fn slot_counted(&mut self, name: &str, count: u64) -> u32 {
        self.records += count;
        match self.slots.get(name) {
            Some(&slot) => {
                self.counts[slot as usize] += count;
                slot
            }
            None => {
                let slot = self.counts.len() as u32;
                self.slots.insert(name.into(), slot);
                self.counts.push(count);
                slot
            }
        }
    }

    /// Adds every count of `other`. The order of records is no longer known after.
    pub fn merge(&mut self, other: NameTally) {
        self.slots.reserve(other.slots.len());
        // `records` grows by each count, so by `other.records` in all.
        for (name, slot) in other.slots {
            self.slot_counted(&name, other.counts[slot as usize]);
        }
        self.order = None;
    }

    /// How many distinct spellings.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when no name was counted.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// How many records were counted.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The spellings sorted by text, so that later work never depends on hashing order,
    /// with their counts; and, when the order was kept, each record's index among them
    /// ([`NO_NAME`] for a record without a name).
    fn into_sorted(self) -> (Vec<Box<str>>, Vec<u64>, Vec<u32>) {
        let NameTally { slots, counts, order, .. } = self;
        let mut spellings: Vec<(Box<str>, u32)> = slots.into_iter().collect();
        spellings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut sorted_index = vec![0u32; counts.len()];
        for (index, (_, slot)) in spellings.iter().enumerate() {
            sorted_index[*slot as usize] = index as u32;
        }
        let spelling_counts = spellings.iter().map(|(_, slot)| counts[*slot as usize]).collect();
        let texts = spellings.into_iter().map(|(text, _)| text).collect();
        let mut order = order.unwrap_or_default();
        order.par_iter_mut().with_min_len(1 << 16).for_each(|slot| {
            if *slot != NO_NAME {
                *slot = sorted_index[*slot as usize];
            }
        });
        (texts, spelling_counts, order)
    }
}

/// A short, stable id for an unknown cluster: `new:` and 16 hex digits of the BLAKE3
/// hash of its centre's strict key.
pub fn cluster_id(centre_key: &str) -> String {
    let hash = blake3::hash(centre_key.as_bytes());
    format!("new:{}", &hash.to_hex()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_keeps_the_order_of_its_first_records_only() {
        let mut tally = NameTally::keeping_order_of(3);
        for name in [Some("b"), Some("a"), None, Some("b"), Some("c"), Some("a")] {
            tally.add_record(name);
        }
        assert_eq!(tally.records(), 5);
        let (texts, counts, order) = tally.into_sorted();
        assert_eq!(texts.iter().map(AsRef::as_ref).collect::<Vec<&str>>(), ["a", "b", "c"]);
        assert_eq!(counts, [2, 2, 1]);
        // The first three records (b, a, no name) by their index among the sorted
        // spellings; the later ones are left for pass 2 to find by their text.
        assert_eq!(order, [1, 0, NO_NAME]);
    }
}
