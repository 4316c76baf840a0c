//! Edit distance between two short words, without allocating: the scorer compares
//! thousands of word pairs per query, and a general-purpose implementation (a hash map
//! and a matrix per call) was a quarter of resolve time.
//!
//! Optimal string alignment distance (Levenshtein plus adjacent transpositions, each
//! substring edited once) over bytes: folded words are ASCII. Words of up to 64 bytes
//! use Hyyrö's bit-parallel algorithm (one machine word holds a whole column of the
//! matrix): a dynamic-programming matrix, even on the stack, was still a third of a
//! dedupe run, most of it spent clearing rows for words of six letters.

/// Words longer than this (both of them) fall back to strsim's (allocating) implementation.
const WORD_BITS: usize = 64;

/// The OSA distance between two byte strings.
pub fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    // The distance is symmetric: the shorter word goes into the bit vectors.
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.len();
    }
    if short.len() > WORD_BITS {
        return strsim::osa_distance(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b));
    }
    bit_parallel_osa(short, long)
}

/// Hyyrö (2003), "A bit-vector algorithm for computing Levenshtein and Damerau edit
/// distances", restricted to one 64-bit word: `short` has 1 to 64 bytes.
fn bit_parallel_osa(short: &[u8], long: &[u8]) -> usize {
    let last = 1u64 << (short.len() - 1);
    let mut vertical_positive = u64::MAX;
    let mut vertical_negative = 0u64;
    let mut diagonal_zero = 0u64;
    let mut previous_match = 0u64;
    let mut distance = short.len();
    for &byte in long {
        // Where `byte` occurs in `short`; words are short, so a scan beats a 256-entry table.
        let matches = short.iter().enumerate().fold(0u64, |m, (i, &c)| m | (u64::from(c == byte) << i));
        let transposed = ((!diagonal_zero & matches) << 1) & previous_match;
        diagonal_zero = (((matches & vertical_positive).wrapping_add(vertical_positive)) ^ vertical_positive)
            | matches
            | vertical_negative
            | transposed;
        let horizontal_positive = vertical_negative | !(diagonal_zero | vertical_positive);
        let horizontal_negative = diagonal_zero & vertical_positive;
        if horizontal_positive & last != 0 {
            distance += 1;
        } else if horizontal_negative & last != 0 {
            distance -= 1;
        }
        let horizontal_positive = (horizontal_positive << 1) | 1;
        let horizontal_negative = horizontal_negative << 1;
        vertical_positive = horizontal_negative | !(diagonal_zero | horizontal_positive);
        vertical_negative = horizontal_positive & diagonal_zero;
        previous_match = matches;
    }
    distance
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
    fn agrees_with_strsim_on_random_words() {
        // Small alphabets make repeats, transpositions and near-misses common.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let alphabet = 2 + (next() % 4) as u8;
            let mut word = |max: u64| -> String {
                let len = (next() % max) as usize;
                (0..len).map(|_| char::from(b'a' + (next() % u64::from(alphabet)) as u8)).collect()
            };
            let (a, b) = (word(12), word(70));
            assert_eq!(osa_distance(a.as_bytes(), b.as_bytes()), strsim::osa_distance(&a, &b), "{a} / {b}");
            assert_eq!(osa_distance(b.as_bytes(), a.as_bytes()), strsim::osa_distance(&b, &a), "{b} / {a}");
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
        let long = "a".repeat(60);
        assert_eq!(osa_distance(long.as_bytes(), format!("{long}b").as_bytes()), 1);
        let longer = "ab".repeat(40);
        assert_eq!(osa_distance(longer.as_bytes(), format!("{longer}ba").as_bytes()), 2);
    }
}
