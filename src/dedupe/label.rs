//! Labelling: a tally of spellings and the known matcher in, a label per spelling out.
//!
//! Each distinct spelling is resolved once against the known table (in parallel); those
//! `resolve` matches are known, the rest are grouped by strict key into nodes and
//! clustered ([`super::cluster`]). It never changes a known answer and never looks at
//! records: only at spellings and their counts.

use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use rayon::prelude::*;

use super::cluster::{cluster_nodes, Cluster, Clustering, Node};
use super::{DedupeConfig, NameTally, NAMES_PER_JOB};
use crate::matcher::{AnalyzedName, Matcher, Method, Outcome, Query, QueryError, WordLookalikes};

/// Reports progress of the long phases; called from many threads.
pub trait Progress: Sync {
    /// A phase begins, with how many steps it has.
    fn start(&self, phase: &'static str, total: u64) {
        let _ = (phase, total);
    }
    /// `steps` more steps are done.
    fn advance(&self, steps: u64) {
        let _ = steps;
    }
}

/// No progress reporting.
impl Progress for () {}

/// How a name was labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// The alias table knows the entity.
    Known,
    /// Unknown, in a cluster with other spellings of a different strict key.
    Clustered,
    /// Unknown, alone (its cluster holds only spellings of its own strict key).
    Singleton,
}

impl MatchKind {
    /// `known`, `clustered` or `singleton`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Known => "known",
            MatchKind::Clustered => "clustered",
            MatchKind::Singleton => "singleton",
        }
    }
}

impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The entity a name was given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label<'a> {
    /// The canonical id, or the cluster's `new:` id.
    pub entity_id: &'a str,
    /// The canonical name, or the cluster's representative spelling.
    pub entity_name: &'a str,
    /// Known, clustered or singleton.
    pub kind: MatchKind,
    /// Known: resolve's score. Unknown: the score with the cluster's centre (1 for the
    /// centre's own spellings).
    pub score: f64,
}

