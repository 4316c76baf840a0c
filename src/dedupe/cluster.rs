//! Clustering unknown names: nodes (one per strict key) in, clusters out.
//!
//! 1. **Blocking by the index**: the nodes' representative spellings become a throwaway
//!    alias table (one entity per node; a person when written "FAMILY, Given", so the
//!    scorer's rules for people's names apply), indexed by a [`Matcher`] with the default
//!    configuration; each node asks [`Matcher::similar`] for its `k` best-scored
//!    neighbours (through [`Matcher::similar_with_lookalikes`]: the same answers, with
//!    each word's look-alikes found once for all nodes). Only those pairs are ever
//!    scored: no all-pairs comparison.
//! 2. **Edges**: a pair's score is the best of the two directions; pairs scoring at least
//!    the member floor are kept, those reaching the link threshold are links.
//! 3. **Average link** (the default): clusters merge, best first, while the average score
//!    over all their cross pairs (0 for a pair the graph lacks) reaches the link
//!    threshold. Then **bridging**: two clusters with a strong link across them (the
//!    bridge link) are joined when every cross pair scores at least the bridge floor,
//!    pairs the graph lacks scored directly. Neither step lets a chain A~B~C with A far
//!    from C end in one cluster.
//! 4. Or **centre-link with a complete-link guard**: nodes are visited most records first
//!    (then most links, then by key); each node not yet taken becomes a centre and takes,
//!    best score first, its linked neighbours not yet taken, each only when it also
//!    scores at least the member floor with every member already taken. A chain A~B~C
//!    with A far from C therefore never ends in one cluster.
//!
//! It never merges two clusters without a scored link between them, and its result
//! depends only on the set of nodes, never on input order or thread timing.

use std::sync::Arc;

use rayon::prelude::*;

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::{cluster_id, DedupeConfig, Linkage, Progress, NAMES_PER_JOB};
use crate::aliases::{AliasTable, Entity, EntityType, Equivalence, Location, Name};
use crate::matcher::{AnalyzedName, FloorNeighbours, MatchConfig, Matcher};

/// A group of unknown spellings sharing one strict key.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The strict key (`normalize::normalize`) the spellings share.
    pub key: String,
    /// Indexes of the spellings, in text order.
    pub spellings: Vec<u32>,
    /// The most frequent spelling (the first in text order among equals).
    pub representative: u32,
    /// Records holding any of the spellings.
    pub records: u64,
    /// The known table holds this key too (a name it shares between entities), so a
    /// suggestion must not propose it again.
    pub in_table: bool,
}

/// One cluster of nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// `new:` and a hash of the centre's key: stable for a given centre.
    pub id: String,
    /// The centre node.
    pub centre: u32,
    /// The member nodes: the centre first, then as they joined (best score first).
    pub members: Vec<u32>,
    /// Records held by all members.
    pub records: u64,
}

/// Every node's cluster and its score with the centre.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clustering {
    /// The clusters, in the order their centres were visited.
    pub clusters: Vec<Cluster>,
    /// For each node: its cluster's index and its score with the centre (1 for centres).
    pub placement: Vec<(u32, f64)>,
}

/// Scored pairs around each node, sorted by neighbour, each pair in both lists.
struct Graph {
    neighbours: Vec<Vec<(u32, f64)>>,
    /// The node's own neighbourhood query hit the `k` limit: pairs may be missing.
    truncated: Vec<bool>,
}

impl Graph {
    fn score(&self, a: u32, b: u32) -> Option<f64> {
        let list = &self.neighbours[a as usize];
        list.binary_search_by_key(&b, |&(n, _)| n).ok().map(|i| list[i].1)
    }
}

