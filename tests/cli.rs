//! The `canonym` binary end to end: `check` output and exit codes, `resolve` and
//! `compare` on stdin (plain lines and --jsonl), and argument errors.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs the binary from the repository root with `stdin` as input.
fn run(args: &[&str], stdin: impl AsRef<[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_canonym"))
        .args(args)
        .current_dir(ROOT)
        .env_remove("CANONYM_ALIASES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run canonym");
    let mut input = child.stdin.take().expect("stdin");
    // A command that fails on its arguments exits without reading: a broken pipe is fine.
    if let Err(err) = input.write_all(stdin.as_ref()) {
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {err}");
    }
    drop(input);
    child.wait_with_output().expect("wait for canonym")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

/// Every stdout line parsed as one JSON object.
fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

/// The table summary line, `<what>: N entities, M aliases, E error(s), W warning(s)`.
fn summary<'a>(text: &'a str, what: &str) -> &'a str {
    let prefix = format!("{what}: ");
    text.lines()
        .find(|l| l.starts_with(&prefix) && l.contains(" entities, ") && l.ends_with(" warning(s)"))
        .unwrap_or_else(|| panic!("no summary line for {what} in:\n{text}"))
}

fn keys(object: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

// ---------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------

#[test]
fn check_passes_on_data_and_prints_a_summary() {
    let output = run(&["check", "data/"], "");
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    let text = stdout(&output);
    let summary = summary(&text, "data/");
    assert!(summary.contains(", 0 error(s), "), "{summary}");
    // Nothing is an error; the warnings are in file:line form.
    assert!(!text.contains(": error: "), "{text}");
    for line in text.lines().filter(|l| l.contains(": warning: ")) {
        assert!(line.starts_with("data/"), "{line}");
    }
}

#[test]
fn check_without_a_path_checks_the_built_in_table() {
    let output = run(&["check"], "");
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    let text = stdout(&output);
    let builtin = summary(&text, "built-in table");
    assert!(builtin.contains(", 0 error(s), "), "{builtin}");
    // The built-in table is data/ embedded: same counts.
    let disk = stdout(&run(&["check", "data/"], ""));
    let counts = |s: &str| s.split_once(": ").map(|(_, rest)| rest.to_string());
    assert_eq!(counts(builtin), counts(summary(&disk, "data/")));
}

#[test]
fn check_on_a_valid_fixture_counts_entities_and_aliases() {
    let output = run(&["check", "tests/data/aliases/good"], "");
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    let what = "tests/data/aliases/good";
    assert_eq!(summary(&text, what), format!("{what}: 13 entities, 12 aliases, 0 error(s), 0 warning(s)"));
    assert!(!text.contains(": error: ") && !text.contains(": warning: "), "{text}");
}

#[test]
fn check_on_broken_files_exits_1_and_prints_every_error_as_file_line() {
    let output = run(&["check", "tests/data/aliases/broken"], "");
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let text = stdout(&output);
    let b = "tests/data/aliases/broken";
    let expected = [
        format!("{b}/bad.jsonl:2:49: error: EOF while parsing an object"),
        format!("{b}/bad.jsonl:3: error: missing `name`"),
        format!("{b}/bad.jsonl:4: error: missing `id`"),
        format!("{b}/bad.jsonl:5: error: unknown entity type `corporation`"),
        format!("{b}/blank.tsv:2: error: name is empty or whitespace-only"),
        format!("{b}/conflict.toml:11:12: error: name `MERIDIAN` of `org:second-owner` is also `Meridian` of `org:first-owner` at {b}/conflict.toml:5:12"),
        format!("{b}/dup_b.toml:2:1: error: duplicate entity id `org:twice`, first defined at {b}/dup_a.toml:1:1"),
        format!("{b}/dup_b.toml:7:1: error: entity `org:two-types` has type person here but organization at {b}/dup_a.toml:6:1"),
        format!("{b}/empty.toml:1:1: error: name is empty or whitespace-only"),
        format!("{b}/empty.toml:5:1: error: id is empty or whitespace-only"),
        format!("{b}/empty.toml:13:3: error: name is empty or whitespace-only"),
        format!("{b}/missing.toml:1:1: error: missing `id`"),
        format!("{b}/missing.toml:5:1: error: missing `name`"),
        format!("{b}/rows.csv:3: error: entity `org:csv-rows` has type person here but organization at {b}/rows.csv:2"),
        format!("{b}/rows.csv:4: error: row has too few fields"),
        format!("{b}/syntax.toml:3:21: error: invalid basic string"),
        format!("{b}/unknown_alias_key.toml:7:19: error: unknown field `exat`"),
        format!("{b}/unknown_column.csv:1: error: unknown field `country`"),
        format!("{b}/unknown_entity_key.toml:5:1: error: unknown field `alises`"),
        format!("{b}/unknown_type.toml:1:1: error: unknown entity type `company`"),
    ];
    let errors: Vec<&str> = text.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), expected.len(), "{text}");
    for (line, prefix) in errors.iter().zip(&expected) {
        assert!(line.starts_with(prefix.as_str()), "expected `{prefix}...`, got `{line}`");
    }
    assert_eq!(summary(&text, b), format!("{b}: 0 entities, 0 aliases, {} error(s), 0 warning(s)", expected.len()));
}

