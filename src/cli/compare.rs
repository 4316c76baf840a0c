//! `canonym compare`: pairs of names on stdin, a score and a decision per pair.

use std::io;
use std::process::ExitCode;

use clap::Args;
use serde::Deserialize;

use super::output;
use super::stream::{map_lines, LineAnswer};
use super::table::{config_with_threshold, TableArgs};
use crate::aliases::EntityType;

/// Arguments of `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    table: TableArgs,
    /// Score needed for a match, in [0, 1] (the same default as resolve).
    #[arg(long)]
    threshold: Option<f64>,
    /// Read JSON objects {"left", "right", "type"?} instead of `left<TAB>right` lines.
    #[arg(long)]
    jsonl: bool,
    /// Include the word alignment.
    #[arg(long)]
    explain: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Deserialize)]
struct JsonPair {
    left: Option<String>,
    right: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// A pair line that could not be compared: what of the pair could be read, and why.
struct Refused {
    left: Option<String>,
    right: Option<String>,
    reason: String,
}

impl Refused {
    fn unread(reason: String) -> Refused {
        Refused { left: None, right: None, reason }
    }
}

pub(crate) fn run(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    let matcher = args.table.matcher(config_with_threshold(args.threshold)?)?;
    let stdin = io::stdin().lock();
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    let errors = map_lines(stdin, &mut stdout, args.threads, |line_number, line| {
        let parsed = line.map_err(|unreadable| Refused::unread(unreadable.to_string()));
        let (left, right, kind) = match parsed.and_then(|line| parse_pair(line, args.jsonl)) {
            Ok(pair) => pair,
            Err(Refused { left, right, reason }) => {
                return refused(line_number, left.as_deref(), right.as_deref(), reason);
            }
        };
        match matcher.compare(&left, &right, kind) {
            Ok(comparison) => LineAnswer::answer(output::comparison(&left, &right, &comparison, args.explain)),
            Err(error) => refused(line_number, Some(&left), Some(&right), error.to_string()),
        }
    })?;
    Ok(errors.report())
}

/// The error object of a pair line that got no answer, echoing the names that were read.
fn refused(line_number: u64, left: Option<&str>, right: Option<&str>, reason: String) -> LineAnswer {
    LineAnswer::error(output::pair_error(line_number, left, right, &reason), reason)
}

fn parse_pair(line: &str, jsonl: bool) -> Result<(String, String, Option<EntityType>), Refused> {
    if !jsonl {
        return match line.split_once('\t') {
            Some((left, right)) => Ok((left.to_string(), right.to_string(), None)),
            None => Err(Refused::unread("expected two names separated by a tab".to_string())),
        };
    }
    let JsonPair { left, right, kind } = serde_json::from_str(line)
        .map_err(|e| Refused::unread(format!("not a JSON object with \"left\" and \"right\": {e}")))?;
    // What could be read is echoed, so that the line can be found and mended.
    let kind = match kind.map(|k| k.parse::<EntityType>()).transpose() {
        Ok(kind) => kind,
        Err(error) => return Err(Refused { left, right, reason: error.to_string() }),
    };
    match (left, right) {
        (Some(left), Some(right)) => Ok((left, right, kind)),
        (left, right) => {
            let missing = if left.is_none() { "left" } else { "right" };
            Err(Refused { left, right, reason: format!("the pair has no \"{missing}\" name") })
        }
    }
}