/// Clusters `nodes`, whose spellings are `texts`, with the curated `equivalences` of the
/// known table (so that the same words are equal here as in resolve). `analyses` holds
/// each node's representative analysed (`None`, or missing: it is analysed here); the
/// neighbour search consumes them.
pub fn cluster_nodes(
    nodes: &[Node],
    texts: &[Box<str>],
    analyses: Vec<Option<AnalyzedName>>,
    equivalences: &[Equivalence],
    config: &DedupeConfig,
    progress: &dyn Progress,
) -> Clustering {
    if nodes.is_empty() {
        return Clustering::default();
    }
    progress.start("indexing unknown names", nodes.len() as u64);
    let matcher = node_matcher(nodes, texts, &analyses, equivalences);
    progress.start("scoring neighbours", nodes.len() as u64);
    let graph = neighbour_graph(&matcher, nodes, texts, analyses, config, progress);
    progress.start("clustering", nodes.len() as u64);
    match config.linkage {
        Linkage::Centre => centre_link(&matcher, nodes, texts, &graph, config),
        Linkage::Average => average_link(&matcher, nodes, texts, &graph, config),
    }
}

/// A matcher whose entities are the nodes: entity id = node index. The representatives
/// already analysed are not analysed again.
fn node_matcher(
    nodes: &[Node],
    texts: &[Box<str>],
    analyses: &[Option<AnalyzedName>],
    equivalences: &[Equivalence],
) -> Matcher {
    let entities: Vec<Entity> = nodes
        .par_iter()
        .enumerate()
        .map(|(index, node)| Entity {
            id: index.to_string(),
            // Unknown names have no type; one written as a person's is scored as one.
            kind: match analyses.get(index) {
                Some(Some(analyzed)) if analyzed.written_as_person() => EntityType::Person,
                _ => EntityType::Other,
            },
            name: Name::plain(texts[node.representative as usize].as_ref(), Location::line(String::new(), 0)),
            aliases: Vec::new(),
            wikidata: None,
            note: None,
            location: Location::line(String::new(), 0),
        })
        .collect();
    let table = AliasTable::new(entities, equivalences.to_vec(), String::new());
    Matcher::with_primary_analyses(Arc::new(table), MatchConfig::default(), analyses)
}

fn neighbour_graph(
    matcher: &Matcher,
    nodes: &[Node],
    texts: &[Box<str>],
    mut analyses: Vec<Option<AnalyzedName>>,
    config: &DedupeConfig,
    progress: &dyn Progress,
) -> Graph {
    let limit = config.neighbours + 1;
    // The representatives share most of their words: each word's look-alikes are found
    // once, not once per name holding it.
    let lookalikes = matcher.word_lookalikes(analyses.par_iter().flatten());
    analyses.resize_with(nodes.len(), || None);
    // Each analysis goes to its search, which consumes it: copying it there and freeing
    // it after the clustering cost about 1% of a 10 M run.
    let found: Vec<(Vec<(u32, f64)>, bool)> = nodes
        .par_iter()
        .zip(analyses)
        .enumerate()
        .with_min_len(64)
        .with_max_len(NAMES_PER_JOB)
        .map(|(index, (node, analyzed))| {
            let text = &texts[node.representative as usize];
            // Entity `n` of the node matcher is node `n`. Only the pairs from the floor up
            // are kept, so the search leaves unscored the names that cannot be among them.
            // A name nothing can be analysed of has no neighbours.
            let FloorNeighbours { entities, found } = match analyzed.or_else(|| AnalyzedName::new(text).ok()) {
                Some(analyzed) => {
                    matcher.similar_entities_from(text, analyzed, limit, config.member_floor, &lookalikes)
                }
                None => FloorNeighbours { entities: Vec::new(), found: 0 },
            };
            let truncated = found >= limit;
            // Collected afresh, not in place: a list sized for `limit` pairs, kept per
            // node, held about 100 MiB more at 10 M records than one sized by growth.
            let pairs = entities.iter().copied().filter(|&(n, _)| n as usize != index).collect();
            progress.advance(1);
            (pairs, truncated)
        })
        .collect();
    let truncated = found.iter().map(|(_, t)| *t).collect();
    let mut neighbours = with_reverse_pairs(found.into_iter().map(|(pairs, _)| pairs).collect());
    neighbours.par_iter_mut().for_each(best_per_neighbour);
    Graph { neighbours, truncated }
}

