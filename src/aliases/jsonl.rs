//! The bulk JSONL format for machines: one entity per line,
//! `{"id": "...", "type": "...", "name": "...", "aliases": ["...", ...]}`.
//! Keys other than these (such as `source`) are allowed and ignored, so exports from
//! other systems load unchanged. This is the interchange format: keep it stable.

use serde::Deserialize;

use super::diagnostic::{Diagnostic, Problem};
use super::model::{Entity, Location, Name};
use super::parse::EntityDraft;

#[derive(Deserialize)]
struct RawEntity {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// Parses one JSONL file; a bad line is reported and skipped, the others still load.
pub(crate) fn parse(file: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Entity> {
    let mut entities = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let location = Location::line(file, index + 1);
        match serde_json::from_str::<RawEntity>(line) {
            Ok(raw) => entities.extend(entity_from_raw(raw, location, diagnostics)),
            Err(err) => {
                let at = Location { column: Some(err.column()), ..location };
                diagnostics.push(Diagnostic::error(at, Problem::Malformed(err.to_string())));
            }
        }
    }
    entities
}

fn entity_from_raw(raw: RawEntity, location: Location, diagnostics: &mut Vec<Diagnostic>) -> Option<Entity> {
    let mut draft = EntityDraft::new(location.clone());
    draft.id(raw.id.as_deref(), diagnostics);
    draft.kind(raw.kind.as_deref(), diagnostics);
    draft.primary(raw.name.as_deref(), location.clone(), diagnostics);
    for alias in raw.aliases {
        draft.alias(Name::plain(alias, location.clone()), diagnostics);
    }
    draft.finish()
}
