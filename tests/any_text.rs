//! Any text a caller can send: names in many scripts, stray control, format and bidi
//! characters, combining marks, symbols, private-use and tag characters, very long words,
//! and table names with random edits, generated from fixed seeds. Every one gets an
//! answer or a typed refusal, never a panic; the answer is well formed (an outcome that
//! agrees with its best candidate and the threshold, scores in [0, 1], candidates ranked)
//! and the same when asked again; and a name accepted is the same entity as itself.

use std::sync::Arc;

use canonym::aliases;
use canonym::matcher::{MatchConfig, Matcher, Outcome, Query, QueryError, Resolution};

/// Code point ranges the names are drawn from: scripts the normalizer romanizes and some
/// it does not, and the characters it must strip or fold.
const RANGES: &[(u32, u32)] = &[
    (0x41, 0x5a),       // Latin capitals
    (0x61, 0x7a),       // Latin small letters
    (0x30, 0x39),       // digits
    (0xa0, 0xbf),       // Latin-1 punctuation and symbols
    (0xc0, 0x17f),      // accented Latin
    (0x300, 0x36f),     // combining diacritics
    (0x370, 0x3ff),     // Greek
    (0x400, 0x4ff),     // Cyrillic
    (0x591, 0x5c7),     // Hebrew points
    (0x5d0, 0x5ea),     // Hebrew letters
    (0x600, 0x6ff),     // Arabic, harakat, Arabic-Indic digits
    (0x900, 0x97f),     // Devanagari
    (0xe00, 0xe7f),     // Thai
    (0x1100, 0x11ff),   // Hangul jamo
    (0x1e00, 0x1eff),   // Latin extended additional
    (0x2000, 0x200f),   // spaces, zero-width characters, LRM/RLM
    (0x2010, 0x2027),   // dashes, quotes
    (0x202a, 0x202e),   // bidi embeddings and overrides
    (0x2060, 0x2064),   // word joiner, invisible operators
    (0x2160, 0x2188),   // Roman numerals
    (0x2460, 0x24ff),   // enclosed alphanumerics
    (0x3000, 0x3000),   // ideographic space
    (0x3040, 0x30ff),   // kana
    (0x4e00, 0x9fff),   // Han
    (0xac00, 0xd7a3),   // Hangul syllables
    (0xe000, 0xe010),   // private use
    (0xfb50, 0xfdff),   // Arabic presentation forms
    (0xfe70, 0xfeff),   // Arabic presentation forms B, BOM
    (0xff01, 0xff5e),   // full-width ASCII
    (0xfff9, 0xfffd),   // interlinear annotations, replacement character
    (0x10000, 0x1007f), // Linear B
    (0x1d400, 0x1d7ff), // mathematical alphanumerics
    (0x1f300, 0x1f6ff), // emoji
    (0xe0001, 0xe007f), // tag characters
];

/// What joins words: spaces of several kinds, punctuation, articles and legal forms.
const JOINS: &[&str] = &[
    " ", " ", " ", "-", "'", "’", "ʿ", ".", ",", " al-", " bin ", "&", "(", ")", "\"", "/", " LLC", " OOO", " S.A.",
    "\t", "\u{a0}",
];

/// xorshift64: the same names on every run.
struct Generator(u64);

impl Generator {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn char_in(&mut self, (low, high): (u32, u32)) -> Option<char> {
        char::from_u32(low + self.below((high - low + 1) as usize) as u32)
    }

    fn any_char(&mut self) -> char {
        loop {
            let range = RANGES[self.below(RANGES.len())];
            if let Some(c) = self.char_in(range) {
                return c;
            }
        }
    }

    /// Words of `letters` characters each (at most), joined.
    fn words(&mut self, words: usize, letters: usize) -> String {
        let mut name = String::new();
        for _ in 0..1 + self.below(words) {
            for _ in 0..1 + self.below(letters) {
                name.push(self.any_char());
            }
            name.push_str(JOINS[self.below(JOINS.len())]);
        }
        name
    }

    /// One word of up to 300 characters of one range.
    fn long_word(&mut self) -> String {
        let range = RANGES[self.below(RANGES.len())];
        (0..1 + self.below(300)).filter_map(|_| self.char_in(range)).collect()
    }

    /// A name of the table with up to three characters inserted, deleted or replaced.
    fn edited(&mut self, names: &[String]) -> String {
        let mut chars: Vec<char> = names[self.below(names.len())].chars().collect();
        for _ in 0..self.below(4) {
            if chars.is_empty() {
                break;
            }
            let at = self.below(chars.len());
            match self.below(3) {
                0 => {
                    chars.remove(at);
                }
                1 => chars.insert(at, self.any_char()),
                _ => chars[at] = self.any_char(),
            }
        }
        chars.into_iter().collect()
    }

    fn name(&mut self, table_names: &[String]) -> String {
        match self.below(4) {
            0 => self.edited(table_names),
            1 => self.words(40, 3),
            2 => self.long_word(),
            _ => self.words(8, 12),
        }
    }
}