/// Each node's pairs, followed by the pairs of the nodes that found it (as (that node,
/// score)): every pair in both lists. Each list is sized for all of them first (on all
/// cores), so the pairs found from the other side land without growing a million lists
/// one push at a time. (Only a node's own pairs are turned round: turning round those it
/// was given too, as before, only added copies of pairs already in the list, which
/// [`best_per_neighbour`] removes.)
fn with_reverse_pairs(mut neighbours: Vec<Vec<(u32, f64)>>) -> Vec<Vec<(u32, f64)>> {
    let own: Vec<u32> = neighbours.iter().map(|list| list.len() as u32).collect();
    let mut found_by = vec![0u32; neighbours.len()];
    for list in &neighbours {
        for &(other, _) in list {
            found_by[other as usize] += 1;
        }
    }
    neighbours
        .par_iter_mut()
        .zip(found_by.par_iter())
        .with_min_len(1024)
        .for_each(|(list, &extra)| list.reserve_exact(extra as usize));
    for (index, &own) in own.iter().enumerate() {
        for position in 0..own as usize {
            let (other, score) = neighbours[index][position];
            neighbours[other as usize].push((index as u32, score));
        }
    }
    neighbours
}

/// Sorts by neighbour and keeps each neighbour's best score.
fn best_per_neighbour(list: &mut Vec<(u32, f64)>) {
    list.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    list.dedup_by_key(|&mut (n, _)| n);
}

/// The order centres are chosen in: most records, most links, then by key.
fn centre_order(nodes: &[Node], graph: &Graph, config: &DedupeConfig) -> Vec<u32> {
    let links = |i: usize| graph.neighbours[i].iter().filter(|&&(_, s)| s >= config.link_threshold).count();
    let mut order: Vec<(u64, usize, u32)> = (0..nodes.len()).map(|i| (nodes[i].records, links(i), i as u32)).collect();
    // Node indexes follow key order, so the index breaks ties by key.
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    order.into_iter().map(|(_, _, i)| i).collect()
}

fn centre_link(
    matcher: &Matcher,
    nodes: &[Node],
    texts: &[Box<str>],
    graph: &Graph,
    config: &DedupeConfig,
) -> Clustering {
    const UNPLACED: u32 = u32::MAX;
    let mut placement: Vec<(u32, f64)> = vec![(UNPLACED, 0.0); nodes.len()];
    let mut clusters: Vec<Cluster> = Vec::new();
    for centre in centre_order(nodes, graph, config) {
        if placement[centre as usize].0 != UNPLACED {
            continue;
        }
        let cluster_index = clusters.len() as u32;
        placement[centre as usize] = (cluster_index, 1.0);
        let mut members = vec![centre];
        let mut linked: Vec<(u32, f64)> = graph.neighbours[centre as usize]
            .iter()
            .copied()
            .filter(|&(n, s)| s >= config.link_threshold && placement[n as usize].0 == UNPLACED)
            .collect();
        linked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (candidate, score) in linked {
            let fits = members[1..]
                .iter()
                .all(|&member| pair_score(matcher, nodes, texts, graph, member, candidate) >= config.member_floor);
            if fits {
                placement[candidate as usize] = (cluster_index, score);
                members.push(candidate);
            }
        }
        let records = members.iter().map(|&m| nodes[m as usize].records).sum();
        clusters.push(Cluster { id: cluster_id(&nodes[centre as usize].key), centre, members, records });
    }
    Clustering { clusters, placement }
}

/// The pair's score from the graph; when both neighbourhoods were cut at `k` the pair
/// may have been cut off, so it is scored directly.
fn pair_score(matcher: &Matcher, nodes: &[Node], texts: &[Box<str>], graph: &Graph, a: u32, b: u32) -> f64 {
    if let Some(score) = graph.score(a, b) {
        return score;
    }
    if !(graph.truncated[a as usize] && graph.truncated[b as usize]) {
        return 0.0;
    }
    let text = |n: u32| texts[nodes[n as usize].representative as usize].as_ref();
    let (left, right) = if a < b { (text(a), text(b)) } else { (text(b), text(a)) };
    matcher.compare(left, right, None).map_or(0.0, |c| c.score)
}

