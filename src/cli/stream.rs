//! Line-by-line processing of a large input on all cores, in input order, in bounded
//! memory: lines are read in chunks, each chunk is mapped in parallel, written, and
//! dropped before the next is read. A line that cannot be a query (over the length limit,
//! or not UTF-8) is answered with an error and never held whole or guessed at. Lines
//! answered with an error are counted and the first of them kept, for one report at the
//! end. A progress line on stderr when it is a terminal.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

/// Lines per chunk: enough to keep every core busy, small enough to bound memory.
const CHUNK_LINES: usize = 8192;
/// Bytes per chunk at most: with long lines a chunk ends before [`CHUNK_LINES`].
const CHUNK_BYTES: usize = 16 << 20;
/// The longest line read. A name has at most 1,024 characters, which even escaped in a
/// JSON object with other fields is far below this: only a runaway input (a binary file,
/// a missing newline) meets it, and holding such a line whole could take all memory.
const MAX_LINE_BYTES: usize = 1 << 20;
/// Error lines reported by line number at the end; the rest are counted.
const ERRORS_KEPT: usize = 10;

/// Why a line of input was not read as text.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UnreadableLine {
    /// Over [`MAX_LINE_BYTES`]: its length in bytes.
    #[error("the line has {0} bytes, over the limit of {MAX_LINE_BYTES}")]
    TooLong(u64),
    /// Not UTF-8: a name read with replacement characters could match a wrong entity,
    /// and a file in another encoding should be converted, not half-read.
    #[error("invalid UTF-8: {0}")]
    NotUtf8(std::str::Utf8Error),
}

/// One line as read: its text, or why it has none.
type ReadLine = Result<String, UnreadableLine>;

/// One line's answer: the JSON object written for it, and the reason when that object is
/// an error.
pub(crate) struct LineAnswer {
    json: String,
    error: Option<String>,
}

impl LineAnswer {
    /// An answer.
    pub(crate) fn answer(json: impl ToString) -> LineAnswer {
        LineAnswer { json: json.to_string(), error: None }
    }

    /// An error object, `reason` being its message.
    pub(crate) fn error(json: impl ToString, reason: impl Into<String>) -> LineAnswer {
        LineAnswer { json: json.to_string(), error: Some(reason.into()) }
    }
}

/// What a run of [`map_lines`] read: lines, and those answered with an error.
#[derive(Debug, Default)]
pub(crate) struct LineErrors {
    /// Lines read.
    lines: u64,
    /// Lines answered with an error object.
    errors: u64,
    /// The first of them: (line number, reason).
    first: Vec<(u64, String)>,
}

impl LineErrors {
    fn record(&mut self, line: u64, reason: String) {
        self.errors += 1;
        if self.first.len() < ERRORS_KEPT {
            self.first.push((line, reason));
        }
    }

    /// Prints the error lines as `<stdin>:LINE: reason` on stderr and gives the exit code:
    /// 1 when any line was an error (every line was still answered), else 0.
    pub(crate) fn report(&self) -> ExitCode {
        if self.errors == 0 {
            return ExitCode::SUCCESS;
        }
        for (line, reason) in &self.first {
            eprintln!("<stdin>:{line}: {reason}");
        }
        if self.errors > self.first.len() as u64 {
            eprintln!("<stdin>: ... and {} more error line(s)", self.errors - self.first.len() as u64);
        }
        eprintln!("<stdin>: {} of {} line(s) answered with an error", self.errors, self.lines);
        ExitCode::from(1)
    }
}

/// Maps every line of `input` with `map` (given the 1-based line number, and the line's
/// text or why it has none) and writes the answers in input order, one per line.
pub(crate) fn map_lines<R, W, F>(
    mut input: R,
    output: &mut W,
    threads: Option<usize>,
    map: F,
) -> anyhow::Result<LineErrors>
where
    R: BufRead,
    W: Write,
    F: Fn(u64, Result<&str, &UnreadableLine>) -> LineAnswer + Sync,
{
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.unwrap_or(0)).build()?;
    let progress = progress_bar();
    let mut buffer = Vec::new();
    let mut line_number: u64 = 0;
    let mut errors = LineErrors::default();
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
        let answers: Vec<LineAnswer> =
            pool.install(|| chunk.par_iter().map(|(n, line)| map(*n, line.as_ref().map(String::as_str))).collect());
        for ((n, _), answer) in chunk.iter().zip(answers) {
            output.write_all(answer.json.as_bytes())?;
            output.write_all(b"\n")?;
            if let Some(reason) = answer.error {
                errors.record(*n, reason);
            }
        }
        progress.inc(chunk.len() as u64);
    }
    output.flush()?;
    progress.finish_and_clear();
    errors.lines = line_number;
    Ok(errors)
}

