//! Expectation cases: parsed with file:line, checked against the table, run against a
//! matcher (library), reported by `canonym check` (binary), and the shipped cases pass.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use canonym::aliases::{self, Loaded};
use canonym::cases::{self, Answer, CaseProblem, CheckError, Expected};
use canonym::matcher::{MatchConfig, Matcher};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cases").join(name)
}

fn load(dir: &Path) -> Loaded {
    aliases::load_paths(&[dir]).expect("fixture table loads")
}

fn matcher(loaded: &Loaded) -> Matcher {
    Matcher::new(Arc::new(loaded.table.clone()), MatchConfig::default())
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|line| line.contains(needle)).expect("needle is in the text") + 1
}

/// How many cases the case files under `dir` write, counted from their text.
fn written_cases(dir: &Path) -> usize {
    let mut count = 0;
    for entry in fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            count += written_cases(&path);
        } else if aliases::SourceKind::of(&path.to_string_lossy()) == Some(aliases::SourceKind::Cases) {
            let text = fs::read_to_string(&path).expect("readable case file");
            count += text.lines().filter(|l| l.trim_start().starts_with("query =") || l.contains("{ query =")).count();
        }
    }
    count
}

/// A temporary alias dir holding the passing fixture's table and one extra case file.
fn table_with_cases(case_file: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let table = fs::read_to_string(fixture("passing/table.toml")).expect("fixture table");
    fs::write(dir.path().join("table.toml"), table).expect("write table");
    fs::write(dir.path().join(case_file), text).expect("write cases");
    dir
}

fn case_errors(dir: &Path) -> Vec<cases::CaseError> {
    let loaded = load(dir);
    match cases::check(&loaded.sources, &matcher(&loaded)) {
        Err(CheckError::Invalid(invalid)) => invalid.errors,
        other => panic!("expected case-file errors, got {other:?}"),
    }
}

fn canonym(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canonym")).args(args).output().expect("canonym runs")
}

#[test]
fn passing_cases_in_both_file_forms_all_pass_and_are_counted() {
    let dir = fixture("passing");
    let loaded = load(&dir);
    let report = cases::check(&loaded.sources, &matcher(&loaded)).expect("every case passes");
    assert_eq!(report.passed, written_cases(&dir));
    assert!(report.passed >= 8, "both the *.cases.toml file and the cases/ folder are read");
    assert!(report.failures.is_empty());
}

#[test]
fn case_files_are_read_with_query_and_expect_lines() {
    let dir = fixture("passing");
    let text = fs::read_to_string(dir.join("people.cases.toml")).expect("fixture");
    let read = cases::read(&load(&dir).sources).expect("cases parse");
    let rifaat = read.iter().find(|c| c.query == "Rifaat al-Assad").expect("case is read");
    assert_eq!(rifaat.location.line, line_of(&text, "query = \"Rifaat al-Assad\""));
    assert_eq!(rifaat.expect_location.line, rifaat.location.line + 1);
    assert_eq!(rifaat.expect, vec![Expected::Ambiguous, Expected::NoMatch]);
    assert_eq!(rifaat.note.as_deref(), Some("another Assad: anything but a wrong person"));
    let filtered = read.iter().find(|c| c.query == "Damascus").expect("inline case is read");
    assert_eq!(filtered.kind, Some(aliases::EntityType::Person));
}

