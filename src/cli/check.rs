//! `canonym check [PATH]...`: every problem as `file:line: error|warning: message`, a
//! summary line, and exit 0 only when there is no error.

use std::process::ExitCode;

use clap::Args;

use super::table::TableArgs;
use crate::aliases::Diagnostic;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Alias files or directories to check; the built-in table when none is given.
    #[arg(value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,
}

pub(crate) fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let table = TableArgs { aliases: args.paths.clone() };
    let what = if args.paths.is_empty() { "built-in table".to_string() } else { super::display_paths(&args.paths) };
    let (diagnostics, entities, aliases) = match table.load() {
        Ok(loaded) => (loaded.warnings, loaded.table.entities().len(), loaded.table.alias_count()),
        Err(invalid) => (invalid.diagnostics, 0, 0),
    };
    print_diagnostics(&diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    println!("{what}: {entities} entities, {aliases} aliases, {errors} error(s), {warnings} warning(s)");
    Ok(if errors == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        println!("{diagnostic}");
    }
}
