//! `dedupe`, through the library and through the built binary: records pass through
//! whole, known names get the table's ids, unknown variants share stable cluster ids,
//! chains of links never join far names, bad records come back as errors, and the
//! suggestions load with `canonym check`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use canonym::aliases::{self, AliasTable, Entity, EntityType, Location, Name};
use canonym::dedupe::{self, records, DedupeConfig, Format, Linkage, MatchKind, NameTally, NameVerdict};
use canonym::matcher::{MatchConfig, Matcher, Outcome, Query};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dedupe").join(name)
}

fn table_matcher() -> Matcher {
    let loaded = aliases::load_paths(&[fixture("table.toml")]).expect("the fixture table is valid");
    Matcher::new(Arc::new(loaded.table), MatchConfig::default())
}

/// Runs `canonym dedupe` with the fixture table; `stdin` is fed when given.
fn dedupe_cli(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let table = fixture("table.toml");
    let mut command = Command::new(env!("CARGO_BIN_EXE_canonym"));
    command.arg("dedupe").arg("--aliases").arg(&table).args(args);
    command.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(bytes).expect("stdin accepts the input");
    }
    child.wait_with_output().expect("the binary finishes")
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    // Invalid UTF-8 is passed through as it came, so read bytes.
    reader
        .byte_records()
        .map(|r| r.expect("output is CSV").iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect())
        .collect()
}

fn json_lines(bytes: &[u8]) -> Vec<serde_json::Map<String, Value>> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("output lines are JSON objects"))
        .collect()
}

/// name -> (entity_id, match) from CSV output with the header `id,name,...`.
fn labels_by_name(rows: &[Vec<String>]) -> HashMap<String, (String, String)> {
    let header = &rows[0];
    let column = |name: &str| header.iter().position(|h| h == name).expect("column present");
    let (name, id, kind) = (column("name"), column("entity_id"), column("match"));
    rows[1..].iter().map(|r| (r[name].clone(), (r[id].clone(), r[kind].clone()))).collect()
}

#[test]
fn csv_records_pass_through_whole_with_the_label_columns_after() {
    let input = fixture("records.csv");
    let output =
        dedupe_cli(&["--input", input.to_str().expect("UTF-8 path"), "--format", "csv", "--output", "-"], None);
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let written = csv_rows(&output.stdout);
    let read = csv_rows(&std::fs::read(&input).expect("test step"));
    assert_eq!(written.len(), read.len(), "one output row per input row");
    let mut expected_header = read[0].clone();
    expected_header.extend(records::ADDED_COLUMNS.iter().map(|c| c.to_string()));
    assert_eq!(written[0], expected_header);
    for (out, original) in written[1..].iter().zip(&read[1..]) {
        assert_eq!(&out[..original.len()], &original[..], "fields kept, in order");
        assert!(["known", "clustered", "singleton"].contains(&out[original.len() + 2].as_str()), "{out:?}");
        assert!(!out[original.len()].is_empty(), "every good record gets an entity id: {out:?}");
    }
}

#[test]
fn jsonl_records_keep_their_keys_in_order_with_the_label_keys_after() {
    let input = fixture("records.jsonl");
    let output =
        dedupe_cli(&["--input", input.to_str().expect("UTF-8 path"), "--format", "jsonl", "--output", "-"], None);
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let written = json_lines(&output.stdout);
    let read = json_lines(&std::fs::read(&input).expect("test step"));
    assert_eq!(written.len(), read.len());
    for (out, original) in written.iter().zip(&read) {
        let keys: Vec<&String> = out.keys().collect();
        let mut expected: Vec<&String> = original.keys().collect();
        let added: Vec<String> = ["entity_id", "entity_name", "match", "score"].map(String::from).to_vec();
        expected.extend(added.iter());
        assert_eq!(keys, expected);
        for (key, value) in original {
            assert_eq!(&out[key], value, "value of `{key}` kept");
        }
    }
}

