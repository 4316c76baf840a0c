//! `canonym diff --before PATH... --after PATH... [--names FILE] [--jsonl]`: what an edit
//! of the alias files changes. In: two tables and a set of names (every name of both
//! tables plus their cases' queries, or the lines of `--names`). Out: the names whose
//! answer changed, grouped (gained, lost, changed entity, became ambiguous, ...) with
//! counts, or one JSON object per changed name. Names run on all cores. It never writes
//! a table and never judges a change: whether a change is right is the curator's call.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use serde_json::{json, Value};

use super::table::TableArgs;
use crate::aliases::Loaded;
use crate::cases::{self, Answer, Contender};
use crate::matcher::{MatchConfig, Matcher};

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The table before the edit: alias files or directories (repeatable); the built-in
    /// table when none is given.
    #[arg(long = "before", value_name = "PATH", value_delimiter = ',')]
    before: Vec<PathBuf>,
    /// The table after the edit (repeatable); the built-in table when none is given.
    #[arg(long = "after", value_name = "PATH", value_delimiter = ',')]
    after: Vec<PathBuf>,
    /// Names to resolve, one a line (e.g. yesterday's production queries), instead of
    /// every name and alias of both tables plus their cases' queries.
    #[arg(long, value_name = "FILE")]
    names: Option<PathBuf>,
    /// One JSON object per changed name on stdout (the summary goes to stderr).
    #[arg(long)]
    jsonl: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

/// How a name's answer moved. Matched -> ambiguous counts as "became ambiguous": the
/// collision of a new name with an old one is the change a curator most needs to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum ChangeKind {
    /// no_match or ambiguous -> matched.
    Gained,
    /// matched -> no_match.
    Lost,
    /// matched A -> matched B.
    ChangedEntity,
    /// matched or no_match -> ambiguous.
    BecameAmbiguous,
    /// ambiguous -> no_match.
    NoLongerAmbiguous,
    /// ambiguous -> ambiguous between other entities.
    ContendersChanged,
}

impl ChangeKind {
    const ALL: [ChangeKind; 6] = [
        ChangeKind::Gained,
        ChangeKind::Lost,
        ChangeKind::ChangedEntity,
        ChangeKind::BecameAmbiguous,
        ChangeKind::NoLongerAmbiguous,
        ChangeKind::ContendersChanged,
    ];

    /// How a name moved from `before` to `after`, or `None` when the decision is the same.
    fn between(before: &Answer, after: &Answer) -> Option<ChangeKind> {
        if before.same_decision(after) {
            return None;
        }
        match (before, after) {
            (Answer::Matched(_), Answer::Matched(_)) => Some(ChangeKind::ChangedEntity),
            (Answer::Ambiguous(_), Answer::Ambiguous(_)) => Some(ChangeKind::ContendersChanged),
            (_, Answer::Ambiguous(_)) => Some(ChangeKind::BecameAmbiguous),
            (_, Answer::Matched(_)) => Some(ChangeKind::Gained),
            (Answer::Matched(_), _) => Some(ChangeKind::Lost),
            (Answer::Ambiguous(_), _) => Some(ChangeKind::NoLongerAmbiguous),
            // A refusal depends on the name alone, never on the table.
            _ => None,
        }
    }

    /// The key in JSON output.
    fn key(self) -> &'static str {
        match self {
            ChangeKind::Gained => "gained",
            ChangeKind::Lost => "lost",
            ChangeKind::ChangedEntity => "changed_entity",
            ChangeKind::BecameAmbiguous => "became_ambiguous",
            ChangeKind::NoLongerAmbiguous => "no_longer_ambiguous",
            ChangeKind::ContendersChanged => "contenders_changed",
        }
    }

    /// What the group means, for the terminal.
    fn meaning(self) -> &'static str {
        match self {
            ChangeKind::Gained => "no_match/ambiguous -> matched",
            ChangeKind::Lost => "matched -> no_match",
            ChangeKind::ChangedEntity => "matched A -> matched B",
            ChangeKind::BecameAmbiguous => "matched/no_match -> ambiguous",
            ChangeKind::NoLongerAmbiguous => "ambiguous -> no_match",
            ChangeKind::ContendersChanged => "ambiguous -> ambiguous between other entities",
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key().replace('_', " "))
    }
}

/// One name whose answer changed.
#[derive(Debug)]
struct Change {
    name: String,
    kind: ChangeKind,
    before: Answer,
    after: Answer,
}

