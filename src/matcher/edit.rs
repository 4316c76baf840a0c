//! Edit distance between two short words, without allocating: the scorer compares
//! thousands of word pairs per query, and a general-purpose implementation (a hash map
//! and a matrix per call) was a quarter of resolve time.
//!
//! Optimal string alignment distance (Levenshtein plus adjacent transpositions, each
//! substring edited once) over bytes: folded words are ASCII. Hyyrö's bit-parallel
//! algorithm (2003) keeps one column of the matrix in the bits of a machine word, so a
//! pair of words costs one step per letter of one of them, not one per pair of letters:
//! the dynamic-programming version was still a quarter of fuzzy-query time.

/// Words up to this long fit the bit-parallel version; longer ones fall back to
/// strsim's (allocating) implementation.
const BIT_LIMIT: usize = 64;

/// The OSA distance between two byte strings.
pub fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    // The distance is symmetric: the shorter word goes in the bit vector.
    let (pattern, text) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if pattern.is_empty() {
        return text.len();
    }
    if pattern.len() > BIT_LIMIT {
        return strsim::osa_distance(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b));
    }
    if in_lower_block(pattern) && in_lower_block(text) {
        let letters = LowerLetters::new(pattern);
        bit_parallel(pattern.len(), text, |letter| letters.positions_of(letter))
    } else {
        let chunks = Chunks::new(pattern);
        bit_parallel(pattern.len(), text, |letter| chunks.positions_of(letter))
    }
}

/// One word's letter table for the bit-parallel distance, built once for a word that is
/// compared with many: a query word meets every word of its candidates' names and every
/// look-alike the index offers, and building the shorter word's table for each pair was
/// a fifth of the distance's instructions. The distance being symmetric, the table's
/// word may be the longer one: the steps are then one per letter of the other word.
#[derive(Clone)]
pub struct LetterTable {
    /// `None` where the plain distance must be asked (an empty word, one longer than
    /// [`BIT_LIMIT`], or one with bytes outside the lower-case block).
    letters: Option<LowerLetters>,
}

impl LetterTable {
    /// The table of `word`.
    pub fn of(word: &[u8]) -> LetterTable {
        let usable = !word.is_empty() && word.len() <= BIT_LIMIT && in_lower_block(word);
        LetterTable { letters: usable.then(|| LowerLetters::new(word)) }
    }

    /// `osa_distance(word, other)`, where `word` is the word this table was built of.
    pub fn distance(&self, word: &[u8], other: &[u8]) -> usize {
        match &self.letters {
            Some(letters) if in_lower_block(other) => {
                bit_parallel(word.len(), other, |letter| letters.positions_of(letter))
            }
            _ => osa_distance(word, other),
        }
    }
}

/// Hyyrö's OSA distance between a pattern of `pattern_len` bytes (1 to 64), whose
/// positions of a letter `positions_of` gives, and `text`.
fn bit_parallel(pattern_len: usize, text: &[u8], positions_of: impl Fn(u8) -> u64) -> usize {
    let last = 1u64 << (pattern_len - 1);
    // Bit i of VP / VN: the column's value rises / falls between rows i and i + 1.
    let (mut vp, mut vn, mut d0, mut previous_match) = (!0u64, 0u64, 0u64, 0u64);
    let mut distance = pattern_len;
    for &letter in text {
        let matches = positions_of(letter);
        let transposed = ((!d0 & matches) << 1) & previous_match;
        d0 = (((matches & vp).wrapping_add(vp)) ^ vp) | matches | vn | transposed;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != 0 {
            distance += 1;
        } else if hn & last != 0 {
            distance -= 1;
        }
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        previous_match = matches;
    }
    distance
}

/// Whether every byte is in 0x60..=0x7F, the block of the lower-case letters: there a
/// byte's low five bits tell it from every other byte of the block.
fn in_lower_block(word: &[u8]) -> bool {
    word.iter().all(|&byte| byte & 0xE0 == 0x60)
}

/// Where each byte of a pattern in the lower-case block ([`in_lower_block`]) occurs, by
/// its low five bits: one read per letter of the text. Folded words are nearly always
/// such letters, and finding a letter's positions eight bytes at a time ([`Chunks`])
/// was most of the distance's instructions.
#[derive(Clone)]
struct LowerLetters {
    positions: [u64; 32],
}

impl LowerLetters {
    fn new(pattern: &[u8]) -> LowerLetters {
        let mut positions = [0u64; 32];
        for (i, &byte) in pattern.iter().enumerate() {
            positions[usize::from(byte & 31)] |= 1 << i;
        }
        LowerLetters { positions }
    }

