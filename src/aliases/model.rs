//! The in-memory alias table: entities, their names, and where each was written.

use std::fmt;
use std::str::FromStr;

/// Where something was written: a file, a 1-based line and, when the parser gives one,
/// a 1-based column. Shown as `file:line[:column]`, the form editors jump to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    /// The file as the user named it (or `builtin:<path>` for the embedded table).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A location at a line, without a column.
    pub fn line(file: impl Into<String>, line: usize) -> Self {
        Location { file: file.into(), line, column: None }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(col) => write!(f, "{}:{}:{}", self.file, self.line, col),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

/// What kind of thing an entity is. Matching uses it as a filter and to pick
/// kind-specific rules (family names for people, legal forms for organisations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// A company, group, agency, party...
    Organization,
    /// A natural person.
    Person,
    /// A country, city, camp, region...
    Location,
    /// A ship.
    Vessel,
    /// Anything else.
    Other,
}

impl EntityType {
    /// Every type, in a stable order.
    pub const ALL: [EntityType; 5] =
        [EntityType::Organization, EntityType::Person, EntityType::Location, EntityType::Vessel, EntityType::Other];

    /// The lower-case name used in files, the CLI and the proto.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Organization => "organization",
            EntityType::Person => "person",
            EntityType::Location => "location",
            EntityType::Vessel => "vessel",
            EntityType::Other => "other",
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A type name that is not one of [`EntityType::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown entity type `{0}` (expected organization, person, location, vessel or other)")]
pub struct UnknownEntityType(pub String);

impl FromStr for EntityType {
    type Err = UnknownEntityType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "organization" | "organisation" | "org" => Ok(EntityType::Organization),
            "person" => Ok(EntityType::Person),
            "location" | "place" => Ok(EntityType::Location),
            "vessel" | "ship" => Ok(EntityType::Vessel),
            "other" => Ok(EntityType::Other),
            _ => Err(UnknownEntityType(s.to_string())),
        }
    }
}

/// One name of an entity: its primary name or an alias, with the curator's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The name as written in the file.
    pub text: String,
    /// Match only exactly (after normalization), never fuzzily: short, ambiguous acronyms.
    pub exact: bool,
    /// The curator declares that this name belongs to several entities; a query equal
    /// to it is then ambiguous rather than a validation error.
    pub shared: bool,
    /// Optional language tag (BCP 47 style), for the curator's benefit.
    pub lang: Option<String>,
    /// Optional free-text note.
    pub note: Option<String>,
    /// Where the name was written.
    pub location: Location,
}

impl Name {
    /// A plain name: fuzzy-matchable, not shared, no tags.
    pub fn plain(text: impl Into<String>, location: Location) -> Self {
        Name { text: text.into(), exact: false, shared: false, lang: None, note: None, location }
    }
}

/// A canonical entity with all its names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Stable canonical id, such as `org:hamas` or `country:SY`.
    pub id: String,
    /// What kind of thing it is.
    pub kind: EntityType,
    /// The primary (canonical) name.
    pub name: Name,
    /// Every other name.
    pub aliases: Vec<Name>,
    /// Optional Wikidata cross-reference (`Q...`).
    pub wikidata: Option<String>,
    /// Optional curator's note.
    pub note: Option<String>,
    /// Where the entity starts.
    pub location: Location,
}

impl Entity {
    /// The primary name first, then the aliases, in file order.
    pub fn names(&self) -> impl Iterator<Item = &Name> {
        std::iter::once(&self.name).chain(self.aliases.iter())
    }
}

/// Words that name the same thing in entity names, declared by curators
/// (`[[equivalent]] words = ["cross", "crescent"]`): the matcher pairs them as if equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equivalence {
    /// The words, as written.
    pub words: Vec<String>,
    /// Why they are equivalent.
    pub note: Option<String>,
    /// Where the group was declared.
    pub location: Location,
}

/// A validated, immutable alias table.
#[derive(Debug, Clone, Default)]
pub struct AliasTable {
    entities: Vec<Entity>,
    equivalences: Vec<Equivalence>,
    version: String,
}

impl AliasTable {
    /// Builds a table from entities that already passed validation, with the content
    /// hash of the files they came from.
    pub(crate) fn new(entities: Vec<Entity>, equivalences: Vec<Equivalence>, version: String) -> Self {
        AliasTable { entities, equivalences, version }
    }

    /// Builds a table straight from entities (tests, synthetic benchmarks); the version is
    /// a hash of the entities' ids and names, so equal content gives an equal version.
    pub fn from_entities(entities: Vec<Entity>) -> Self {
        let mut hasher = blake3::Hasher::new();
        for entity in &entities {
            hasher.update(entity.id.as_bytes());
            hasher.update(&[0]);
            for name in entity.names() {
                hasher.update(name.text.as_bytes());
                hasher.update(&[u8::from(name.exact), u8::from(name.shared), 0]);
            }
            hasher.update(&[1]);
        }
        let version = crate::aliases::version_from_hash(hasher);
        AliasTable { entities, equivalences: Vec::new(), version }
    }

    /// All entities, in load order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The curated word equivalences.
    pub fn equivalences(&self) -> &[Equivalence] {
        &self.equivalences
    }

    /// A content hash of the files the table was loaded from: equal content, equal version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// How many names (primary names plus aliases) the table holds.
    pub fn name_count(&self) -> usize {
        self.entities.iter().map(|e| 1 + e.aliases.len()).sum()
    }

    /// How many aliases (not counting primary names) the table holds.
    pub fn alias_count(&self) -> usize {
        self.entities.iter().map(|e| e.aliases.len()).sum()
    }
}