#[test]
fn a_failing_case_is_reported_at_its_query_line_with_the_answer_it_got() {
    let dir = fixture("failing");
    let text = fs::read_to_string(dir.join("pins.cases.toml")).expect("fixture");
    let loaded = load(&dir);
    let Err(CheckError::Failed(report)) = cases::check(&loaded.sources, &matcher(&loaded)) else {
        panic!("the wrong expectation must fail");
    };
    assert_eq!(report.passed, 1);
    assert_eq!(report.failures.len(), 1);
    let failure = &report.failures[0];
    assert_eq!(failure.case.location.line, line_of(&text, "query = \"Bashar al-Assad\""));
    let Answer::Matched(got) = &failure.got else { panic!("got {:?}", failure.got) };
    assert_eq!(got.entity_id, "person:bashar-al-assad");
    assert_eq!(got.matched_alias, "Bashar al-Assad");
    let message = failure.to_string();
    let expected_start = format!(
        "{}:{}: case failed: \"Bashar al-Assad\" expected person:hafez-al-assad, got person:bashar-al-assad (",
        failure.case.location.file, failure.case.location.line
    );
    assert!(message.starts_with(&expected_start), "{message}");
    assert!(message.ends_with("\"Bashar al-Assad\")"), "{message}");
}

#[test]
fn an_unknown_key_is_an_error_at_its_line() {
    let text = "[[case]]\nquery = \"Damascus\"\nexpect = \"place:damascus\"\nexpekt = \"no_match\"\n";
    let dir = table_with_cases("typo.cases.toml", text);
    let errors = case_errors(dir.path());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].location.line, line_of(text, "expekt"));
    assert!(errors[0].location.file.ends_with("typo.cases.toml"));
    assert!(matches!(&errors[0].problem, CaseProblem::Malformed(m) if m.contains("expekt")), "{:?}", errors[0]);
}

#[test]
fn an_expected_id_missing_from_the_table_is_an_error_at_the_expect_line() {
    let text = "[[case]]\nquery = \"Damascus\"\nexpect = \"place:damascus\"\n\n[[case]]\nquery = \"Aleppo\"\nexpect = \"place:aleppo\"\n";
    let dir = table_with_cases("unknown.cases.toml", text);
    let errors = case_errors(dir.path());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].location.line, line_of(text, "place:aleppo"));
    assert_eq!(errors[0].problem, CaseProblem::UnknownEntity("place:aleppo".into()));
    assert!(errors[0].to_string().contains(": error: expected entity `place:aleppo` is not in the table"));
}

#[test]
fn a_case_whose_type_filter_excludes_its_expected_entity_is_an_error() {
    let text = "[[case]]\nquery = \"Damascus\"\ntype = \"person\"\nexpect = \"place:damascus\"\n";
    let dir = table_with_cases("conflict.cases.toml", text);
    let errors = case_errors(dir.path());
    assert!(matches!(errors.as_slice(), [e] if matches!(e.problem, CaseProblem::TypeConflict { .. })), "{errors:?}");
}

#[test]
fn missing_and_blank_fields_are_errors_with_lines() {
    let text = "[[case]]\nquery = \"Damascus\"\n\n[[case]]\nquery = \"  \"\nexpect = \"no_match\"\n\n[[case]]\nquery = \"x\"\nexpect = []\n\n[[case]]\nquery = \"Damascus\"\ntype = \"planet\"\nexpect = \"no_match\"\n";
    let dir = table_with_cases("blank.cases.toml", text);
    let errors = case_errors(dir.path());
    let problems: Vec<(usize, &CaseProblem)> = errors.iter().map(|e| (e.location.line, &e.problem)).collect();
    assert_eq!(problems.len(), 4, "{errors:?}");
    assert_eq!(problems[0], (2, &CaseProblem::Missing("expect")));
    assert_eq!(problems[1], (5, &CaseProblem::Empty("query")));
    assert_eq!(problems[2], (10, &CaseProblem::Empty("expect")));
    assert!(matches!(problems[3], (13, CaseProblem::UnknownType(_))), "{errors:?}");
}

#[test]
fn a_refused_query_fails_its_case_instead_of_erroring() {
    let text = "[[case]]\nquery = \"...\"\nexpect = \"no_match\"\n";
    let dir = table_with_cases("refused.cases.toml", text);
    let loaded = load(dir.path());
    let Err(CheckError::Failed(report)) = cases::check(&loaded.sources, &matcher(&loaded)) else {
        panic!("a query with nothing to match cannot pass");
    };
    assert!(matches!(report.failures[0].got, Answer::Refused(_)));
    assert!(report.failures[0].to_string().contains("got error ("));
}

