//! Cutting CSV/TSV input (or JSONL, a record a line: [`RecordChunks::lines`]) into
//! chunks of whole records: raw bytes in, chunks that each begin where a record begins
//! out, so that the records can be parsed on every core.
//!
//! The `csv` reader is sequential: one thread parsing every record was the slower half of
//! both passes. Finding where records end is much cheaper than parsing them, so one
//! thread only does that ([`RecordChunks`]) and each chunk is parsed by a reader of its
//! own ([`chunk_reader`]), on any thread. A cut is made only right after the byte that
//! ends a record as the `csv` reader reads it (its quoting rules followed byte by byte, a
//! quoted line break included), so the chunks' readers give the same records in the same
//! order as one reader over the whole input; each chunk carries the lines and records
//! before it, so that positions stay those of the whole input. It never changes a byte
//! and never holds more than about a chunk of input beyond the chunks handed out.
//!
//! A record longer than [`MAX_RECORD_BYTES`] (a stray quote turns the rest of a file into
//! one field) is never held whole: it comes out as a [`Piece::Oversized`], whose bytes the
//! caller streams to a sink of its own ([`RecordChunks::copy_oversized`]).

use std::io::{self, Read};

/// About how many bytes one chunk holds: a few thousand records, enough for a thread to
/// parse and label them at a time, few enough that a batch of chunks keeps every core busy.
pub(crate) const CHUNK_BYTES: usize = 1 << 16;

/// How far ahead the scanner looks for the end of a line without quotes (most records
/// are far shorter).
const LINE_WINDOW: usize = 256;

/// The longest record held in memory, its bytes counted from its first to the one before
/// its terminator (or the input's end): a longer one is streamed through instead
/// ([`Piece::Oversized`]), whatever the sizes of the reads that brought it. Far beyond any name record, small
/// enough that a batch of chunks holding such records stays modest.
pub(crate) const MAX_RECORD_BYTES: usize = 1 << 20;

/// What the input holds next: whole records, or one record too long to hold.
#[derive(Debug)]
pub(crate) enum Piece {
    /// A chunk of whole records.
    Records(RecordChunk),
    /// A record over [`MAX_RECORD_BYTES`], begun and not read whole: the caller streams
    /// it with [`RecordChunks::copy_oversized`] (the next piece skips it otherwise).
    Oversized(OversizedRecord),
}

/// Where a record too long to hold stands in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OversizedRecord {
    /// The 1-based line it begins on.
    pub line: u64,
    /// Records (the header included) before it: 0 for the header itself.
    pub records_before: u64,
}

/// What [`RecordChunks::copy_oversized`] streamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CopiedRecord {
    /// The record's bytes, its terminator left out.
    pub bytes: u64,
    /// Its fields, as a reader would count them.
    pub fields: u64,
}

/// A run of whole records of the input, with where it stands in the whole.
#[derive(Debug, Default)]
pub(crate) struct RecordChunk {
    /// The records' bytes, as read.
    pub bytes: Vec<u8>,
    /// Line breaks (`\n`) in the input before the chunk.
    pub lines_before: u64,
    /// Records (the header included) that ended before the chunk; 0 only for the first
    /// chunk, which begins with the header.
    pub records_before: u64,
    /// The chunk begins with a line break the input does not hold (see
    /// [`RecordChunks::copy_oversized`]): a reader counts it as a line after the first record.
    pub added_line_break: bool,
}

impl RecordChunk {
    /// Whether the chunk begins the input (and so holds the header).
    pub fn holds_header(&self) -> bool {
        self.records_before == 0
    }

    /// The index, among the data records of the input, of the chunk's first one.
    pub fn first_data_record(&self) -> u64 {
        self.records_before.saturating_sub(1)
    }

    /// The 1-based line of a record of this chunk, given its line in the chunk.
    pub fn line(&self, line_in_chunk: u64) -> u64 {
        line_in_chunk + self.lines_before - u64::from(self.added_line_break && line_in_chunk > 1)
    }
}

/// A reader over one chunk's records that reads them as a reader over the whole input
/// would (the header skipped in the first chunk). `builder` sets the layout.
pub(crate) fn chunk_reader(mut builder: csv::ReaderBuilder, chunk: &RecordChunk) -> csv::Reader<&[u8]> {
    builder.has_headers(chunk.holds_header()).buffer_capacity(1 << 13).from_reader(chunk.bytes.as_slice())
}