/// What became of one spelling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NameVerdict<'a> {
    /// It has a label.
    Labelled(Label<'a>),
    /// The matcher refuses it (empty, no letter or digit, too long).
    Rejected(&'a QueryError),
    /// It was not in the tally.
    Unseen,
}

/// One spelling's answer.
#[derive(Debug, Clone)]
enum Verdict {
    Known { entity: u32, score: f64 },
    Unknown { node: u32 },
    Rejected(QueryError),
}

/// Every spelling's label, and the clusters of unknown names.
#[derive(Debug, Clone, Default)]
pub struct Dedupe {
    ids: HashMap<Box<str>, u32>,
    texts: Vec<Box<str>>,
    counts: Vec<u64>,
    /// Each record's spelling in input order, when the tally kept the order (`NO_NAME`:
    /// the record had no name).
    record_spellings: Vec<u32>,
    verdicts: Vec<Verdict>,
    /// Interned (id, name) of the known entities that answered.
    known: Vec<(Box<str>, Box<str>)>,
    nodes: Vec<Node>,
    clustering: Clustering,
}

/// One spelling resolved against the known table.
#[derive(Clone)]
enum Resolved {
    Known {
        id: String,
        name: String,
        score: f64,
    },
    Unknown {
        key: String,
        in_table: bool,
    },
    Rejected(QueryError),
    /// Shares the resolution of an earlier spelling with the same analysis.
    Follower,
}

/// Labels every spelling of `tally`: known names as `matcher.resolve` answers them,
/// unknown ones by clustering among themselves.
pub fn dedupe(matcher: &Matcher, tally: NameTally, config: &DedupeConfig, progress: &dyn Progress) -> Dedupe {
    let (texts, counts, record_spellings) = tally.into_sorted();
    progress.start("resolving distinct names", texts.len() as u64);
    // Each spelling is analysed once; the analysis serves resolve, the strict key and,
    // for a node's representative, the neighbour search.
    let analyses: Vec<Result<AnalyzedName, QueryError>> =
        texts.par_iter().with_min_len(256).map(|text| AnalyzedName::new(text)).collect();
    // The spellings share most of their words: each word's look-alikes in the table are
    // found once, not once per spelling holding it. Finding the leaders is one thread's
    // work, so the look-alikes are found beside it.
    let (leaders, lookalikes) = rayon::join(
        || resolve_leaders(matcher, &analyses),
        || matcher.word_lookalikes(analyses.par_iter().filter_map(|analysis| analysis.as_ref().ok())),
    );
    let resolved: Vec<Resolved> = (0..texts.len())
        .into_par_iter()
        .with_min_len(64)
        .with_max_len(NAMES_PER_JOB)
        .map(|index| {
            let resolved = match (&analyses[index], leaders[index]) {
                (Err(error), _) => Resolved::Rejected(error.clone()),
                (Ok(name), leader) if leader as usize == index => {
                    resolve_one(matcher, &texts[index], name, &lookalikes)
                }
                // Filled in below from the leader's answer.
                (Ok(_), _) => Resolved::Follower,
            };
            progress.advance(1);
            resolved
        })
        .collect();
    let resolved = copy_from_leaders(resolved, &leaders);
    let mut result = Dedupe { texts, counts, record_spellings, ..Dedupe::default() };
    let unknown_keys = result.record_resolved(resolved);
    result.nodes = group_nodes(unknown_keys, &result.counts);
    let mut analyses: Vec<Option<AnalyzedName>> = analyses.into_iter().map(Result::ok).collect();
    let mut representatives = Vec::with_capacity(result.nodes.len());
    for (index, node) in result.nodes.iter().enumerate() {
        for &spelling in &node.spellings {
            result.verdicts[spelling as usize] = Verdict::Unknown { node: index as u32 };
        }
        representatives.push(analyses[node.representative as usize].take());
    }
    // Freeing the spent analyses and look-alikes (millions of small allocations) and
    // building the lookup by text are done beside the clustering, on the core its
    // sequential steps (building the index, linking clusters) leave idle.
    let texts = &result.texts;
    let (clustering, ids) = rayon::join(
        || cluster_nodes(&result.nodes, texts, representatives, matcher.table().equivalences(), config, progress),
        || {
            drop(analyses);
            drop(lookalikes);
            spelling_ids(texts)
        },
    );
    result.clustering = clustering;
    result.ids = ids;
    result
}

/// Each spelling's index by its text.
fn spelling_ids(texts: &[Box<str>]) -> HashMap<Box<str>, u32> {
    texts.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect()
}

/// For each spelling, the spelling whose resolution it shares: itself, or the first (in
/// text order) with the same analysis when the table does not hold their strict key (then
/// resolve reads only the analysis; see `AnalyzedName`). Case and punctuation variants
/// are resolved once.
fn resolve_leaders(matcher: &Matcher, analyses: &[Result<AnalyzedName, QueryError>]) -> Vec<u32> {
    let mut first: HashMap<&AnalyzedName, u32> = HashMap::default();
    first.reserve(analyses.len());
    let mut leaders = Vec::with_capacity(analyses.len());
    for (index, analysis) in analyses.iter().enumerate() {
        let leader = match analysis {
            Ok(name) if !matcher.holds_strict_key(name) => *first.entry(name).or_insert(index as u32),
            _ => index as u32,
        };
        leaders.push(leader);
    }
    leaders
}

fn copy_from_leaders(mut resolved: Vec<Resolved>, leaders: &[u32]) -> Vec<Resolved> {
    for (index, &leader) in leaders.iter().enumerate() {
        // A leader comes before its followers, so it is already resolved.
        if leader as usize != index {
            resolved[index] = resolved[leader as usize].clone();
        }
    }
    resolved
}

fn resolve_one(matcher: &Matcher, text: &str, name: &AnalyzedName, lookalikes: &WordLookalikes) -> Resolved {
    match matcher.resolve_with_lookalikes(&Query::new(text), name, lookalikes) {
        Err(error) => Resolved::Rejected(error),
        Ok(resolution) => match (resolution.outcome, resolution.best) {
            (Outcome::Matched, Some(best)) => {
                Resolved::Known { id: best.entity_id, name: best.name, score: best.score }
            }
            _ => {
                let in_table = resolution
                    .candidates
                    .first()
                    .is_some_and(|c| matches!(c.method, Method::Exact | Method::Normalized));
                Resolved::Unknown { key: name.strict_key().to_string(), in_table }
            }
        },
    }
}

/// An unknown spelling's strict key, and whether the table shares that key.
type UnknownKey = (u32, String, bool);

impl Dedupe {
    /// Stores known and rejected verdicts; returns the unknown spellings with their keys.
    fn record_resolved(&mut self, resolved: Vec<Resolved>) -> Vec<UnknownKey> {
        let mut known_ids: HashMap<String, u32> = HashMap::default();
        let mut unknown = Vec::new();
        self.verdicts = Vec::with_capacity(resolved.len());
        for (index, resolved) in resolved.into_iter().enumerate() {
            let verdict = match resolved {
                Resolved::Known { id, name, score } => {
                    let next = self.known.len() as u32;
                    let entity = *known_ids.entry(id.clone()).or_insert_with(|| {
                        self.known.push((id.into_boxed_str(), name.into_boxed_str()));
                        next
                    });
                    Verdict::Known { entity, score }
                }
                Resolved::Unknown { key, in_table } => {
                    unknown.push((index as u32, key, in_table));
                    Verdict::Unknown { node: u32::MAX }
                }
                Resolved::Rejected(error) => Verdict::Rejected(error),
                // `copy_from_leaders` replaced every follower.
                Resolved::Follower => Verdict::Unknown { node: u32::MAX },
            };
            self.verdicts.push(verdict);
        }
        unknown
    }

    /// What `name` (exactly as written in a record) was labelled.
    pub fn verdict(&self, name: &str) -> NameVerdict<'_> {
        match self.spelling_index(name) {
            Some(spelling) => self.verdict_of(spelling),
            None => NameVerdict::Unseen,
        }
    }

    /// The index of `name` (exactly as written in a record) among the spellings, if the
    /// tally held it: a writer can then keep per-spelling work in a table by index.
    pub fn spelling_index(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// The index of the spelling of the input's `record`-th record (0-based, every record
    /// counted as the tally counted them), which holds `name`: read from the tally's
    /// order when it kept one and it agrees, else found by text as
    /// [`Dedupe::spelling_index`] finds it. The same answer, without hashing the name
    /// again for each of millions of records.
    pub fn record_spelling(&self, record: usize, name: &str) -> Option<u32> {
        match self.record_spellings.get(record) {
            Some(&spelling) if self.texts.get(spelling as usize).is_some_and(|text| text.as_ref() == name) => {
                Some(spelling)
            }
            _ => self.spelling_index(name),
        }
    }

    /// What the spelling at `spelling` (below [`Dedupe::spelling_count`]) was labelled.
    pub fn verdict_of(&self, spelling: u32) -> NameVerdict<'_> {
        let Some(verdict) = self.verdicts.get(spelling as usize) else {
            return NameVerdict::Unseen;
        };
        match verdict {
            Verdict::Rejected(error) => NameVerdict::Rejected(error),
            Verdict::Known { entity, score } => {
                let (id, name) = &self.known[*entity as usize];
                NameVerdict::Labelled(Label { entity_id: id, entity_name: name, kind: MatchKind::Known, score: *score })
            }
            Verdict::Unknown { node } => match self.clustering.placement.get(*node as usize) {
                Some(&(cluster, score)) => {
                    let cluster = &self.clustering.clusters[cluster as usize];
                    let kind = if cluster.members.len() > 1 { MatchKind::Clustered } else { MatchKind::Singleton };
                    let name = self.representative(cluster.centre);
                    NameVerdict::Labelled(Label { entity_id: &cluster.id, entity_name: name, kind, score })
                }
                None => NameVerdict::Unseen,
            },
        }
    }

    /// How many distinct spellings were labelled (or rejected).
    pub fn spelling_count(&self) -> usize {
        self.texts.len()
    }

    /// The clusters of unknown names (singletons included), in the order they were formed.
    pub fn clusters(&self) -> &[Cluster] {
        &self.clustering.clusters
    }

    /// The unknown nodes (one per strict key) the clusters' members index into.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The text of a spelling index held by a node.
    pub fn spelling(&self, spelling: u32) -> &str {
        &self.texts[spelling as usize]
    }

    /// How many records hold a spelling.
    pub fn spelling_records(&self, spelling: u32) -> u64 {
        self.counts[spelling as usize]
    }

    /// A node's score with its cluster's centre (1 for a centre).
    pub fn member_score(&self, node: u32) -> f64 {
        self.clustering.placement.get(node as usize).map_or(0.0, |p| p.1)
    }

    /// A node's most frequent spelling.
    pub fn representative(&self, node: u32) -> &str {
        self.spelling(self.nodes[node as usize].representative)
    }
}

/// Groups unknown spellings by strict key; nodes come out in key order.
fn group_nodes(mut unknown: Vec<UnknownKey>, counts: &[u64]) -> Vec<Node> {
    unknown.par_sort_unstable_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut nodes: Vec<Node> = Vec::new();
    for (spelling, key, in_table) in unknown {
        let count = counts[spelling as usize];
        match nodes.last_mut() {
            Some(node) if node.key == key => {
                node.spellings.push(spelling);
                node.records += count;
                node.in_table |= in_table;
                if count > counts[node.representative as usize] {
                    node.representative = spelling;
                }
            }
            _ => {
                nodes.push(Node { key, spellings: vec![spelling], representative: spelling, records: count, in_table })
            }
        }
    }
    nodes
}