#[test]
fn known_names_get_the_entity_resolve_gives_them() {
    let matcher = table_matcher();
    let names = [
        "Northwind Traders",
        "Нортвинд Трейдерс",
        "Ivan Petrov",
        "Иван Петров",
        "Blue Ocean Trading",
        "Zephyr Analytics",
    ];
    let mut tally = NameTally::new();
    for name in names {
        tally.add(name);
    }
    let labels = dedupe::dedupe(&matcher, tally, &DedupeConfig::default(), &());
    let mut known = 0;
    for name in names {
        let resolution = matcher.resolve(&Query::new(name)).expect("test step");
        let NameVerdict::Labelled(label) = labels.verdict(name) else { panic!("{name} has a label") };
        match (resolution.outcome, resolution.best) {
            (Outcome::Matched, Some(best)) => {
                known += 1;
                assert_eq!(label.kind, MatchKind::Known, "{name}");
                assert_eq!(label.entity_id, best.entity_id, "{name}");
                assert_eq!(label.entity_name, best.name, "{name}");
            }
            _ => {
                assert_ne!(label.kind, MatchKind::Known, "{name}");
                assert!(label.entity_id.starts_with("new:"), "{name}: {}", label.entity_id);
            }
        }
    }
    assert_eq!(known, 4, "the four table names are known");
}

#[test]
fn the_binary_labels_table_names_with_their_ids() {
    let input = fixture("records.csv");
    let output =
        dedupe_cli(&["--input", input.to_str().expect("UTF-8 path"), "--format", "csv", "--output", "-"], None);
    let labels = labels_by_name(&csv_rows(&output.stdout));
    let matcher = table_matcher();
    for (name, (id, kind)) in &labels {
        let resolution = matcher.resolve(&Query::new(name)).expect("test step");
        if let Some(best) = resolution.best {
            assert_eq!((id.as_str(), kind.as_str()), (best.entity_id.as_str(), "known"), "{name}");
        } else {
            assert!(id.starts_with("new:"), "{name}: {id}");
        }
    }
    assert_eq!(labels["Нортвинд Трейдерс"].0, labels["Northwind Traders"].0);
}

#[test]
fn unknown_variants_share_one_cluster_and_a_lone_name_is_a_singleton() {
    let input = fixture("records.csv");
    let output =
        dedupe_cli(&["--input", input.to_str().expect("UTF-8 path"), "--format", "csv", "--output", "-"], None);
    let labels = labels_by_name(&csv_rows(&output.stdout));
    let blue = &labels["Blue Ocean Trading"];
    assert!(blue.0.starts_with("new:"));
    assert_eq!(blue.1, "clustered");
    assert_eq!(&labels["BLUE OCEAN TRADING"], blue);
    assert_eq!(&labels["Blue Ocean Tradng"], blue);
    assert_eq!(labels["Hassan Nasrallah Ali"].0, labels["Hassan Nasrallah Aly"].0);
    assert_ne!(labels["Hassan Nasrallah Ali"].0, blue.0);
    assert_eq!(labels["Zephyr Analytics, Inc."].1, "singleton");
}

#[test]
fn cluster_ids_do_not_depend_on_record_order() {
    let text = std::fs::read_to_string(fixture("records.csv")).expect("test step");
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    let directory = tempfile::tempdir().expect("test step");
    let mut runs = Vec::new();
    for shuffle in 0..3 {
        match shuffle {
            1 => lines.reverse(),
            2 => lines.rotate_left(3),
            _ => {}
        }
        let path = directory.path().join(format!("shuffled{shuffle}.csv"));
        std::fs::write(&path, format!("{header}\n{}\n", lines.join("\n"))).expect("test step");
        let output =
            dedupe_cli(&["--input", path.to_str().expect("UTF-8 path"), "--format", "csv", "--output", "-"], None);
        assert!(output.status.success());
        runs.push(labels_by_name(&csv_rows(&output.stdout)));
    }
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}

#[test]
fn stdin_input_gives_the_same_output_as_the_file() {
    let input = fixture("records.jsonl");
    let from_file =
        dedupe_cli(&["--input", input.to_str().expect("UTF-8 path"), "--format", "jsonl", "--output", "-"], None);
    let bytes = std::fs::read(&input).expect("test step");
    let from_stdin = dedupe_cli(&["--input", "-", "--format", "jsonl", "--output", "-"], Some(&bytes));
    assert!(from_stdin.status.success(), "stderr: {}", String::from_utf8_lossy(&from_stdin.stderr));
    assert_eq!(from_file.stdout, from_stdin.stdout);
}