/// Where the scanner stands in a record, as the `csv` reader's states (double quotes
/// escaping a quote, no comment or escape character, `\r`, `\n` and `\r\n` ending records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Scan {
    /// Between records: line breaks are skipped.
    StartRecord,
    /// At the start of a field: a quote opens a quoted field.
    StartField,
    /// In an unquoted field: quotes are plain bytes.
    InField,
    /// In a quoted field: delimiters and line breaks are plain bytes.
    InQuoted,
    /// Just after a quote in a quoted field: another quote is an escaped one.
    AfterQuote,
}

/// Every state, in the order of their values.
const STATES: [Scan; 5] = [Scan::StartRecord, Scan::StartField, Scan::InField, Scan::InQuoted, Scan::AfterQuote];

/// The kinds of byte a scanner tells apart: any other, the delimiter, a quote, `\r`, `\n`.
const CLASSES: usize = 5;

impl Scan {
    /// The state after `byte`, and whether `byte` ended a record.
    fn after(self, byte: u8, delimiter: u8) -> (Scan, bool) {
        let ends_line = byte == b'\n' || byte == b'\r';
        match self {
            Scan::StartRecord if ends_line => (Scan::StartRecord, false),
            Scan::StartRecord | Scan::StartField if byte == b'"' => (Scan::InQuoted, false),
            Scan::InQuoted if byte == b'"' => (Scan::AfterQuote, false),
            Scan::InQuoted => (Scan::InQuoted, false),
            Scan::AfterQuote if byte == b'"' => (Scan::InQuoted, false),
            _ if byte == delimiter => (Scan::StartField, false),
            _ if ends_line => (Scan::StartRecord, true),
            _ => (Scan::InField, false),
        }
    }
}

/// A place the input may be cut: right after the byte that ended a record.
#[derive(Debug, Clone, Copy)]
struct Cut {
    /// The position in `RecordChunks::pending`.
    at: usize,
    /// Records ended before it, from the start of the input.
    records: u64,
}

/// [`Scan::after`] as tables, for the scanning loop: each byte's class, and for each
/// state and class the next state and whether a record ended (the same answers, without
/// a chain of comparisons for every byte of the input).
struct Steps {
    /// By state (high bits) and byte (low eight bits): the next state, and
    /// [`RECORD_ENDED`] when the byte ended a record.
    next: Vec<u8>,
}

/// The flag of a step that ended a record.
const RECORD_ENDED: u8 = 0x80;

impl Steps {
    fn new(delimiter: u8) -> Steps {
        let mut classes = [0u8; 256];
        for (class, byte) in [(1, delimiter), (2, b'"'), (3, b'\r'), (4, b'\n')] {
            classes[usize::from(byte)] = class;
        }
        let mut next = [[(Scan::StartRecord, false); CLASSES]; STATES.len()];
        for class in 0..CLASSES {
            // Any byte of the class stands for all of them: they take the same steps.
            let Some(byte) = (0..=255u8).find(|&byte| usize::from(classes[usize::from(byte)]) == class) else {
                continue;
            };
            for (row, state) in next.iter_mut().zip(STATES) {
                row[class] = state.after(byte, delimiter);
            }
        }
        let mut flat = vec![0u8; STATES.len() << 8];
        for (state, row) in next.iter().enumerate() {
            for byte in 0..=255u8 {
                let (after, ended) = row[usize::from(classes[usize::from(byte)])];
                flat[state << 8 | usize::from(byte)] = after as u8 | if ended { RECORD_ENDED } else { 0 };
            }
        }
        Steps { next: flat }
    }

    /// The steps of a reader of lines: every `\n` ends one (a blank line too), nothing
    /// is quoted.
    fn lines() -> Steps {
        let mut flat = vec![Scan::InField as u8; STATES.len() << 8];
        for state in 0..STATES.len() {
            flat[state << 8 | usize::from(b'\n')] = Scan::StartRecord as u8 | RECORD_ENDED;
        }
        Steps { next: flat }
    }

    /// The step from `state` (a [`Scan`] as a number) over `byte`.
    fn after(&self, state: u8, byte: u8) -> u8 {
        self.next.get(usize::from(state & !RECORD_ENDED) << 8 | usize::from(byte)).copied().unwrap_or(0)
    }
}

