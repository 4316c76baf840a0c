//! Records: CSV/TSV (with a header) or JSONL objects in, the same records with their
//! labels out, streamed, in two passes over the input.
//!
//! - [`tally`] (pass 1) reads every record's name into a [`NameTally`];
//! - [`label_records`] (pass 2) reads the input again and writes each record back with
//!   `entity_id`, `entity_name`, `match` and `score` added (and `error`: always a column
//!   in CSV/TSV, a key only on error rows in JSONL).
//!
//! A record never stays in memory longer than it takes to write it, and none is dropped:
//! a bad record (missing column, invalid UTF-8, unparseable JSON, a name the matcher
//! refuses) is written back with `match = "error"` and the reason. One longer than
//! 1 MiB is never held whole: pass 1 skips it, pass 2 streams it through
//! as an error (a JSONL line as the text of an error object). CSV/TSV output keeps
//! the header's columns in order, then the added ones; JSONL output keeps the object's
//! keys in order, then the added ones. Only a failing reader or writer, or a header
//! without the name column, stops the run.

use std::borrow::Cow;
use std::io::{Read, Write};

use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::chunks::{chunk_reader, OversizedRecord, Piece, RecordChunk, RecordChunks, MAX_RECORD_BYTES};
use super::plain::{PlainField, PlainRecords};
use super::{Dedupe, DedupeError, Label, MatchKind, NameTally, NameVerdict};

/// The columns added to every CSV/TSV record, in order.
pub const ADDED_COLUMNS: [&str; 5] = ["entity_id", "entity_name", "match", "score", "error"];

/// How many record errors a [`Summary`] keeps with their line, for the user to look at.
const ERRORS_KEPT: usize = 10;

/// The input's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated, header first.
    Csv,
    /// Tab-separated, header first.
    Tsv,
    /// One JSON object a line.
    Jsonl,
}

/// A record that could not be labelled, with its 1-based line and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// Where the record starts.
    pub line: u64,
    /// What is wrong.
    pub reason: String,
}

/// What pass 2 wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records written.
    pub records: u64,
    /// Labelled with a known entity.
    pub known: u64,
    /// In a cluster of unknown names.
    pub clustered: u64,
    /// Unknown and alone.
    pub singleton: u64,
    /// Written back as errors.
    pub errors: u64,
    /// The first few errors.
    pub first_errors: Vec<RecordError>,
}

impl Summary {
    /// Adds the counts of the records after these (errors kept in order, up to the limit).
    fn merge(&mut self, later: Summary) {
        self.records += later.records;
        self.known += later.known;
        self.clustered += later.clustered;
        self.singleton += later.singleton;
        self.errors += later.errors;
        let room = ERRORS_KEPT.saturating_sub(self.first_errors.len());
        self.first_errors.extend(later.first_errors.into_iter().take(room));
    }

    fn count(&mut self, line: u64, outcome: &Result<Label<'_>, String>) {
        match outcome {
            Ok(label) => self.count_label(label.kind),
            Err(reason) => self.count_error(line, || reason.clone()),
        }
    }

    fn count_label(&mut self, kind: MatchKind) {
        self.records += 1;
        match kind {
            MatchKind::Known => self.known += 1,
            MatchKind::Clustered => self.clustered += 1,
            MatchKind::Singleton => self.singleton += 1,
        }
    }

    /// Counts an error; `reason` is only made for the few errors kept.
    fn count_error(&mut self, line: u64, reason: impl FnOnce() -> String) {
        self.records += 1;
        self.errors += 1;
        if self.first_errors.len() < ERRORS_KEPT {
            self.first_errors.push(RecordError { line, reason: reason() });
        }
    }
}

/// Pass 1: every record's name, counted. `progress` is called with records read so far.
pub fn tally<R: Read>(
    input: R,
    format: Format,
    column: &str,
    progress: &dyn Fn(u64),
) -> Result<NameTally, DedupeError> {
    let tally = match format {
        Format::Csv | Format::Tsv => tally_csv(input, format, column, progress)?,
        Format::Jsonl => tally_jsonl(input, column, progress)?,
    };
    progress(tally.records());
    Ok(tally)
}

/// Pass 1 over JSONL: each batch of chunks parsed on every core, then counted. A line
/// too long to hold is skipped (pass 2 labels it an error).
fn tally_jsonl<R: Read>(input: R, column: &str, progress: &dyn Fn(u64)) -> Result<NameTally, DedupeError> {
    let mut tally = NameTally::new();
    let mut chunks = RecordChunks::lines(input);
    loop {
        let (batch, end) = next_chunks(&mut chunks);
        let names: Vec<Vec<String>> = batch.par_iter().map(|chunk| jsonl_chunk_names(chunk, column)).collect();
        names.iter().flatten().for_each(|name| tally.add(name));
        progress(tally.records());
        match end {
            BatchEnd::More | BatchEnd::Oversized(_) => {}
            BatchEnd::Last => return Ok(tally),
            BatchEnd::Failed(error) => return Err(error.into()),
        }
    }
}

/// The names of a chunk's lines, those that have one.
fn jsonl_chunk_names(chunk: &RecordChunk, column: &str) -> Vec<String> {
    chunk_lines(chunk).filter(|line| !is_blank(line)).filter_map(|line| json_name(line, column).ok()).collect()
}

/// A chunk's lines, end-of-line bytes removed.
fn chunk_lines(chunk: &RecordChunk) -> impl Iterator<Item = &[u8]> {
    let bytes = chunk.bytes.strip_suffix(b"\n").unwrap_or(&chunk.bytes);
    bytes.split(|&byte| byte == b'\n').map(|line| line.strip_suffix(b"\r").unwrap_or(line))
}

/// Names handed from the parsing thread to the counting one per batch.
const NAMES_PER_BATCH: usize = 8_192;