/// A three-node table like the one dedupe builds, to score the names as it will.
fn scores_among(names: [&str; 3]) -> [[f64; 3]; 3] {
    let entities = names
        .iter()
        .enumerate()
        .map(|(i, name)| Entity {
            id: i.to_string(),
            kind: EntityType::Other,
            name: Name::plain(*name, Location::line("test", i + 1)),
            aliases: Vec::new(),
            wikidata: None,
            note: None,
            location: Location::line("test", i + 1),
        })
        .collect();
    let matcher = Matcher::new(Arc::new(AliasTable::from_entities(entities)), MatchConfig::default());
    let mut scores = [[1.0; 3]; 3];
    for a in 0..3 {
        for b in 0..3 {
            if a != b {
                scores[a][b] = matcher.compare(names[a], names[b], None).expect("test step").score;
            }
        }
    }
    scores
}

#[test]
fn a_chain_of_links_never_joins_two_far_names() {
    // A ~ B and B ~ C, but A is far from C: "Hassan Nasrallah" / "Nasrallah Ali".
    let [a, b, c] = ["Hassan Nasrallah", "Hassan Nasrallah Ali", "Nasrallah Ali"];
    for linkage in [Linkage::Average, Linkage::Centre] {
        let mut config = DedupeConfig { linkage, ..DedupeConfig::default() };
        if linkage == Linkage::Centre {
            config.member_floor = config.link_threshold;
        }
        let scores = scores_among([a, b, c]);
        assert!(scores[0][1] >= config.link_threshold, "A~B: {scores:?}");
        assert!(scores[1][2] >= config.link_threshold, "B~C: {scores:?}");
        assert!(scores[0][2] < config.link_threshold, "A far from C: {scores:?}");
        // B, the middle of the chain, is the most frequent: the natural centre.
        let mut tally = NameTally::new();
        tally.add_count(a, 2);
        tally.add_count(b, 5);
        tally.add_count(c, 2);
        let labels = dedupe::dedupe(&matcher_without_table(), tally, &config, &());
        let id = |name: &str| match labels.verdict(name) {
            NameVerdict::Labelled(label) => label.entity_id.to_string(),
            other => panic!("{name}: {other:?}"),
        };
        assert_ne!(id(a), id(c), "{linkage:?}: A and C must not share a cluster");
        assert!(id(b) == id(a) || id(b) == id(c), "{linkage:?}: B joins one side of the chain");
    }
}

#[test]
fn one_entity_s_short_and_long_forms_join_across_a_strong_link_but_far_names_stay_apart() {
    // A made-up company: the long form averages below the bar against the short ones,
    // yet it has a strong link to one of them and nothing far from any.
    let company = [
        "Velmora Tarsk Holding",
        "Velmora Tarsk Holding Group",
        "Velmora Tarsk",
        "Velmora Tarsk Shipping Holding Company",
    ];
    let far = ["Hassan Nasrallah", "Nasrallah Ali"];
    let run = |config: &DedupeConfig| {
        let mut tally = NameTally::new();
        for name in company.iter().chain(&far) {
            tally.add(name);
        }
        let labels = dedupe::dedupe(&matcher_without_table(), tally, config, &());
        let id = |name: &str| match labels.verdict(name) {
            NameVerdict::Labelled(label) => label.entity_id.to_string(),
            other => panic!("{name}: {other:?}"),
        };
        (company.map(id), far.map(id))
    };
    let without_bridges = run(&DedupeConfig { bridge_link: 2.0, ..DedupeConfig::default() });
    assert_ne!(without_bridges.0[0], without_bridges.0[3], "average link alone leaves the long form out");
    let (company_ids, far_ids) = run(&DedupeConfig::default());
    assert!(company_ids.iter().all(|id| *id == company_ids[0]), "{company_ids:?}");
    assert_ne!(far_ids[0], far_ids[1]);
}

fn matcher_without_table() -> Matcher {
    Matcher::new(Arc::new(AliasTable::default()), MatchConfig::default())
}