/// Average-link agglomeration over the sparse graph: the two clusters with the highest
/// average pair score merge first, while that average reaches the link threshold. A pair
/// the graph does not hold scores 0, so a chain A~B~C with A far from C averages about
/// half a link between {A, B} and C and does not merge.
fn average_link(
    matcher: &Matcher,
    nodes: &[Node],
    texts: &[Box<str>],
    graph: &Graph,
    config: &DedupeConfig,
) -> Clustering {
    // Two clusters merge only when their average reaches the bar, so only when some
    // pair across them does: the nodes linked by such pairs (directly or not) are
    // merged apart from all others, as many parts at once as there are cores. Each part
    // merges in the order the whole did (its candidates compare as before, with its
    // nodes numbered in the same order), so the clusters are the same.
    let parts = linked_parts(graph, config.link_threshold);
    // A bridge joins two clusters through a pair scoring at least the bridge link; when
    // that is not below the parts' bar, both ends are in one part, and each part's
    // bridges are built with its merges (strongest first, as over all the nodes).
    let bridged_in_parts = config.bridge_link >= config.link_threshold - PART_SLACK;
    let merged: Vec<Vec<Vec<u32>>> = parts
        .nodes
        .par_iter()
        .map(|part| {
            let mut members = merge_part(graph, &parts, part, config.link_threshold);
            if bridged_in_parts {
                bridge_part(matcher, nodes, texts, graph, config, &parts, part, &mut members);
            }
            members
        })
        .collect();
    // Each node's cluster, by node id (empty when merged into another).
    let mut clusters: Vec<Vec<u32>> = (0..nodes.len() as u32).map(|node| vec![node]).collect();
    for (part, members) in parts.nodes.iter().zip(merged) {
        for (&node, members) in part.iter().zip(members) {
            clusters[node as usize] = members;
        }
    }
    if !bridged_in_parts {
        bridge(matcher, nodes, texts, graph, config, &mut clusters);
    }
    clustering_from_groups(matcher, nodes, texts, graph, clusters)
}

/// The nodes linked, directly or through others, by pairs that may lead to a merge.
struct LinkedParts {
    /// Each part's nodes, in node order (nodes with no such pair are in none).
    nodes: Vec<Vec<u32>>,
    /// Each node's part, or [`NO_PART`].
    part_of: Vec<u32>,
    /// Each node's position in its part.
    position: Vec<u32>,
}

const NO_PART: u32 = u32::MAX;

/// Below the link threshold by more than the rounding of any average of scores: pairs
/// scoring less can never make two clusters' average reach the threshold, even summed
/// in floating point, so parts joined by this much less are still merged apart.
const PART_SLACK: f64 = 1e-9;

/// The parts of the graph joined by pairs scoring at least `threshold` (less
/// [`PART_SLACK`]): no cluster average can reach the threshold across two parts.
fn linked_parts(graph: &Graph, threshold: f64) -> LinkedParts {
    let count = graph.neighbours.len();
    let mut parent: Vec<u32> = (0..count as u32).collect();
    fn root(parent: &mut [u32], mut node: u32) -> u32 {
        while parent[node as usize] != node {
            let up = parent[parent[node as usize] as usize];
            parent[node as usize] = up;
            node = up;
        }
        node
    }
    let mut linked = vec![false; count];
    for (a, list) in graph.neighbours.iter().enumerate() {
        for &(b, score) in list {
            if score >= threshold - PART_SLACK {
                let (root_a, root_b) = (root(&mut parent, a as u32), root(&mut parent, b));
                parent[root_a.max(root_b) as usize] = root_a.min(root_b);
                (linked[a], linked[b as usize]) = (true, true);
            }
        }
    }
    let mut parts = LinkedParts { nodes: Vec::new(), part_of: vec![NO_PART; count], position: vec![0; count] };
    for node in 0..count as u32 {
        if !linked[node as usize] {
            continue;
        }
        let top = root(&mut parent, node);
        if parts.part_of[top as usize] == NO_PART {
            parts.part_of[top as usize] = parts.nodes.len() as u32;
            parts.nodes.push(Vec::new());
        }
        let part = parts.part_of[top as usize];
        parts.part_of[node as usize] = part;
        let nodes = &mut parts.nodes[part as usize];
        parts.position[node as usize] = nodes.len() as u32;
        nodes.push(node);
    }
    parts
}