pub(crate) fn run(args: &DiffArgs) -> anyhow::Result<ExitCode> {
    let before = load("before", &args.before)?;
    let after = load("after", &args.after)?;
    let names = match &args.names {
        Some(file) => names_from_file(file)?,
        None => names_of_tables(&[&before, &after]),
    };
    let before = Matcher::new(Arc::new(before.table), MatchConfig::default());
    let after = Matcher::new(Arc::new(after.table), MatchConfig::default());
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads.unwrap_or(0)).build()?;
    let changes = pool.install(|| changes(&names, &before, &after));
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    if args.jsonl {
        write_jsonl(&mut stdout, &changes)?;
        eprintln!("{}", summary(&changes, names.len()));
    } else {
        write_grouped(&mut stdout, &changes)?;
        writeln!(stdout, "{}", summary(&changes, names.len()))?;
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Loads one side; a table with errors stops the diff with its diagnostics.
fn load(side: &str, paths: &[PathBuf]) -> anyhow::Result<Loaded> {
    let what = if paths.is_empty() { "the built-in table".to_string() } else { super::display_paths(paths) };
    TableArgs { aliases: paths.to_vec() }.load().map_err(|invalid| {
        invalid.diagnostics.iter().filter(|d| d.is_error()).for_each(|d| eprintln!("{d}"));
        anyhow::anyhow!("--{side} table ({what}) has {} error(s)", invalid.error_count())
    })
}

/// The non-blank lines of a file, trimmed, each once, in file order.
fn names_from_file(file: &PathBuf) -> anyhow::Result<Vec<String>> {
    let text = fs::read_to_string(file).with_context(|| format!("cannot read --names {}", file.display()))?;
    let mut seen = BTreeSet::new();
    Ok(text.lines().map(str::trim).filter(|line| !line.is_empty() && seen.insert(*line)).map(String::from).collect())
}

/// Every name and alias of the tables and every query of their cases, each once, sorted.
fn names_of_tables(tables: &[&Loaded]) -> Vec<String> {
    let mut names = BTreeSet::new();
    for loaded in tables {
        for entity in loaded.table.entities() {
            names.extend(entity.names().map(|name| name.text.clone()));
        }
        match cases::read(&loaded.sources) {
            Ok(cases) => names.extend(cases.into_iter().map(|case| case.query)),
            Err(invalid) => eprintln!("canonym: case queries left out of the diff: {invalid}"),
        }
    }
    names.into_iter().collect()
}

/// The names whose answer changed, grouped by kind, then by name.
fn changes(names: &[String], before: &Matcher, after: &Matcher) -> Vec<Change> {
    let mut changes: Vec<Change> = names
        .par_iter()
        .filter_map(|name| {
            let (old, new) = (Answer::resolve(before, name, None), Answer::resolve(after, name, None));
            ChangeKind::between(&old, &new).map(|kind| Change { name: name.clone(), kind, before: old, after: new })
        })
        .collect();
    changes.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.name.cmp(&b.name)));
    changes
}

fn write_grouped(out: &mut impl Write, changes: &[Change]) -> io::Result<()> {
    for kind in ChangeKind::ALL {
        let group: Vec<&Change> = changes.iter().filter(|c| c.kind == kind).collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out, "{kind} ({}): {}", group.len(), kind.meaning())?;
        for change in group {
            writeln!(out, "  {:?}: {} -> {}", change.name, change.before, change.after)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_jsonl(out: &mut impl Write, changes: &[Change]) -> io::Result<()> {
    for change in changes {
        let object = json!({
            "query": change.name,
            "change": change.kind.key(),
            "before": answer_json(&change.before),
            "after": answer_json(&change.after),
        });
        writeln!(out, "{object}")?;
    }
    Ok(())
}

/// `{"outcome", "entity_id", "score", "matched_alias", "candidates"}`: the candidates are
/// the contenders of an ambiguous answer or the nearest miss of a no_match.
fn answer_json(answer: &Answer) -> Value {
    let matched = match answer {
        Answer::Matched(best) => Some(best),
        _ => None,
    };
    let candidates: Vec<&Contender> = match answer {
        Answer::Ambiguous(contenders) => contenders.iter().collect(),
        Answer::NoMatch(nearest) => nearest.iter().collect(),
        Answer::Matched(_) | Answer::Refused(_) => Vec::new(),
    };
    let mut object = json!({
        "outcome": answer.outcome().map_or("error", |o| o.as_str()),
        "entity_id": matched.map(|b| b.entity_id.as_str()),
        "score": answer.score(),
        "matched_alias": matched.map(|b| b.matched_alias.as_str()),
        "candidates": candidates.iter().map(|c| contender_json(c)).collect::<Vec<_>>(),
    });
    if let (Answer::Refused(error), Some(map)) = (answer, object.as_object_mut()) {
        map.insert("error".into(), Value::String(error.to_string()));
    }
    object
}

fn contender_json(contender: &Contender) -> Value {
    json!({ "entity_id": contender.entity_id, "score": contender.score, "matched_alias": contender.matched_alias })
}

/// `3 of 120 name(s) changed: 1 gained, 1 lost, 1 became ambiguous`.
fn summary(changes: &[Change], names: usize) -> String {
    let counts: Vec<String> = ChangeKind::ALL
        .iter()
        .map(|&kind| (kind, changes.iter().filter(|c| c.kind == kind).count()))
        .filter(|&(_, count)| count > 0)
        .map(|(kind, count)| format!("{count} {kind}"))
        .collect();
    let detail = if counts.is_empty() { String::new() } else { format!(": {}", counts.join(", ")) };
    format!("{} of {names} name(s) changed{detail}", changes.len())
}