/// A batch of records' names: their text end to end, and where each one ends
/// ([`NO_NAME_END`] for a record without a name).
#[derive(Default)]
struct NameBatch {
    text: String,
    ends: Vec<usize>,
}

/// The end noted for a record without a name.
const NO_NAME_END: usize = usize::MAX;

/// Pass 1 over CSV/TSV: this thread parses while another counts, so that parsing and
/// hashing each take a core instead of taking turns on one. The input comes in chunks
/// of whole records, as in pass 2, so that a record too long to hold is skipped (a
/// record without a name to the tally) rather than read whole.
fn tally_csv<R: Read>(
    input: R,
    format: Format,
    column: &str,
    progress: &dyn Fn(u64),
) -> Result<NameTally, DedupeError> {
    std::thread::scope(|scope| {
        let (batches, received) = std::sync::mpsc::sync_channel::<NameBatch>(4);
        let (recycle, recycled) = std::sync::mpsc::channel::<NameBatch>();
        let counting = scope.spawn(move || {
            // The order lets pass 2 find each record's spelling without hashing it again.
            let mut tally = NameTally::keeping_order();
            for batch in received {
                let mut start = 0;
                for &end in &batch.ends {
                    if end == NO_NAME_END {
                        tally.add_record(None);
                        continue;
                    }
                    tally.add_record(Some(&batch.text[start..end]));
                    start = end;
                }
                // The parser may be done: then the buffers are simply dropped.
                let _ = recycle.send(batch);
            }
            tally
        });
        let mut batch = NameBatch::default();
        let mut names = 0u64;
        let mut push_name = |name: Option<&str>| {
            match name {
                Some(name) => {
                    batch.text.push_str(name);
                    batch.ends.push(batch.text.len());
                    names += 1;
                    report_every(names, progress);
                }
                None => batch.ends.push(NO_NAME_END),
            }
            if batch.ends.len() == NAMES_PER_BATCH {
                let mut next = recycled.try_recv().unwrap_or_default();
                next.text.clear();
                next.ends.clear();
                // The counter only stops when this sender is dropped.
                let _ = batches.send(std::mem::replace(&mut batch, next));
            }
        };
        let parsed = parse_names(input, format, column, &mut push_name);
        if !batch.ends.is_empty() {
            let _ = batches.send(batch);
        }
        drop(batches);
        let tally = counting.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        parsed?;
        Ok(tally)
    })
}

/// Calls `push_name` with every data record's name, in input order (`None` for a record
/// without one, or too long to hold).
fn parse_names<R: Read>(
    input: R,
    format: Format,
    column: &str,
    push_name: &mut dyn FnMut(Option<&str>),
) -> Result<(), DedupeError> {
    let mut chunks = RecordChunks::new(input, delimiter(format));
    let mut index: Option<usize> = None;
    let mut record = csv::ByteRecord::new();
    let mut plain = PlainRecords::default();
    while let Some(piece) = chunks.next_piece()? {
        let chunk = match piece {
            Piece::Records(chunk) => chunk,
            Piece::Oversized(oversized) if oversized.records_before == 0 => return Err(header_too_long()),
            // Skipped by the next piece.
            Piece::Oversized(_) => {
                push_name(None);
                continue;
            }
        };
        if let Some(index) = index.filter(|_| plain.read(&chunk, delimiter(format))) {
            let text = std::str::from_utf8(&chunk.bytes).ok();
            for record in &plain.records {
                let fields = &plain.fields[record.fields.clone()];
                push_name(plain_name(fields, &chunk.bytes, text, index, column).ok().as_deref());
            }
            continue;
        }
        let mut reader = chunk_reader(csv_builder(format), &chunk);
        if chunk.holds_header() {
            index = Some(column_index(reader.byte_headers()?, column)?);
        }
        // The first piece holds the header unless it is oversized, refused above.
        let Some(index) = index else {
            return Err(header_too_long());
        };
        while reader.read_byte_record(&mut record)? {
            push_name(csv_name(&record, index, column).ok());
        }
    }
    if index.is_none() {
        // No input at all: the header is empty and lacks the column.
        column_index(&csv::ByteRecord::new(), column)?;
    }
    Ok(())
}

fn header_too_long() -> DedupeError {
    DedupeError::HeaderTooLong { limit: MAX_RECORD_BYTES }
}

/// Chunks parsed at a time: enough for every core, while the next ones are cut.
const CHUNKS_PER_BATCH: usize = 16;

/// What follows a batch of chunks.
enum BatchEnd {
    /// More chunks may.
    More,
    /// Nothing: the input ended.
    Last,
    /// The input's error.
    Failed(csv::Error),
    /// A record too long to hold, to be streamed once the batch is written.
    Oversized(OversizedRecord),
}

/// Up to [`CHUNKS_PER_BATCH`] chunks, and what follows them.
fn next_chunks<R: Read>(chunks: &mut RecordChunks<R>) -> (Vec<RecordChunk>, BatchEnd) {
    let mut batch = Vec::with_capacity(CHUNKS_PER_BATCH);
    while batch.len() < CHUNKS_PER_BATCH {
        match chunks.next_piece() {
            Ok(Some(Piece::Records(chunk))) => batch.push(chunk),
            Ok(Some(Piece::Oversized(record))) => return (batch, BatchEnd::Oversized(record)),
            Ok(None) => return (batch, BatchEnd::Last),
            Err(error) => return (batch, BatchEnd::Failed(csv::Error::from(error))),
        }
    }
    (batch, BatchEnd::More)
}

/// The first chunks; the input's error when it failed before any.
fn first_chunks<R: Read>(chunks: &mut RecordChunks<R>) -> Result<(Vec<RecordChunk>, BatchEnd), DedupeError> {
    match next_chunks(chunks) {
        (batch, BatchEnd::Failed(error)) if batch.is_empty() => Err(error.into()),
        first => Ok(first),
    }
}

