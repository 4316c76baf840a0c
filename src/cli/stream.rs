//! Line-by-line processing of a large input on all cores, in input order, in bounded
//! memory: lines are read in chunks, each chunk is mapped in parallel, written, and
//! dropped before the next is read. A line too long to be a query is answered with an
//! error and never held whole. A progress line on stderr when it is a terminal.

use std::io::{self, BufRead, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::output;

/// Lines per chunk: enough to keep every core busy, small enough to bound memory.
const CHUNK_LINES: usize = 8192;
/// Bytes per chunk at most: with long lines a chunk ends before [`CHUNK_LINES`].
const CHUNK_BYTES: usize = 16 << 20;
/// The longest line read. A name has at most 1,024 characters, which even escaped in a
/// JSON object with other fields is far below this: only a runaway input (a binary file,
/// a missing newline) meets it, and holding such a line whole could take all memory.
const MAX_LINE_BYTES: usize = 1 << 20;

/// One line as read: its text, or how long it was when over [`MAX_LINE_BYTES`].
type ReadLine = Result<String, u64>;

/// Maps every line of `input` with `map` (given the 1-based line number) and writes the
/// results in input order, one per line. Returns the number of lines.
pub(crate) fn map_lines<R, W, F>(mut input: R, output: &mut W, threads: Option<usize>, map: F) -> anyhow::Result<u64>
where
    R: BufRead,
    W: Write,
    F: Fn(u64, &str) -> String + Sync,
{
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.unwrap_or(0)).build()?;
    let progress = progress_bar();
    let mut buffer = Vec::new();
    let mut line_number: u64 = 0;
    loop {
        let mut chunk: Vec<(u64, ReadLine)> = Vec::with_capacity(CHUNK_LINES);
        let mut chunk_bytes = 0;
        while chunk.len() < CHUNK_LINES && chunk_bytes < CHUNK_BYTES {
            let Some(length) = read_bounded_line(&mut input, &mut buffer, MAX_LINE_BYTES)? else {
                break;
            };
            line_number += 1;
            chunk_bytes += buffer.len();
            chunk.push((line_number, line_text(&mut buffer, length)));
        }
        if chunk.is_empty() {
            break;
        }
        let results: Vec<String> = pool.install(|| {
            chunk
                .par_iter()
                .map(|(n, line)| match line {
                    Ok(text) => map(*n, text),
                    Err(length) => too_long(*n, *length),
                })
                .collect()
        });
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

/// The line read into `buffer` (`length` bytes long in the input) as text.
fn line_text(buffer: &mut Vec<u8>, length: u64) -> ReadLine {
    if length > MAX_LINE_BYTES as u64 {
        return Err(length);
    }
    if buffer.last() == Some(&b'\r') {
        buffer.pop();
    }
    // Invalid UTF-8 is passed on lossily, so the line still gets its own answer.
    Ok(String::from_utf8_lossy(buffer).into_owned())
}

fn too_long(line_number: u64, length: u64) -> String {
    let message = format!("the line has {length} bytes, over the limit of {MAX_LINE_BYTES}");
    output::line_error(line_number, None, &message).to_string()
}

/// Reads the next line, without its `\n`, into `line`, keeping at most `limit` bytes of
/// it: the rest of a longer line is read and dropped. Returns the line's whole length in
/// the input, or `None` at the end of the input.
fn read_bounded_line<R: BufRead>(input: &mut R, line: &mut Vec<u8>, limit: usize) -> io::Result<Option<u64>> {
    line.clear();
    let mut length: u64 = 0;
    let mut read_any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(read_any.then_some(length));
        }
        read_any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let taken = newline.unwrap_or(available.len());
        let room = limit.saturating_sub(line.len());
        line.extend_from_slice(&available[..taken.min(room)]);
        length += taken as u64;
        input.consume(taken + usize::from(newline.is_some()));
        if newline.is_some() {
            return Ok(Some(length));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(input: &[u8]) -> Vec<String> {
        let mut output = Vec::new();
        let lines =
            map_lines(io::BufReader::with_capacity(64, input), &mut output, Some(1), |n, line| format!("{n}:{line}"))
                .expect("reads from and writes to memory");
        let text = String::from_utf8(output).expect("the answers are text");
        let answers: Vec<String> = text.lines().map(String::from).collect();
        assert_eq!(answers.len() as u64, lines);
        answers
    }

    #[test]
    fn every_line_is_answered_in_order_without_its_line_ending() {
        assert_eq!(mapped(b"alpha\r\nbeta\n\ngamma"), ["1:alpha", "2:beta", "3:", "4:gamma"]);
        assert_eq!(mapped(b"alpha\n"), ["1:alpha"]);
        assert!(mapped(b"").is_empty());
    }

    #[test]
    fn invalid_utf8_is_read_lossily() {
        assert_eq!(mapped(b"caf\xe9\nok"), ["1:caf\u{fffd}", "2:ok"]);
    }

    #[test]
    fn a_line_over_the_limit_gets_an_error_and_the_next_lines_their_answers() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 10];
        input.extend_from_slice(b"\nnext\n");
        let answers = mapped(&input);
        assert_eq!(answers.len(), 2);
        let error: serde_json::Value = serde_json::from_str(&answers[0]).expect("an error object");
        assert_eq!(error["line"], 1);
        assert_eq!(error["outcome"], "error");
        assert!(error["error"].as_str().is_some_and(|e| e.contains(&(MAX_LINE_BYTES + 10).to_string())), "{error}");
        assert_eq!(answers[1], "2:next");
    }

    #[test]
    fn a_line_at_the_limit_is_read_whole() {
        let input = vec![b'y'; MAX_LINE_BYTES];
        let answers = mapped(&input);
        assert_eq!(answers[0].len(), "1:".len() + MAX_LINE_BYTES);
    }

    #[test]
    fn a_bounded_line_keeps_at_most_the_limit() {
        let mut reader = io::BufReader::with_capacity(4, &b"abcdefghij\nkl"[..]);
        let mut line = Vec::new();
        assert_eq!(read_bounded_line(&mut reader, &mut line, 3).ok(), Some(Some(10)));
        assert_eq!(line, b"abc");
        assert_eq!(read_bounded_line(&mut reader, &mut line, 3).ok(), Some(Some(2)));
        assert_eq!(line, b"kl");
        assert_eq!(read_bounded_line(&mut reader, &mut line, 3).ok(), Some(None));
    }
}