#[test]
fn check_on_a_missing_path_exits_1_with_the_path() {
    let output = run(&["check", "tests/data/aliases/no-such-dir"], "");
    assert_eq!(code(&output), 1);
    assert!(
        stdout(&output).starts_with("tests/data/aliases/no-such-dir:1: error: cannot read: "),
        "{}",
        stdout(&output)
    );
}

// ---------------------------------------------------------------------------------------
// resolve
// ---------------------------------------------------------------------------------------

const RESOLUTION_KEYS: [&str; 8] =
    ["candidates", "entity_id", "matched_alias", "method", "name", "outcome", "query", "score"];

#[test]
fn resolve_answers_each_line_in_input_order_with_every_field() {
    let output = run(&["resolve"], "Islamic State\nDaesh\nCongo\nZzyzx Qwerty Holdings\nal nusra front\n");
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(answers.len(), 5);
    for answer in &answers {
        assert_eq!(keys(answer), RESOLUTION_KEYS, "{answer}");
    }

    let exact = &answers[0];
    assert_eq!(exact["query"], "Islamic State");
    assert_eq!(exact["outcome"], "matched");
    assert_eq!(exact["entity_id"], "org:islamic-state");
    assert_eq!(exact["name"], "Islamic State");
    assert_eq!(exact["matched_alias"], "Islamic State");
    assert_eq!(exact["method"], "exact");
    assert_eq!(exact["score"], 1.0);
    assert_eq!(exact["candidates"], Value::Array(vec![]));

    let alias = &answers[1];
    assert_eq!(
        (&alias["entity_id"], &alias["name"], &alias["matched_alias"]),
        (&"org:islamic-state".into(), &"Islamic State".into(), &"Daesh".into())
    );

    // A name two countries share: ambiguous, no entity, both contenders listed.
    let shared = &answers[2];
    assert_eq!(shared["outcome"], "ambiguous");
    assert_eq!(shared["entity_id"], Value::Null);
    assert_eq!(shared["method"], Value::Null);
    let contenders: Vec<&str> =
        shared["candidates"].as_array().expect("array").iter().map(|c| c["entity_id"].as_str().expect("id")).collect();
    assert_eq!(contenders, ["country:CD", "country:CG"]);

    let nothing = &answers[3];
    assert_eq!(nothing["outcome"], "no_match");
    assert_eq!((&nothing["entity_id"], &nothing["name"]), (&Value::Null, &Value::Null));

    let normalized = &answers[4];
    assert_eq!(normalized["outcome"], "matched");
    assert_eq!(normalized["entity_id"], "org:nusra-front");
    assert_eq!(normalized["method"], "normalized");
}

#[test]
fn resolve_keeps_input_order_over_many_lines() {
    let names = ["Hamas", "Damascus", "Reuters", "nobody in particular", "Yarmouk", "UNRWA"];
    let input: String = (0..3000).map(|i| format!("{}\n", names[i % names.len()])).collect();
    let output = run(&["resolve", "--threads", "2"], &input);
    assert_eq!(code(&output), 0);
    let answers = json_lines(&output);
    assert_eq!(answers.len(), 3000);
    for (i, answer) in answers.iter().enumerate() {
        assert_eq!(answer["query"], names[i % names.len()], "line {}", i + 1);
    }
}

#[test]
fn resolve_with_aliases_uses_that_table() {
    let input = "ASC\nStar Lines\nHamas\nasc\n";
    let output = run(&["resolve", "--aliases", "tests/data/aliases/good", "--candidates", "3"], input);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(answers[0]["entity_id"], "org:acme-shipping");
    assert_eq!(answers[0]["method"], "exact", "an exact-only alias, written as in the file");
    assert_eq!(answers[1]["outcome"], "ambiguous");
    assert_eq!(answers[2]["outcome"], "no_match", "Hamas is in the built-in table, not in this one");
    assert_eq!((&answers[3]["entity_id"], &answers[3]["method"]), (&"org:acme-shipping".into(), &"normalized".into()));
}

