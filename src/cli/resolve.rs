//! `canonym resolve`: names on stdin, one JSON answer per line on stdout, in order.

use std::io;
use std::process::ExitCode;

use clap::Args;
use serde::Deserialize;

use super::output;
use super::stream::{map_lines, LineAnswer};
use super::table::{config_with_threshold, TableArgs};
use crate::aliases::EntityType;
use crate::matcher::Query;

/// Arguments of `resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    #[command(flatten)]
    table: TableArgs,
    /// Score needed for a match, in [0, 1] (default chosen on the dev set).
    #[arg(long)]
    threshold: Option<f64>,
    /// Read JSON objects with a "query" field (and optional "type") instead of plain lines.
    #[arg(long)]
    jsonl: bool,
    /// Return up to N ranked candidates per name.
    #[arg(long, value_name = "N", default_value_t = 0)]
    candidates: usize,
    /// Only entities of this type (organization, person, location, vessel, other).
    #[arg(long = "type", value_name = "TYPE")]
    kind: Option<EntityType>,
    /// Include how each answer was reached.
    #[arg(long)]
    explain: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Deserialize)]
struct JsonQuery {
    query: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// The most candidates a caller may ask for: the answer stays small.
const MAX_CANDIDATES: usize = 100;

pub(crate) fn run(args: &ResolveArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.candidates <= MAX_CANDIDATES,
        "--candidates {} is over the limit of {MAX_CANDIDATES}",
        args.candidates
    );
    let matcher = args.table.matcher(config_with_threshold(args.threshold)?)?;
    let stdin = io::stdin().lock();
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    let errors = map_lines(stdin, &mut stdout, args.threads, |line_number, line| {
        let line = match line {
            Ok(line) => line,
            Err(unreadable) => return refused(line_number, None, unreadable.to_string()),
        };
        let (name, kind) = if args.jsonl {
            match parse_json_line(line) {
                Ok(parsed) => parsed,
                Err(error) => return refused(line_number, None, error),
            }
        } else {
            (line.to_string(), args.kind)
        };
        let query =
            Query { name: &name, kind, max_candidates: args.candidates, threshold: None, explain: args.explain };
        match matcher.resolve(&query) {
            Ok(resolution) => LineAnswer::answer(output::resolution(&name, &resolution)),
            Err(error) => refused(line_number, Some(&name), error.to_string()),
        }
    })?;
    Ok(errors.report())
}

/// The error object of a line that got no answer; `query` is the name when one was read.
fn refused(line_number: u64, query: Option<&str>, reason: String) -> LineAnswer {
    LineAnswer::error(output::line_error(line_number, query, &reason), reason)
}

fn parse_json_line(line: &str) -> Result<(String, Option<EntityType>), String> {
    let parsed: JsonQuery =
        serde_json::from_str(line).map_err(|e| format!("not a JSON object with a \"query\" string: {e}"))?;
    let kind = parsed.kind.map(|k| k.parse::<EntityType>()).transpose().map_err(|e| e.to_string())?;
    Ok((parsed.query, kind))
}
