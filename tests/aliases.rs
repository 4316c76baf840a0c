//! The alias-table loader: each format, files and directories, every validation error
//! with its file:line, warnings, all-at-once reporting, no half-loaded tables, versions.
//!
//! Fixtures live in tests/data/aliases/good/ (a valid table in all formats) and
//! tests/data/aliases/broken/ (one or more deliberate errors per file); cases that need a
//! generated file (non-UTF-8 bytes, a 1025-character name, rewritten files) use temp dirs.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use canonym::aliases::{
    self, load_paths, load_sources, Diagnostic, EntityType, InvalidTable, Loaded, Problem, Severity, Source,
    MAX_NAME_CHARS,
};
use canonym::matcher::{MatchConfig, Matcher, Outcome, Query};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/aliases").join(relative)
}

/// The path as the loader reports it in locations.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn load_ok(path: &Path) -> Loaded {
    match load_paths(&[path]) {
        Ok(loaded) => loaded,
        Err(invalid) => panic!("{} should load, got:\n{}", path.display(), render(&invalid.diagnostics)),
    }
}

fn load_err(path: &Path) -> InvalidTable {
    match load_paths(&[path]) {
        Ok(loaded) => panic!("{} should fail, but loaded {} entities", path.display(), loaded.table.entities().len()),
        Err(invalid) => invalid,
    }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {d}\n")).collect()
}

fn errors(invalid: &InvalidTable) -> Vec<&Diagnostic> {
    invalid.diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// The only error of a broken fixture, checked for file and line.
fn single_error(invalid: &InvalidTable, file: &Path, line: usize) -> Diagnostic {
    let errors = errors(invalid);
    assert_eq!(errors.len(), 1, "expected one error, got:\n{}", render(&invalid.diagnostics));
    let error = errors[0].clone();
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(error.location.file, shown(file), "{error}");
    assert_eq!(error.location.line, line, "{error}");
    error
}

fn entity<'a>(loaded: &'a Loaded, id: &str) -> &'a aliases::Entity {
    loaded.table.entities().iter().find(|e| e.id == id).unwrap_or_else(|| panic!("no entity {id}"))
}

fn alias_texts(entity: &aliases::Entity) -> Vec<&str> {
    entity.aliases.iter().map(|a| a.text.as_str()).collect()
}

fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create fixture dir");
    }
    fs::write(&path, text).expect("write fixture");
    path
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

// ---------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------

#[test]
fn toml_loads_entities_with_string_and_table_aliases() {
    let path = fixture("good/curated.toml");
    let loaded = load_ok(&path);
    assert_eq!(loaded.table.entities().len(), 5);
    assert!(loaded.warnings.is_empty(), "{}", render(&loaded.warnings));

    let acme = entity(&loaded, "org:acme-shipping");
    assert_eq!(acme.kind, EntityType::Organization);
    assert_eq!(acme.name.text, "Acme Shipping Company");
    assert_eq!(acme.wikidata.as_deref(), Some("Q0000001"));
    assert_eq!(acme.note.as_deref(), Some("An invented company for the loader tests."));
    assert_eq!(acme.location.file, shown(&path));
    assert_eq!(acme.location.line, 3);
    assert_eq!(alias_texts(acme), ["Acme Shipping Co.", "ASC", "شركة أكمي للشحن", "Акме Шиппинг"]);

    let plain = &acme.aliases[0];
    assert!(!plain.exact && !plain.shared && plain.lang.is_none() && plain.note.is_none());
    let asc = &acme.aliases[1];
    assert!(asc.exact && !asc.shared);
    assert_eq!(asc.note.as_deref(), Some("three letters: exact only"));
    assert_eq!(asc.location.line, 11, "each alias keeps its own line");
    let arabic = &acme.aliases[2];
    assert_eq!(arabic.lang.as_deref(), Some("ar"));
    assert!(!arabic.exact);
    let russian = &acme.aliases[3];
    assert_eq!((russian.lang.as_deref(), russian.note.as_deref()), (Some("ru"), Some("press spelling")));
    assert_eq!(russian.location.line, 13);

    let olga = entity(&loaded, "person:olga-petrova");
    assert_eq!(olga.kind, EntityType::Person);
    assert_eq!(alias_texts(olga), ["Petrova, Olga", "Ольга Петрова"]);

    let northern = entity(&loaded, "org:northern-star-lines");
    assert!(northern.aliases[0].shared);

    // Only id and name are required; a missing type means `other`.
    let untyped = entity(&loaded, "misc:no-type");
    assert_eq!(untyped.kind, EntityType::Other);
    assert!(untyped.aliases.is_empty() && untyped.wikidata.is_none() && untyped.note.is_none());
}

