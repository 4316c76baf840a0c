//! Clustering quality of `dedupe` against a labelled set of names.
//!
//! In: an entities file (`{"id","type","name","aliases"}` a line) and a queries file
//! (`{"query","expected",...}` a line). Every name of every entity, and every query whose
//! expected id is not null, becomes one record labelled with its true entity; the records
//! are shuffled (fixed seed) into one JSONL file and run through the dedupe pipeline
//! (pass 1, labelling, pass 2) exactly as `canonym dedupe` runs it. Out: B-cubed and
//! pairwise precision, recall and F1 of the labels against the true grouping.
//!
//! Without `--table` the alias table is empty, so every name is clustered. With `--table`
//! the entities file is loaded as the table and the run also checks that every name
//! labelled `known` got exactly the entity `resolve` gives it.
//!
//! ```text
//! cargo run --release --example cluster_eval -- ENTITIES QUERIES [--table] [--neighbours K] [--floor F] [--link T] [--bridge-link B] [--bridge-floor F] [--centre] [--dump OUT] [--ceiling]
//! ```
//! It writes only to a temporary directory and never changes the data it reads.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use canonym::aliases::{self, AliasTable};
use canonym::dedupe::{self, records, DedupeConfig, Format};
use canonym::matcher::{MatchConfig, Matcher, Outcome, Query};
use serde_json::Value;

struct Options {
    entities: PathBuf,
    queries: PathBuf,
    with_table: bool,
    dump: Option<PathBuf>,
    ceiling: bool,
    config: DedupeConfig,
}

fn main() -> anyhow::Result<()> {
    let options = parse_args()?;
    let items = labelled_names(&options.entities, &options.queries)?;
    let matcher = if options.with_table {
        let loaded = aliases::load_paths(std::slice::from_ref(&options.entities))
            .map_err(|e| anyhow::anyhow!("the table has {} error(s)", e.error_count()))?;
        Matcher::new(Arc::new(loaded.table), MatchConfig::default())
    } else {
        Matcher::new(Arc::new(AliasTable::default()), MatchConfig::default())
    };
    let directory = tempfile::tempdir()?;
    let input = directory.path().join("names.jsonl");
    write_shuffled(&input, &items)?;
    let started = std::time::Instant::now();
    let tally = records::tally(File::open(&input)?, Format::Jsonl, "name", &|_| {})?;
    let labels = dedupe::dedupe(&matcher, tally, &options.config, &());
    let output = directory.path().join("labelled.jsonl");
    let summary =
        records::label_records(File::open(&input)?, File::create(&output)?, Format::Jsonl, "name", &labels, &|_| {})?;
    let elapsed = started.elapsed();
    if let Some(dump) = &options.dump {
        std::fs::copy(&output, dump)?;
    }
    let rows = read_labelled(&output)?;
    println!(
        "names: {}  entities: {}  known: {}  clustered: {}  singleton: {}  errors: {}  ({:.2}s)",
        summary.records,
        count_distinct(rows.iter().map(|r| r.truth.as_str())),
        summary.known,
        summary.clustered,
        summary.singleton,
        summary.errors,
        elapsed.as_secs_f64()
    );
    println!(
        "config: neighbours {}  link {}  floor {}  linkage {:?}  bridge link {} floor {}",
        options.config.neighbours,
        options.config.link_threshold,
        options.config.member_floor,
        options.config.linkage,
        options.config.bridge_link,
        options.config.bridge_floor
    );
    let predicted: Vec<&str> = rows.iter().map(|r| r.predicted.as_str()).collect();
    let truth: Vec<&str> = rows.iter().map(|r| r.truth.as_str()).collect();
    print_scores("dedupe", &truth, &predicted);
    let alone: Vec<String> = (0..rows.len()).map(|i| i.to_string()).collect();
    print_scores("every name alone", &truth, &alone.iter().map(String::as_str).collect::<Vec<_>>());
    if options.with_table {
        check_known_against_resolve(&matcher, &rows);
    }
    if options.ceiling {
        print_recall_ceiling(&matcher, &rows);
    }
    Ok(())
}

