//! `canonym compare`: pairs of names on stdin, a score and a decision per pair.

use std::io;
use std::process::ExitCode;

use clap::Args;
use serde::Deserialize;

use super::output;
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
    left: String,
    right: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

pub(crate) fn run(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    let matcher = args.table.matcher(config_with_threshold(args.threshold)?)?;
    let stdin = io::stdin().lock();
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    super::stream::map_lines(stdin, &mut stdout, args.threads, |line_number, line| {
        let (left, right, kind) = match parse_pair(line, args.jsonl) {
            Ok(pair) => pair,
            Err(error) => return output::pair_error(line_number, None, &error).to_string(),
        };
        match matcher.compare(&left, &right, kind) {
            Ok(comparison) => output::comparison(&left, &right, &comparison, args.explain).to_string(),
            Err(refused) => output::pair_error(line_number, Some((&left, &right)), &refused.to_string()).to_string(),
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

fn parse_pair(line: &str, jsonl: bool) -> Result<(String, String, Option<EntityType>), String> {
    if jsonl {
        let pair: JsonPair =
            serde_json::from_str(line).map_err(|e| format!("not a JSON object with \"left\" and \"right\": {e}"))?;
        let kind = pair.kind.map(|k| k.parse::<EntityType>()).transpose().map_err(|e| e.to_string())?;
        return Ok((pair.left, pair.right, kind));
    }
    match line.split_once('\t') {
        Some((left, right)) => Ok((left.to_string(), right.to_string(), None)),
        None => Err("expected two names separated by a tab".to_string()),
    }
}
