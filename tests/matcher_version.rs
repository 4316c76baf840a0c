//! The service promises that the same `table_version` and `matcher_version` give the
//! same answers (proto/canonym/v1/resolver.proto). `matcher_version` is the crate's
//! version, so any change to matching behaviour must come with a new version in
//! Cargo.toml. This test pins a digest of the answers to a few hundred queries, on the
//! accuracy fixture's table and on the built-in one, to the version they were given by:
//! a change to any answer fails it until both the version and the digest are updated.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use canonym::aliases::{self, load_paths};
use canonym::matcher::{MatchConfig, Matcher, Query};

/// The version the answers below were given by, and their digest.
const PINNED_VERSION: &str = "0.3.0";
const PINNED_ANSWERS: &str = "6fb8ae667205828ea8fef2dc0d53b3cca9888923f711125a0eab858ee022ae5f";

fn fixture(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(path)
}

fn lines(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(path)).expect("the fixture is in the repository");
    text.lines().filter(|line| !line.trim().is_empty()).map(str::to_string).collect()
}

/// Every answer of `matcher` to `queries`, written out in full: outcome, ranked
/// candidates with their scores, methods and matched names, and the word alignment.
fn write_answers(out: &mut String, matcher: &Matcher, queries: &[String]) {
    for query in queries {
        let answer = matcher.resolve(&Query { max_candidates: 5, explain: true, ..Query::new(query) });
        writeln!(out, "{query}\t{answer:?}").expect("a String takes any text");
    }
}

#[test]
fn answers_change_only_with_the_matcher_version() {
    let accuracy_queries: Vec<String> = lines("accuracy/queries.jsonl")
        .iter()
        .map(|line| {
            let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            case["query"].as_str().expect("a query").to_string()
        })
        .collect();
    let accuracy_table = load_paths(&[fixture("accuracy/entities.jsonl")]).expect("the accuracy table loads");
    let builtin = aliases::load_builtin().expect("the built-in table loads");
    let mut answers = String::new();
    write_answers(
        &mut answers,
        &Matcher::new(Arc::new(accuracy_table.table), MatchConfig::default()),
        &accuracy_queries,
    );
    write_answers(
        &mut answers,
        &Matcher::new(Arc::new(builtin.table), MatchConfig::default()),
        &lines("world/not_in_the_table.txt"),
    );
    let digest = blake3::hash(answers.as_bytes()).to_hex().to_string();
    assert_eq!(
        (env!("CARGO_PKG_VERSION"), digest.as_str()),
        (PINNED_VERSION, PINNED_ANSWERS),
        "answers changed: give the matcher a new version in Cargo.toml, then pin it and this digest here"
    );
}