/// Average link over one part's nodes (`part`, in node order): each of them (in that
/// order) with the nodes of the cluster it kept, empty when it was merged into another.
fn merge_part(graph: &Graph, parts: &LinkedParts, part: &[u32], threshold: f64) -> Vec<Vec<u32>> {
    let this = parts.part_of[part[0] as usize];
    // Numbered by position in the part, which keeps the nodes' order: candidates compare,
    // and merges keep the lower id, as they did over all the nodes.
    let mut groups: Vec<Group> = part
        .iter()
        .enumerate()
        .map(|(position, &node)| Group {
            members: vec![position as u32],
            links: graph.neighbours[node as usize]
                .iter()
                .filter(|&&(other, _)| parts.part_of[other as usize] == this)
                .map(|&(other, score)| (parts.position[other as usize], score))
                .collect(),
            version: 0,
        })
        .collect();
    let mut heap: BinaryHeap<MergeCandidate> = BinaryHeap::new();
    for (a, group) in groups.iter().enumerate() {
        for &(b, score) in &group.links {
            if (a as u32) < b && score >= threshold {
                heap.push(MergeCandidate::new(score, a as u32, b, 0, 0));
            }
        }
    }
    while let Some(candidate) = heap.pop() {
        let (a, b) = (candidate.pair.0 .0, candidate.pair.1 .0);
        if !candidate.is_current(&groups) {
            continue;
        }
        let (kept, absorbed) = merge(&mut groups, a, b);
        let kept_size = groups[kept as usize].members.len() as f64;
        let version = groups[kept as usize].version;
        for &(other, sum) in &groups[kept as usize].links {
            let average = sum / (kept_size * groups[other as usize].members.len() as f64);
            if average >= threshold {
                let other_version = groups[other as usize].version;
                heap.push(MergeCandidate::ordered(average, (kept, version), (other, other_version)));
            }
        }
        debug_assert!(groups[absorbed as usize].members.is_empty());
    }
    groups.into_iter().map(|group| group.members.iter().map(|&position| part[position as usize]).collect()).collect()
}

/// [`bridge`] within one part: `members` holds the clusters of the part's nodes after
/// average link (by position in the part; empty when merged away), in node ids. Only
/// for a bridge link not below the parts' bar: then every strong link lies in a part.
#[allow(clippy::too_many_arguments)]
fn bridge_part(
    matcher: &Matcher,
    nodes: &[Node],
    texts: &[Box<str>],
    graph: &Graph,
    config: &DedupeConfig,
    parts: &LinkedParts,
    part: &[u32],
    members: &mut [Vec<u32>],
) {
    let links = strong_links(graph, part.iter().copied(), config.bridge_link);
    let position = |node: u32| parts.position[node as usize] as usize;
    join_bridged(matcher, nodes, texts, graph, config, links, position, members);
}

/// How many pairs the graph lacks may be scored directly to check one bridge: joining
/// two large clusters the index saw few links between is not worth the cost (nor, often,
/// right), so such a bridge is left unbuilt.
const BRIDGE_DIRECT_PAIRS: usize = 64;

/// Joins the clusters that one strong link holds together when no pair across them is
/// far apart: the links of a large entity's varied names (short forms, long forms,
/// other spellings) average below the bar, yet none of them is unlike the others.
/// Strongest links first; a bridge that fails never succeeds later, since clusters only
/// grow, so one pass is enough.
fn bridge(
    matcher: &Matcher,
    nodes: &[Node],
    texts: &[Box<str>],
    graph: &Graph,
    config: &DedupeConfig,
    clusters: &mut [Vec<u32>],
) {
    let links = strong_links(graph, 0..nodes.len() as u32, config.bridge_link);
    join_bridged(matcher, nodes, texts, graph, config, links, |node| node as usize, clusters);
}

