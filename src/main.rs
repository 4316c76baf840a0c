//! The `canonym` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: faster for the many short strings of
/// matching, and it returns a replaced index's memory after a reload.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    canonym::cli::run(canonym::cli::Cli::parse())
}