#[test]
fn toml_equivalent_blocks_load_with_their_words_and_note() {
    let path = fixture("good/curated.toml");
    let loaded = load_ok(&path);
    let equivalences = loaded.table.equivalences();
    assert_eq!(equivalences.len(), 1);
    assert_eq!(equivalences[0].words, ["Lines", "Line"]);
    assert_eq!(equivalences[0].note.as_deref(), Some("singular and plural in shipping-line names"));
    assert_eq!(equivalences[0].location.line, 38);
}

#[test]
fn toml_equivalent_needs_two_single_words() {
    let dir = temp_dir();
    let one = write(dir.path(), "one.toml", "[[equivalent]]\nwords = [\"cross\"]\n");
    let error = single_error(&load_err(&one), &one, 1);
    assert!(matches!(&error.problem, Problem::Malformed(m) if m.contains("at least two words")), "{error}");

    let phrase = write(dir.path(), "phrase.toml", "\n[[equivalent]]\nwords = [\"red cross\", \"crescent\"]\n");
    let error = single_error(&load_err(&phrase), &phrase, 2);
    assert!(matches!(&error.problem, Problem::Malformed(m) if m.contains("single word")), "{error}");
}

#[test]
fn jsonl_loads_one_entity_a_line_and_ignores_extra_keys_and_blank_lines() {
    let path = fixture("good/bulk.jsonl");
    let loaded = load_ok(&path);
    let ids: Vec<&str> = loaded.table.entities().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["vessel:sea-falcon", "org:blue-river-trading", "person:karim-haddad"]);

    let falcon = entity(&loaded, "vessel:sea-falcon");
    assert_eq!((falcon.kind, falcon.name.text.as_str()), (EntityType::Vessel, "SEA FALCON"));
    assert_eq!(alias_texts(falcon), ["Sea Falcon I"]);
    assert_eq!(falcon.location.line, 1);

    // Line 2 is blank: the next entity is still reported at its own line.
    let blue = entity(&loaded, "org:blue-river-trading");
    assert_eq!(blue.location.line, 3);
    assert!(blue.aliases.is_empty());

    let karim = entity(&loaded, "person:karim-haddad");
    assert_eq!((karim.kind, karim.location.line), (EntityType::Person, 4));
}

#[test]
fn csv_rows_with_one_id_form_one_entity_whose_first_row_is_primary() {
    let path = fixture("good/names.csv");
    let loaded = load_ok(&path);
    assert_eq!(loaded.table.entities().len(), 2);

    let granite = entity(&loaded, "org:granite-holdings");
    assert_eq!(granite.kind, EntityType::Organization);
    assert_eq!(granite.name.text, "Granite Holdings Ltd");
    assert_eq!(alias_texts(granite), ["Granite Holdings Limited", "Granite Holdings, Ltd."]);
    assert_eq!(granite.location.line, 2);
    let lines: Vec<usize> = granite.aliases.iter().map(|a| a.location.line).collect();
    assert_eq!(lines, [3, 4]);

    let port = entity(&loaded, "place:port-lumen");
    assert_eq!((port.kind, port.location.line), (EntityType::Location, 5));
}