/// The input, handed out a chunk of whole records at a time.
pub(crate) struct RecordChunks<R: Read> {
    input: R,
    steps: Steps,
    /// Each line is a record ([`RecordChunks::lines`]).
    lines: bool,
    /// The byte between fields (CSV/TSV).
    delimiter: u8,
    chunk_bytes: usize,
    /// Bytes read and not handed out yet; the first `scanned` of them scanned.
    pending: Vec<u8>,
    scanned: usize,
    state: Scan,
    /// The last place `pending` may be cut, if any.
    cut: Option<Cut>,
    /// Where the last record scanned ended, when the byte after it is not read yet.
    unsettled: Option<Cut>,
    /// Records ended before `scanned`, from the start of the input.
    records: u64,
    /// The same counts before `pending`.
    lines_before: u64,
    records_before: u64,
    /// Where, in `pending`, the last record scanned ended (0: none ended in it).
    last_end: usize,
    /// The longest record held whole.
    max_record: usize,
    /// Where a record too long to hold begins in `pending`, when the scan found its end
    /// (it stopped there).
    long_record: Option<usize>,
    /// A record too long to hold was handed out and not streamed yet.
    oversized_open: bool,
    /// `pending` begins with a line break the input does not hold.
    added_line_break: bool,
    /// The byte after an oversized record is not checked yet ([`RecordChunks::guard_against_mark`]).
    after_oversized: bool,
    /// The input ended (or failed: the error, handed out after the last whole records).
    at_end: bool,
    failure: Option<io::Error>,
}

/// A UTF-8 byte-order mark begins with this byte. A reader strips a mark at the start of
/// its input, so no chunk may begin with one: the whole input's reader keeps it.
const BYTE_ORDER_MARK_START: u8 = 0xEF;

impl<R: Read> RecordChunks<R> {
    /// Chunks of about [`CHUNK_BYTES`] of `input`, whose fields are separated by `delimiter`.
    pub fn new(input: R, delimiter: u8) -> Self {
        RecordChunks::of_size(input, delimiter, CHUNK_BYTES, MAX_RECORD_BYTES)
    }

    /// Chunks of about [`CHUNK_BYTES`] of `input`, each line a record (JSONL): a blank
    /// line is one too, and the chunks are never read by a `csv` reader.
    pub fn lines(input: R) -> Self {
        RecordChunks { steps: Steps::lines(), lines: true, ..RecordChunks::new(input, b'\n') }
    }

    /// Chunks of about `chunk_bytes` (at least one record each), records of up to
    /// `max_record` bytes held whole.
    fn of_size(input: R, delimiter: u8, chunk_bytes: usize, max_record: usize) -> Self {
        RecordChunks {
            input,
            lines: false,
            delimiter,
            steps: Steps::new(delimiter),
            chunk_bytes: chunk_bytes.max(1),
            pending: Vec::new(),
            scanned: 0,
            state: Scan::StartRecord,
            cut: None,
            unsettled: None,
            records: 0,
            lines_before: 0,
            records_before: 0,
            last_end: 0,
            max_record: max_record.max(1),
            long_record: None,
            oversized_open: false,
            added_line_break: false,
            after_oversized: false,
            at_end: false,
            failure: None,
        }
    }

    /// The next piece, `None` at the end of the input, or the input's error once the
    /// whole records read before it were handed out. An oversized record handed out and
    /// not streamed is skipped first.
    pub fn next_piece(&mut self) -> io::Result<Option<Piece>> {
        if self.oversized_open {
            self.copy_oversized(&mut io::sink())?;
        }
        loop {
            if let Some(failure) = self.failure.take() {
                return Err(failure);
            }
            if let Some(piece) = self.too_long_to_hold() {
                return Ok(Some(piece));
            }
            if self.at_end {
                return Ok(self.rest().map(Piece::Records));
            }
            if self.pending.len() >= self.chunk_bytes {
                if let Some(cut) = self.cut.take() {
                    return Ok(Some(Piece::Records(self.cut_at(cut))));
                }
            }
            match self.read_more() {
                Ok(0) => self.at_end = true,
                Ok(_) => self.scan(),
                Err(error) => {
                    // The whole records read so far first, as a sequential reader gives them.
                    self.failure = Some(error);
                    if let Some(cut) = self.cut.take() {
                        return Ok(Some(Piece::Records(self.cut_at(cut))));
                    }
                }
            }
        }
    }