/// The line read into `buffer` (`length` bytes long in the input) as text.
fn line_text(buffer: &mut Vec<u8>, length: u64) -> ReadLine {
    if length > MAX_LINE_BYTES as u64 {
        return Err(UnreadableLine::TooLong(length));
    }
    if buffer.last() == Some(&b'\r') {
        buffer.pop();
    }
    match std::str::from_utf8(buffer) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => Err(UnreadableLine::NotUtf8(error)),
    }
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

    /// Each line's answer (`N:text`, or `N!reason` for an unreadable line) and the errors.
    fn mapped(input: &[u8]) -> (Vec<String>, LineErrors) {
        let mut output = Vec::new();
        let errors = map_lines(io::BufReader::with_capacity(64, input), &mut output, Some(1), |n, line| match line {
            Ok(text) => LineAnswer::answer(format!("{n}:{text}")),
            Err(unreadable) => LineAnswer::error(format!("{n}!{unreadable}"), unreadable.to_string()),
        })
        .expect("reads from and writes to memory");
        let text = String::from_utf8(output).expect("the answers are text");
        let answers: Vec<String> = text.lines().map(String::from).collect();
        assert_eq!(answers.len() as u64, errors.lines);
        (answers, errors)
    }

    #[test]
    fn every_line_is_answered_in_order_without_its_line_ending() {
        assert_eq!(mapped(b"alpha\r\nbeta\n\ngamma").0, ["1:alpha", "2:beta", "3:", "4:gamma"]);
        assert_eq!(mapped(b"alpha\n").0, ["1:alpha"]);
        assert!(mapped(b"").0.is_empty());
    }

    #[test]
    fn a_line_not_in_utf8_is_an_error_with_the_byte_where_it_breaks() {
        let (answers, errors) = mapped(b"ok\ncaf\xe9s\nfine");
        assert_eq!(answers[0], "1:ok");
        assert_eq!(answers[1], "2!invalid UTF-8: invalid utf-8 sequence of 1 bytes from index 3");
        assert_eq!(answers[2], "3:fine");
        assert_eq!((errors.lines, errors.errors), (3, 1));
        assert_eq!(errors.first, [(2, "invalid UTF-8: invalid utf-8 sequence of 1 bytes from index 3".to_string())]);
    }

    #[test]
    fn a_line_over_the_limit_gets_an_error_and_the_next_lines_their_answers() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 10];
        input.extend_from_slice(b"\nnext\n");
        let (answers, errors) = mapped(&input);
        assert_eq!(
            answers,
            [
                format!("1!the line has {} bytes, over the limit of {MAX_LINE_BYTES}", MAX_LINE_BYTES + 10),
                "2:next".to_string()
            ]
        );
        assert_eq!(errors.errors, 1);
    }

    #[test]
    fn a_line_at_the_limit_is_read_whole() {
        let input = vec![b'y'; MAX_LINE_BYTES];
        let (answers, errors) = mapped(&input);
        assert_eq!(answers[0].len(), "1:".len() + MAX_LINE_BYTES);
        assert_eq!(errors.errors, 0);
    }

    #[test]
    fn the_first_error_lines_are_kept_and_the_rest_counted() {
        let input: Vec<u8> =
            (0..25).flat_map(|i| if i % 2 == 0 { b"\xff\n".to_vec() } else { b"ok\n".to_vec() }).collect();
        let (_, errors) = mapped(&input);
        assert_eq!((errors.lines, errors.errors), (25, 13));
        let kept: Vec<u64> = errors.first.iter().map(|&(line, _)| line).collect();
        assert_eq!(kept, [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
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
