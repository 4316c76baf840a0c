//! Case files in, [`Case`]s out, each with the file and line it was written at. Checks
//! the files against a table (every `expect` id must exist). Never runs a case.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{Case, CaseError, CaseProblem, Expected, InvalidCases};
use crate::aliases::{AliasTable, EntityType, Location, Source, SourceKind};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    case: Vec<Spanned<RawCase>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    query: Option<Spanned<String>>,
    expect: Option<Spanned<RawExpect>>,
    #[serde(rename = "type")]
    kind: Option<String>,
    note: Option<String>,
}

/// `expect = "x"` or `expect = ["x", "y"]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawExpect {
    One(String),
    AnyOf(Vec<String>),
}

/// Byte offsets to 1-based lines.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Self {
        Lines { starts: std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect() }
    }

    fn locate(&self, file: &str, offset: usize) -> Location {
        Location::line(file, self.starts.partition_point(|&start| start <= offset).max(1))
    }
}

/// Whether a source holds cases rather than entities (the loader's own classification).
pub fn is_case_source(source: &Source) -> bool {
    SourceKind::of(&source.relative) == Some(SourceKind::Cases)
}

/// Parses every case file among `sources` (others are ignored), in source order.
pub fn read(sources: &[Source]) -> Result<Vec<super::Case>, InvalidCases> {
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for source in sources.iter().filter(|s| is_case_source(s)) {
        parse_source(source, &mut cases, &mut errors);
    }
    finish(errors).map(|()| cases)
}

/// Checks cases against the table they will run on: every expected id must be an entity,
/// of a type the case's filter allows.
pub fn validate(cases: &[Case], table: &AliasTable) -> Result<(), InvalidCases> {
    let kinds: HashMap<&str, EntityType> = table.entities().iter().map(|e| (e.id.as_str(), e.kind)).collect();
    let mut errors = Vec::new();
    for case in cases {
        for expected in &case.expect {
            let Expected::Entity(id) = expected else { continue };
            let problem = match (kinds.get(id.as_str()), case.kind) {
                (None, _) => CaseProblem::UnknownEntity(id.clone()),
                (Some(&actual), Some(filter)) if actual != filter => {
                    CaseProblem::TypeConflict { id: id.clone(), actual, filter }
                }
                _ => continue,
            };
            errors.push(CaseError { location: case.expect_location.clone(), problem });
        }
    }
    finish(errors)
}

fn finish(mut errors: Vec<CaseError>) -> Result<(), InvalidCases> {
    if errors.is_empty() {
        return Ok(());
    }
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    Err(InvalidCases { errors })
}

fn parse_source(source: &Source, cases: &mut Vec<Case>, errors: &mut Vec<CaseError>) {
    let file = source.name.as_str();
    let lines = Lines::new(&source.text);
    let document: Document = match toml::from_str(&source.text) {
        Ok(document) => document,
        Err(err) => {
            let location = err.span().map_or_else(|| Location::line(file, 1), |span| lines.locate(file, span.start));
            errors.push(CaseError { location, problem: CaseProblem::Malformed(first_line(err.message())) });
            return;
        }
    };
    for spanned in document.case {
        let at = span_location(&lines, file, spanned.span());
        match case_from_raw(spanned.into_inner(), at, file, &lines) {
            Ok(case) => cases.push(case),
            Err(error) => errors.push(error),
        }
    }
}

fn case_from_raw(raw: RawCase, at: Location, file: &str, lines: &Lines) -> Result<Case, CaseError> {
    let error = |location: &Location, problem| CaseError { location: location.clone(), problem };
    let query = raw.query.ok_or_else(|| error(&at, CaseProblem::Missing("query")))?;
    let location = span_location(lines, file, query.span());
    let query = query.into_inner();
    if query.trim().is_empty() {
        return Err(error(&location, CaseProblem::Empty("query")));
    }
    let expect = raw.expect.ok_or_else(|| error(&location, CaseProblem::Missing("expect")))?;
    let expect_location = span_location(lines, file, expect.span());
    let expect =
        expected_answers(expect.into_inner()).ok_or_else(|| error(&expect_location, CaseProblem::Empty("expect")))?;
    let kind = raw.kind.map(|k| k.parse::<EntityType>()).transpose().map_err(|e| error(&location, e.into()))?;
    Ok(Case { query, kind, expect, note: raw.note, location, expect_location })
}

/// The acceptable answers, or `None` when there is none or one is blank.
fn expected_answers(raw: RawExpect) -> Option<Vec<Expected>> {
    let values = match raw {
        RawExpect::One(value) => vec![value],
        RawExpect::AnyOf(values) => values,
    };
    if values.is_empty() || values.iter().any(|v| v.trim().is_empty()) {
        return None;
    }
    Some(values.iter().map(|v| Expected::parse(v)).collect())
}

fn span_location(lines: &Lines, file: &str, span: Range<usize>) -> Location {
    lines.locate(file, span.start)
}

/// toml's messages repeat the offending source line below the first; keep the first.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}