#[test]
fn tsv_without_a_type_column_loads_as_other() {
    let path = fixture("good/names.tsv");
    let loaded = load_ok(&path);
    let ivan = entity(&loaded, "person:ivan-sidorov");
    assert_eq!(ivan.kind, EntityType::Other);
    assert_eq!(ivan.name.text, "Ivan Sidorov");
    assert_eq!(alias_texts(ivan), ["Иван Сидоров"]);
    assert_eq!(entity(&loaded, "other:harbour-fund").location.line, 4);
}

#[test]
fn a_directory_is_walked_recursively_by_extension() {
    let loaded = load_ok(&fixture("good"));
    let ids: BTreeSet<&str> = loaded.table.entities().iter().map(|e| e.id.as_str()).collect();
    let expected: BTreeSet<&str> = [
        "org:acme-shipping",
        "person:olga-petrova",
        "org:northern-star-lines",
        "org:southern-star-lines",
        "misc:no-type",
        "vessel:sea-falcon",
        "org:blue-river-trading",
        "person:karim-haddad",
        "org:granite-holdings",
        "place:port-lumen",
        "person:ivan-sidorov",
        "other:harbour-fund",
        "place:lake-verin",
    ]
    .into_iter()
    .collect();
    assert_eq!(ids, expected);
    // README.md and notes.txt sit in the same directory and are not read.
    let read: Vec<&str> = loaded.sources.iter().map(|s| s.relative.as_str()).collect();
    assert_eq!(read, ["bulk.jsonl", "curated.toml", "names.csv", "names.tsv", "nested/more.toml"]);
    assert!(loaded.warnings.is_empty(), "{}", render(&loaded.warnings));
    assert_eq!(loaded.table.alias_count(), 12);
}

#[test]
fn several_paths_load_as_one_table() {
    let loaded = match load_paths(&[fixture("good/curated.toml"), fixture("good/bulk.jsonl")]) {
        Ok(loaded) => loaded,
        Err(invalid) => panic!("{}", render(&invalid.diagnostics)),
    };
    assert_eq!(loaded.table.entities().len(), 8);
}

#[test]
fn a_name_both_entities_mark_shared_loads_and_then_resolves_ambiguous() {
    let loaded = load_ok(&fixture("good/curated.toml"));
    let matcher = Matcher::new(Arc::new(loaded.table), MatchConfig::default());
    let resolution = matcher.resolve(&Query::new("Star Lines")).expect("valid query");
    assert_eq!(resolution.outcome, Outcome::Ambiguous);
    assert!(resolution.best.is_none());
    let ids: BTreeSet<&str> = resolution.candidates.iter().map(|c| c.entity_id.as_str()).collect();
    assert_eq!(ids, ["org:northern-star-lines", "org:southern-star-lines"].into_iter().collect());
    // Each entity's own name still resolves to it.
    let own = matcher.resolve(&Query::new("Southern Star Lines")).expect("valid query");
    assert_eq!(own.best.map(|b| b.entity_id).as_deref(), Some("org:southern-star-lines"));
}

// ---------------------------------------------------------------------------------------
// Errors, one kind at a time
// ---------------------------------------------------------------------------------------

#[test]
fn a_missing_path_is_unreadable() {
    let dir = temp_dir();
    let missing = dir.path().join("nowhere.toml");
    let error = single_error(&load_err(&missing), &missing, 1);
    assert!(matches!(error.problem, Problem::Unreadable(_)), "{error}");
    assert!(error.to_string().starts_with(&format!("{}:1: error: cannot read: ", missing.display())), "{error}");
}

#[test]
fn a_file_that_is_not_utf8_is_unreadable() {
    let dir = temp_dir();
    let path = dir.path().join("latin1.csv");
    fs::write(&path, b"id,name\norg:x,Soci\xe9t\xe9 G\xe9n\xe9rale\n").expect("write");
    let error = single_error(&load_err(&path), &path, 1);
    assert!(matches!(&error.problem, Problem::Unreadable(m) if m.contains("UTF-8")), "{error}");
}

#[test]
fn a_file_no_format_claims_is_rejected_when_named() {
    let path = fixture("good/README.md");
    let error = single_error(&load_err(&path), &path, 1);
    assert_eq!(error.problem, Problem::UnsupportedFile);
}