/// The input's header, read from its first chunk (empty when the input is).
fn chunk_header(first: Option<&RecordChunk>, format: Format) -> Result<csv::ByteRecord, csv::Error> {
    let empty = RecordChunk::default();
    let mut reader = chunk_reader(csv_builder(format), first.unwrap_or(&empty));
    Ok(reader.byte_headers()?.clone())
}

/// Pass 2: every record of `input`, written to `output` with its label.
pub fn label_records<R: Read, W: Write>(
    input: R,
    output: W,
    format: Format,
    column: &str,
    dedupe: &Dedupe,
    progress: &dyn Fn(u64),
) -> Result<Summary, DedupeError> {
    let summary = match format {
        Format::Csv | Format::Tsv => label_csv(input, output, format, column, dedupe, progress)?,
        Format::Jsonl => label_jsonl(input, output, column, dedupe, progress)?,
    };
    progress(summary.records);
    Ok(summary)
}

fn report_every(records: u64, progress: &dyn Fn(u64)) {
    if records % 65_536 == 0 {
        progress(records);
    }
}

fn delimiter(format: Format) -> u8 {
    if format == Format::Tsv {
        b'\t'
    } else {
        b','
    }
}

/// How records of `format` are read: any number of fields each.
fn csv_builder(format: Format) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder.delimiter(delimiter(format)).flexible(true);
    builder
}

/// The position of `column` in the header (a UTF-8 byte-order mark is ignored).
fn column_index(header: &csv::ByteRecord, column: &str) -> Result<usize, DedupeError> {
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let field = if i == 0 { field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field) } else { field };
            String::from_utf8_lossy(field).into_owned()
        })
        .collect();
    names
        .iter()
        .position(|name| name == column)
        .ok_or_else(|| DedupeError::MissingColumn { column: column.to_string(), header: names.join(", ") })
}

/// The record's name, or why it has none.
fn csv_name<'r>(record: &'r csv::ByteRecord, index: usize, column: &str) -> Result<&'r str, String> {
    field_name(record.get(index), record.len(), column)
}

/// The name of a plain record of `fields` in the chunk `bytes` (`text`: the same bytes
/// as a string, when they are UTF-8), as [`csv_name`] reads it from the `csv` reader's.
fn plain_name<'b>(
    fields: &[PlainField],
    bytes: &'b [u8],
    text: Option<&'b str>,
    index: usize,
    column: &str,
) -> Result<Cow<'b, str>, String> {
    let Some(field) = fields.get(index) else {
        return field_name(None, fields.len(), column).map(Cow::Borrowed);
    };
    if let Some(name) = text.and_then(|text| field.str_in(text)) {
        return Ok(name);
    }
    match field.text(bytes) {
        Cow::Borrowed(raw) => field_name(Some(raw), fields.len(), column).map(Cow::Borrowed),
        Cow::Owned(raw) => field_name(Some(&raw), fields.len(), column).map(|name| Cow::Owned(name.to_string())),
    }
}

/// The name in `field`, a record's field at the name's position (`None`: the record,
/// of `fields` fields, has none there), or why it has none.
fn field_name<'f>(field: Option<&'f [u8]>, fields: usize, column: &str) -> Result<&'f str, String> {
    let field = field.ok_or_else(|| format!("missing column `{column}`: the record has {fields} field(s)"))?;
    std::str::from_utf8(field).map_err(|e| format!("invalid UTF-8 in column `{column}`: {e}"))
}

fn label_csv<R: Read, W: Write>(
    input: R,
    mut output: W,
    format: Format,
    column: &str,
    dedupe: &Dedupe,
    progress: &dyn Fn(u64),
) -> Result<Summary, DedupeError> {
    let mut chunks = RecordChunks::new(input, delimiter(format));
    let first = first_chunks(&mut chunks)?;
    if first.0.is_empty() && matches!(first.1, BatchEnd::Oversized(_)) {
        return Err(header_too_long());
    }
    let header = chunk_header(first.0.first(), format)?;
    let index = column_index(&header, column)?;
    let mut out_header = header.clone();
    for added in ADDED_COLUMNS {
        out_header.push_field(added.as_bytes());
    }
    let mut header_writer = csv_writer(Vec::new(), format);
    header_writer.write_byte_record(&out_header)?;
    output.write_all(&header_writer.into_inner().map_err(|e| e.into_error())?)?;
    let labels = CsvLabels::new(dedupe, delimiter(format));
    let label_chunk = |chunk: &RecordChunk| {
        let shape = RecordShape { format, columns: header.len(), index, column };
        label_csv_chunk(chunk, &shape, dedupe, &labels).map_err(DedupeError::from)
    };
    let write_oversized = |chunks: &mut RecordChunks<R>, output: &mut W| -> Result<String, DedupeError> {
        let copied = chunks.copy_oversized(output)?;
        let reason = format!("the record has {} bytes, over the limit of {MAX_RECORD_BYTES}", copied.bytes);
        let mut rest = Vec::new();
        let missing = (header.len() as u64).saturating_sub(copied.fields);
        rest.resize(usize::try_from(missing).unwrap_or(0), delimiter(format));
        push_added_fields(&mut rest, &Err(reason.clone()), delimiter(format));
        rest.push(b'\n');
        output.write_all(&rest)?;
        Ok(reason)
    };
    label_in_batches(chunks, first, output, progress, label_chunk, write_oversized)
}