    /// Bit i set where the pattern's byte i is `letter`, for a letter of the block.
    fn positions_of(&self, letter: u8) -> u64 {
        self.positions[usize::from(letter & 31)]
    }
}

/// Whether `osa_distance(a, b)` is surely more than `limit`, told from which bytes the
/// words hold without aligning them: each edit adds or removes at most one distinct byte
/// on each side (a transposition none), so words whose sets of bytes differ by more than
/// `2 * limit` are more than `limit` edits apart. Most word pairs a query's candidates
/// bring share few letters, and this rules them out for a fraction of the distance's
/// cost. Holds for the byte-wise distance only: longer words (strsim's, by characters)
/// are never ruled out.
pub fn surely_farther_than(a: &[u8], b: &[u8], limit: usize) -> bool {
    letters_farther_than(letters(a), letters(b), a.len().min(b.len()), limit)
}

/// The bytes a word holds, as [`surely_farther_than`] reads them: bytes share bits
/// modulo 64, and a shared bit only makes two words look closer.
pub fn letters(word: &[u8]) -> u64 {
    word.iter().fold(0u64, |set, &byte| set | (1u64 << (byte & 63)))
}

/// [`surely_farther_than`] of two words given their [`letters`] and the shorter's length.
pub fn letters_farther_than(a: u64, b: u64, shorter: usize, limit: usize) -> bool {
    shorter <= BIT_LIMIT && (a ^ b).count_ones() as usize > 2 * limit
}

/// A pattern of up to 64 bytes, eight to a machine word, so that where a letter occurs
/// is found eight bytes at a time rather than byte by byte (that scan was most of the
/// distance's cost).
struct Chunks {
    words: [u64; BIT_LIMIT / 8],
    count: usize,
    valid: u64,
}

impl Chunks {
    fn new(pattern: &[u8]) -> Chunks {
        let mut words = [0u64; BIT_LIMIT / 8];
        for (word, bytes) in words.iter_mut().zip(pattern.chunks(8)) {
            let mut padded = [0u8; 8];
            padded[..bytes.len()].copy_from_slice(bytes);
            *word = u64::from_le_bytes(padded);
        }
        let valid = if pattern.len() == BIT_LIMIT { !0 } else { (1u64 << pattern.len()) - 1 };
        Chunks { words, count: pattern.len().div_ceil(8), valid }
    }

    /// Bit i set where `pattern[i] == letter`.
    fn positions_of(&self, letter: u8) -> u64 {
        let spread = 0x0101_0101_0101_0101u64 * u64::from(letter);
        let bits = self.words[..self.count]
            .iter()
            .enumerate()
            .fold(0u64, |bits, (i, &word)| bits | (zero_bytes(word ^ spread) << (8 * i)));
        // Padding bytes are zeros and would match the letter 0.
        bits & self.valid
    }
}