#[test]
fn a_directory_without_alias_files_is_an_error() {
    let dir = temp_dir();
    write(dir.path(), "README.md", "# nothing here\n");
    let error = single_error(&load_err(dir.path()), dir.path(), 1);
    assert_eq!(error.problem, Problem::NoFiles);
}

#[test]
fn toml_syntax_error_points_at_line_and_column() {
    let path = fixture("broken/syntax.toml");
    let error = single_error(&load_err(&path), &path, 3);
    assert!(matches!(&error.problem, Problem::Malformed(m) if m.contains("string")), "{error}");
    assert!(error.location.column.is_some());
    assert_eq!(error.to_string(), format!("{}:3:21: error: invalid basic string, expected `\"`", shown(&path)));
}

#[test]
fn toml_unknown_entity_key_is_reported_at_the_key() {
    let path = fixture("broken/unknown_entity_key.toml");
    let error = single_error(&load_err(&path), &path, 5);
    assert!(matches!(&error.problem, Problem::Malformed(m) if m.starts_with("unknown field `alises`")), "{error}");
    assert!(error.to_string().starts_with(&format!("{}:5:1: error: unknown field `alises`", shown(&path))), "{error}");
}

#[test]
fn toml_unknown_alias_key_is_reported_at_the_key() {
    let path = fixture("broken/unknown_alias_key.toml");
    let error = single_error(&load_err(&path), &path, 7);
    assert!(matches!(&error.problem, Problem::Malformed(m) if m.starts_with("unknown field `exat`")), "{error}");
    assert!(error.to_string().starts_with(&format!("{}:7:19: error: unknown field `exat`", shown(&path))), "{error}");
}

#[test]
fn toml_missing_id_and_missing_name_are_both_reported() {
    let path = fixture("broken/missing.toml");
    let invalid = load_err(&path);
    let found: Vec<(usize, &Problem)> = errors(&invalid).iter().map(|d| (d.location.line, &d.problem)).collect();
    assert_eq!(found, [(1, &Problem::Missing("id")), (5, &Problem::Missing("name"))]);
    assert_eq!(invalid.diagnostics[0].to_string(), format!("{}:1:1: error: missing `id`", shown(&path)));
    assert_eq!(invalid.diagnostics[1].to_string(), format!("{}:5:1: error: missing `name`", shown(&path)));
}

#[test]
fn empty_and_whitespace_only_names_and_ids_are_errors() {
    let path = fixture("broken/empty.toml");
    let invalid = load_err(&path);
    let found: Vec<(usize, &Problem)> = errors(&invalid).iter().map(|d| (d.location.line, &d.problem)).collect();
    assert_eq!(
        found,
        [(1, &Problem::Empty("name")), (5, &Problem::Empty("id")), (13, &Problem::Empty("name"))],
        "primary name `   `, id `  `, alias `` (at the alias's own line)"
    );
    assert_eq!(
        invalid.diagnostics[2].to_string(),
        format!("{}:13:3: error: name is empty or whitespace-only", shown(&path))
    );
}

#[test]
fn a_blank_tsv_name_is_an_error() {
    let path = fixture("broken/blank.tsv");
    let error = single_error(&load_err(&path), &path, 2);
    assert_eq!(error.problem, Problem::Empty("name"));
    assert_eq!(error.to_string(), format!("{}:2: error: name is empty or whitespace-only", shown(&path)));
}

#[test]
fn a_name_with_no_letter_or_digit_is_an_error() {
    let dir = temp_dir();
    let path = write(dir.path(), "dots.jsonl", "{\"id\": \"org:dots\", \"name\": \"Dots\", \"aliases\": [\"...\"]}\n");
    let error = single_error(&load_err(&path), &path, 1);
    assert_eq!(error.problem, Problem::NothingToMatch("...".into()));
}