    /// When the bytes after the last record's end are more than a record may hold: the
    /// whole records before them, or (with none left) the record begun there as
    /// oversized. Blank lines alone are handed out as a chunk but for their last byte, so
    /// that a chunk never begins where a byte-order mark could.
    fn too_long_to_hold(&mut self) -> Option<Piece> {
        let begins = match self.long_record {
            Some(begins) => begins,
            None => {
                if self.pending.len() - self.last_end <= self.max_record {
                    return None;
                }
                let begins = self.record_begins(self.last_end);
                if begins == self.pending.len() {
                    let cut = Cut { at: self.pending.len() - 1, records: self.records };
                    return Some(Piece::Records(self.cut_before_unfinished(cut)));
                }
                if self.pending.len() - begins <= self.max_record {
                    return None;
                }
                begins
            }
        };
        if begins > 0 {
            let cut = Cut { at: begins, records: self.records };
            return Some(Piece::Records(self.cut_before_unfinished(cut)));
        }
        self.long_record = None;
        self.oversized_open = true;
        Some(Piece::Oversized(OversizedRecord { line: self.lines_before + 1, records_before: self.records_before }))
    }

    /// Hands out the pending bytes before `cut`, which lies at or after the last record's
    /// end: what is left holds no record end.
    fn cut_before_unfinished(&mut self, cut: Cut) -> RecordChunk {
        (self.cut, self.unsettled) = (None, None);
        let chunk = self.cut_at(cut);
        self.last_end = 0;
        if let Some(begins) = self.long_record.as_mut() {
            *begins -= cut.at;
        }
        chunk
    }

    /// Streams the oversized record just handed out to `sink`, its terminator left out,
    /// and reads on from the byte after it.
    pub fn copy_oversized<W: io::Write + ?Sized>(&mut self, sink: &mut W) -> io::Result<CopiedRecord> {
        self.oversized_open = false;
        // Scanned again from its start, counting fields: the state the first scan left
        // is the same at its end.
        let mut state = Scan::StartRecord as u8;
        let mut copied = CopiedRecord { bytes: 0, fields: 1 };
        loop {
            // The bytes the scan skips change no state, so they end no field either.
            let (mut at, mut ended) = (0, None);
            while let Some(step_at) = self.next_step_at(state, at, false) {
                state = self.steps.after(state, self.pending[step_at]);
                if state & RECORD_ENDED != 0 {
                    ended = Some(step_at);
                    break;
                }
                copied.fields += u64::from(state == Scan::StartField as u8);
                at = step_at + 1;
            }
            let end = ended.unwrap_or(self.pending.len());
            sink.write_all(&self.pending[..end])?;
            copied.bytes += end as u64;
            if let Some(end) = ended {
                self.resume_after_oversized(end + 1);
                return Ok(copied);
            }
            self.lines_before += line_breaks(&self.pending);
            self.pending.clear();
            if self.read_more()? == 0 {
                // The record ran to the end of the input.
                self.at_end = true;
                self.resume_after_oversized(0);
                return Ok(copied);
            }
        }
    }

    /// Drops the pending bytes before `after` (the rest of an oversized record and its
    /// terminator) and scans on from there, between records.
    fn resume_after_oversized(&mut self, after: usize) {
        self.lines_before += line_breaks(&self.pending[..after]);
        self.pending.drain(..after);
        self.records += 1;
        self.records_before = self.records;
        (self.state, self.scanned, self.last_end, self.cut, self.unsettled) = (Scan::StartRecord, 0, 0, None, None);
        self.after_oversized = !self.lines;
        self.scan();
    }

    /// A chunk may not begin with a byte-order mark, which its reader would strip: when
    /// the byte after an oversized record is one, a line break put before it is a blank
    /// line to the reader, counted out of its lines. Asked before scanning, once that
    /// byte is read.
    fn guard_against_mark(&mut self) {
        if let Some(&first) = self.pending.first() {
            if std::mem::take(&mut self.after_oversized) && first == BYTE_ORDER_MARK_START {
                self.pending.insert(0, b'\n');
                self.added_line_break = true;
            }
        }
    }