/// Pass 2's pipeline over chunks of records: while the pool labels and serializes a
/// batch of chunks (`label_chunk`), this thread writes the previous one, then cuts the
/// next (finding where records end is sequential, parsing them is not). The bytes are
/// written in input order; a record too long to hold is written in its place by
/// `write_oversized`, which says why it is an error.
fn label_in_batches<R: Read, W: Write>(
    mut chunks: RecordChunks<R>,
    (mut batch, mut end): (Vec<RecordChunk>, BatchEnd),
    mut output: W,
    progress: &dyn Fn(u64),
    label_chunk: impl Fn(&RecordChunk) -> Result<(Vec<u8>, Summary), DedupeError> + Sync,
    mut write_oversized: impl FnMut(&mut RecordChunks<R>, &mut W) -> Result<String, DedupeError>,
) -> Result<Summary, DedupeError> {
    let mut summary = Summary::default();
    // The previous batch, labelled and not yet written.
    let mut unwritten: Option<Vec<(Vec<u8>, Summary)>> = None;
    loop {
        let (labelled, written, next) = std::thread::scope(|scope| {
            let labelling = scope.spawn(|| batch.par_iter().map(&label_chunk).collect::<Result<Vec<_>, DedupeError>>());
            let written = write_labelled(&mut output, unwritten.take(), &mut summary, progress);
            let next = match (&written, &end) {
                (Ok(()), BatchEnd::More) => Some(next_chunks(&mut chunks)),
                _ => None,
            };
            (labelling.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), written, next)
        });
        written?;
        unwritten = Some(labelled?);
        (batch, end) = match (end, next) {
            (BatchEnd::More, Some(next)) => next,
            (BatchEnd::Failed(error), _) => {
                write_labelled(&mut output, unwritten, &mut summary, progress)?;
                output.flush()?;
                return Err(error.into());
            }
            (BatchEnd::Oversized(record), _) => {
                // Streamed in its place: everything before it is written first.
                write_labelled(&mut output, unwritten.take(), &mut summary, progress)?;
                let reason = write_oversized(&mut chunks, &mut output)?;
                summary.count_error(record.line, || reason);
                next_chunks(&mut chunks)
            }
            (BatchEnd::Last | BatchEnd::More, _) => break,
        };
    }
    write_labelled(&mut output, unwritten, &mut summary, progress)?;
    output.flush()?;
    Ok(summary)
}

/// Writes a labelled batch's bytes in order, adds its counts and reports progress;
/// `None` (no batch labelled yet) does nothing.
fn write_labelled<W: Write>(
    output: &mut W,
    labelled: Option<Vec<(Vec<u8>, Summary)>>,
    summary: &mut Summary,
    progress: &dyn Fn(u64),
) -> std::io::Result<()> {
    let Some(labelled) = labelled else {
        return Ok(());
    };
    for (bytes, counts) in labelled {
        output.write_all(&bytes)?;
        summary.merge(counts);
    }
    progress(summary.records);
    Ok(())
}

fn csv_writer<W: Write>(output: W, format: Format) -> csv::Writer<W> {
    csv::WriterBuilder::new().delimiter(delimiter(format)).flexible(true).from_writer(output)
}

/// Parses, labels and serializes a chunk's records; their counts are returned for the
/// summary. A record's own fields are written as the `csv` writer would write them; the
/// added ones are copied from the spelling's serialized label.
///
/// The chunk is parsed whole before any record's spelling is looked up, and the look-ups
/// are made together ([`ParsedChunk::spellings`]): each one reads a spelling's text at a
/// random place among a million (two cache misses), and in a loop doing nothing else
/// the processor overlaps the misses of many records, where between two records' parsing
/// it waited out each one (`record_spelling` and its `memcmp` were half of pass 2).
fn label_csv_chunk(
    chunk: &RecordChunk,
    shape: &RecordShape<'_>,
    dedupe: &Dedupe,
    labels: &CsvLabels,
) -> Result<(Vec<u8>, Summary), csv::Error> {
    let parsed = ParsedChunk::parse(chunk, shape)?;
    let spellings = parsed.spellings(dedupe, chunk.first_data_record() as usize);
    // Each record comes out with its label: about twice its size and more.
    let mut out = Vec::with_capacity(chunk.bytes.len() * 3);
    let mut summary = Summary::default();
    let mut fields_start = 0;
    for (record, spelling) in parsed.records.iter().zip(spellings) {
        out.extend_from_slice(&parsed.fields[fields_start..record.fields_end]);
        fields_start = record.fields_end;
        let line = || record.line_in_chunk.map_or(0, |line| chunk.line(line));
        match spelling {
            Some(spelling) => {
                let (added, kind) = labels.of(spelling);
                out.extend_from_slice(added);
                match kind {
                    Some(kind) => summary.count_label(kind),
                    None => summary.count_error(line(), || reason_of(dedupe.verdict_of(spelling))),
                }
            }
            // A bad record, or a name the tally never saw: labelled here, one by one.
            None => {
                let outcome = parsed.name(record).and_then(|name| label_of(dedupe, name));
                push_added_fields(&mut out, &outcome, labels.delimiter);
                summary.count(line(), &outcome);
            }
        }
        out.push(b'\n');
    }
    Ok((out, summary))
}

/// A chunk's records parsed: their own fields serialized end to end, and each one's name.
struct ParsedChunk {
    /// Every record's own fields, as they are written out (without the added ones).
    fields: Vec<u8>,
    /// The records' names end to end.
    names: String,
    records: Vec<ParsedRecord>,
}

/// What pass 2 needs to know of a CSV or TSV file's records, read off its header.
struct RecordShape<'c> {
    format: Format,
    /// How many fields the header has: a shorter record is written out with the rest empty.
    columns: usize,
    /// Which field holds the name, and its column's name (for an error).
    index: usize,
    column: &'c str,
}

impl RecordShape<'_> {
    fn delimiter(&self) -> u8 {
        delimiter(self.format)
    }
}

/// One record of a [`ParsedChunk`].
struct ParsedRecord {
    /// Where its fields end in [`ParsedChunk::fields`].
    fields_end: usize,
    /// Where its name lies in [`ParsedChunk::names`], or why it has none.
    name: Result<std::ops::Range<usize>, String>,
    /// Its line in the chunk, for an error.
    line_in_chunk: Option<u64>,
}

