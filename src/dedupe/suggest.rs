//! Suggestions: the clusters of unknown names in, curated TOML out, for curators to
//! review and add to a table.
//!
//! One `[[entity]]` per cluster with at least `min_names` distinct names (strict keys),
//! biggest (most records) first: a proposed `new:` id, `type = "other"`, the most
//! frequent name as `name`, the other names as `aliases`, each with its record count in
//! a comment. One spelling per strict key is written (the most frequent): spellings that
//! normalize alike match alike. Names the known table already holds (shared names that
//! resolve to several entities) are left out, so the file loads cleanly with `canonym
//! check`, alone or next to the table. It never writes a name the validator refuses:
//! every name written passed the matcher's own checks (not empty, something to match,
//! not too long), and no strict key is written for two entities.

use std::io::{self, Write};

use super::cluster::Cluster;
use super::Dedupe;

/// A cluster ready to be written.
struct Suggestion<'d> {
    id: &'d str,
    records: u64,
    /// (spelling, records, score with the centre), most records first.
    names: Vec<(&'d str, u64, f64)>,
}

/// Writes the suggestions; returns how many entities were written.
pub fn write_suggestions<W: Write>(dedupe: &Dedupe, min_names: usize, mut output: W) -> io::Result<usize> {
    let mut suggestions: Vec<Suggestion<'_>> = dedupe
        .clusters()
        .iter()
        .map(|cluster| suggestion(dedupe, cluster))
        .filter(|s| !s.names.is_empty() && s.names.len() >= min_names)
        .collect();
    suggestions.sort_by(|a, b| b.records.cmp(&a.records).then(a.id.cmp(b.id)));
    writeln!(
        output,
        "# canonym dedupe: {} cluster(s) of unknown names with at least {} distinct name(s), biggest first.",
        suggestions.len(),
        min_names.max(1)
    )?;
    writeln!(output, "# Each id is a proposal: rename it, review the names, then move the entity into a table.")?;
    for suggestion in &suggestions {
        write_entity(&mut output, suggestion)?;
    }
    output.flush()?;
    Ok(suggestions.len())
}

fn suggestion<'d>(dedupe: &'d Dedupe, cluster: &'d Cluster) -> Suggestion<'d> {
    let placement_score = |node: u32| if node == cluster.centre { 1.0 } else { dedupe.member_score(node) };
    let mut names: Vec<(&str, u64, f64)> = cluster
        .members
        .iter()
        .filter(|&&node| !dedupe.nodes()[node as usize].in_table)
        .map(|&node| (dedupe.representative(node), dedupe.nodes()[node as usize].records, placement_score(node)))
        .collect();
    names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let records = names.iter().map(|n| n.1).sum();
    Suggestion { id: &cluster.id, records, names }
}

fn write_entity<W: Write>(output: &mut W, suggestion: &Suggestion<'_>) -> io::Result<()> {
    let Some(((name, _, _), aliases)) = suggestion.names.split_first().map(|(first, rest)| (*first, rest)) else {
        return Ok(());
    };
    writeln!(output)?;
    writeln!(output, "# {} records, {} name(s)", suggestion.records, suggestion.names.len())?;
    writeln!(output, "[[entity]]")?;
    writeln!(output, "id = {}", toml_string(suggestion.id))?;
    writeln!(output, "type = \"other\"")?;
    writeln!(output, "name = {}  # {} records", toml_string(name), suggestion.names[0].1)?;
    if aliases.is_empty() {
        return Ok(());
    }
    writeln!(output, "aliases = [")?;
    for (alias, records, score) in aliases {
        writeln!(output, "  {},  # {records} records, score {score}", toml_string(alias))?;
    }
    writeln!(output, "]")
}

/// A TOML basic string, escaped.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