/// Joins clusters along `links` (strongest first), each time no pair across the two
/// scores below the bridge floor. `members[i]` is the cluster kept by the node at
/// position `i` (empty when merged away), a node's position given by `position`; the
/// cluster with the lower position keeps both.
#[allow(clippy::too_many_arguments)]
fn join_bridged(
    matcher: &Matcher,
    nodes: &[Node],
    texts: &[Box<str>],
    graph: &Graph,
    config: &DedupeConfig,
    links: Vec<(f64, u32, u32)>,
    position: impl Fn(u32) -> usize,
    members: &mut [Vec<u32>],
) {
    if links.is_empty() {
        return;
    }
    let mut group_of = vec![0u32; members.len()];
    for (group, list) in members.iter().enumerate() {
        for &member in list {
            group_of[position(member)] = group as u32;
        }
    }
    for (_, a, b) in links {
        let (group_a, group_b) = (group_of[position(a)], group_of[position(b)]);
        if group_a == group_b {
            continue;
        }
        let (left, right) = (&members[group_a as usize], &members[group_b as usize]);
        if !no_pair_below(matcher, nodes, texts, graph, left, right, config.bridge_floor) {
            continue;
        }
        let (kept, absorbed) = (group_a.min(group_b), group_a.max(group_b));
        let moved = std::mem::take(&mut members[absorbed as usize]);
        for &member in &moved {
            group_of[position(member)] = kept;
        }
        members[kept as usize].extend(moved);
    }
}

/// The graph's pairs scoring at least `link` from `from` to a later node, strongest
/// first, then by node.
fn strong_links(graph: &Graph, from: impl Iterator<Item = u32>, link: f64) -> Vec<(f64, u32, u32)> {
    let mut links: Vec<(f64, u32, u32)> = Vec::new();
    for a in from {
        let list = &graph.neighbours[a as usize];
        links.extend(list.iter().filter(|&&(b, score)| a < b && score >= link).map(|&(b, score)| (score, a, b)));
    }
    links.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    links
}

/// Whether every pair across the two member lists scores at least `floor`; pairs the
/// graph lacks are scored directly, at most [`BRIDGE_DIRECT_PAIRS`] of them (beyond, no).
fn no_pair_below(
    matcher: &Matcher,
    nodes: &[Node],
    texts: &[Box<str>],
    graph: &Graph,
    left: &[u32],
    right: &[u32],
    floor: f64,
) -> bool {
    let mut direct = 0;
    for &a in left {
        for &b in right {
            let score = match graph.score(a, b) {
                Some(score) => score,
                None if direct < BRIDGE_DIRECT_PAIRS => {
                    direct += 1;
                    direct_score(matcher, nodes, texts, a, b)
                }
                None => return false,
            };
            if score < floor {
                return false;
            }
        }
    }
    true
}

/// A cluster being formed: its nodes and the summed pair scores to each linked cluster.
struct Group {
    members: Vec<u32>,
    links: Vec<(u32, f64)>,
    version: u32,
}

/// Two clusters that may merge, best average first, then lowest ids.
#[derive(Debug, PartialEq)]
struct MergeCandidate {
    average: f64,
    pair: ((u32, u32), (u32, u32)),
}

impl MergeCandidate {
    fn new(average: f64, a: u32, b: u32, version_a: u32, version_b: u32) -> Self {
        MergeCandidate { average, pair: ((a, version_a), (b, version_b)) }
    }

    fn ordered(average: f64, a: (u32, u32), b: (u32, u32)) -> Self {
        if a.0 < b.0 {
            MergeCandidate { average, pair: (a, b) }
        } else {
            MergeCandidate { average, pair: (b, a) }
        }
    }

    fn is_current(&self, groups: &[Group]) -> bool {
        let current = |(id, version): (u32, u32)| {
            let group = &groups[id as usize];
            !group.members.is_empty() && group.version == version
        };
        current(self.pair.0) && current(self.pair.1)
    }
}

impl Eq for MergeCandidate {}

impl Ord for MergeCandidate {
    fn cmp(&self, other: &Self) -> Ordering {
        let ids = |c: &MergeCandidate| Reverse((c.pair.0 .0, c.pair.1 .0));
        self.average.total_cmp(&other.average).then_with(|| ids(self).cmp(&ids(other)))
    }
}

