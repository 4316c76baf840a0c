//! The curated TOML format: `[[entity]]` blocks written and reviewed by people.
//!
//! ```toml
//! [[entity]]
//! id = "org:islamic-state"
//! type = "organization"
//! name = "Islamic State"
//! aliases = ["ISIL", { name = "IS", exact = true }, { name = "داعش", lang = "ar" }]
//! ```

use std::fmt;
use std::ops::Range;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::diagnostic::{Diagnostic, Problem};
use super::model::{Entity, Equivalence, Location, Name};
use super::parse::{EntityDraft, LineIndex};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    entity: Vec<Spanned<RawEntity>>,
    #[serde(default)]
    equivalent: Vec<Spanned<RawEquivalent>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEquivalent {
    words: Vec<String>,
    note: Option<String>,
}

/// What one TOML file declares.
#[derive(Default)]
pub(crate) struct Parsed {
    pub(crate) entities: Vec<Entity>,
    pub(crate) equivalences: Vec<Equivalence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<Spanned<RawAlias>>,
    wikidata: Option<String>,
    note: Option<String>,
}

/// An alias is either a bare string or a table with options; a hand-written visitor
/// keeps serde's precise messages ("unknown field `exat`") that an untagged enum loses.
struct RawAlias(AliasOptions);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasOptions {
    name: Option<String>,
    #[serde(default)]
    exact: bool,
    #[serde(default)]
    shared: bool,
    lang: Option<String>,
    note: Option<String>,
}

impl<'de> Deserialize<'de> for RawAlias {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AliasVisitor;
        impl<'de> Visitor<'de> for AliasVisitor {
            type Value = RawAlias;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name string or a table such as { name = \"IS\", exact = true }")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawAlias, E> {
                Ok(RawAlias(AliasOptions {
                    name: Some(v.to_string()),
                    exact: false,
                    shared: false,
                    lang: None,
                    note: None,
                }))
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<RawAlias, M::Error> {
                AliasOptions::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawAlias)
            }
        }
        deserializer.deserialize_any(AliasVisitor)
    }
}

/// Parses one TOML file into entities and equivalences; every problem goes to `diagnostics`.
pub(crate) fn parse(file: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Parsed {
    let lines = LineIndex::new(text);
    let document: Document = match toml::from_str(text) {
        Ok(document) => document,
        Err(err) => {
            let location = err.span().map_or_else(|| Location::line(file, 1), |span| lines.locate(file, span.start));
            diagnostics.push(Diagnostic::error(location, Problem::Malformed(first_line(err.message()))));
            return Parsed::default();
        }
    };
    let entities = document
        .entity
        .into_iter()
        .filter_map(|spanned| {
            let location = lines.locate(file, spanned.span().start);
            entity_from_raw(spanned.into_inner(), location, file, &lines, diagnostics)
        })
        .collect();
    let equivalences = document
        .equivalent
        .into_iter()
        .filter_map(|spanned| {
            let location = lines.locate(file, spanned.span().start);
            equivalence_from_raw(spanned.into_inner(), location, diagnostics)
        })
        .collect();
    Parsed { entities, equivalences }
}

/// A group needs two or more words, each one word once normalized.
fn equivalence_from_raw(
    raw: RawEquivalent,
    location: Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Equivalence> {
    if raw.words.len() < 2 {
        diagnostics
            .push(Diagnostic::error(location, Problem::Malformed("an equivalence needs at least two words".into())));
        return None;
    }
    for word in &raw.words {
        if crate::normalize::analyze(word).folded.len() != 1 {
            let message = format!("equivalent `{word}` must be a single word");
            diagnostics.push(Diagnostic::error(location.clone(), Problem::Malformed(message)));
            return None;
        }
    }
    Some(Equivalence { words: raw.words, note: raw.note, location })
}

fn entity_from_raw(
    raw: RawEntity,
    location: Location,
    file: &str,
    lines: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Entity> {
    let mut draft = EntityDraft::new(location.clone());
    draft.id(raw.id.as_deref(), diagnostics);
    draft.kind(raw.kind.as_deref(), diagnostics);
    draft.primary(raw.name.as_deref(), location, diagnostics);
    for alias in raw.aliases {
        let at = locate_span(lines, file, alias.span());
        let RawAlias(options) = alias.into_inner();
        let Some(text) = options.name else {
            diagnostics.push(Diagnostic::error(at, Problem::Missing("name")));
            continue;
        };
        let mut name = Name::plain(text, at);
        name.exact = options.exact;
        name.shared = options.shared;
        name.lang = options.lang;
        name.note = options.note;
        draft.alias(name, diagnostics);
    }
    draft.wikidata = raw.wikidata;
    draft.note = raw.note;
    draft.finish()
}

fn locate_span(lines: &LineIndex, file: &str, span: Range<usize>) -> Location {
    lines.locate(file, span.start)
}

/// toml's messages repeat the offending source line below the first; keep the first.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}