impl ParsedChunk {
    fn parse(chunk: &RecordChunk, shape: &RecordShape<'_>) -> Result<ParsedChunk, csv::Error> {
        let mut plain = PlainRecords::default();
        if plain.read(chunk, shape.delimiter()) {
            return Ok(ParsedChunk::of_plain(chunk, &plain, shape));
        }
        ParsedChunk::of_csv(chunk, shape)
    }

    /// [`ParsedChunk::parse`] by the `csv` reader, for any chunk.
    fn of_csv(chunk: &RecordChunk, shape: &RecordShape<'_>) -> Result<ParsedChunk, csv::Error> {
        let &RecordShape { format, columns, index, column } = shape;
        let delimiter = shape.delimiter();
        let mut reader = chunk_reader(csv_builder(format), chunk);
        let mut record = csv::ByteRecord::new();
        let mut parsed =
            ParsedChunk { fields: Vec::with_capacity(chunk.bytes.len()), names: String::new(), records: Vec::new() };
        while reader.read_byte_record(&mut record)? {
            for position in 0..record.len().max(columns) {
                if position > 0 {
                    parsed.fields.push(delimiter);
                }
                push_csv_field(&mut parsed.fields, record.get(position).unwrap_or_default(), delimiter);
            }
            let name = csv_name(&record, index, column).map(|name| {
                let start = parsed.names.len();
                parsed.names.push_str(name);
                start..parsed.names.len()
            });
            let line_in_chunk = record.position().map(csv::Position::line);
            parsed.records.push(ParsedRecord { fields_end: parsed.fields.len(), name, line_in_chunk });
        }
        Ok(parsed)
    }

    /// [`ParsedChunk::parse`] of a chunk read as plain records: the same fields, names
    /// and lines. A record without a quoted field is its fields as they are written out
    /// (none needs quotes, since none holds a delimiter, a quote or a line break).
    fn of_plain(chunk: &RecordChunk, plain: &PlainRecords, shape: &RecordShape<'_>) -> ParsedChunk {
        let &RecordShape { columns, index, column, .. } = shape;
        let delimiter = shape.delimiter();
        let bytes = chunk.bytes.as_slice();
        let text = std::str::from_utf8(bytes).ok();
        let mut parsed = ParsedChunk {
            fields: Vec::with_capacity(bytes.len()),
            names: String::new(),
            records: Vec::with_capacity(plain.records.len()),
        };
        for (line, record) in (1..).zip(&plain.records) {
            let fields = &plain.fields[record.fields.clone()];
            if record.quoted {
                for (position, field) in fields.iter().enumerate() {
                    if position > 0 {
                        parsed.fields.push(delimiter);
                    }
                    push_csv_field(&mut parsed.fields, &field.text(bytes), delimiter);
                }
            } else {
                parsed.fields.extend_from_slice(&bytes[record.bytes.clone()]);
            }
            // Missing fields are written empty, each after a delimiter.
            parsed.fields.resize(parsed.fields.len() + columns.saturating_sub(fields.len()), delimiter);
            let name = plain_name(fields, bytes, text, index, column).map(|name| {
                let start = parsed.names.len();
                parsed.names.push_str(&name);
                start..parsed.names.len()
            });
            parsed.records.push(ParsedRecord { fields_end: parsed.fields.len(), name, line_in_chunk: Some(line) });
        }
        parsed
    }

    /// A record's name, or why it has none.
    fn name(&self, record: &ParsedRecord) -> Result<&str, String> {
        record.name.clone().map(|range| &self.names[range])
    }

    /// Each record's spelling ([`Dedupe::record_spelling`]; the chunk's first record is
    /// the input's `first_record`-th), all looked up in one loop.
    fn spellings(&self, dedupe: &Dedupe, first_record: usize) -> Vec<Option<u32>> {
        self.records
            .iter()
            .enumerate()
            .map(|(offset, record)| {
                let name = record.name.as_ref().ok().map(|range| &self.names[range.clone()]);
                name.and_then(|name| dedupe.record_spelling(first_record + offset, name))
            })
            .collect()
    }
}

/// Every spelling's added CSV fields, serialized once (a delimiter before each): pass 2
/// copies them instead of formatting a label for every record.
struct CsvLabels {
    delimiter: u8,
    /// The added fields of every spelling, end to end.
    bytes: Vec<u8>,
    /// Where each spelling's fields end in `bytes`.
    ends: Vec<usize>,
    /// Each spelling's kind; `None` for a name the matcher refused.
    kinds: Vec<Option<MatchKind>>,
}

/// Spellings serialized together by one thread.
const LABELS_PER_CHUNK: usize = 4_096;

impl CsvLabels {
    fn new(dedupe: &Dedupe, delimiter: u8) -> CsvLabels {
        let spellings: Vec<u32> = (0..dedupe.spelling_count() as u32).collect();
        let chunks: Vec<CsvLabels> = spellings
            .par_chunks(LABELS_PER_CHUNK)
            .map(|chunk| CsvLabels::of_spellings(dedupe, chunk, delimiter))
            .collect();
        let mut labels = CsvLabels { delimiter, bytes: Vec::new(), ends: Vec::new(), kinds: Vec::new() };
        labels.bytes.reserve(chunks.iter().map(|c| c.bytes.len()).sum());
        labels.ends.reserve(spellings.len());
        labels.kinds.reserve(spellings.len());
        for chunk in chunks {
            let offset = labels.bytes.len();
            labels.bytes.extend_from_slice(&chunk.bytes);
            labels.ends.extend(chunk.ends.iter().map(|end| end + offset));
            labels.kinds.extend(chunk.kinds);
        }
        labels
    }

    /// The labels of a run of spellings, in that order.
    fn of_spellings(dedupe: &Dedupe, spellings: &[u32], delimiter: u8) -> CsvLabels {
        let mut labels = CsvLabels {
            delimiter,
            bytes: Vec::with_capacity(spellings.len() * 64),
            ends: Vec::with_capacity(spellings.len()),
            kinds: Vec::with_capacity(spellings.len()),
        };
        for &spelling in spellings {
            let outcome = match dedupe.verdict_of(spelling) {
                NameVerdict::Labelled(label) => Ok(label),
                other => Err(reason_of(other)),
            };
            push_added_fields(&mut labels.bytes, &outcome, delimiter);
            labels.ends.push(labels.bytes.len());
            labels.kinds.push(outcome.ok().map(|label| label.kind));
        }
        labels
    }