#[test]
fn the_same_names_in_any_order_get_the_same_labels_from_the_library() {
    let names = ["Blue Ocean Trading", "Blue Ocean Tradng", "Hassan Nasrallah Ali", "Zephyr Analytics", "BLUE OCEAN"];
    let run = |order: &[usize]| {
        let mut tally = NameTally::new();
        for &i in order {
            tally.add(names[i]);
        }
        let labels = dedupe::dedupe(&matcher_without_table(), tally, &DedupeConfig::default(), &());
        names.map(|n| format!("{:?}", labels.verdict(n)))
    };
    assert_eq!(run(&[0, 1, 2, 3, 4]), run(&[4, 3, 2, 1, 0]));
    assert_eq!(run(&[0, 1, 2, 3, 4]), run(&[2, 4, 0, 3, 1]));
}

/// Every name of our accuracy fixture (its table's names and aliases and its queries:
/// a few hundred people, companies and groups, in several scripts): enough variants of
/// enough entities for clustering to form many separate parts of the graph.
fn accuracy_fixture_names() -> Vec<String> {
    let lines = |file: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/accuracy").join(file);
        let text = std::fs::read_to_string(path).expect("the accuracy fixture is in the repository");
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect::<Vec<Value>>()
    };
    let mut names = Vec::new();
    for entity in lines("entities.jsonl") {
        names.extend(entity["name"].as_str().map(str::to_string));
        let aliases = entity["aliases"].as_array().into_iter().flatten();
        names.extend(aliases.filter_map(Value::as_str).map(str::to_string));
    }
    names.extend(lines("queries.jsonl").iter().filter_map(|query| query["query"].as_str().map(str::to_string)));
    names
}

#[test]
fn labels_do_not_depend_on_how_many_threads_cluster_them() {
    // Clustering merges the graph's parts on all cores at once; the clusters must be the
    // ones a single thread makes.
    let names = accuracy_fixture_names();
    assert!(names.len() > 400, "{} names", names.len());
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
        let mut tally = NameTally::new();
        names.iter().for_each(|name| tally.add(name));
        let labels = pool.install(|| dedupe::dedupe(&matcher_without_table(), tally, &DedupeConfig::default(), &()));
        names.iter().map(|n| format!("{:?}", labels.verdict(n))).collect::<Vec<_>>()
    };
    let alone = run(1);
    let clustered = alone.iter().filter(|label| label.contains("Clustered")).count();
    assert!(clustered >= 20, "only {clustered} names clustered: the test would prove little");
    assert_eq!(alone, run(4));
}

#[test]
fn bad_csv_records_come_back_as_errors_with_reasons() {
    let input = fixture("bad.csv");
    let output =
        dedupe_cli(&["--input", input.to_str().expect("UTF-8 path"), "--format", "csv", "--output", "-"], None);
    assert_eq!(output.status.code(), Some(1), "record errors give exit code 1");
    let written = csv_rows(&output.stdout);
    assert_eq!(written.len(), 7, "header and all six records");
    let (kind, reason) = (written[0].len() - 3, written[0].len() - 1);
    let errors: Vec<(&str, &str)> = written[1..]
        .iter()
        .filter(|row| row[kind] == "error")
        .map(|row| (row[0].as_str(), row[reason].as_str()))
        .collect();
    let ids: Vec<&str> = errors.iter().map(|e| e.0).collect();
    assert_eq!(ids, ["2", "3", "4", "7"]);
    assert!(errors.iter().all(|(_, reason)| !reason.is_empty()));
    assert!(errors[0].1.contains("missing column"), "{errors:?}");
    assert!(errors[1].1.contains("empty"), "{errors:?}");
    assert!(errors[2].1.contains("nothing") || errors[2].1.contains("no letter"), "{errors:?}");
    assert!(errors[3].1.contains("UTF-8"), "{errors:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("6 records"), "{stderr}");
    assert!(stderr.contains("4 errors"), "{stderr}");
    assert!(stderr.contains("bad.csv:3: missing column"), "errors are located: {stderr}");
}

#[test]
fn bad_jsonl_lines_come_back_as_errors_with_reasons() {
    let input = fixture("bad.jsonl");
    let output =
        dedupe_cli(&["--input", input.to_str().expect("UTF-8 path"), "--format", "jsonl", "--output", "-"], None);
    assert_eq!(output.status.code(), Some(1));
    let written = json_lines(&output.stdout);
    assert_eq!(written.len(), 6);
    let kinds: Vec<&str> = written.iter().map(|o| o["match"].as_str().expect("test step")).collect();
    assert_eq!(kinds, ["clustered", "error", "error", "error", "error", "clustered"]);
    assert_eq!(written[1]["record"], "this is not json", "an unparseable line is kept as text");
    assert_eq!(written[2]["label"], "no name field");
    assert!(written[1..5].iter().all(|o| o["error"].as_str().is_some_and(|e| !e.is_empty())));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("4 errors"), "{stderr}");
}

