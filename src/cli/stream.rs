//! Line-by-line processing of a large input on all cores, in input order, in bounded
//! memory: lines are read in chunks, each chunk is mapped in parallel, written, and
//! dropped before the next is read. A progress line on stderr when it is a terminal.

use std::io::{self, BufRead, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

/// Lines per chunk: enough to keep every core busy, small enough to bound memory.
const CHUNK_LINES: usize = 8192;

/// Maps every line of `input` with `map` (given the 1-based line number) and writes the
/// results in input order, one per line. Returns the number of lines.
pub(crate) fn map_lines<R, W, F>(input: R, output: &mut W, threads: Option<usize>, map: F) -> anyhow::Result<u64>
where
    R: BufRead,
    W: Write,
    F: Fn(u64, &str) -> String + Sync,
{
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.unwrap_or(0)).build()?;
    let progress = progress_bar();
    let mut lines = input.split(b'\n');
    let mut line_number: u64 = 0;
    loop {
        let mut chunk: Vec<(u64, String)> = Vec::with_capacity(CHUNK_LINES);
        for line in lines.by_ref().take(CHUNK_LINES) {
            line_number += 1;
            let mut bytes = line?;
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            // Invalid UTF-8 is passed on lossily, so the line still gets its own answer.
            chunk.push((
                line_number,
                String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ));
        }
        if chunk.is_empty() {
            break;
        }
        let results: Vec<String> = pool.install(|| chunk.par_iter().map(|(n, line)| map(*n, line)).collect());
        for result in results {
            output.write_all(result.as_bytes())?;
            output.write_all(b"\n")?;
        }
        progress.inc(chunk.len() as u64);
    }
    output.flush()?;
    progress.finish_and_clear();
    Ok(line_number)
}

fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {human_pos} lines, {per_sec}, {elapsed}") {
        bar.set_style(style);
    }
    bar
}
