//! `canonym diff`: two small tables that differ by one change of each kind, compared
//! through the built binary in both output modes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cases/diff").join(name)
}

fn diff(extra: &[&str]) -> Output {
    let (before, after) = (fixture("before"), fixture("after"));
    let mut args = vec!["diff", "--before", before.to_str().expect("UTF-8 path")];
    args.extend(["--after", after.to_str().expect("UTF-8 path")]);
    args.extend(extra);
    Command::new(env!("CARGO_BIN_EXE_canonym")).args(&args).output().expect("canonym runs")
}

fn stdout_of(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The lines under each `group (n): ...` header of the terminal output.
fn groups(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines() {
        if let Some(entry) = line.strip_prefix("  ") {
            if let Some(group) = &current {
                groups.entry(String::clone(group)).or_default().push(entry.to_string());
            }
        } else if let Some((header, _)) = line.split_once(" (") {
            current = Some(header.to_string());
        }
    }
    groups
}

#[test]
fn grouped_output_shows_each_kind_of_change_with_counts() {
    let names = fixture("names.txt");
    let text = stdout_of(&diff(&["--names", names.to_str().expect("UTF-8 path")]));
    let groups = groups(&text);
    let expect = |group: &str, start: &str| {
        let entries = groups.get(group).unwrap_or_else(|| panic!("no {group} group in:\n{text}"));
        assert_eq!(entries.len(), 1, "{group}: {entries:?}");
        assert!(entries[0].starts_with(start), "{group}: {}", entries[0]);
    };
    expect("gained", "\"Reuters\": no_match -> org:reuters (1.0000, \"Reuters\")");
    expect("lost", "\"Financial Times\": org:financial-times (1.0000, \"Financial Times\") -> no_match");
    expect("changed entity", "\"Yarmouk\": place:yarmouk-camp (1.0000, \"Yarmouk\") -> place:yarmouk-river (");
    expect("became ambiguous", "\"Assad\": person:bashar-al-assad (1.0000, \"Assad\") -> ambiguous (");
    assert!(text.contains("gained (1): "), "{text}");
    assert!(!text.contains("\"Damascus\""), "an unchanged name is not listed:\n{text}");
    assert!(
        text.contains("4 of 5 name(s) changed: 1 gained, 1 lost, 1 changed entity, 1 became ambiguous"),
        "duplicate and blank lines of --names count once:\n{text}"
    );
}

#[test]
fn jsonl_output_is_one_object_per_changed_name() {
    let names = fixture("names.txt");
    let output = diff(&["--names", names.to_str().expect("UTF-8 path"), "--jsonl"]);
    let text = stdout_of(&output);
    let objects: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    let by_query: BTreeMap<&str, &Value> =
        objects.iter().map(|o| (o["query"].as_str().expect("query is a string"), o)).collect();
    assert_eq!(objects.len(), 4, "{text}");
    let change = |query: &str| by_query[query]["change"].as_str().expect("change is a string");
    assert_eq!(change("Reuters"), "gained");
    assert_eq!(change("Financial Times"), "lost");
    assert_eq!(change("Yarmouk"), "changed_entity");
    assert_eq!(change("Assad"), "became_ambiguous");
    let yarmouk = by_query["Yarmouk"];
    assert_eq!(yarmouk["before"]["entity_id"], "place:yarmouk-camp");
    assert_eq!(yarmouk["after"]["entity_id"], "place:yarmouk-river");
    assert_eq!(yarmouk["after"]["matched_alias"], "Yarmouk");
    let assad = by_query["Assad"];
    assert_eq!(assad["before"]["outcome"], "matched");
    assert_eq!(assad["after"]["outcome"], "ambiguous");
    let contenders: Vec<&str> = assad["after"]["candidates"]
        .as_array()
        .expect("contenders listed")
        .iter()
        .filter_map(|c| c["entity_id"].as_str())
        .collect();
    assert_eq!(contenders, ["person:bashar-al-assad", "person:hafez-al-assad"]);
    assert_eq!(by_query["Financial Times"]["after"]["outcome"], "no_match");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("4 of 5 name(s) changed"), "the summary goes to stderr: {stderr}");
}

#[test]
fn default_names_are_both_tables_names_and_their_case_queries() {
    let text = stdout_of(&diff(&[]));
    let groups = groups(&text);
    let gained = &groups["gained"];
    for name in ["\"Reuters\"", "\"REUTERS\"", "\"Hafez al-Assad\"", "\"Yarmouk River\""] {
        assert!(gained.iter().any(|e| e.starts_with(name)), "{name} gained:\n{text}");
    }
    assert!(groups["lost"].iter().any(|e| e.starts_with("\"Financial Times\"")), "{text}");
}

#[test]
fn the_same_table_on_both_sides_changes_nothing() {
    let before = fixture("before");
    let path = before.to_str().expect("UTF-8 path");
    let output = Command::new(env!("CARGO_BIN_EXE_canonym"))
        .args(["diff", "--before", path, "--after", path])
        .output()
        .expect("canonym runs");
    let text = stdout_of(&output);
    assert_eq!(text.trim(), "0 of 6 name(s) changed", "{text}");
}

#[test]
fn a_broken_table_stops_the_diff_with_its_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("broken.toml"), "[[entity]]\nid = \"x\"\n").expect("write");
    let after = dir.path().to_str().expect("UTF-8 path");
    let output = Command::new(env!("CARGO_BIN_EXE_canonym"))
        .args(["diff", "--before", fixture("before").to_str().expect("UTF-8 path"), "--after", after])
        .output()
        .expect("canonym runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.toml:1"), "{stderr}");
    assert!(stderr.contains("--after table"), "{stderr}");
}