#[test]
fn a_header_without_the_name_column_stops_the_run_with_exit_2() {
    let input = fixture("records.csv");
    let output = dedupe_cli(
        &["--input", input.to_str().expect("UTF-8 path"), "--format", "csv", "--column", "nom", "--output", "-"],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("records.csv:1:") && stderr.contains("nom"), "{stderr}");
}

/// Longer than the longest record dedupe holds (1 MiB).
fn longer_than_a_record() -> String {
    "0123456789abcdef".repeat((1 << 20) / 16 + 1)
}

#[test]
fn a_csv_record_too_long_to_hold_is_passed_through_whole_as_an_error() {
    let notes = longer_than_a_record();
    let input =
        format!("id,name,notes\n1,Acme Trading,short\n2,Beta Holdings,\"{notes}, quoted\"\r\n3,Acme Trading,x\n");
    let output = dedupe_cli(&["--input", "-", "--format", "csv", "--output", "-"], Some(input.as_bytes()));
    assert_eq!(output.status.code(), Some(1), "a record error gives exit code 1");
    let rows = csv_rows(&output.stdout);
    assert_eq!(rows.len(), 4, "header and all three records");
    assert_eq!(rows[2][..3], ["2", "Beta Holdings", &format!("{notes}, quoted")], "every byte kept");
    let (kind, reason) = (rows[0].len() - 3, rows[0].len() - 1);
    assert_eq!(rows[2][kind], "error");
    assert!(rows[2][reason].contains("over the limit"), "{:?}", rows[2][reason]);
    assert_eq!([rows[1][kind].as_str(), rows[3][kind].as_str()], ["singleton", "singleton"], "the others labelled");
    assert_eq!(rows[1][3], rows[3][3], "one entity for one name");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("<stdin>:3: the record has"), "the error is located: {stderr}");
}

#[test]
fn a_stray_quote_makes_one_record_of_the_rest_and_nothing_is_lost() {
    let mut input = String::from("id,name\n1,Acme Trading\n2,\"Beta Holdings\n");
    let rest: String = (3..60_000).map(|id| format!("{id},Name {id}\n")).collect();
    input.push_str(&rest);
    let output = dedupe_cli(&["--input", "-", "--format", "csv", "--output", "-"], Some(input.as_bytes()));
    assert_eq!(output.status.code(), Some(1));
    let rows = csv_rows(&output.stdout);
    assert_eq!(rows.len(), 3, "the header, the first record, and the rest as one record");
    assert_eq!(rows[1][1], "Acme Trading");
    assert_eq!(rows[2][1], format!("Beta Holdings\n{rest}"), "the unclosed field holds every byte after it");
    assert_eq!(rows[2][rows[0].len() - 3], "error");
}

#[test]
fn a_jsonl_line_too_long_to_hold_is_kept_as_text_in_an_error_object() {
    let notes = longer_than_a_record();
    let long_line = format!("{{\"name\":\"Beta Holdings\",\"notes\":\"{notes}\u{e9}\"}}");
    let input = format!("{{\"name\":\"Acme Trading\"}}\n{long_line}\r\n{{\"name\":\"Acme Trading\"}}\n");
    let output = dedupe_cli(&["--input", "-", "--format", "jsonl", "--output", "-"], Some(input.as_bytes()));
    assert_eq!(output.status.code(), Some(1));
    let written = json_lines(&output.stdout);
    assert_eq!(written.len(), 3);
    assert_eq!(written[1]["record"], long_line.as_str(), "every byte kept, the line break left out");
    assert_eq!(written[1]["match"], "error");
    assert!(written[1]["error"].as_str().is_some_and(|e| e.contains("over the limit")), "{:?}", written[1]["error"]);
    assert_eq!([&written[0]["match"], &written[2]["match"]], ["singleton", "singleton"]);
    assert_eq!(written[0]["entity_id"], written[2]["entity_id"]);
}

