//! The `canonym` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    canonym::cli::run(canonym::cli::Cli::parse())
}