impl PartialOrd for MergeCandidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Merges two groups into the one with the lower id; returns (kept, absorbed).
fn merge(groups: &mut [Group], a: u32, b: u32) -> (u32, u32) {
    let (kept, absorbed) = if a < b { (a, b) } else { (b, a) };
    let absorbed_group =
        std::mem::replace(&mut groups[absorbed as usize], Group { members: Vec::new(), links: Vec::new(), version: 0 });
    for &(other, sum) in &absorbed_group.links {
        if other == kept {
            continue;
        }
        add_link(&mut groups[kept as usize].links, other, sum);
        let other_links = &mut groups[other as usize].links;
        other_links.retain(|&(n, _)| n != absorbed);
        add_link(other_links, kept, sum);
    }
    let kept_group = &mut groups[kept as usize];
    kept_group.links.retain(|&(n, _)| n != absorbed);
    kept_group.members.extend(absorbed_group.members);
    kept_group.version += 1;
    (kept, absorbed)
}

fn add_link(links: &mut Vec<(u32, f64)>, other: u32, sum: f64) {
    match links.iter_mut().find(|(n, _)| *n == other) {
        Some(link) => link.1 += sum,
        None => links.push((other, sum)),
    }
}

/// Each group of members (empty ones skipped) becomes a cluster whose centre is its
/// member with the most records (then the most links inside the cluster, then the first
/// key); members score against it.
fn clustering_from_groups(
    matcher: &Matcher,
    nodes: &[Node],
    texts: &[Box<str>],
    graph: &Graph,
    groups: Vec<Vec<u32>>,
) -> Clustering {
    // Each cluster is made on its own (on all cores), then numbered in group order.
    let clusters: Vec<(Cluster, Vec<f64>)> = groups
        .into_par_iter()
        .with_min_len(256)
        .with_max_len(NAMES_PER_JOB)
        .filter(|members| !members.is_empty())
        .map(|members| cluster_of_group(matcher, nodes, texts, graph, &members))
        .collect();
    let mut placement: Vec<(u32, f64)> = vec![(0, 0.0); nodes.len()];
    for (cluster_index, (cluster, scores)) in clusters.iter().enumerate() {
        for (&member, &score) in cluster.members.iter().zip(scores) {
            placement[member as usize] = (cluster_index as u32, score);
        }
    }
    Clustering { clusters: clusters.into_iter().map(|(cluster, _)| cluster).collect(), placement }
}

/// One group's cluster: its centre is the member with the most records (then the most
/// links inside the cluster, then the first key); with each member's score against it.
fn cluster_of_group(
    matcher: &Matcher,
    nodes: &[Node],
    texts: &[Box<str>],
    graph: &Graph,
    members: &[u32],
) -> (Cluster, Vec<f64>) {
    let inside = |node: u32| members.iter().filter(|&&m| graph.score(node, m).is_some()).count();
    let mut ranked: Vec<(u64, usize, u32)> =
        members.iter().map(|&m| (nodes[m as usize].records, inside(m), m)).collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let centre = ranked[0].2;
    let members: Vec<u32> = ranked.iter().map(|r| r.2).collect();
    let scores = members
        .iter()
        .map(|&member| {
            if member == centre {
                1.0
            } else {
                graph.score(centre, member).unwrap_or_else(|| direct_score(matcher, nodes, texts, centre, member))
            }
        })
        .collect();
    let records = members.iter().map(|&m| nodes[m as usize].records).sum();
    (Cluster { id: cluster_id(&nodes[centre as usize].key), centre, members, records }, scores)
}

fn direct_score(matcher: &Matcher, nodes: &[Node], texts: &[Box<str>], a: u32, b: u32) -> f64 {
    let text = |n: u32| texts[nodes[n as usize].representative as usize].as_ref();
    let (left, right) = if a < b { (text(a), text(b)) } else { (text(b), text(a)) };
    matcher.compare(left, right, None).map_or(0.0, |c| c.score)
}