#[test]
fn an_unknown_type_is_an_error() {
    let path = fixture("broken/unknown_type.toml");
    let error = single_error(&load_err(&path), &path, 1);
    assert!(matches!(&error.problem, Problem::UnknownType(t) if t.0 == "company"), "{error}");
    assert!(error.to_string().contains("unknown entity type `company`"), "{error}");
}

#[test]
fn names_over_the_length_limit_are_errors_and_the_limit_itself_is_fine() {
    let dir = temp_dir();
    let at_limit = "x".repeat(MAX_NAME_CHARS);
    let ok = write(dir.path(), "ok/at_limit.csv", &format!("id,name\norg:long,{at_limit}\n"));
    assert_eq!(load_ok(&ok).table.entities()[0].name.text.chars().count(), 1024);

    // Characters, not bytes: 1025 two-byte letters.
    let over = "é".repeat(MAX_NAME_CHARS + 1);
    let bad = write(dir.path(), "bad/over.csv", &format!("id,name\norg:long,Long Name\norg:long,{over}\n"));
    let error = single_error(&load_err(&bad), &bad, 3);
    assert_eq!(error.problem, Problem::NameTooLong { chars: 1025, limit: MAX_NAME_CHARS });
    assert!(error.to_string().ends_with("error: name is 1025 characters long, over the limit of 1024"), "{error}");
}

#[test]
fn jsonl_bad_lines_are_reported_each_at_its_line_and_the_rest_still_checked() {
    let path = fixture("broken/bad.jsonl");
    let invalid = load_err(&path);
    let found: Vec<(usize, String)> = errors(&invalid)
        .iter()
        .map(|d| {
            let kind = match &d.problem {
                Problem::Malformed(_) => "malformed".to_string(),
                Problem::Missing(field) => format!("missing {field}"),
                Problem::UnknownType(t) => format!("unknown type {}", t.0),
                other => format!("{other:?}"),
            };
            (d.location.line, kind)
        })
        .collect();
    assert_eq!(
        found,
        [
            (2, "malformed".to_string()),
            (3, "missing name".to_string()),
            (4, "missing id".to_string()),
            (5, "unknown type corporation".to_string()),
        ]
    );
    let bad_json = &invalid.diagnostics[0];
    assert_eq!(bad_json.location.column, Some(49));
    assert!(bad_json.to_string().starts_with(&format!("{}:2:49: error: EOF while parsing", shown(&path))));
}

#[test]
fn csv_unknown_column_is_an_error_at_the_header() {
    let path = fixture("broken/unknown_column.csv");
    let error = single_error(&load_err(&path), &path, 1);
    assert_eq!(error.problem, Problem::UnknownField("country".into()));
    assert_eq!(error.to_string(), format!("{}:1: error: unknown field `country`", shown(&path)));
}

#[test]
fn csv_header_without_id_or_name_is_an_error() {
    let dir = temp_dir();
    let path = write(dir.path(), "noid.csv", "name,type\nSome Name,person\n");
    let error = single_error(&load_err(&path), &path, 1);
    assert_eq!(error.problem, Problem::Missing("id"));
}

#[test]
fn csv_rows_of_one_id_with_two_types_and_short_rows_are_errors() {
    let path = fixture("broken/rows.csv");
    let invalid = load_err(&path);
    let errors = errors(&invalid);
    assert_eq!(errors.len(), 2, "{}", render(&invalid.diagnostics));
    assert_eq!(errors[0].location.line, 3);
    match &errors[0].problem {
        Problem::TypeMismatch { id, here, there, first } => {
            assert_eq!(id, "org:csv-rows");
            assert_eq!((*here, *there), (EntityType::Person, EntityType::Organization));
            assert_eq!((first.file.as_str(), first.line), (shown(&path).as_str(), 2));
        }
        other => panic!("expected a type mismatch, got {other:?}"),
    }
    assert_eq!(
        errors[0].to_string(),
        format!("{p}:3: error: entity `org:csv-rows` has type person here but organization at {p}:2", p = shown(&path))
    );
    assert_eq!(errors[1].location.line, 4);
    assert!(matches!(&errors[1].problem, Problem::Malformed(m) if m.contains("too few fields")), "{}", errors[1]);
}