    /// Reads up to a chunk's worth more; how many bytes came.
    fn read_more(&mut self) -> io::Result<usize> {
        let start = self.pending.len();
        self.pending.resize(start + self.chunk_bytes, 0);
        let read = loop {
            match self.input.read(&mut self.pending[start..]) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        self.pending.truncate(start + *read.as_ref().unwrap_or(&0));
        read
    }

    /// Scans the bytes read since the last scan, noting the last place to cut. Stops at
    /// the end of a record too long to hold, noted in `long_record`.
    fn scan(&mut self) {
        self.guard_against_mark();
        let (mut state, mut records, mut unsettled, mut cut) =
            (self.state as u8, self.records, self.unsettled, self.cut);
        let (mut at, mut last_end) = (self.scanned, self.last_end);
        let (mut scanned, mut long_record) = (self.pending.len(), None);
        while let Some(next_at) = self.next_step_at(state, at, true) {
            at = next_at;
            let next = self.steps.after(state, self.pending[at]);
            if next & RECORD_ENDED != 0 {
                // Blank lines before a record are not its bytes: counted out only for a
                // record that might be too long.
                if at - last_end > self.max_record && at - self.record_begins(last_end) > self.max_record {
                    long_record = Some(self.record_begins(last_end));
                    scanned = at;
                    break;
                }
                records += 1;
                // The byte after the previous record's end is read by now.
                cut = self.settled(unsettled).or(cut);
                unsettled = Some(Cut { at: at + 1, records });
                last_end = at + 1;
            }
            state = next;
            at += 1;
        }
        if unsettled.is_some_and(|end| end.at < self.pending.len()) {
            cut = self.settled(unsettled.take()).or(cut);
        }
        self.state = STATES[usize::from(state & !RECORD_ENDED)];
        (self.records, self.unsettled, self.cut, self.last_end) = (records, unsettled, cut, last_end);
        (self.scanned, self.long_record) = (scanned, long_record);
    }

    /// The first byte from `from` on that may change `state`, if any is read: inside a
    /// field only the bytes that end it, inside quotes only a quote; any byte at the start
    /// of a record or field, or after a quote. The bytes skipped leave the state as it
    /// is ([`Scan::after`]), and memchr finds the next one many bytes at a time: the
    /// byte-by-byte walk was the cutting thread's whole work. With `whole_lines`, the rest
    /// of a field's line without quotes is skipped too: its delimiters only take the state
    /// between a field and the start of the next, from either of which its line break
    /// ends the record (the fields are not counted then).
    fn next_step_at(&self, state: u8, from: usize, whole_lines: bool) -> Option<usize> {
        let rest = self.pending.get(from..).filter(|rest| !rest.is_empty())?;
        let found = match STATES[usize::from(state & !RECORD_ENDED)] {
            Scan::InField if self.lines => memchr::memchr(b'\n', rest),
            // Without a quote before the line's end, no field can begin quoted there:
            // the delimiters before it leave the state in or at the start of a field,
            // from which the line break ends the record all the same. Most records are
            // such lines, stepped over at once instead of a step and a search per field.
            // Looked for in a short window only, so that a long line with a quote is not
            // searched again from each of its fields. Not when fields are counted
            // (`whole_lines` false).
            Scan::InField if whole_lines => {
                let window = &rest[..rest.len().min(LINE_WINDOW)];
                match memchr::memchr2(b'\r', b'\n', window) {
                    Some(end) if memchr::memchr(b'"', &window[..end]).is_none() => Some(end),
                    _ => memchr::memchr3(self.delimiter, b'\r', b'\n', rest),
                }
            }
            Scan::InField => memchr::memchr3(self.delimiter, b'\r', b'\n', rest),
            Scan::InQuoted => memchr::memchr(b'"', rest),
            Scan::StartRecord | Scan::StartField | Scan::AfterQuote => Some(0),
        };
        found.map(|offset| from + offset)
    }

    /// Where the record after the record end `end` begins: past the blank lines (between
    /// lines, at once).
    fn record_begins(&self, end: usize) -> usize {
        if self.lines {
            return end;
        }
        end + self.pending[end..].iter().take_while(|&&byte| byte == b'\n' || byte == b'\r').count()
    }

    /// A record's end, read up to the byte after it, as a cut: `None` when a chunk may
    /// not begin with that byte.
    fn settled(&self, end: Option<Cut>) -> Option<Cut> {
        end.filter(|end| self.pending[end.at] != BYTE_ORDER_MARK_START)
    }

    /// Hands out the pending bytes before `cut`.
    fn cut_at(&mut self, cut: Cut) -> RecordChunk {
        let rest = self.pending.split_off(cut.at);
        let added_line_break = std::mem::take(&mut self.added_line_break);
        let chunk = RecordChunk {
            bytes: std::mem::replace(&mut self.pending, rest),
            lines_before: self.lines_before,
            records_before: self.records_before,
            added_line_break,
        };
        self.scanned -= cut.at;
        self.last_end = self.last_end.saturating_sub(cut.at);
        if let Some(end) = self.unsettled.as_mut() {
            end.at -= cut.at;
        }
        // Counted here, not while scanning: a count over a slice is many bytes a step.
        self.lines_before += line_breaks(&chunk.bytes) - u64::from(added_line_break);
        self.records_before = cut.records;
        chunk
    }

    /// Hands out every pending byte, if any.
    fn rest(&mut self) -> Option<RecordChunk> {
        if self.pending.is_empty() {
            return None;
        }
        (self.cut, self.unsettled) = (None, None);
        let cut = Cut { at: self.pending.len(), records: self.records };
        Some(self.cut_at(cut))
    }
}

/// How many `\n` bytes `bytes` holds: counted in runs short enough for a byte-wide sum,
/// which the compiler turns into wide instructions.
fn line_breaks(bytes: &[u8]) -> u64 {
    bytes.chunks(255).map(|run| u64::from(run.iter().map(|&byte| u8::from(byte == b'\n')).sum::<u8>())).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `input` with its line: (line, fields).
    type Parsed = Vec<(u64, Vec<Vec<u8>>)>;

    fn builder(delimiter: u8) -> csv::ReaderBuilder {
        let mut builder = csv::ReaderBuilder::new();
        builder.delimiter(delimiter).flexible(true);
        builder
    }

    fn parsed_whole(input: &[u8], delimiter: u8) -> (Vec<Vec<u8>>, Parsed) {
        let mut reader = builder(delimiter).has_headers(true).from_reader(input);
        let header = reader.byte_headers().expect("reads from memory").iter().map(<[u8]>::to_vec).collect();
        let mut records = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).expect("reads from memory") {
            let line = record.position().map_or(0, |p| p.line());
            records.push((line, record.iter().map(<[u8]>::to_vec).collect()));
        }
        (header, records)
    }

