//! The `canonym` command line: argument parsing and the subcommands, each a thin layer
//! over the library. Diagnostics go to stderr as `file:line: message`; results to stdout.
//! Exit codes are decided here and only here: 0 success, 1 the table or the input has
//! errors (check failed), 2 the command could not run (bad arguments, unreadable files).

mod check;
mod compare;
mod dedupe;
mod diff;
mod output;
mod resolve;
mod serve;
mod stream;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use table::TableArgs;

/// canonym: resolve entity-name variants to canonical IDs.
#[derive(Debug, Parser)]
#[command(name = "canonym", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate alias files: every error and warning as file:line, then a summary.
    Check(check::CheckArgs),
    /// Resolve names from stdin (one per line, or JSON objects with --jsonl) to entities.
    Resolve(resolve::ResolveArgs),
    /// Score pairs of names from stdin: are they the same entity?
    Compare(compare::CompareArgs),
    /// Show which names an edit of the alias files changes: --before and --after tables.
    Diff(diff::DiffArgs),
    /// Label every record of a dataset with an entity: known ids, or clusters of unknown names.
    Dedupe(dedupe::DedupeArgs),
    /// Run the gRPC service.
    Serve(serve::ServeArgs),
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Resolve(args) => resolve::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Dedupe(args) => dedupe::run(&args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`canonym resolve | head`): nothing is lost that anyone
        // will read, so stop quietly, as Unix tools do.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("canonym: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints one line on stdout. Unlike `println!` it does not panic when the reader has
/// gone (`canonym check | head`): the line had nowhere to go, and the exit code still
/// tells the truth.
pub(crate) fn print_line(line: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Paths as given on the command line, for messages.
pub(crate) fn display_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
