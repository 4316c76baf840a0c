//! CSV and TSV with a header row `id,name[,type]`, one name per row; rows with the
//! same id form one entity, whose first row gives the primary name.

use std::collections::HashMap;

use super::diagnostic::{Diagnostic, Problem};
use super::model::{Entity, EntityType, Location, Name};
use super::parse::EntityDraft;

/// Parses one delimited file (`b','` for CSV, `b'\t'` for TSV).
pub(crate) fn parse(file: &str, text: &str, delimiter: u8, diagnostics: &mut Vec<Diagnostic>) -> Vec<Entity> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let Some(columns) = header_columns(file, &mut reader, diagnostics) else {
        return Vec::new();
    };
    let mut drafts: Vec<(String, EntityDraft, Location)> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(1, |p| p.line() as usize);
                diagnostics.push(Diagnostic::error(Location::line(file, line), Problem::Malformed(err.to_string())));
                continue;
            }
        };
        let line = record.position().map_or(1, |p| p.line() as usize);
        let location = Location::line(file, line);
        let field = |index: Option<usize>| index.and_then(|i| record.get(i)).map(str::trim);
        let (Some(id), Some(name)) = (field(Some(columns.id)), field(Some(columns.name))) else {
            diagnostics.push(Diagnostic::error(location, Problem::Malformed("row has too few fields".into())));
            continue;
        };
        let kind = field(columns.kind).filter(|k| !k.is_empty());
        add_row(&mut drafts, &mut by_id, (id, name, kind), location, diagnostics);
    }
    drafts.into_iter().filter_map(|(_, draft, _)| draft.finish()).collect()
}

struct Columns {
    id: usize,
    name: usize,
    kind: Option<usize>,
}

fn header_columns(file: &str, reader: &mut csv::Reader<&[u8]>, diagnostics: &mut Vec<Diagnostic>) -> Option<Columns> {
    let header_at = Location::line(file, 1);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(err) => {
            diagnostics.push(Diagnostic::error(header_at, Problem::Malformed(err.to_string())));
            return None;
        }
    };
    let mut id = None;
    let mut name = None;
    let mut kind = None;
    for (index, column) in headers.iter().enumerate() {
        match column.trim().trim_start_matches('\u{feff}') {
            "id" => id = Some(index),
            "name" => name = Some(index),
            "type" => kind = Some(index),
            other => diagnostics.push(Diagnostic::error(header_at.clone(), Problem::UnknownField(other.to_string()))),
        }
    }
    for (column, found) in [("id", id), ("name", name)] {
        if found.is_none() {
            diagnostics.push(Diagnostic::error(header_at.clone(), Problem::Missing(column)));
        }
    }
    Some(Columns { id: id?, name: name?, kind })
}

fn add_row(
    drafts: &mut Vec<(String, EntityDraft, Location)>,
    by_id: &mut HashMap<String, usize>,
    (id, name, kind): (&str, &str, Option<&str>),
    location: Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(&index) = by_id.get(id) {
        let (_, draft, first) = &mut drafts[index];
        if let (Some(kind), Some(first_kind)) = (kind.and_then(|k| k.parse::<EntityType>().ok()), draft.kind_so_far()) {
            if kind != first_kind {
                let problem =
                    Problem::TypeMismatch { id: id.to_string(), here: kind, there: first_kind, first: first.clone() };
                diagnostics.push(Diagnostic::error(location.clone(), problem));
            }
        }
        draft.alias(Name::plain(name, location), diagnostics);
        return;
    }
    let mut draft = EntityDraft::new(location.clone());
    draft.id(Some(id), diagnostics);
    draft.kind(kind, diagnostics);
    draft.primary(Some(name), location.clone(), diagnostics);
    by_id.insert(id.to_string(), drafts.len());
    drafts.push((id.to_string(), draft, location));
}