    fn parsed_in_chunks(input: &[u8], delimiter: u8, chunk_bytes: usize) -> (Vec<Vec<u8>>, Parsed) {
        parsed_in_pieces(input, delimiter, chunk_bytes, usize::MAX)
    }

    /// Parses the pieces' records; an oversized record's copied bytes are parsed alone
    /// (each of its fields kept), so that it can be compared with the whole input's, and
    /// noted at line 0 (its line is its first byte's, where the reader gives the line
    /// after the record before it).
    fn parsed_in_pieces(input: &[u8], delimiter: u8, chunk_bytes: usize, max_record: usize) -> (Vec<Vec<u8>>, Parsed) {
        let mut chunks = RecordChunks::of_size(input, delimiter, chunk_bytes, max_record);
        let mut header = Vec::new();
        let mut records = Vec::new();
        let mut record = csv::ByteRecord::new();
        while let Some(piece) = chunks.next_piece().expect("reads from memory") {
            let chunk = match piece {
                Piece::Records(chunk) => chunk,
                Piece::Oversized(oversized) => {
                    assert_eq!(
                        oversized.records_before,
                        records.len() as u64 + 1,
                        "the header is never oversized here"
                    );
                    let mut copied = Vec::new();
                    let counts = chunks.copy_oversized(&mut copied).expect("copies to memory");
                    assert_eq!(counts.bytes, copied.len() as u64);
                    assert!(copied.len() > max_record);
                    assert!(oversized.line >= 2);
                    // A blank line first, so that a leading byte-order mark is kept as data.
                    let alone = [&b"\n"[..], &copied].concat();
                    let mut reader = builder(delimiter).has_headers(false).from_reader(alone.as_slice());
                    assert!(reader.read_byte_record(&mut record).expect("reads from memory"));
                    assert_eq!(counts.fields, record.len() as u64);
                    records.push((0, record.iter().map(<[u8]>::to_vec).collect()));
                    continue;
                }
            };
            let mut reader = chunk_reader(builder(delimiter), &chunk);
            if chunk.holds_header() {
                header = reader.byte_headers().expect("reads from memory").iter().map(<[u8]>::to_vec).collect();
            }
            // The scanner counts records as the reader does.
            assert_eq!(chunk.first_data_record(), records.len() as u64, "{:?}", String::from_utf8_lossy(input));
            while reader.read_byte_record(&mut record).expect("reads from memory") {
                let line = chunk.line(record.position().map_or(0, |p| p.line()));
                records.push((line, record.iter().map(<[u8]>::to_vec).collect()));
            }
        }
        (header, records)
    }