#[test]
fn the_same_id_in_two_files_is_a_duplicate_or_a_type_mismatch() {
    let (a, b) = (fixture("broken/dup_a.toml"), fixture("broken/dup_b.toml"));
    let invalid = match load_paths(&[&a, &b]) {
        Ok(_) => panic!("duplicate ids must not load"),
        Err(invalid) => invalid,
    };
    let errors = errors(&invalid);
    assert_eq!(errors.len(), 2, "{}", render(&invalid.diagnostics));
    assert_eq!((errors[0].location.file.as_str(), errors[0].location.line), (shown(&b).as_str(), 2));
    assert_eq!(
        errors[0].problem,
        Problem::DuplicateId {
            id: "org:twice".into(),
            first: aliases::Location { file: shown(&a), line: 1, column: Some(1) }
        }
    );
    assert_eq!(
        errors[0].to_string(),
        format!("{}:2:1: error: duplicate entity id `org:twice`, first defined at {}:1:1", shown(&b), shown(&a))
    );
    assert_eq!(errors[1].location.line, 7);
    assert!(
        matches!(&errors[1].problem, Problem::TypeMismatch { id, here: EntityType::Person, there: EntityType::Organization, first }
            if id == "org:two-types" && first.file == shown(&a) && first.line == 6),
        "{}",
        errors[1]
    );
}

#[test]
fn one_normalized_name_claimed_by_two_entities_is_a_conflict() {
    let path = fixture("broken/conflict.toml");
    let error = single_error(&load_err(&path), &path, 11);
    match &error.problem {
        Problem::AliasConflict { name, id, other_name, other_id, other, key } => {
            assert_eq!((name.as_str(), id.as_str()), ("MERIDIAN", "org:second-owner"));
            assert_eq!((other_name.as_str(), other_id.as_str()), ("Meridian", "org:first-owner"));
            assert_eq!((other.line, key.as_str()), (5, "meridian"));
        }
        other => panic!("expected an alias conflict, got {other:?}"),
    }
    assert!(error
        .to_string()
        .starts_with(&format!("{}:11:12: error: name `MERIDIAN` of `org:second-owner`", shown(&path))));
}

#[test]
fn a_conflict_needs_shared_on_both_sides_to_be_allowed() {
    let dir = temp_dir();
    let entity = |id: &str, shared: bool| {
        format!("[[entity]]\nid = \"{id}\"\nname = \"{id} Name\"\naliases = [{{ name = \"Al-Amal\", shared = {shared} }}]\n\n")
    };
    let one_sided = write(dir.path(), "one/t.toml", &(entity("a", true) + &entity("b", false)));
    let error = single_error(&load_err(&one_sided), &one_sided, 9);
    assert!(matches!(&error.problem, Problem::AliasConflict { id, .. } if id == "b"), "{error}");

    let both = write(dir.path(), "both/t.toml", &(entity("a", true) + &entity("b", true)));
    let loaded = load_ok(&both);
    let matcher = Matcher::new(Arc::new(loaded.table), MatchConfig::default());
    // Spelled differently, it normalizes to the shared name: still ambiguous.
    let resolution = matcher.resolve(&Query::new("AL AMAL")).expect("valid query");
    assert_eq!(resolution.outcome, Outcome::Ambiguous);
    assert_eq!(resolution.candidates.len(), 2);
}

#[test]
fn one_entity_may_repeat_a_name_in_another_spelling() {
    let dir = temp_dir();
    let path =
        write(dir.path(), "t.toml", "[[entity]]\nid = \"a\"\nname = \"Zeta Corp\"\naliases = [\"ZETA CORP.\"]\n");
    assert_eq!(load_ok(&path).table.entities().len(), 1);
}