fn parse_args() -> anyhow::Result<Options> {
    let usage = "usage: cluster_eval ENTITIES QUERIES [--table] [--neighbours K] [--floor F] [--link T] [--bridge-link B] [--bridge-floor F] [--centre] [--dump OUT] [--ceiling]";
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    let mut options = Options {
        entities: PathBuf::new(),
        queries: PathBuf::new(),
        with_table: false,
        dump: None,
        ceiling: false,
        config: DedupeConfig::default(),
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value; {usage}"));
        match arg.as_str() {
            "--table" => options.with_table = true,
            "--neighbours" => options.config.neighbours = value("--neighbours")?.parse()?,
            "--floor" => options.config.member_floor = value("--floor")?.parse()?,
            "--link" => options.config.link_threshold = value("--link")?.parse()?,
            "--bridge-link" => options.config.bridge_link = value("--bridge-link")?.parse()?,
            "--bridge-floor" => options.config.bridge_floor = value("--bridge-floor")?.parse()?,
            "--dump" => options.dump = Some(PathBuf::from(value("--dump")?)),
            "--centre" => options.config.linkage = dedupe::Linkage::Centre,
            "--ceiling" => options.ceiling = true,
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let [entities, queries] = <[PathBuf; 2]>::try_from(paths).map_err(|_| anyhow::anyhow!(usage))?;
    options.entities = entities;
    options.queries = queries;
    Ok(options)
}

/// (name, true entity id), each pair once.
fn labelled_names(entities: &Path, queries: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut items = Vec::new();
    for (line, entity) in json_lines(entities)? {
        let id = entity["id"].as_str().with_context(|| format!("{}:{line}: no id", entities.display()))?;
        let names = std::iter::once(&entity["name"]).chain(entity["aliases"].as_array().into_iter().flatten());
        items.extend(names.filter_map(Value::as_str).map(|name| (name.to_string(), id.to_string())));
    }
    for (_, query) in json_lines(queries)? {
        if let (Some(name), Some(expected)) = (query["query"].as_str(), query["expected"].as_str()) {
            items.push((name.to_string(), expected.to_string()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
    Ok(items)
}

fn json_lines(path: &Path) -> anyhow::Result<Vec<(usize, Value)>> {
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut values = Vec::new();
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let value = serde_json::from_str(&line).with_context(|| format!("{}:{}", path.display(), index + 1))?;
        values.push((index + 1, value));
    }
    Ok(values)
}

/// A deterministic shuffle (xorshift64*, fixed seed), one `{"name","truth"}` a line.
fn write_shuffled(path: &Path, items: &[(String, String)]) -> anyhow::Result<()> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..order.len()).rev() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let j = (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let mut output = BufWriter::new(File::create(path)?);
    for i in order {
        let (name, truth) = &items[i];
        writeln!(output, "{}", serde_json::json!({ "name": name, "truth": truth }))?;
    }
    output.flush()?;
    Ok(())
}

struct Row {
    name: String,
    truth: String,
    predicted: String,
    kind: String,
}

fn read_labelled(path: &Path) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for (line, value) in json_lines(path)? {
        let field = |key: &str| value[key].as_str().unwrap_or_default().to_string();
        let mut predicted = field("entity_id");
        if predicted.is_empty() {
            // An error row stands alone.
            predicted = format!("error:{line}");
        }
        rows.push(Row { name: field("name"), truth: field("truth"), predicted, kind: field("match") });
    }
    Ok(rows)
}

fn count_distinct<'a>(labels: impl Iterator<Item = &'a str>) -> usize {
    labels.collect::<std::collections::HashSet<_>>().len()
}

/// B-cubed and pairwise precision/recall/F1 of `predicted` against `truth`.
fn print_scores(title: &str, truth: &[&str], predicted: &[&str]) {
    let mut joint: HashMap<(&str, &str), f64> = HashMap::new();
    let mut truth_sizes: HashMap<&str, f64> = HashMap::new();
    let mut predicted_sizes: HashMap<&str, f64> = HashMap::new();
    for (&t, &p) in truth.iter().zip(predicted) {
        *joint.entry((t, p)).or_default() += 1.0;
        *truth_sizes.entry(t).or_default() += 1.0;
        *predicted_sizes.entry(p).or_default() += 1.0;
    }
    let n = truth.len() as f64;
    let (mut precision, mut recall) = (0.0, 0.0);
    for (&(t, p), &both) in &joint {
        precision += both * both / predicted_sizes[p];
        recall += both * both / truth_sizes[t];
    }
    let (precision, recall) = (precision / n, recall / n);
    let pairs = |x: f64| x * (x - 1.0) / 2.0;
    let true_positive: f64 = joint.values().map(|&c| pairs(c)).sum();
    let predicted_pairs: f64 = predicted_sizes.values().map(|&c| pairs(c)).sum();
    let truth_pairs: f64 = truth_sizes.values().map(|&c| pairs(c)).sum();
    let ratio = |a: f64, b: f64| if b == 0.0 { 1.0 } else { a / b };
    let (pair_precision, pair_recall) = (ratio(true_positive, predicted_pairs), ratio(true_positive, truth_pairs));
    println!(
        "{title:>18}: B-cubed P {:.4} R {:.4} F1 {:.4} | pairwise P {:.4} R {:.4} F1 {:.4} | clusters {}",
        precision,
        recall,
        f1(precision, recall),
        pair_precision,
        pair_recall,
        f1(pair_precision, pair_recall),
        predicted_sizes.len()
    );
}

fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// Every `known` label must be the entity `resolve` matches; every other label must be
/// a name `resolve` does not match.
fn check_known_against_resolve(matcher: &Matcher, rows: &[Row]) {
    let (mut known, mut agree, mut known_right) = (0, 0, 0);
    for row in rows {
        let resolved = matcher.resolve(&Query::new(&row.name)).ok();
        let resolved_id = resolved
            .as_ref()
            .filter(|r| r.outcome == Outcome::Matched)
            .and_then(|r| r.best.as_ref())
            .map(|b| b.entity_id.as_str());
        let labelled_id = (row.kind == "known").then_some(row.predicted.as_str());
        known += usize::from(labelled_id.is_some());
        agree += usize::from(resolved_id == labelled_id);
        known_right += usize::from(labelled_id == Some(row.truth.as_str()));
    }
    println!(
        "with table: {known} known, {known_right} of them the true entity; \
         {agree}/{} labels agree with resolve",
        rows.len()
    );
}

/// How far better linking alone could take recall with today's pair scores: for each
/// bar, the clusters are joined along every pair of one true entity's names that the
/// clustering split and that `compare` scores at least the bar, an oracle that never
/// joins two entities. Recall at a bar is the most any linkage reaches by linking pairs
/// of at least that score; precision is left as the clustering had it.
fn print_recall_ceiling(matcher: &Matcher, rows: &[Row]) {
    let mut by_truth: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        by_truth.entry(row.truth.as_str()).or_default().push(index);
    }
    let mut split_pairs: Vec<(f64, usize, usize)> = Vec::new();
    for members in by_truth.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                if rows[a].predicted != rows[b].predicted {
                    let score = matcher.compare(&rows[a].name, &rows[b].name, None).map_or(0.0, |c| c.score);
                    split_pairs.push((score, a, b));
                }
            }
        }
    }
    let truth: Vec<&str> = rows.iter().map(|r| r.truth.as_str()).collect();
    println!("recall ceiling (oracle joins of split true pairs, {} such pairs):", split_pairs.len());
    for bar in [0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5] {
        let mut clusters = UnionFind::new(rows.iter().map(|r| r.predicted.as_str()));
        for &(score, a, b) in &split_pairs {
            if score >= bar {
                clusters.join(&rows[a].predicted, &rows[b].predicted);
            }
        }
        let joined: Vec<String> = rows.iter().map(|r| clusters.root(&r.predicted)).collect();
        print_scores(&format!("pairs >= {bar:.2}"), &truth, &joined.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

/// Clusters by label, joined by union-find.
struct UnionFind {
    parent: HashMap<String, String>,
}

impl UnionFind {
    fn new<'a>(labels: impl Iterator<Item = &'a str>) -> Self {
        UnionFind { parent: labels.map(|l| (l.to_string(), l.to_string())).collect() }
    }

    fn root(&self, label: &str) -> String {
        let mut current = label;
        while let Some(parent) = self.parent.get(current).filter(|p| p.as_str() != current) {
            current = parent;
        }
        current.to_string()
    }

    fn join(&mut self, a: &str, b: &str) {
        let (root_a, root_b) = (self.root(a), self.root(b));
        if root_a != root_b {
            self.parent.insert(root_a, root_b);
        }
    }
}
