//! Word look-alikes: a query word in, the vocabulary words alike to it (with their word
//! similarity) out, the first step of the candidate stage.
//!
//! They depend on the folded word alone (its skeleton and equivalence group follow from
//! it, and every vocabulary word is compared as a possible transliteration), never on
//! the name holding it. A batch job that queries one matcher with many names sharing
//! words (dedupe's neighbour search: a million names, a few hundred thousand words) can
//! compute them once per distinct word ([`Matcher::word_lookalikes`]) and pass them to
//! [`Matcher::similar_with_lookalikes`] and [`Matcher::resolve_with_lookalikes`], which
//! answer exactly as [`Matcher::similar_analyzed`] and [`Matcher::resolve_analyzed`].
//! They never change an answer, only skip recomputing it.
//!
//! Without such a batch, each thread remembers the look-alikes it computed for one
//! matcher ([`Matcher::with_lookalikes_of`]), up to a bound: queries share their common
//! words (legal forms, "Trading", given names), and those are the words with the most
//! look-alikes to compare.

use std::cell::RefCell;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::analyzed::AnalyzedName;
use super::edit;
use super::index::{folded_with_legal_forms, legal_forms};
use super::score::{word_similarity_with_table, WordView};
use super::sort_key;
use super::words::class_of_folded;
use super::Matcher;
use crate::normalize::{fold, Analyzed};

/// The look-alikes of a set of words in one matcher's vocabulary.
#[derive(Debug, Default)]
pub struct WordLookalikes {
    by_word: HashMap<Box<str>, Box<[Lookalike]>>,
}

/// A vocabulary word alike to a query word. For a query's look-alikes `similarity` is
/// the gain, the similarity times the query word's weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Lookalike {
    pub(super) similarity: f32,
    /// The vocabulary word id.
    pub(super) word: u32,
    /// How many names hold the word, read when it is found: the candidate stage orders
    /// the look-alikes by it and leaves the common ones' postings alone, and reading it
    /// from the word's entry (scattered over a large index) at each query was a cache
    /// miss per look-alike (perf, 10 M records).
    pub(super) postings: u32,
}

impl WordLookalikes {
    /// A word's look-alikes, if it was computed.
    pub(super) fn get(&self, folded: &str) -> Option<&[Lookalike]> {
        self.by_word.get(folded).map(AsRef::as_ref)
    }

    /// How many distinct words it holds.
    pub fn len(&self) -> usize {
        self.by_word.len()
    }

    /// True when it holds no word.
    pub fn is_empty(&self) -> bool {
        self.by_word.is_empty()
    }
}

/// Words whose look-alikes a thread remembers before starting afresh: a few hundred KiB
/// per thread, enough for the words most queries share.
const REMEMBERED_WORDS: usize = 1 << 12;

/// The look-alikes one thread computed, for one matcher (by [`Matcher::id`]).
#[derive(Default)]
struct Remembered {
    matcher: u64,
    by_word: HashMap<Box<str>, Box<[Lookalike]>>,
}

thread_local! {
    /// This thread's remembered look-alikes: a service thread answers query after query
    /// of one matcher, and most of their words are words other queries had.
    static REMEMBERED: RefCell<Remembered> = RefCell::default();
}

impl Matcher {
    /// Calls `use_found` with the look-alikes of `query_word` ([`Matcher::lookalikes_of_word`]),
    /// computed once per thread and matcher while the thread's memory of them lasts.
    pub(super) fn with_lookalikes_of(&self, query_word: &WordView<'_>, use_found: impl FnOnce(&[Lookalike])) {
        REMEMBERED.with_borrow_mut(|remembered| {
            if remembered.matcher != self.id {
                remembered.by_word.clear();
                remembered.matcher = self.id;
            }
            if let Some(found) = remembered.by_word.get(query_word.folded) {
                use_found(found);
                return;
            }
            let found = self.lookalikes_of_word(query_word).into_boxed_slice();
            use_found(&found);
            if remembered.by_word.len() >= REMEMBERED_WORDS {
                remembered.by_word.clear();
            }
            remembered.by_word.insert(query_word.folded.into(), found);
        });
    }