fn builtin() -> Matcher {
    let loaded = aliases::load_builtin().expect("the built-in table is checked in CI");
    Matcher::new(Arc::new(loaded.table), MatchConfig::default())
}

fn table_names(matcher: &Matcher) -> Vec<String> {
    let entities = matcher.table().entities();
    entities.iter().flat_map(|e| std::iter::once(&e.name).chain(&e.aliases)).map(|n| n.text.clone()).collect()
}

/// The answer agrees with itself: outcome, best candidate, threshold and ranking.
fn assert_well_formed(name: &str, resolution: &Resolution, threshold: f64) {
    let in_range = |score: f64| (0.0..=1.0).contains(&score);
    match (&resolution.outcome, &resolution.best) {
        (Outcome::Matched, Some(best)) => {
            assert!(in_range(best.score) && best.score >= threshold, "{name:?}: matched at {}", best.score)
        }
        (Outcome::Matched, None) => panic!("{name:?}: matched without a best candidate"),
        (_, Some(best)) => panic!("{name:?}: {:?} with a best candidate {}", resolution.outcome, best.entity_id),
        (Outcome::Ambiguous, None) => {
            assert!(resolution.candidates.len() >= 2, "{name:?}: ambiguous between {:?}", resolution.candidates)
        }
        (Outcome::NoMatch, None) => {}
    }
    let scores: Vec<f64> = resolution.candidates.iter().map(|c| c.score).collect();
    assert!(scores.iter().all(|&s| in_range(s)), "{name:?}: scores {scores:?}");
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{name:?}: candidates not ranked: {scores:?}");
}

#[test]
fn any_text_gets_a_well_formed_answer_or_a_typed_refusal() {
    let matcher = builtin();
    let names = table_names(&matcher);
    let threshold = matcher.config().threshold;
    let mut generator = Generator(0x9e37_79b9_7f4a_7c15);
    let (mut answered, mut refused, mut matched) = (0, 0, 0);
    for _ in 0..1500 {
        let name = generator.name(&names);
        let query = Query { max_candidates: 5, ..Query::new(&name) };
        match matcher.resolve(&query) {
            Ok(resolution) => {
                assert_well_formed(&name, &resolution, threshold);
                let again = matcher.resolve(&query).expect("accepted once, accepted again");
                assert_eq!(format!("{resolution:?}"), format!("{again:?}"), "{name:?}: a second answer differs");
                matched += usize::from(resolution.outcome == Outcome::Matched);
                answered += 1;
            }
            Err(QueryError::Empty | QueryError::NothingToMatch | QueryError::TooLong { .. }) => refused += 1,
            Err(other) => panic!("{name:?}: refused as {other}"),
        }
    }
    // The generator reaches every branch: answers, refusals, and matches of edited names.
    assert!(
        answered > 1000 && refused > 10 && matched > 50,
        "{answered} answered, {refused} refused, {matched} matched"
    );
}

#[test]
fn any_name_accepted_is_the_same_entity_as_itself() {
    let matcher = builtin();
    let names = table_names(&matcher);
    let mut generator = Generator(0x2545_f491_4f6c_dd1d);
    for _ in 0..300 {
        let name = generator.name(&names);
        let Ok(comparison) = matcher.compare(&name, &name, None) else {
            continue;
        };
        assert!(comparison.is_match && comparison.score == 1.0, "{name:?}: {comparison:?}");
    }
}

/// Resolve leaves out names that cannot be part of the answer asked for, which depends
/// on how many candidates are asked for: asking for fewer must give the same outcome,
/// best candidate and explanation, and the first of the same candidates.
#[test]
fn asking_for_fewer_candidates_gives_the_first_of_the_same_answer() {
    let matcher = builtin();
    let names = table_names(&matcher);
    let mut generator = Generator(0x6a09_e667_f3bc_c908);
    let mut fuzzy = 0;
    for _ in 0..600 {
        let name = generator.name(&names);
        let ask =
            |candidates| matcher.resolve(&Query { max_candidates: candidates, explain: true, ..Query::new(&name) });
        let Ok(most) = ask(40) else {
            continue;
        };
        fuzzy += usize::from(most.candidates.iter().any(|c| c.score < 1.0));
        for candidates in [0, 1, 2, 3, 5, 10] {
            let fewer = ask(candidates).expect("accepted once, accepted again");
            let context = format!("{name:?}, {candidates} candidates");
            assert_eq!(fewer.outcome, most.outcome, "{context}");
            assert_eq!(format!("{:?}", fewer.best), format!("{:?}", most.best), "{context}");
            assert_eq!(format!("{:?}", fewer.explanation), format!("{:?}", most.explanation), "{context}");
            let shown = fewer.candidates.len();
            assert!(shown >= candidates.min(most.candidates.len()), "{context}: {shown} shown");
            assert_eq!(
                format!("{:?}", fewer.candidates),
                format!("{:?}", &most.candidates[..shown.min(most.candidates.len())]),
                "{context}"
            );
        }
    }
    assert!(fuzzy > 100, "{fuzzy} answers with a fuzzy candidate");
}