#[test]
fn a_header_too_long_to_hold_stops_the_run_with_exit_2() {
    let input = format!("id,name,{}\n1,Acme\n", longer_than_a_record());
    let output = dedupe_cli(&["--input", "-", "--format", "csv", "--output", "-"], Some(input.as_bytes()));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("<stdin>:1: the header is longer than"), "{stderr}");
}

#[test]
fn suggestions_load_cleanly_with_canonym_check() {
    let directory = tempfile::tempdir().expect("test step");
    let suggestions = directory.path().join("suggested.toml");
    let input = fixture("records.csv");
    let output = dedupe_cli(
        &[
            "--input",
            input.to_str().expect("UTF-8 path"),
            "--format",
            "csv",
            "--output",
            directory.path().join("out.csv").to_str().expect("test step"),
            "--suggest",
            suggestions.to_str().expect("test step"),
            "--suggest-min-names",
            "1",
        ],
        None,
    );
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let check = Command::new(env!("CARGO_BIN_EXE_canonym")).arg("check").arg(&suggestions).output().expect("test step");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    // Next to the table they came from, they still load: no name is claimed twice.
    let loaded = aliases::load_paths(&[suggestions.clone(), fixture("table.toml")]).expect("loads with the table");
    let suggested: Vec<&Entity> = loaded.table.entities().iter().filter(|e| e.id.starts_with("new:")).collect();
    let blue = suggested.iter().find(|e| e.name.text == "Blue Ocean Trading").expect("the biggest cluster");
    let aliases: Vec<&str> = blue.aliases.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(aliases, ["Blue Ocean Tradng"], "one spelling per strict key");
    let text = std::fs::read_to_string(&suggestions).expect("test step");
    assert!(text.contains("# 4 records"), "{text}");
    assert!(suggested.iter().any(|e| e.name.text == "Zephyr Analytics, Inc."), "min names 1 keeps singletons");
}

#[test]
fn the_library_pipeline_reads_and_writes_records_in_two_passes() {
    let matcher = table_matcher();
    let input = std::fs::read(fixture("records.csv")).expect("test step");
    let tally = records::tally(input.as_slice(), Format::Csv, "name", &|_| {}).expect("test step");
    assert_eq!(tally.records(), 10);
    assert_eq!(tally.len(), 9, "Blue Ocean Trading appears twice");
    let labels = dedupe::dedupe(&matcher, tally, &DedupeConfig::default(), &());
    let mut output = Vec::new();
    let summary = records::label_records(input.as_slice(), &mut output, Format::Csv, "name", &labels, &|_| {})
        .expect("test step");
    assert_eq!(summary.records, 10);
    assert_eq!(summary.known + summary.clustered + summary.singleton + summary.errors, 10);
    assert_eq!(summary.known, 3);
    assert_eq!(summary.errors, 0);
}

#[test]
fn pass_two_labels_each_record_by_its_own_name_when_the_records_moved() {
    // Pass 2 takes each record's spelling from pass 1's order only where the text
    // agrees: records reordered (or replaced) between the passes are still labelled by
    // their own names.
    let matcher = table_matcher();
    let input = std::fs::read(fixture("records.csv")).expect("test step");
    let tally = records::tally(input.as_slice(), Format::Csv, "name", &|_| {}).expect("test step");
    let labels = dedupe::dedupe(&matcher, tally, &DedupeConfig::default(), &());
    let label = |records: &[u8]| {
        let mut output = Vec::new();
        let summary =
            records::label_records(records, &mut output, Format::Csv, "name", &labels, &|_| {}).expect("test step");
        (summary, csv_rows(&output))
    };
    let (summary, rows) = label(&input);
    let text = String::from_utf8(input.clone()).expect("fixture is UTF-8");
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    let (moved_summary, moved_rows) = label(format!("{}\n", lines.join("\n")).as_bytes());
    assert_eq!(moved_summary, summary);
    assert_eq!(labels_by_name(&moved_rows), labels_by_name(&rows));
    let mut reversed = rows[1..].to_vec();
    reversed.reverse();
    assert_eq!(moved_rows[1..], reversed[..], "each record comes back with its own label");
}