/// Bit i set where byte i of `word` is zero.
fn zero_bytes(word: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // 0x80 exactly in each zero byte: no carry crosses a byte.
    let high = !(((word & LOW7).wrapping_add(LOW7)) | word | LOW7);
    // Gathers the eight high bits into the top byte.
    (high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_strsim_on_words() {
        let words =
            ["aknaf", "aktaf", "hasan", "husan", "ruhani", "rahmani", "ca", "abc", "", "sirgivish", "sirgavish"];
        for a in words {
            for b in words {
                assert_eq!(osa_distance(a.as_bytes(), b.as_bytes()), strsim::osa_distance(a, b), "{a} / {b}");
            }
        }
    }

    #[test]
    fn agrees_with_strsim_on_every_short_string() {
        // Every string of up to 5 letters over a 3-letter alphabet against every other:
        // transpositions, repeats and overlaps in all their combinations.
        let mut strings = vec![String::new()];
        for len in 1..=5 {
            let mut next = Vec::new();
            for s in strings.iter().filter(|s| s.len() == len - 1) {
                for c in ['a', 'b', 'c'] {
                    next.push(format!("{s}{c}"));
                }
            }
            strings.extend(next);
        }
        for a in &strings {
            for b in &strings {
                assert_eq!(osa_distance(a.as_bytes(), b.as_bytes()), strsim::osa_distance(a, b), "{a} / {b}");
            }
        }
    }

    /// Words of up to `max_len` letters of `alphabet` (2, 4 or 8 letters), from a fixed
    /// xorshift sequence seeded with `seed`: each word's length and letters are read from
    /// one state.
    fn random_words(mut seed: u64, alphabet: &'static [u8], max_len: usize) -> impl FnMut() -> String {
        let bits = alphabet.len().trailing_zeros() as usize;
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % (max_len as u64 + 1)) as usize;
            (0..len).map(|i| alphabet[((seed >> (8 + bits * i)) as usize) & (alphabet.len() - 1)] as char).collect()
        }
    }

    #[test]
    fn agrees_with_strsim_on_longer_words() {
        // Words of up to 20 letters from a 4-letter alphabet, from a fixed sequence.
        let mut word = random_words(0x2545_f491_4f6c_dd1d, b"abcd", 20);
        for _ in 0..20_000 {
            let (a, b) = (word(), word());
            assert_eq!(osa_distance(a.as_bytes(), b.as_bytes()), strsim::osa_distance(&a, &b), "{a} / {b}");
        }
    }

    /// OSA over bytes by the textbook matrix.
    fn reference(a: &[u8], b: &[u8]) -> usize {
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn zero_bytes_and_high_bytes_count() {
        for (a, b) in [("a\0b", "ab"), ("\0\0", "\0"), ("\u{e9}t\u{e9}", "ete"), ("x\u{ff}y", "xy"), ("\0", "")] {
            assert_eq!(
                osa_distance(a.as_bytes(), b.as_bytes()),
                reference(a.as_bytes(), b.as_bytes()),
                "{a:?} / {b:?}"
            );
        }
    }

    #[test]
    fn words_ruled_out_by_their_bytes_are_farther() {
        let mut word = random_words(0x9e37_79b9_7f4a_7c15, b"abcdefgh", 11);
        let mut ruled_out = 0;
        for _ in 0..20_000 {
            let (a, b) = (word(), word());
            for limit in 0..=2 {
                if surely_farther_than(a.as_bytes(), b.as_bytes(), limit) {
                    ruled_out += 1;
                    assert!(osa_distance(a.as_bytes(), b.as_bytes()) > limit, "{a} / {b} within {limit}");
                }
            }
        }
        assert!(ruled_out > 1000, "the bound rules out some pairs");
        assert!(!surely_farther_than(b"hassan", b"husain", 2));
    }

    #[test]
    fn lower_letters_and_other_bytes_agree_with_the_reference() {
        // Letters, digits and bytes sharing a letter's low five bits ('A' and 'a', '!' and 'a').
        let mut word = random_words(0x51_7cc1_b727_220a, b"ab1A!`z{", 12);
        for _ in 0..20_000 {
            let (a, b) = (word(), word());
            assert_eq!(osa_distance(a.as_bytes(), b.as_bytes()), reference(a.as_bytes(), b.as_bytes()), "{a} / {b}");
        }
    }

    #[test]
    fn a_letter_table_agrees_with_the_plain_distance() {
        // Either word longer, bytes outside the lower-case block, empty words, and words
        // past the bit vector's length: every way the table may or may not be used.
        let mut word = random_words(0x2545_f491_4f6c_dd1d, b"abcab1A!`z{", 12);
        let mut pairs: Vec<(String, String)> = (0..40_000).map(|_| (word(), word())).collect();
        let long = "ab".repeat(32);
        for (a, b) in [("", "abc"), ("abc", ""), ("", ""), (long.as_str(), "ba"), ("ba", long.as_str())] {
            pairs.push((a.to_string(), b.to_string()));
        }
        pairs.push(("a".repeat(70), format!("{}b", "a".repeat(69))));
        pairs.push(("ab".to_string(), "a".repeat(70)));
        for (a, b) in &pairs {
            let (a, b) = (a.as_bytes(), b.as_bytes());
            assert_eq!(LetterTable::of(a).distance(a, b), osa_distance(a, b), "{a:?} / {b:?}");
        }
    }

    #[test]
    fn a_transposition_is_one_edit() {
        assert_eq!(osa_distance(b"ab", b"ba"), 1);
        assert_eq!(osa_distance(b"abcd", b"abdc"), 1);
        assert_eq!(osa_distance(b"ca", b"abc"), 3);
    }

    #[test]
    fn long_words_fall_back() {
        let long = "a".repeat(70);
        assert_eq!(osa_distance(long.as_bytes(), format!("{long}b").as_bytes()), 1);
        // Exactly 64 letters: the last bit of the vector.
        let (a, b) = ("ab".repeat(32), format!("{}ba", "ab".repeat(31)));
        assert_eq!(osa_distance(a.as_bytes(), b.as_bytes()), strsim::osa_distance(&a, &b));
        assert_eq!(osa_distance(a.as_bytes(), b"b"), strsim::osa_distance(&a, "b"));
    }
}