    /// A spelling's serialized fields and kind.
    fn of(&self, spelling: u32) -> (&[u8], Option<MatchKind>) {
        let index = spelling as usize;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        (&self.bytes[start..self.ends[index]], self.kinds[index])
    }
}

/// Appends `field` as the `csv` writer writes it by default: quoted, inner quotes
/// doubled, when it holds the delimiter, a quote or a line break; as it is otherwise.
fn push_csv_field(out: &mut Vec<u8>, field: &[u8], delimiter: u8) {
    let needs_quotes = field.iter().any(|&b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r');
    if !needs_quotes {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for piece in field.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(piece);
        if piece.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// Appends the added columns, each after a delimiter.
fn push_added_fields(out: &mut Vec<u8>, outcome: &Result<Label<'_>, String>, delimiter: u8) {
    let mut push = |field: &[u8]| {
        out.push(delimiter);
        push_csv_field(out, field, delimiter);
    };
    match outcome {
        Ok(label) => {
            push(label.entity_id.as_bytes());
            push(label.entity_name.as_bytes());
            push(label.kind.as_str().as_bytes());
            push(label.score.to_string().as_bytes());
            push(b"");
        }
        Err(reason) => {
            for field in [&b""[..], b"", b"error", b"", reason.as_bytes()] {
                push(field);
            }
        }
    }
}

/// The label of a name, or why it has none.
fn label_of<'d>(dedupe: &'d Dedupe, name: &str) -> Result<Label<'d>, String> {
    match dedupe.verdict(name) {
        NameVerdict::Labelled(label) => Ok(label),
        other => Err(reason_of(other)),
    }
}

/// Why a name has no label (empty for a labelled one).
fn reason_of(verdict: NameVerdict<'_>) -> String {
    match verdict {
        NameVerdict::Labelled(_) => String::new(),
        NameVerdict::Rejected(error) => error.to_string(),
        NameVerdict::Unseen => "name was not seen in the first pass: the input changed between passes".into(),
    }
}

/// Bytes written as the contents of a JSON string, as `String::from_utf8_lossy` and then
/// `serde_json` write them: invalid UTF-8 as U+FFFD, a character cut between two writes
/// joined first; a `\r` ending the bytes (a line's, before its `\n`) left out.
struct JsonStringContents<W: Write> {
    output: W,
    /// The start of a character whose other bytes are still to come.
    cut: Vec<u8>,
    /// A `\r` was the last byte so far: written only when more bytes follow.
    held_return: bool,
}

impl<W: Write> JsonStringContents<W> {
    fn new(output: W) -> Self {
        JsonStringContents { output, cut: Vec::new(), held_return: false }
    }

    fn write_contents(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        if std::mem::take(&mut self.held_return) {
            self.write_text(b"\r")?;
        }
        if let Some(rest) = bytes.strip_suffix(b"\r") {
            self.held_return = true;
            bytes = rest;
        }
        self.write_text(bytes)
    }

    fn write_text(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let joined;
        let mut rest = if self.cut.is_empty() {
            bytes
        } else {
            joined = [std::mem::take(&mut self.cut).as_slice(), bytes].concat();
            joined.as_slice()
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => return self.escaped(text),
                Err(error) => {
                    let (valid, after) = rest.split_at(error.valid_up_to());
                    // Checked valid just above.
                    self.escaped(std::str::from_utf8(valid).unwrap_or_default())?;
                    let Some(invalid) = error.error_len() else {
                        self.cut = after.to_vec();
                        return Ok(());
                    };
                    self.escaped("\u{FFFD}")?;
                    rest = &after[invalid..];
                }
            }
        }
    }

    /// Writes a character cut short at the end as U+FFFD; gives back the output.
    fn finish(mut self) -> std::io::Result<W> {
        if !self.cut.is_empty() {
            self.escaped("\u{FFFD}")?;
        }
        Ok(self.output)
    }

    fn escaped(&mut self, text: &str) -> std::io::Result<()> {
        let quoted = serde_json::to_string(text).map_err(std::io::Error::other)?;
        self.output.write_all(quoted.get(1..quoted.len() - 1).unwrap_or_default().as_bytes())
    }
}

impl<W: Write> Write for JsonStringContents<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_contents(bytes)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.output.flush()
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// The `column` field of a JSON object line, read without building the object.
fn json_name(line: &[u8], column: &str) -> Result<String, String> {
    let text = std::str::from_utf8(line).map_err(|e| format!("invalid UTF-8: {e}"))?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let field = FieldSeed { column }.deserialize(&mut deserializer).map_err(|e| json_reason(&e))?;
    deserializer.end().map_err(|e| json_reason(&e))?;
    match field {
        Field::Text(name) => Ok(name),
        Field::NotText => Err(format!("field `{column}` is not a string")),
        Field::Missing => Err(format!("missing field `{column}`")),
    }
}

fn json_reason(error: &serde_json::Error) -> String {
    format!("not a JSON object: {error}")
}

/// The value of one key of a JSON object; the last one wins, as when the object is parsed.
enum Field {
    Text(String),
    NotText,
    Missing,
}

struct FieldSeed<'c> {
    column: &'c str,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Field;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Field, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = Field;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Field, M::Error> {
        let mut field = Field::Missing;
        while let Some(is_column) = map.next_key_seed(KeyIs { column: self.column })? {
            if is_column {
                field = match map.next_value::<Value>()? {
                    Value::String(text) => Field::Text(text),
                    _ => Field::NotText,
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(field)
    }
}

/// Reads a key and tells whether it is the column.
struct KeyIs<'c> {
    column: &'c str,
}

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.column)
    }
}