#[test]
fn many_cases_run_in_parallel_give_the_same_report_as_one_by_one() {
    let names = ["Damascus", "Dimashq", "Yarmouk", "Bashar Assad", "Hafiz al-Assad", "Quetzalcoatl"];
    let mut text = String::new();
    for i in 0..300 {
        let query = names[i % names.len()];
        text.push_str(&format!("[[case]]\nquery = \"{query}\"\nexpect = \"place:damascus\"\n\n"));
    }
    let dir = table_with_cases("many.cases.toml", &text);
    let loaded = load(dir.path());
    let matcher = matcher(&loaded);
    let all = cases::read(&loaded.sources).expect("cases parse");
    let together = cases::run(&all, &matcher);
    let one_by_one: usize = all.chunks(1).map(|one| cases::run(one, &matcher).passed).sum();
    assert_eq!(together.total(), 300);
    assert_eq!(together.passed, one_by_one);
    assert_eq!(together.passed, 100, "Damascus and Dimashq are the only place:damascus names");
    let lines: Vec<usize> = together.failures.iter().map(|f| f.case.location.line).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "failures come in file order");
}

#[test]
fn check_exits_non_zero_and_prints_the_failed_case_with_file_and_line() {
    let dir = fixture("failing");
    let text = fs::read_to_string(dir.join("pins.cases.toml")).expect("fixture");
    let output = canonym(&["check", &dir.to_string_lossy()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let file = dir.join("pins.cases.toml");
    let expected = format!(
        "{}:{}: case failed: \"Bashar al-Assad\" expected person:hafez-al-assad, got person:bashar-al-assad (",
        file.display(),
        line_of(&text, "query = \"Bashar al-Assad\"")
    );
    assert!(stdout.contains(&expected), "{stdout}");
    assert!(stdout.contains("1 case(s) passed, 1 failed"), "{stdout}");
    assert!(stdout.contains("4 entities"), "the table summary stays: {stdout}");
}

#[test]
fn check_exits_zero_and_counts_the_cases_of_a_passing_table() {
    let dir = fixture("passing");
    let output = canonym(&["check", &dir.to_string_lossy()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(&format!("{} case(s) passed, 0 failed", written_cases(&dir))), "{stdout}");
}

#[test]
fn check_reports_case_file_errors_as_errors() {
    let text = "[[case]]\nquery = \"Damascus\"\nexpect = \"place:nowhere\"\n";
    let dir = table_with_cases("bad.cases.toml", text);
    let output = canonym(&["check", &dir.path().to_string_lossy()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let file = dir.path().join("bad.cases.toml");
    assert!(stdout.contains(&format!("{}:3: error: expected entity `place:nowhere`", file.display())), "{stdout}");
    assert!(stdout.contains("1 error(s)"), "{stdout}");
}

#[test]
fn shipped_cases_all_pass_on_the_builtin_table() {
    let shipped = written_cases(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/cases"));
    assert!(shipped >= 100, "data/cases holds the shipped expectations ({shipped})");
    let output = canonym(&["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let failures: Vec<&str> = stdout.lines().filter(|l| l.contains(": case failed: ")).collect();
    assert!(failures.is_empty(), "shipped cases fail:\n{}", failures.join("\n"));
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(&format!("built-in table: {shipped} case(s) passed, 0 failed")), "{stdout}");
}

#[test]
fn shipped_cases_are_embedded_as_cases_not_entities() {
    let builtin = aliases::load_builtin().expect("built-in table loads");
    let case_sources = builtin.sources.iter().filter(|s| cases::is_case_source(s)).count();
    assert!(case_sources >= 2, "data/cases/*.cases.toml are embedded");
    assert!(builtin.table.entities().iter().all(|e| !e.location.file.contains("/cases/")));
}