#[test]
fn resolve_reports_a_bad_line_and_goes_on() {
    let input = concat!(
        "{\"query\": \"Hamas\"}\n",
        "this is not JSON\n",
        "{\"query\": \"Reuters\", \"type\": \"organization\"}\n",
        "{\"query\": \"   \"}\n",
        "{\"query\": \"Hamas\", \"type\": \"planet\"}\n",
        "{\"query\": \"Damascus\", \"type\": \"person\"}\n",
    );
    let output = run(&["resolve", "--jsonl"], input);
    // Every line is answered; the run then says which lines were bad, and fails.
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(
        stderr(&output).lines().collect::<Vec<_>>(),
        [
            "<stdin>:2: not a JSON object with a \"query\" string: expected ident at line 1 column 2",
            "<stdin>:4: name is empty or whitespace-only",
            "<stdin>:5: unknown entity type `planet` (expected organization, person, location, vessel or other)",
            "<stdin>: 3 of 6 line(s) answered with an error",
        ]
    );
    let answers = json_lines(&output);
    assert_eq!(answers.len(), 6);
    assert_eq!(answers[0]["entity_id"], "org:hamas");

    assert_eq!(answers[1]["outcome"], "error");
    assert_eq!(answers[1]["line"], 2);
    assert!(answers[1]["error"].as_str().expect("message").starts_with("not a JSON object"), "{}", answers[1]);

    assert_eq!(answers[2]["entity_id"], "org:reuters");

    assert_eq!((&answers[3]["outcome"], &answers[3]["line"]), (&"error".into(), &4.into()));
    assert_eq!(answers[3]["query"], "   ");
    assert_eq!(answers[4]["outcome"], "error");
    assert!(answers[4]["error"].as_str().expect("message").contains("unknown entity type `planet`"));

    // The type filter: Damascus is a location, so no person answers.
    assert_eq!(answers[5]["outcome"], "no_match");
}

#[test]
fn a_line_not_in_utf8_is_refused_not_guessed_at() {
    // "Hamés" in Latin-1: read with a replacement character it found other entities.
    let output = run(&["resolve"], b"Ham\xe9s\nHamas\n");
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(answers[0]["outcome"], "error");
    assert_eq!(answers[0]["error"], "invalid UTF-8: invalid utf-8 sequence of 1 bytes from index 3");
    assert_eq!(answers[1]["entity_id"], "org:hamas");
    assert!(stderr(&output).starts_with("<stdin>:1: invalid UTF-8"), "{}", stderr(&output));

    let output = run(&["compare"], b"Hamas\tHam\xe9s\n");
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(keys(&answers[0]), ["error", "left", "line", "match", "outcome", "right"]);
    assert_eq!(answers[0]["error"], "invalid UTF-8: invalid utf-8 sequence of 1 bytes from index 9");
}

#[test]
fn resolve_on_a_broken_table_exits_2_and_prints_the_errors() {
    let output = run(&["resolve", "--aliases", "tests/data/aliases/broken/unknown_type.toml"], "x\n");
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    let err = stderr(&output);
    assert!(
        err.contains("tests/data/aliases/broken/unknown_type.toml:1:1: error: unknown entity type `company`"),
        "{err}"
    );
    assert!(err.contains("canonym: the alias table has 1 error(s)"), "{err}");
}

// ---------------------------------------------------------------------------------------
// compare
// ---------------------------------------------------------------------------------------