fn label_jsonl<R: Read, W: Write>(
    input: R,
    output: W,
    column: &str,
    dedupe: &Dedupe,
    progress: &dyn Fn(u64),
) -> Result<Summary, DedupeError> {
    let mut chunks = RecordChunks::lines(input);
    let first = first_chunks(&mut chunks)?;
    let label_chunk = |chunk: &RecordChunk| label_jsonl_chunk(chunk, column, dedupe);
    label_in_batches(chunks, first, output, progress, label_chunk, write_too_long_line)
}

/// Labels and serializes a chunk's lines; their counts are returned for the summary. A
/// blank line is written back as it is.
fn label_jsonl_chunk(chunk: &RecordChunk, column: &str, dedupe: &Dedupe) -> Result<(Vec<u8>, Summary), DedupeError> {
    // Each line comes out with its label: about twice its size and more.
    let mut out = Vec::with_capacity(chunk.bytes.len() * 3);
    let mut summary = Summary::default();
    for (number, line) in (chunk.lines_before + 1..).zip(chunk_lines(chunk)) {
        if is_blank(line) {
            out.extend_from_slice(line);
            out.push(b'\n');
            continue;
        }
        let (object, outcome) = match parse_object(line) {
            Ok(object) => {
                let outcome = object_name(&object, column).and_then(|name| label_of(dedupe, name));
                (object, outcome)
            }
            Err(reason) => {
                let mut object = Map::new();
                object.insert("record".into(), Value::String(String::from_utf8_lossy(line).into_owned()));
                (object, Err(reason))
            }
        };
        let object = with_label(object, &outcome);
        serde_json::to_writer(&mut out, &object)?;
        out.push(b'\n');
        summary.count(number, &outcome);
    }
    Ok((out, summary))
}

/// Writes a line too long to hold as an error object, its text under `record` as an
/// unparseable line's is, streamed as it is read; says why.
fn write_too_long_line<R: Read, W: Write>(chunks: &mut RecordChunks<R>, output: &mut W) -> Result<String, DedupeError> {
    output.write_all(b"{\"record\":\"")?;
    let mut contents = JsonStringContents::new(&mut *output);
    let copied = chunks.copy_oversized(&mut contents)?;
    let output = contents.finish()?;
    let reason = format!("the line has {} bytes, over the limit of {MAX_RECORD_BYTES}", copied.bytes);
    let label = serde_json::to_string(&with_label(Map::new(), &Err(reason.clone())))?;
    output.write_all(b"\",")?;
    // The label's object without its opening brace: its fields follow `record`.
    output.write_all(label.get(1..).unwrap_or_default().as_bytes())?;
    output.write_all(b"\n")?;
    Ok(reason)
}

fn parse_object(line: &[u8]) -> Result<Map<String, Value>, String> {
    let text = std::str::from_utf8(line).map_err(|e| format!("invalid UTF-8: {e}"))?;
    serde_json::from_str::<Map<String, Value>>(text).map_err(|e| json_reason(&e))
}

fn object_name<'o>(object: &'o Map<String, Value>, column: &str) -> Result<&'o str, String> {
    match object.get(column) {
        Some(Value::String(name)) => Ok(name),
        Some(_) => Err(format!("field `{column}` is not a string")),
        None => Err(format!("missing field `{column}`")),
    }
}

