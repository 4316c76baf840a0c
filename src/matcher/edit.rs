//! Edit distance between two short words, without allocating: the scorer compares
//! thousands of word pairs per query, and a general-purpose implementation (a hash map
//! and a matrix per call) was a quarter of resolve time.
//!
//! Optimal string alignment distance (Levenshtein plus adjacent transpositions, each
//! substring edited once) over bytes: folded words are ASCII.

/// Words longer than this fall back to strsim's (allocating) implementation.
const STACK_LIMIT: usize = 48;

/// The OSA distance between two byte strings.
pub fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    if a.len() > STACK_LIMIT || b.len() > STACK_LIMIT {
        return strsim::osa_distance(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b));
    }
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    // Three rows of the dynamic-programming matrix: two back (for transpositions),
    // one back, and the current one.
    let mut two_back = [0usize; STACK_LIMIT + 1];
    let mut one_back = [0usize; STACK_LIMIT + 1];
    let mut current = [0usize; STACK_LIMIT + 1];
    for (j, cell) in one_back.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (one_back[j] + 1).min(current[j - 1] + 1).min(one_back[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(two_back[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut two_back, &mut one_back);
        std::mem::swap(&mut one_back, &mut current);
    }
    one_back[b.len()]
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
    fn a_transposition_is_one_edit() {
        assert_eq!(osa_distance(b"ab", b"ba"), 1);
        assert_eq!(osa_distance(b"abcd", b"abdc"), 1);
    }

    #[test]
    fn long_words_fall_back() {
        let long = "a".repeat(60);
        assert_eq!(osa_distance(long.as_bytes(), format!("{long}b").as_bytes()), 1);
    }
}