#[test]
fn near_identical_names_of_two_entities_are_a_warning_not_an_error() {
    let dir = temp_dir();
    let path = write(
        dir.path(),
        "people.jsonl",
        concat!(
            "{\"id\": \"person:1\", \"type\": \"person\", \"name\": \"Abdul Rahman Yusuf\"}\n",
            "{\"id\": \"person:2\", \"type\": \"person\", \"name\": \"Yusuf, Abdul-Rahman\"}\n",
        ),
    );
    let loaded = load_ok(&path);
    assert_eq!(loaded.table.entities().len(), 2, "warnings never stop a table from loading");
    assert_eq!(loaded.warnings.len(), 1, "{}", render(&loaded.warnings));
    let warning = &loaded.warnings[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.location.line, 2);
    assert!(
        matches!(&warning.problem, Problem::NearDuplicate { id, other_id, other, .. }
            if id == "person:2" && other_id == "person:1" && other.line == 1),
        "{warning}"
    );
    assert!(warning.to_string().starts_with(&format!("{}:2: warning: name `Yusuf, Abdul-Rahman`", shown(&path))));
}

// ---------------------------------------------------------------------------------------
// All at once, never half-loaded
// ---------------------------------------------------------------------------------------

/// (file, line, problem kind) of every error the broken/ directory holds.
const BROKEN: &[(&str, usize, &str)] = &[
    ("bad.jsonl", 2, "Malformed"),
    ("bad.jsonl", 3, "Missing"),
    ("bad.jsonl", 4, "Missing"),
    ("bad.jsonl", 5, "UnknownType"),
    ("blank.tsv", 2, "Empty"),
    ("conflict.toml", 11, "AliasConflict"),
    ("dup_b.toml", 2, "DuplicateId"),
    ("dup_b.toml", 7, "TypeMismatch"),
    ("empty.toml", 1, "Empty"),
    ("empty.toml", 5, "Empty"),
    ("empty.toml", 13, "Empty"),
    ("missing.toml", 1, "Missing"),
    ("missing.toml", 5, "Missing"),
    ("rows.csv", 3, "TypeMismatch"),
    ("rows.csv", 4, "Malformed"),
    ("syntax.toml", 3, "Malformed"),
    ("unknown_alias_key.toml", 7, "Malformed"),
    ("unknown_column.csv", 1, "UnknownField"),
    ("unknown_entity_key.toml", 5, "Malformed"),
    ("unknown_type.toml", 1, "UnknownType"),
];

fn kind_of(problem: &Problem) -> &'static str {
    match problem {
        Problem::Unreadable(_) => "Unreadable",
        Problem::UnsupportedFile => "UnsupportedFile",
        Problem::NoFiles => "NoFiles",
        Problem::Malformed(_) => "Malformed",
        Problem::Missing(_) => "Missing",
        Problem::UnknownField(_) => "UnknownField",
        Problem::Empty(_) => "Empty",
        Problem::NothingToMatch(_) => "NothingToMatch",
        Problem::UnknownType(_) => "UnknownType",
        Problem::NameTooLong { .. } => "NameTooLong",
        Problem::DuplicateId { .. } => "DuplicateId",
        Problem::TypeMismatch { .. } => "TypeMismatch",
        Problem::AliasConflict { .. } => "AliasConflict",
        Problem::NearDuplicate { .. } => "NearDuplicate",
    }
}

#[test]
fn every_problem_of_every_broken_file_is_reported_at_once_in_file_order() {
    let dir = fixture("broken");
    let invalid = load_err(&dir);
    let found: Vec<(String, usize, &str)> = invalid
        .diagnostics
        .iter()
        .map(|d| {
            let file = Path::new(&d.location.file).strip_prefix(&dir).expect("inside broken/");
            (file.display().to_string(), d.location.line, kind_of(&d.problem))
        })
        .collect();
    let expected: Vec<(String, usize, &str)> = BROKEN.iter().map(|&(f, l, k)| (f.to_string(), l, k)).collect();
    assert_eq!(found, expected, "\n{}", render(&invalid.diagnostics));
    assert_eq!(invalid.error_count(), BROKEN.len());
    // The error's own message leads with the first problem.
    assert!(invalid.to_string().starts_with(&format!("alias table is invalid: {} error(s), first: ", BROKEN.len())));

    // Every alias file in broken/ contributes at least one error.
    for entry in fs::read_dir(&dir).expect("list broken/") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        // dup_a.toml is where the ids are first defined: the errors are dup_b.toml's.
        if name != "README.md" && name != "dup_a.toml" {
            assert!(BROKEN.iter().any(|(f, _, _)| *f == name), "{name} has no expected error");
        }
    }
}

