//! A chunk's CSV/TSV records read without the `csv` reader, when they are plain enough
//! that no reading could differ from its: one record a line, no blank line, no `\r`, and
//! every quote either opening a field, closing it (before a delimiter or the line's end)
//! or doubled inside it. Any other chunk is left to the `csv` reader whole.
//!
//! Both passes read every record of the input, and the `csv` reader's state machine (a
//! step per byte, a record buffer filled then copied out) was most of pass 1's parsing
//! thread, its critical path, and a third of pass 2's labelling: here a record costs a
//! few `memchr` calls.

use std::borrow::Cow;
use std::ops::Range;

use super::chunks::RecordChunk;

/// One field of a plain record: where its text lies in the chunk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlainField {
    start: usize,
    end: usize,
    /// Read between quotes: a doubled quote inside stands for one.
    quoted: bool,
}

impl PlainField {
    /// The field's text, as the `csv` reader gives it.
    pub fn text<'b>(&self, bytes: &'b [u8]) -> Cow<'b, [u8]> {
        let raw = &bytes[self.start..self.end];
        if !self.quoted || memchr::memchr(b'"', raw).is_none() {
            return Cow::Borrowed(raw);
        }
        let mut text = Vec::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(at) = memchr::memchr(b'"', rest) {
            // Quotes come in pairs inside a field that was read as plain.
            text.extend_from_slice(&rest[..=at]);
            rest = rest.get(at + 2..).unwrap_or_default();
        }
        text.extend_from_slice(rest);
        Cow::Owned(text)
    }

    /// [`PlainField::text`] as a string, given the whole chunk's bytes as one (`None`
    /// only if the field does not begin and end at a character's boundary, which the
    /// bytes that delimit fields do not allow). A chunk is checked for UTF-8 once: each
    /// of its fields is then valid too, since fields are cut at ASCII bytes.
    pub fn str_in<'b>(&self, chunk: &'b str) -> Option<Cow<'b, str>> {
        let raw = chunk.get(self.start..self.end)?;
        if self.quoted && raw.contains('"') {
            // Quotes come in pairs inside a field that was read as plain.
            return Some(Cow::Owned(raw.replace("\"\"", "\"")));
        }
        Some(Cow::Borrowed(raw))
    }
}

/// One plain record.
#[derive(Debug, Clone)]
pub(crate) struct PlainRecord {
    /// Its fields in [`PlainRecords::fields`].
    pub fields: Range<usize>,
    /// Its bytes in the chunk, the line break left out.
    pub bytes: Range<usize>,
    /// Some field was quoted: its bytes are not its fields' texts joined by delimiters.
    pub quoted: bool,
}

/// A chunk's records, read by [`PlainRecords::read`]; kept from chunk to chunk so that
/// its lists are allocated once.
#[derive(Debug, Default)]
pub(crate) struct PlainRecords {
    pub fields: Vec<PlainField>,
    pub records: Vec<PlainRecord>,
}

impl PlainRecords {
    /// Reads the records of `chunk`, whose fields are separated by `delimiter`, when it
    /// is plain (the module's conditions, and not the first chunk, which holds the header
    /// and may begin with a byte-order mark). The `k`-th record (from 0) then lies on the
    /// chunk's line `k + 1`. False when the `csv` reader must read the chunk instead;
    /// what was read is then of no use.
    pub fn read(&mut self, chunk: &RecordChunk, delimiter: u8) -> bool {
        self.fields.clear();
        self.records.clear();
        let bytes = chunk.bytes.as_slice();
        let plain_lines = !chunk.holds_header()
            && !chunk.added_line_break
            && bytes.first() != Some(&b'\n')
            && memchr::memchr(b'\r', bytes).is_none()
            && memchr::memmem::find(bytes, b"\n\n").is_none();
        if !plain_lines || delimiter == b'"' || delimiter == b'\n' {
            return false;
        }
        let mut at = 0;
        while at < bytes.len() {
            let (record_start, first_field) = (at, self.fields.len());
            let mut quoted = false;
            let record_end = loop {
                // `at` begins a field (at the chunk's end: an empty last field).
                let (field, after) = if bytes.get(at) == Some(&b'"') {
                    let mut from = at + 1;
                    let close = loop {
                        match memchr::memchr2(b'"', b'\n', &bytes[from..]).map(|offset| from + offset) {
                            Some(quote) if bytes[quote] == b'"' => {
                                if bytes.get(quote + 1) == Some(&b'"') {
                                    from = quote + 2;
                                    continue;
                                }
                                break quote;
                            }
                            // A line break inside quotes, or no closing quote.
                            _ => return false,
                        }
                    };
                    (PlainField { start: at + 1, end: close, quoted: true }, close + 1)
                } else {
                    let end =
                        memchr::memchr3(delimiter, b'"', b'\n', &bytes[at..]).map_or(bytes.len(), |offset| at + offset);
                    if bytes.get(end) == Some(&b'"') {
                        // A quote inside an unquoted field.
                        return false;
                    }
                    (PlainField { start: at, end, quoted: false }, end)
                };
                quoted |= field.quoted;
                self.fields.push(field);
                match bytes.get(after) {
                    Some(&byte) if byte == delimiter => at = after + 1,
                    Some(b'\n') => {
                        at = after + 1;
                        break after;
                    }
                    None => {
                        at = bytes.len();
                        break bytes.len();
                    }
                    // Something after a closing quote.
                    Some(_) => return false,
                }
            };
            self.records.push(PlainRecord {
                fields: first_field..self.fields.len(),
                bytes: record_start..record_end,
                quoted,
            });
        }
        true
    }
}