    /// xorshift: deterministic inputs full of the bytes that matter to record boundaries.
    fn tricky_input(seed: u64, len: usize) -> Vec<u8> {
        const BYTES: &[u8] = b"ab,\t\"\"\r\n\n \xEF\xBB\xBF";
        let mut state = seed.max(1);
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                BYTES[(state % BYTES.len() as u64) as usize]
            })
            .collect()
    }

    #[test]
    fn chunks_parse_to_the_records_and_lines_of_the_whole_input() {
        let mut inputs: Vec<Vec<u8>> = vec![
            b"id,name\n1,plain\n2,\"quoted, with comma\"\n3,\"line\nbreak\"\n".to_vec(),
            b"id,name\r\n1,crlf\r\n\r\n2,\"a \"\"quote\"\"\"\r\n3,x\"y\"z\n4,\"\"\"\"\n5,last".to_vec(),
            b"\xEF\xBB\xBFid,name\n\xEF\xBB\xBFmark,inside\n\n\n1,a\r2,b\r\n".to_vec(),
            b"".to_vec(),
            b"\n\n".to_vec(),
        ];
        inputs.extend((0..200).map(|seed| tricky_input(seed, 300)));
        for input in &inputs {
            for delimiter in [b',', b'\t'] {
                let whole = parsed_whole(input, delimiter);
                for chunk_bytes in [1, 2, 3, 7, 64, 1 << 16] {
                    assert_eq!(
                        parsed_in_chunks(input, delimiter, chunk_bytes),
                        whole,
                        "{chunk_bytes} bytes a chunk: {:?}",
                        String::from_utf8_lossy(input)
                    );
                }
            }
        }
    }

    /// A reader that fails after handing out its bytes.
    struct FailingAfter<'a>(&'a [u8]);

    impl Read for FailingAfter<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("disk gone"));
            }
            let n = buffer.len().min(self.0.len());
            buffer[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_whole_records_before_a_read_error_come_out_before_it() {
        let mut chunks =
            RecordChunks::of_size(FailingAfter(b"id,name\n1,a\n2,b\n3,unfinish"), b',', 1 << 16, MAX_RECORD_BYTES);
        let Some(Piece::Records(chunk)) = chunks.next_piece().expect("the records before the error") else {
            panic!("a chunk of records first");
        };
        assert_eq!(chunk.bytes, b"id,name\n1,a\n2,b\n");
        assert_eq!(chunks.next_piece().expect_err("then the error").to_string(), "disk gone");
    }

    #[test]
    fn a_record_too_long_to_hold_is_streamed_and_every_other_comes_in_chunks() {
        let long_field = "x".repeat(40);
        let mut inputs: Vec<Vec<u8>> = vec![
            format!("id,name\n1,short\n2,{long_field}\n3,after\n").into_bytes(),
            // A stray quote: the rest of the input is one field of one record.
            format!("id,name\n1,a\n2,\"{long_field}\n3,b\n4,c\n").into_bytes(),
            format!("id,name\r\n1,a\r\n\r\n\r\n2,{long_field},\"q,{long_field}\"\r\n\u{FEFF}bom,after\r\n")
                .into_bytes(),
            format!("id,name\n1,{long_field}").into_bytes(),
        ];
        inputs.extend((0..400).map(|seed| {
            let mut input = b"id,name\n".to_vec();
            input.extend(tricky_input(seed, 100 + (seed as usize % 7) * 90));
            input
        }));
        for input in &inputs {
            for delimiter in [b',', b'\t'] {
                for max_record in [16, 30] {
                    let mut oversized_by_size = Vec::new();
                    for chunk_bytes in [1, 3, 7, 64, 1 << 16] {
                        let pieces = parsed_in_pieces(input, delimiter, chunk_bytes, max_record);
                        let mut whole = parsed_whole(input, delimiter);
                        for ((line, _), (piece_line, _)) in whole.1.iter_mut().zip(&pieces.1) {
                            if *piece_line == 0 {
                                *line = 0;
                            }
                        }
                        assert_eq!(
                            pieces,
                            whole,
                            "{chunk_bytes} bytes a chunk, {max_record} a record: {:?}",
                            String::from_utf8_lossy(input)
                        );
                        let oversized: Vec<usize> = (0..pieces.1.len()).filter(|&i| pieces.1[i].0 == 0).collect();
                        oversized_by_size.push(oversized);
                    }
                    // Which records are too long does not depend on how the input was read.
                    assert!(oversized_by_size.windows(2).all(|pair| pair[0] == pair[1]), "{oversized_by_size:?}");
                }
            }
        }
    }

    #[test]
    fn blank_lines_too_many_to_hold_are_handed_out_and_the_records_after_them_kept() {
        let input = format!("id,name\n{}1,a\n{}", "\r\n".repeat(100), "\n".repeat(50));
        let mut chunks = RecordChunks::of_size(input.as_bytes(), b',', 4, 16);
        let mut records = Vec::new();
        let mut record = csv::ByteRecord::new();
        while let Some(piece) = chunks.next_piece().expect("reads from memory") {
            let Piece::Records(chunk) = piece else {
                panic!("blank lines are no record");
            };
            assert!(chunk.bytes.len() <= 16 + 4, "{} bytes held", chunk.bytes.len());
            let mut reader = chunk_reader(builder(b','), &chunk);
            while reader.read_byte_record(&mut record).expect("reads from memory") {
                records.push(record.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
            }
        }
        assert_eq!(records, [vec![b"1".to_vec(), b"a".to_vec()]]);
    }

    #[test]
    fn an_oversized_record_is_told_by_its_line_and_place_and_copied_without_its_terminator() {
        let input = b"id,name\n1,a\n2,\"0123456789\n0123456789\",z\r\n3,b\n";
        let mut chunks = RecordChunks::of_size(&input[..], b',', 4, 16);
        let mut pieces = Vec::new();
        while let Some(piece) = chunks.next_piece().expect("reads from memory") {
            match piece {
                Piece::Records(chunk) => pieces.push(String::from_utf8_lossy(&chunk.bytes).into_owned()),
                Piece::Oversized(oversized) => {
                    assert_eq!(oversized, OversizedRecord { line: 3, records_before: 2 });
                    let mut copied = Vec::new();
                    let counts = chunks.copy_oversized(&mut copied).expect("copies to memory");
                    assert_eq!(copied, b"2,\"0123456789\n0123456789\",z");
                    assert_eq!(counts, CopiedRecord { bytes: copied.len() as u64, fields: 3 });
                    pieces.push("<oversized>".into());
                }
            }
        }
        assert_eq!(pieces.concat(), "id,name\n1,a\n<oversized>\n3,b\n");
    }

    #[test]
    fn an_oversized_record_not_copied_is_skipped() {
        let input = format!("id,name\n1,{}\n2,b\n", "y".repeat(100));
        let mut chunks = RecordChunks::of_size(input.as_bytes(), b',', 8, 32);
        let mut kinds = Vec::new();
        while let Some(piece) = chunks.next_piece().expect("reads from memory") {
            kinds.push(match piece {
                Piece::Records(chunk) => String::from_utf8_lossy(&chunk.bytes).into_owned(),
                Piece::Oversized(_) => "<skipped>".into(),
            });
        }
        assert_eq!(kinds.concat(), "id,name\n<skipped>2,b\n");
    }

    #[test]
    fn lines_come_whole_in_chunks_and_a_line_too_long_to_hold_alone() {
        for seed in 0..300 {
            let input = tricky_input(seed, 100 + (seed as usize % 7) * 90);
            let lines: Vec<&[u8]> = input.strip_suffix(b"\n").unwrap_or(&input).split(|&byte| byte == b'\n').collect();
            for (chunk_bytes, max_record) in [(1, 8), (5, 12), (64, 8), (1 << 16, 20)] {
                let mut chunks = RecordChunks::lines(input.as_slice());
                (chunks.chunk_bytes, chunks.max_record) = (chunk_bytes, max_record);
                let (mut rebuilt, mut long_lines) = (Vec::new(), Vec::new());
                while let Some(piece) = chunks.next_piece().expect("reads from memory") {
                    match piece {
                        Piece::Records(chunk) => {
                            assert_eq!(chunk.lines_before, line_breaks(&rebuilt), "{seed}");
                            rebuilt.extend_from_slice(&chunk.bytes);
                        }
                        Piece::Oversized(oversized) => {
                            assert_eq!(oversized.line, line_breaks(&rebuilt) + 1, "{seed}");
                            let mut copied = Vec::new();
                            chunks.copy_oversized(&mut copied).expect("copies to memory");
                            long_lines.push(copied.clone());
                            rebuilt.extend_from_slice(&copied);
                            if rebuilt.len() < input.len() {
                                rebuilt.push(b'\n');
                            }
                        }
                    }
                }
                assert_eq!(rebuilt, input, "every byte, in order: {seed}");
                let expected: Vec<Vec<u8>> =
                    lines.iter().filter(|line| line.len() > max_record).map(|line| line.to_vec()).collect();
                assert_eq!(long_lines, expected, "{seed}, {chunk_bytes} bytes a chunk, {max_record} a line");
            }
        }
    }
}