    /// The look-alikes in this matcher's vocabulary of every word of `names`, each
    /// distinct word computed once, in parallel. Only for this matcher.
    pub fn word_lookalikes<'n>(&self, names: impl ParallelIterator<Item = &'n AnalyzedName>) -> WordLookalikes {
        let by_word = distinct_words(names)
            .into_par_iter()
            .with_min_len(64)
            .map(|folded| {
                let skeleton = fold::skeleton(&folded);
                let view = WordView {
                    folded: &folded,
                    skeleton: &skeleton,
                    weight: 0.0,
                    group: self.index.group_of(&folded),
                    class: class_of_folded(&folded),
                    abjad: false,
                    surname: false,
                    numeral: fold::is_numeral(&folded),
                    facts: self.index.facts_of(&folded, &skeleton),
                };
                let found = self.lookalikes_of_word(&view).into_boxed_slice();
                (folded.into_boxed_str(), found)
            })
            .collect();
        WordLookalikes { by_word }
    }

    /// Reads the first posting of each look-alike word with at most `rare_postings`
    /// names (the only ones whose postings the candidate stage walks), one after another
    /// without waiting on any, before the candidate stage walks them: each word's
    /// postings are an allocation of their own, scattered over a large index, and
    /// walking them one by one waited for every first read in turn (a quarter of
    /// `fuzzy_hits`' own samples at 10 M records, perf). Independent loads overlap.
    pub(super) fn warm_postings(&self, alike: &[Lookalike], rare_postings: usize) {
        let mut touched = 0u32;
        for alike in alike.iter().filter(|alike| alike.postings as usize <= rare_postings) {
            let first = self.index.words.get(alike.word as usize).and_then(|w| w.postings.first());
            touched = touched.wrapping_add(first.copied().unwrap_or(0));
        }
        std::hint::black_box(touched);
    }

    /// The vocabulary words alike to `query_word`, with their similarity, in the order
    /// the index finds them. Reads only the word's folded form, skeleton, group and
    /// facts (which follow from the folded form in this index): vocabulary words are
    /// compared as transliterations (abjad), which makes the query's own script
    /// irrelevant.
    pub(super) fn lookalikes_of_word(&self, query_word: &WordView<'_>) -> Vec<Lookalike> {
        let words = self.index.similar_words_of(query_word);
        // At most one per word found: grown from empty, it moved blocks a few times.
        let mut found = Vec::with_capacity(words.len());
        self.index.warm_words(words.iter().copied());
        let table = edit::LetterTable::of(query_word.folded.as_bytes());
        for word in words {
            let vocab = &self.index.words[word as usize];
            let view = WordView {
                folded: &vocab.folded,
                skeleton: &vocab.skeleton,
                weight: 0.0,
                group: vocab.group,
                class: vocab.class,
                abjad: true,
                surname: false,
                numeral: vocab.numeral,
                facts: vocab.facts,
            };
            if let Some((similarity, _)) = word_similarity_with_table(query_word, Some(&table), &view) {
                found.push(Lookalike { similarity, word, postings: vocab.postings.len() as u32 });
            }
        }
        found
    }
}

/// The distinct words (`name_words`) of `names`, sorted. Each thread keeps the words it
/// has seen in a set, copying a word only the first time: gathering every word of a
/// million names and sorting them all to drop the repeats (most words repeat) was more
/// of this step's time than finding the look-alikes (perf, 1 M records).
fn distinct_words<'n>(names: impl ParallelIterator<Item = &'n AnalyzedName>) -> Vec<String> {
    let distinct = names
        .fold(HashSet::default, |mut seen: HashSet<String>, name| {
            add_name_words(&mut seen, &name.analyzed);
            seen
        })
        .reduce(HashSet::default, |mut larger, mut smaller| {
            if larger.len() < smaller.len() {
                std::mem::swap(&mut larger, &mut smaller);
            }
            larger.extend(smaller);
            larger
        });
    let mut words: Vec<String> = distinct.into_iter().collect();
    words.par_sort_unstable();
    words
}

/// Adds to `seen` the words of a name it does not hold yet.
fn add_name_words(seen: &mut HashSet<String>, analyzed: &Analyzed) {
    let (legal, latin_alone) = legal_forms(analyzed);
    if legal == analyzed.latin {
        // Folded as the analysis folded them (see `index::folded_with_legal_forms`):
        // borrowed, and copied only when new.
        for word in &analyzed.folded {
            if !seen.contains(word.as_str()) {
                seen.insert(word.clone());
            }
        }
    } else {
        seen.extend(folded_with_legal_forms(analyzed, &legal, latin_alone).0);
    }
}