#[test]
fn compare_scores_tab_separated_pairs() {
    let input = "Jabhat al-Nusra\tjabhat al nusra\nAknaf Beit al-Makdis\tAknaf Bayt al-Maqdis\nHafez al-Assad\tBashar al-Assad\nno tab here\n";
    let output = run(&["compare"], input);
    assert_eq!(code(&output), 1, "the line without a tab: {}", stderr(&output));
    assert!(stderr(&output).starts_with("<stdin>:4: expected two names separated by a tab\n"), "{}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(answers.len(), 4);
    for answer in &answers[..3] {
        assert_eq!(keys(answer), ["left", "match", "method", "right", "score"], "{answer}");
    }
    assert_eq!((&answers[0]["left"], &answers[0]["right"]), (&"Jabhat al-Nusra".into(), &"jabhat al nusra".into()));
    assert_eq!(
        (&answers[0]["score"], &answers[0]["match"], &answers[0]["method"]),
        (&1.0.into(), &true.into(), &"normalized".into())
    );

    assert_eq!(answers[1]["match"], true);
    assert_eq!(answers[1]["method"], "romanized");

    // Father and son share a family name: not the same person.
    assert_eq!(answers[2]["match"], false);
    assert!(answers[2]["score"].as_f64().expect("score") < 0.82);

    assert_eq!(answers[3]["outcome"], "error");
    assert_eq!(answers[3]["line"], 4);
    assert_eq!((&answers[3]["left"], &answers[3]["match"]), (&Value::Null, &Value::Null), "{}", answers[3]);
}

#[test]
fn compare_says_which_name_of_a_pair_it_refuses() {
    let output = run(&["compare"], "Syria\t...\n\tSyria\nSyria\tSyrie\n");
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert!(stderr(&output).ends_with("<stdin>: 2 of 3 line(s) answered with an error\n"), "{}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(answers.len(), 3);
    let refused = |answer: &Value, side: &str| {
        assert_eq!(answer["outcome"], "error", "{answer}");
        let error = answer["error"].as_str().expect("message");
        assert!(error.starts_with(&format!("{side} name: ")), "{answer}");
    };
    refused(&answers[0], "right");
    assert_eq!((&answers[0]["left"], &answers[0]["right"]), (&"Syria".into(), &"...".into()));
    refused(&answers[1], "left");
    assert_eq!(answers[1]["right"], "Syria");
    assert_eq!(answers[2]["match"], true, "{}", answers[2]);
}

#[test]
fn compare_reads_json_pairs() {
    let input = concat!(
        "{\"left\": \"Bashar al-Assad\", \"right\": \"Bachar el-Assad\"}\n",
        "{\"left\": \"only one side\"}\n",
        "{\"left\": \"Saeb Erekat\", \"right\": \"Saeb Erakat\", \"type\": \"person\"}\n",
        "{\"left\": \"Saeb Erekat\", \"right\": \"Saeb Erakat\", \"type\": \"planet\"}\n",
    );
    let output = run(&["compare", "--jsonl"], input);
    assert_eq!(code(&output), 1, "two pairs are refused: {}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(answers.len(), 4);
    assert_eq!(answers[0]["match"], true, "{}", answers[0]);
    // What could be read of a refused pair is echoed.
    assert_eq!(answers[1]["outcome"], "error");
    assert!(answers[1]["error"].as_str().expect("message").contains("\"right\""), "{}", answers[1]);
    assert_eq!((&answers[1]["left"], &answers[1]["right"]), (&"only one side".into(), &Value::Null));
    assert_eq!(answers[2]["match"], true, "{}", answers[2]);
    assert_eq!(answers[3]["outcome"], "error");
    assert!(answers[3]["error"].as_str().expect("message").contains("planet"), "{}", answers[3]);
    assert_eq!(answers[3]["right"], "Saeb Erakat");
}

#[test]
fn compare_without_a_type_reads_a_name_written_family_first_as_a_persons() {
    let pair = |kind: &str| {
        let kind = if kind.is_empty() { String::new() } else { format!(", \"type\": \"{kind}\"") };
        format!("{{\"left\": \"DUHOPEL, Duhal\", \"right\": \"DUHOPEL, Duhal Kemar Ostin\"{kind}}}\n")
    };
    let score = |kind: &str| json_lines(&run(&["compare", "--jsonl"], pair(kind)))[0]["score"].as_f64().expect("score");
    // Dropped middle names are how one person's name is shortened.
    assert_eq!(score(""), score("person"));
    assert!(score("") > score("organization"), "{} / {}", score(""), score("organization"));
    assert_eq!(json_lines(&run(&["compare", "--jsonl"], pair("")))[0]["match"], true);
}

#[test]
fn compare_threshold_decides_match() {
    let pair = "Hafez al-Assad\tBashar al-Assad\n";
    let default = json_lines(&run(&["compare"], pair));
    let score = default[0]["score"].as_f64().expect("score");
    let lenient = json_lines(&run(&["compare", &format!("--threshold={}", score - 0.01)], pair));
    assert_eq!(lenient[0]["match"], true);
    assert_eq!(lenient[0]["score"], default[0]["score"], "the threshold changes the decision, not the score");
}

// ---------------------------------------------------------------------------------------
// Bad arguments
// ---------------------------------------------------------------------------------------

#[test]
fn bad_arguments_exit_2_with_a_message() {
    let cases: [(&[&str], &str); 6] = [
        (&["resolve", "--threshold", "2"], "--threshold 2 is outside [0, 1]"),
        (&["compare", "--threshold=-0.1"], "--threshold -0.1 is outside [0, 1]"),
        (&["resolve", "--candidates", "101"], "--candidates 101 is over the limit of 100"),
        (&["resolve", "--type", "planet"], "unknown entity type `planet`"),
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (&["resolve", "--threshold", "high"], "invalid value 'high'"),
    ];
    for (args, message) in cases {
        let output = run(args, "Hamas\n");
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}: {}", stdout(&output));
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn the_binary_runs_from_any_directory_on_its_built_in_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_canonym"))
        .args(["check"])
        .current_dir(dir.path())
        .env_remove("CANONYM_ALIASES")
        .output()
        .expect("run canonym");
    assert_eq!(output.status.code(), Some(0));
    assert!(Path::new(ROOT).join("data").is_dir());
}