fn with_label(mut object: Map<String, Value>, outcome: &Result<Label<'_>, String>) -> Map<String, Value> {
    match outcome {
        Ok(label) => {
            object.insert("entity_id".into(), Value::from(label.entity_id));
            object.insert("entity_name".into(), Value::from(label.entity_name));
            object.insert("match".into(), Value::from(label.kind.as_str()));
            object.insert("score".into(), Value::from(label.score));
        }
        Err(reason) => {
            object.insert("entity_id".into(), Value::Null);
            object.insert("entity_name".into(), Value::Null);
            object.insert("match".into(), Value::from("error"));
            object.insert("score".into(), Value::Null);
            object.insert("error".into(), Value::from(reason.as_str()));
        }
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pass 2 writes fields itself: they must come out as the `csv` writer writes them.
    #[test]
    fn fields_are_quoted_as_the_csv_writer_quotes_them() {
        let fields: [&[u8]; 9] =
            [b"", b"plain", b"a,b", b"a\tb", b"say \"hi\"", b"\"", b"line\nbreak", b"cr\rlf", "Ünïcode, ok".as_bytes()];
        for format in [Format::Csv, Format::Tsv] {
            let mut expected = csv_writer(Vec::new(), format);
            let mut record = csv::ByteRecord::new();
            fields.iter().for_each(|field| record.push_field(field));
            expected.write_byte_record(&record).expect("writes to memory");
            let expected = expected.into_inner().expect("flushes to memory");
            let mut written = Vec::new();
            for (position, field) in fields.iter().enumerate() {
                if position > 0 {
                    written.push(delimiter(format));
                }
                push_csv_field(&mut written, field, delimiter(format));
            }
            written.push(b'\n');
            assert_eq!(String::from_utf8_lossy(&written), String::from_utf8_lossy(&expected), "{format:?}");
        }
    }

    /// Records of made-up fields, some plain and some not: every way a field can be
    /// written (quoted or not, with delimiters, quotes, line breaks, `\r`, invalid UTF-8),
    /// records of too few and too many fields, blank lines, a last line without its end.
    fn made_up_chunks(delimiter: u8) -> Vec<Vec<u8>> {
        let d = delimiter as char;
        let fields: Vec<String> = [
            "plain",
            "",
            "Ünïcode",
            "\"quoted\"",
            "\"with a\"\" quote\"",
            "\"\"",
            "\"\"\"\"",
            "in\"side",
            "\"closed\"then",
            "\"open",
            "\"line\nbreak\"",
            "cr\r",
            "\"cr\rquoted\"",
            " spaced ",
        ]
        .iter()
        .map(|f| f.to_string())
        .chain([format!("\"a{d}b\""), format!("\"{d}\""), "x\u{fffd}y".to_string()])
        .collect();
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        let mut chunks = Vec::new();
        for round in 0..3000 {
            let mut chunk = Vec::new();
            let records = 1 + next(6);
            // Mostly the fields a plain chunk can hold, so that many chunks are plain.
            let kinds = if round % 3 == 0 { fields.len() } else { 6 };
            for record in 0..records {
                let count = 1 + next(5);
                for position in 0..count {
                    if position > 0 {
                        chunk.push(delimiter);
                    }
                    if next(40) == 0 {
                        chunk.extend_from_slice(b"bad \xff byte");
                    } else {
                        chunk.extend_from_slice(fields[next(kinds)].as_bytes());
                    }
                }
                if next(30) == 0 {
                    chunk.push(b'\n');
                }
                if record + 1 < records || next(2) == 0 {
                    chunk.push(b'\n');
                }
            }
            chunks.push(chunk);
        }
        chunks
    }

    /// The plain reading of a chunk parses it as the `csv` reader does, whenever it reads it.
    #[test]
    fn plain_records_are_parsed_as_the_csv_reader_parses_them() {
        for format in [Format::Csv, Format::Tsv] {
            let delimiter = delimiter(format);
            let (mut plain_chunks, mut plain_pass_1) = (0, PlainRecords::default());
            for bytes in made_up_chunks(delimiter) {
                let chunk = RecordChunk { bytes, records_before: 1, lines_before: 7, ..RecordChunk::default() };
                for (columns, index) in [(3, 1), (1, 0), (5, 4)] {
                    let shape = RecordShape { format, columns, index, column: "name" };
                    let by_csv = ParsedChunk::of_csv(&chunk, &shape);
                    let mut plain = PlainRecords::default();
                    if !plain.read(&chunk, delimiter) {
                        continue;
                    }
                    plain_chunks += 1;
                    let by_plain = ParsedChunk::of_plain(&chunk, &plain, &shape);
                    let by_csv = by_csv.expect("a chunk read as plain is one the csv reader reads");
                    let shown = String::from_utf8_lossy(&chunk.bytes);
                    assert_eq!(by_plain.fields, by_csv.fields, "{format:?} {columns} {index}: {shown:?}");
                    assert_eq!(by_plain.records.len(), by_csv.records.len(), "{shown:?}");
                    for (a, b) in by_plain.records.iter().zip(&by_csv.records) {
                        assert_eq!(a.fields_end, b.fields_end, "{shown:?}");
                        assert_eq!(by_plain.name(a), by_csv.name(b), "{shown:?}");
                        assert_eq!(a.line_in_chunk, b.line_in_chunk, "{shown:?}");
                    }
                    // Pass 1 reads the names alike, with lists kept from chunk to chunk.
                    assert!(plain_pass_1.read(&chunk, delimiter));
                    let names: Vec<Result<String, String>> = plain_pass_1
                        .records
                        .iter()
                        .map(|record| {
                            let fields = &plain_pass_1.fields[record.fields.clone()];
                            let text = std::str::from_utf8(&chunk.bytes).ok();
                            let name = plain_name(fields, &chunk.bytes, text, index, "name").map(String::from);
                            // Read from the bytes alone (a chunk that is not UTF-8), alike.
                            let by_bytes = plain_name(fields, &chunk.bytes, None, index, "name").map(String::from);
                            assert_eq!(name, by_bytes);
                            name
                        })
                        .collect();
                    let expected: Vec<Result<String, String>> =
                        by_csv.records.iter().map(|r| by_csv.name(r).map(str::to_string)).collect();
                    assert_eq!(names, expected, "{shown:?}");
                }
            }
            assert!(plain_chunks > 2000, "{format:?}: only {plain_chunks} chunks read as plain");
        }
        // Never the first chunk, whose header a reader skips (after a byte-order mark).
        let first = RecordChunk { bytes: b"id,name\n1,a\n".to_vec(), ..RecordChunk::default() };
        assert!(!PlainRecords::default().read(&first, b','));
    }

    #[test]
    fn json_string_contents_are_those_of_the_lossy_text_however_the_bytes_are_cut() {
        let inputs: [&[u8]; 5] = [
            b"plain \"quoted\" back\\slash\ttab",
            "Ünïcode – ok".as_bytes(),
            b"bad \xff\xfe and cut \xe2\x82",
            b"\x01\xf0\x9f\x98\x80!",
            b"a\rreturn inside and one ending the line\r",
        ];
        for input in inputs {
            let text = input.strip_suffix(b"\r").unwrap_or(input);
            let expected = serde_json::to_string(&String::from_utf8_lossy(text)).expect("serializes");
            for cut_every in 1..=input.len() {
                let mut contents = JsonStringContents::new(Vec::new());
                for piece in input.chunks(cut_every) {
                    contents.write_all(piece).expect("writes to memory");
                }
                let written = contents.finish().expect("writes to memory");
                assert_eq!(format!("\"{}\"", String::from_utf8_lossy(&written)), expected, "cut every {cut_every}");
            }
        }
    }

    #[test]
    fn a_chunk_s_lines_lose_their_line_ends_and_a_blank_line_is_one() {
        let chunk = RecordChunk { bytes: b"a\r\n\n b\r\rc\n".to_vec(), ..RecordChunk::default() };
        let lines: Vec<&[u8]> = chunk_lines(&chunk).collect();
        assert_eq!(lines, [&b"a"[..], b"", b" b\r\rc"]);
        let last = RecordChunk { bytes: b"x\ny".to_vec(), ..RecordChunk::default() };
        assert_eq!(chunk_lines(&last).collect::<Vec<_>>(), [&b"x"[..], b"y"], "the input's last line may lack its end");
    }
}
