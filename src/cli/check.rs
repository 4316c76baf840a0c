//! `canonym check [PATH]...`: every problem as `file:line: error|warning: message`, every
//! failed expectation case as `file:line: case failed: ...`, a summary of the table and
//! one of the cases, and exit 0 only when there is no error and no failed case.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;

use super::print_line;
use super::table::TableArgs;
use crate::aliases::{self, Diagnostic, Source};
use crate::cases::{self, CaseReport, CheckError};
use crate::matcher::{MatchConfig, Matcher};

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Alias files or directories to check (with their `*.cases.toml` and `cases/`
    /// expectation files); the built-in table when none is given.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// What the cases came to.
#[derive(Debug, Default)]
struct CaseTally {
    /// Case-file errors (malformed, unknown expected id).
    errors: usize,
    /// The report, when the cases could run.
    report: Option<CaseReport>,
}

pub(crate) fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let table = TableArgs { aliases: args.paths.clone() };
    let what = if args.paths.is_empty() { "built-in table".to_string() } else { super::display_paths(&args.paths) };
    let (diagnostics, entities, aliases, tally) = match table.load() {
        Ok(loaded) => {
            let (entities, aliases) = (loaded.table.entities().len(), loaded.table.alias_count());
            print_diagnostics(&loaded.warnings);
            let matcher = Matcher::new(Arc::new(loaded.table), MatchConfig::default());
            (loaded.warnings, entities, aliases, run_cases(&loaded.sources, &matcher))
        }
        Err(invalid) => {
            print_diagnostics(&invalid.diagnostics);
            (invalid.diagnostics, 0, 0, read_cases_only(&args.paths))
        }
    };
    let errors = diagnostics.iter().filter(|d| d.is_error()).count() + tally.errors;
    let warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
    print_line(format_args!(
        "{what}: {entities} entities, {aliases} aliases, {errors} error(s), {warnings} warning(s)"
    ));
    print_line(format_args!("{what}: {}", case_summary(&tally)));
    let failed = tally.report.as_ref().is_some_and(|r| !r.is_success());
    Ok(if errors == 0 && !failed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Runs the table's cases with the matcher a service would build, printing each problem.
fn run_cases(sources: &[Source], matcher: &Matcher) -> CaseTally {
    match cases::check(sources, matcher) {
        Ok(report) => CaseTally { errors: 0, report: Some(report) },
        Err(CheckError::Invalid(invalid)) => {
            invalid.errors.iter().for_each(print_line);
            CaseTally { errors: invalid.errors.len(), report: None }
        }
        Err(CheckError::Failed(report)) => {
            report.failures.iter().for_each(print_line);
            CaseTally { errors: 0, report: Some(report) }
        }
    }
}

/// When the table does not load, the cases cannot run, but their files can still be
/// parsed, so a curator sees every error in one pass.
fn read_cases_only(paths: &[PathBuf]) -> CaseTally {
    let sources = if paths.is_empty() { aliases::builtin_sources() } else { aliases::read_sources(paths).0 };
    let errors = match cases::read(&sources) {
        Ok(_) => Vec::new(),
        Err(invalid) => invalid.errors,
    };
    errors.iter().for_each(print_line);
    CaseTally { errors: errors.len(), report: None }
}

fn case_summary(tally: &CaseTally) -> String {
    match &tally.report {
        Some(report) => format!("{} case(s) passed, {} failed", report.passed, report.failures.len()),
        None => "cases not run (fix the errors above first)".to_string(),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        print_line(diagnostic);
    }
}
