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
    let last = 1u64 << (pattern.len() - 1);
    // Bit i of VP / VN: the column's value rises / falls between rows i and i + 1.
    let (mut vp, mut vn, mut d0, mut previous_match) = (!0u64, 0u64, 0u64, 0u64);
    let mut distance = pattern.len();
    for &letter in text {
        let matches = positions_of(pattern, letter);
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

/// Bit i set where `pattern[i] == letter`.
fn positions_of(pattern: &[u8], letter: u8) -> u64 {
    pattern.iter().enumerate().fold(0u64, |bits, (i, &c)| bits | (u64::from(c == letter) << i))
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

    #[test]
    fn agrees_with_strsim_on_longer_words() {
        // Words of up to 20 letters from a 4-letter alphabet, from a fixed sequence.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut word = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 21) as usize;
            (0..len).map(|i| b"abcd"[((state >> (8 + 2 * i)) & 3) as usize] as char).collect::<String>()
        };
        for _ in 0..20_000 {
            let (a, b) = (word(), word());
            assert_eq!(osa_distance(a.as_bytes(), b.as_bytes()), strsim::osa_distance(&a, &b), "{a} / {b}");
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