/// Sorts a query's look-alikes (their `similarity` the gain) by the postings length of
/// the word, then gain (highest first), then word id: the order the candidate stage
/// walks them in. Each element's order is packed once into one integer, because
/// comparing through a closure was about a tenth of dedupe's time (perf, 10 M records).
/// The order is the same: lengths compare as integers, gains as `f32::total_cmp` does.
pub(super) fn sort_rarest_first(alike: &mut [Lookalike]) {
    let mut keys: Vec<u128> = alike
        .iter()
        .map(|alike| {
            let gain_descending = sort_key::descending(alike.similarity);
            (u128::from(alike.postings) << 64) | (u128::from(gain_descending) << 32) | u128::from(alike.word)
        })
        .collect();
    keys.sort_unstable();
    for (slot, key) in alike.iter_mut().zip(keys) {
        let similarity = sort_key::from_descending((key >> 32) as u32);
        *slot = Lookalike { similarity, word: key as u32, postings: (key >> 64) as u32 };
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::aliases;
    use crate::matcher::{MatchConfig, Query};

    #[test]
    fn rarest_first_is_the_order_of_postings_then_gain_then_word() {
        let postings = |word: u32| [3u32, 1, 3, 7, 1][word as usize];
        let pairs = [(0.5, 0), (0.9, 1), (0.7, 2), (1.0, 3), (0.9, 4), (-0.0, 2), (0.0, 0), (-1.5, 4)];
        let mut alike: Vec<Lookalike> =
            pairs.iter().map(|&(similarity, word)| Lookalike { similarity, word, postings: postings(word) }).collect();
        let mut expected = alike.clone();
        expected.sort_by(|a, b| {
            a.postings.cmp(&b.postings).then(b.similarity.total_cmp(&a.similarity)).then(a.word.cmp(&b.word))
        });
        sort_rarest_first(&mut alike);
        let bits =
            |list: &[Lookalike]| list.iter().map(|a| (a.similarity.to_bits(), a.word, a.postings)).collect::<Vec<_>>();
        assert_eq!(bits(&alike), bits(&expected));
    }

    #[test]
    fn answers_are_alike_with_and_without_lookalikes() {
        let loaded = aliases::load_builtin().expect("the built-in table loads");
        let matcher = Matcher::new(Arc::new(loaded.table), MatchConfig::default());
        let names = [
            "Syria",
            "syrian arab republc",
            "DUHOPEL, Duhal",
            "Kahal Rusfenga Logistics GmbH",
            "Republique francaise",
            "عمر الحسن",
            "Abu Bakr Trading",
            "PCC FZE",
        ];
        let analysed: Vec<AnalyzedName> = names.iter().map(|n| AnalyzedName::new(n).expect("analyses")).collect();
        let lookalikes = matcher.word_lookalikes(analysed.par_iter());
        assert!(!lookalikes.is_empty());
        for (name, analyzed) in names.iter().zip(&analysed) {
            assert_eq!(
                matcher.similar_with_lookalikes(name, analyzed, 10, &lookalikes),
                matcher.similar_analyzed(name, analyzed, 10),
                "{name}"
            );
            let query = Query::new(name);
            assert_eq!(
                matcher.resolve_with_lookalikes(&query, analyzed, &lookalikes),
                matcher.resolve_analyzed(&query, analyzed),
                "{name}"
            );
        }
    }

    /// Made-up names sharing syllables, words and legal forms, some written as people's
    /// ("FAMILY, Given"), so that many are near one another and many just below a floor.
    fn made_up_names(count: usize) -> Vec<String> {
        const SYLLABLES: [&str; 12] = ["ka", "hal", "rus", "fen", "ga", "du", "ho", "pel", "mar", "ti", "no", "vo"];
        const FORMS: [&str; 4] = ["GmbH", "LLC", "Trading", "Logistics"];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % n as u64) as usize
        };
        let word = |next: &mut dyn FnMut(usize) -> usize| {
            let mut w: String = (0..2 + next(2)).map(|_| SYLLABLES[next(SYLLABLES.len())]).collect();
            w[..1].make_ascii_uppercase();
            w
        };
        (0..count)
            .map(|_| {
                let words: Vec<String> = (0..1 + next(3)).map(|_| word(&mut next)).collect();
                match next(4) {
                    0 => format!("{}, {}", words[0].to_uppercase(), words[1..].join(" ")),
                    1 => format!("{} {}", words.join(" "), FORMS[next(FORMS.len())]),
                    _ => words.join(" "),
                }
            })
            .collect()
    }

    /// The neighbour search with its floor keeps exactly the pairs, and the count, of the
    /// search without: on the built-in table (entities of many names) and on a table of
    /// the made-up names themselves (one name an entity, as dedupe's).
    #[test]
    fn neighbours_from_a_floor_are_those_of_the_full_search() {
        let names = made_up_names(400);
        let builtin = aliases::load_builtin().expect("the built-in table loads").table;
        let entities = names
            .iter()
            .enumerate()
            .map(|(index, name)| aliases::Entity {
                id: index.to_string(),
                kind: aliases::EntityType::Other,
                name: aliases::Name::plain(name.as_str(), aliases::Location::line(String::new(), 0)),
                aliases: Vec::new(),
                wikidata: None,
                note: None,
                location: aliases::Location::line(String::new(), 0),
            })
            .collect();
        let made_up = aliases::AliasTable::new(entities, builtin.equivalences().to_vec(), String::new());
        let mut pairs_kept = 0;
        for table in [builtin, made_up] {
            let matcher = Matcher::new(Arc::new(table), MatchConfig::default());
            let analysed: Vec<AnalyzedName> = names.iter().map(|n| AnalyzedName::new(n).expect("analyses")).collect();
            let lookalikes = matcher.word_lookalikes(analysed.par_iter());
            for (name, analyzed) in names.iter().zip(&analysed) {
                for (limit, floor) in [(1, 0.5), (3, 0.3), (11, 0.5), (11, 0.8), (40, 0.5)] {
                    let full = matcher.similar_entities_with_lookalikes(name, analyzed.clone(), limit, &lookalikes);
                    let from = matcher.similar_entities_from(name, analyzed.clone(), limit, floor, &lookalikes);
                    let kept: Vec<(u32, f64)> = full.iter().copied().filter(|&(_, s)| s >= floor).collect();
                    assert_eq!(from.entities, kept, "{name}, limit {limit}, floor {floor}");
                    assert_eq!(from.found, full.len(), "{name}, limit {limit}, floor {floor}");
                    pairs_kept += kept.len();
                }
            }
        }
        assert!(pairs_kept > 2_000, "{pairs_kept}");
    }
}
