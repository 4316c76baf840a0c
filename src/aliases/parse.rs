//! Pieces shared by the three formats: byte offsets to lines, and the checks every
//! entity passes whatever file it came from.

use super::diagnostic::{Diagnostic, Problem};
use super::model::{Entity, EntityType, Location, Name};
use super::MAX_NAME_CHARS;

/// Turns byte offsets into 1-based line and column numbers.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    text_len: usize,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts, text_len: text.len() }
    }

    pub(crate) fn locate(&self, file: &str, offset: usize) -> Location {
        let offset = offset.min(self.text_len);
        let line = self.starts.partition_point(|&start| start <= offset);
        let column = offset - self.starts[line.saturating_sub(1)] + 1;
        Location { file: file.to_string(), line: line.max(1), column: Some(column) }
    }
}

/// An entity being assembled from a file; `finish` yields it only when it is whole.
pub(crate) struct EntityDraft {
    location: Location,
    id: Option<String>,
    kind: Option<EntityType>,
    primary: Option<Name>,
    aliases: Vec<Name>,
    broken: bool,
    pub(crate) wikidata: Option<String>,
    pub(crate) note: Option<String>,
}

impl EntityDraft {
    pub(crate) fn new(location: Location) -> Self {
        EntityDraft {
            location,
            id: None,
            kind: None,
            primary: None,
            aliases: Vec::new(),
            broken: false,
            wikidata: None,
            note: None,
        }
    }

    pub(crate) fn id(&mut self, id: Option<&str>, diagnostics: &mut Vec<Diagnostic>) {
        match id {
            None => self.fail(Problem::Missing("id"), diagnostics),
            Some(id) if id.trim().is_empty() => self.fail(Problem::Empty("id"), diagnostics),
            Some(id) => self.id = Some(id.trim().to_string()),
        }
    }

    /// A missing type means `other`: only id and name are required.
    pub(crate) fn kind(&mut self, kind: Option<&str>, diagnostics: &mut Vec<Diagnostic>) {
        match kind.map(str::parse::<EntityType>) {
            None => self.kind = Some(EntityType::Other),
            Some(Ok(kind)) => self.kind = Some(kind),
            Some(Err(err)) => self.fail(err.into(), diagnostics),
        }
    }

    /// The type given so far, to check that later rows of one entity agree.
    pub(crate) fn kind_so_far(&self) -> Option<EntityType> {
        self.kind
    }

    pub(crate) fn primary(&mut self, name: Option<&str>, at: Location, diagnostics: &mut Vec<Diagnostic>) {
        match name {
            None => self.fail(Problem::Missing("name"), diagnostics),
            Some(text) => {
                if let Some(name) = checked_name(Name::plain(text, at), diagnostics) {
                    self.primary = Some(name);
                } else {
                    self.broken = true;
                }
            }
        }
    }

    pub(crate) fn alias(&mut self, name: Name, diagnostics: &mut Vec<Diagnostic>) {
        match checked_name(name, diagnostics) {
            Some(name) => self.aliases.push(name),
            None => self.broken = true,
        }
    }

    pub(crate) fn finish(self) -> Option<Entity> {
        if self.broken {
            return None;
        }
        Some(Entity {
            id: self.id?,
            kind: self.kind?,
            name: self.primary?,
            aliases: self.aliases,
            wikidata: self.wikidata,
            note: self.note,
            location: self.location,
        })
    }

    fn fail(&mut self, problem: Problem, diagnostics: &mut Vec<Diagnostic>) {
        self.broken = true;
        diagnostics.push(Diagnostic::error(self.location.clone(), problem));
    }
}

/// A name is usable when it has something to match and is not absurdly long.
fn checked_name(mut name: Name, diagnostics: &mut Vec<Diagnostic>) -> Option<Name> {
    let chars = name.text.chars().count();
    let problem = if name.text.trim().is_empty() {
        Some(Problem::Empty("name"))
    } else if chars > MAX_NAME_CHARS {
        Some(Problem::NameTooLong { chars, limit: MAX_NAME_CHARS })
    } else if crate::normalize::normalize(&name.text).is_empty() {
        Some(Problem::NothingToMatch(name.text.clone()))
    } else {
        None
    };
    match problem {
        Some(problem) => {
            diagnostics.push(Diagnostic::error(name.location.clone(), problem));
            None
        }
        None => {
            name.text = name.text.trim().to_string();
            Some(name)
        }
    }
}
