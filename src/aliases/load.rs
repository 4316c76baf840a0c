//! From paths (or the embedded data/) to sources, and from sources to a validated table.

use std::fs;
use std::path::{Path, PathBuf};

use super::diagnostic::{Diagnostic, InvalidTable, Problem};
use super::model::{AliasTable, Entity, Location};
use super::{csv_format, jsonl, toml_format, validate};

/// One file's text and the name it is reported under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name shown in diagnostics: the path as given, or `builtin:<file>`.
    pub name: String,
    /// The file's path relative to the root it was found under, for the version hash.
    pub relative: String,
    /// The file's text.
    pub text: String,
}

/// What a file holds, decided by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Curated `[[entity]]` TOML.
    Toml,
    /// Bulk JSON lines.
    Jsonl,
    /// Comma-separated rows.
    Csv,
    /// Tab-separated rows.
    Tsv,
    /// Expectation cases (`*.cases.toml` or anything under a `cases/` folder): not entities.
    Cases,
}

impl SourceKind {
    /// The kind of a file by its path, or `None` for files no format claims.
    pub fn of(path: &str) -> Option<SourceKind> {
        let lower = path.to_ascii_lowercase();
        let in_cases_dir = lower.split(['/', '\\']).rev().skip(1).any(|part| part == "cases");
        if lower.ends_with(".cases.toml") || (in_cases_dir && lower.ends_with(".toml")) {
            return Some(SourceKind::Cases);
        }
        let extension = lower.rsplit_once('.').map(|(_, ext)| ext)?;
        match extension {
            "toml" => Some(SourceKind::Toml),
            "jsonl" | "ndjson" => Some(SourceKind::Jsonl),
            "csv" => Some(SourceKind::Csv),
            "tsv" => Some(SourceKind::Tsv),
            _ => None,
        }
    }
}

/// A table that loaded, with the warnings a curator should still look at.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated table.
    pub table: AliasTable,
    /// Warnings (never errors).
    pub warnings: Vec<Diagnostic>,
    /// The sources it was built from, cases included (for `check` and reloads).
    pub sources: Vec<Source>,
}

/// Reads every alias file under the given paths (files, or directories walked
/// recursively, by extension) and validates them as one table.
pub fn load_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Loaded, InvalidTable> {
    let (sources, mut diagnostics) = read_sources(paths);
    let result = load_sources(sources);
    match result {
        Ok(loaded) if diagnostics.is_empty() => Ok(loaded),
        Ok(loaded) => {
            diagnostics.extend(loaded.warnings);
            Err(sorted(diagnostics))
        }
        Err(invalid) => {
            diagnostics.extend(invalid.diagnostics);
            Err(sorted(diagnostics))
        }
    }
}

/// Validates a set of sources as one table; never half-loads: any error, no table.
pub fn load_sources(sources: Vec<Source>) -> Result<Loaded, InvalidTable> {
    let mut diagnostics = Vec::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut equivalences = Vec::new();
    for source in &sources {
        let parsed = parse_source(source, &mut diagnostics);
        entities.extend(parsed.entities);
        equivalences.extend(parsed.equivalences);
    }
    validate::validate(&entities, &mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(sorted(diagnostics));
    }
    let version = version_of(&sources);
    Ok(Loaded {
        table: AliasTable::new(entities, equivalences, version),
        warnings: sorted_warnings(diagnostics),
        sources,
    })
}

fn parse_source(source: &Source, diagnostics: &mut Vec<Diagnostic>) -> toml_format::Parsed {
    let file = source.name.as_str();
    let entities = match SourceKind::of(&source.relative) {
        Some(SourceKind::Toml) => return toml_format::parse(file, &source.text, diagnostics),
        Some(SourceKind::Jsonl) => jsonl::parse(file, &source.text, diagnostics),
        Some(SourceKind::Csv) => csv_format::parse(file, &source.text, b',', diagnostics),
        Some(SourceKind::Tsv) => csv_format::parse(file, &source.text, b'\t', diagnostics),
        Some(SourceKind::Cases) => Vec::new(),
        None => {
            diagnostics.push(Diagnostic::error(Location::line(file, 1), Problem::UnsupportedFile));
            Vec::new()
        }
    };
    toml_format::Parsed { entities, equivalences: Vec::new() }
}

/// The version is a hash of every file's relative path and bytes, in path order, so it
/// changes exactly when content changes (touching a file does not change it).
fn version_of(sources: &[Source]) -> String {
    let mut ordered: Vec<&Source> = sources.iter().collect();
    ordered.sort_by(|a, b| a.relative.cmp(&b.relative));
    let mut hasher = blake3::Hasher::new();
    for source in ordered {
        hasher.update(source.relative.as_bytes());
        hasher.update(&[0]);
        hasher.update(&(source.text.len() as u64).to_le_bytes());
        hasher.update(source.text.as_bytes());
    }
    super::version_from_hash(hasher)
}

/// Lists and reads the files under the paths, reporting the unreadable ones.
pub fn read_sources<P: AsRef<Path>>(paths: &[P]) -> (Vec<Source>, Vec<Diagnostic>) {
    let mut sources = Vec::new();
    let mut diagnostics = Vec::new();
    for root in paths {
        let root = root.as_ref();
        let mut files = Vec::new();
        if root.is_dir() {
            if let Err(err) = walk(root, &mut files) {
                diagnostics.push(unreadable(root, &err));
            }
            files.sort();
            if files.is_empty() {
                diagnostics.push(Diagnostic::error(Location::line(root.display().to_string(), 1), Problem::NoFiles));
            }
        } else {
            files.push(root.to_path_buf());
        }
        for file in files {
            let relative = relative_name(root, &file);
            match fs::read(&file) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => sources.push(Source { name: file.display().to_string(), relative, text }),
                    Err(err) => diagnostics.push(Diagnostic::error(
                        Location::line(file.display().to_string(), 1),
                        Problem::Unreadable(format!("not UTF-8 text ({err})")),
                    )),
                },
                Err(err) => diagnostics.push(unreadable(&file, &err)),
            }
        }
    }
    (sources, diagnostics)
}

/// Collects files whose names a format claims; editors' backups and READMEs are skipped.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files)?;
        } else if SourceKind::of(&path.to_string_lossy()).is_some() {
            files.push(path);
        }
    }
    Ok(())
}

fn relative_name(root: &Path, file: &Path) -> String {
    let relative = if root == file {
        file.file_name().map(PathBuf::from).unwrap_or_else(|| file.to_path_buf())
    } else {
        file.strip_prefix(root).unwrap_or(file).to_path_buf()
    };
    relative.to_string_lossy().replace('\\', "/")
}

fn unreadable(path: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Location::line(path.display().to_string(), 1), Problem::Unreadable(err.to_string()))
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> InvalidTable {
    diagnostics.sort_by(|a, b| a.location.cmp(&b.location));
    InvalidTable { diagnostics }
}

fn sorted_warnings(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    sorted(diagnostics).diagnostics
}