#[test]
fn a_table_with_any_error_is_never_half_loaded() {
    // A whole valid directory plus one broken file: no table at all, only the one error.
    let broken = fixture("broken/unknown_type.toml");
    let result = load_paths(&[fixture("good"), broken.clone()]);
    let invalid = result.expect_err("one broken file fails the whole table");
    assert_eq!(errors(&invalid).len(), 1);
    assert_eq!(invalid.diagnostics[0].location.file, shown(&broken));

    // The same through in-memory sources.
    let good = Source { name: "good.csv".into(), relative: "good.csv".into(), text: "id,name\na,Alpha Ltd\n".into() };
    let bad = Source { name: "bad.csv".into(), relative: "bad.csv".into(), text: "id,name\nb,\n".into() };
    assert!(load_sources(vec![good.clone()]).is_ok());
    let invalid = load_sources(vec![good, bad]).expect_err("the bad source fails the table");
    assert_eq!(invalid.diagnostics.len(), 1);
    assert_eq!(invalid.diagnostics[0].to_string(), "bad.csv:2: error: name is empty or whitespace-only");
}

// ---------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("list") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}

fn version(path: &Path) -> String {
    load_ok(path).table.version().to_string()
}

#[test]
fn same_content_gives_the_same_version_wherever_it_lives() {
    let (one, two) = (temp_dir(), temp_dir());
    copy_dir(&fixture("good"), one.path());
    copy_dir(&fixture("good"), two.path());
    let first = version(one.path());
    assert_eq!(first.len(), 16);
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(version(one.path()), first, "loading twice");
    assert_eq!(version(two.path()), first, "an identical copy elsewhere");
    assert_eq!(version(&fixture("good")), first, "the original");
}

#[test]
fn a_rewritten_but_unchanged_file_keeps_the_version() {
    let dir = temp_dir();
    copy_dir(&fixture("good"), dir.path());
    let before = version(dir.path());
    let file = dir.path().join("curated.toml");
    let text = fs::read(&file).expect("read");
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&file, &text).expect("rewrite");
    assert_eq!(version(dir.path()), before);
}

#[test]
fn changed_content_changes_the_version() {
    let dir = temp_dir();
    copy_dir(&fixture("good"), dir.path());
    let before = version(dir.path());

    let file = dir.path().join("names.csv");
    let original = fs::read_to_string(&file).expect("read");
    fs::write(&file, format!("{original}place:port-lumen,Port Lumen Harbour,location\n")).expect("append");
    let after_alias = version(dir.path());
    assert_ne!(after_alias, before, "an added alias");

    fs::write(&file, &original).expect("restore");
    assert_eq!(version(dir.path()), before, "restoring the bytes restores the version");

    // A comment is content too: the version follows bytes, not meaning.
    let toml = dir.path().join("nested/more.toml");
    let text = fs::read_to_string(&toml).expect("read");
    fs::write(&toml, format!("{text}# reviewed\n")).expect("append");
    assert_ne!(version(dir.path()), before, "an edited comment");
}

#[test]
fn the_built_in_table_loads_without_errors_and_with_a_stable_version() {
    let first = aliases::load_builtin().expect("the built-in table is valid");
    let second = aliases::load_builtin().expect("the built-in table is valid");
    assert_eq!(first.table.version(), second.table.version());
    assert!(first.table.entities().len() > 300, "countries, organisations and the seed entities");
    assert!(first.warnings.iter().all(|w| w.severity == Severity::Warning));
    // The same bytes loaded from data/ give the same version.
    let from_disk = load_paths(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("data")]).expect("data/ is valid");
    assert_eq!(from_disk.table.version(), first.table.version());
}
