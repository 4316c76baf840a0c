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
use rustc_hash::FxHashMap as HashMap;

use super::analyzed::AnalyzedName;
use super::index::name_words;
use super::score::{word_similarity, WordView};
use super::sort_key;
use super::words::class_of_folded;
use super::Matcher;
use crate::normalize::fold;

/// The look-alikes of a set of words in one matcher's vocabulary.
#[derive(Debug, Default)]
pub struct WordLookalikes {
    by_word: HashMap<Box<str>, Box<[(f32, u32)]>>,
}

impl WordLookalikes {
    /// A word's look-alikes (similarity, vocabulary word id), if it was computed.
    pub(super) fn get(&self, folded: &str) -> Option<&[(f32, u32)]> {
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
    by_word: HashMap<Box<str>, Box<[(f32, u32)]>>,
}

thread_local! {
    /// This thread's remembered look-alikes: a service thread answers query after query
    /// of one matcher, and most of their words are words other queries had.
    static REMEMBERED: RefCell<Remembered> = RefCell::default();
}

impl Matcher {
    /// Calls `use_found` with the look-alikes of `query_word` ([`Matcher::lookalikes_of_word`]),
    /// computed once per thread and matcher while the thread's memory of them lasts.
    pub(super) fn with_lookalikes_of(&self, query_word: &WordView<'_>, use_found: impl FnOnce(&[(f32, u32)])) {
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
        let mut words: Vec<String> = names.flat_map_iter(|name| name_words(&name.analyzed)).collect();
        words.par_sort_unstable();
        words.dedup();
        let by_word = words
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
                };
                let found = self.lookalikes_of_word(&view).into_boxed_slice();
                (folded.into_boxed_str(), found)
            })
            .collect();
        WordLookalikes { by_word }
    }

    /// Reads the first posting of each look-alike word, one after another without
    /// waiting on any, before the candidate stage walks them: each word's postings are
    /// an allocation of their own, scattered over a large index, and walking them one
    /// by one waited for every first read in turn (a quarter of `fuzzy_hits`' own
    /// samples at 10 M records, perf). Independent loads overlap.
    pub(super) fn warm_postings(&self, alike: &[(f32, u32)]) {
        let mut touched = 0u32;
        for &(_, word) in alike {
            let first = self.index.words.get(word as usize).and_then(|w| w.postings.first());
            touched = touched.wrapping_add(first.copied().unwrap_or(0));
        }
        std::hint::black_box(touched);
    }

    /// The vocabulary words alike to `query_word`, with their similarity, in the order
    /// the index finds them. Reads only the word's folded form, skeleton and group:
    /// vocabulary words are compared as transliterations (abjad), which makes the
    /// query's own script irrelevant.
    pub(super) fn lookalikes_of_word(&self, query_word: &WordView<'_>) -> Vec<(f32, u32)> {
        let mut found = Vec::new();
        let words = self.index.similar_words(query_word.folded, query_word.skeleton);
        self.index.warm_words(words.iter().copied());
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
            };
            if let Some((similarity, _)) = word_similarity(query_word, &view) {
                found.push((similarity, word));
            }
        }
        found
    }
}

/// Sorts a query's look-alikes (gain, vocabulary word) by the postings length of the
/// word, then gain (highest first), then word id: the order the candidate stage walks
/// them in. Each element's order is packed once into one integer, because comparing by
/// `postings_of` read a vocabulary entry scattered over the index at every comparison,
/// and that sort was about a tenth of dedupe's time (perf, 10 M records). The order is
/// the same: lengths compare as integers, gains as `f32::total_cmp` does.
pub(super) fn sort_rarest_first(alike: &mut [(f32, u32)], postings_of: impl Fn(u32) -> usize) {
    let mut keys: Vec<u128> = alike
        .iter()
        .map(|&(gain, word)| {
            let gain_descending = sort_key::descending(gain);
            (u128::from(postings_of(word) as u64) << 64) | (u128::from(gain_descending) << 32) | u128::from(word)
        })
        .collect();
    keys.sort_unstable();
    for (slot, key) in alike.iter_mut().zip(keys) {
        let gain = sort_key::from_descending((key >> 32) as u32);
        *slot = (gain, key as u32);
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
        let postings = |word: u32| [3usize, 1, 3, 7, 1][word as usize];
        let mut alike = vec![(0.5, 0), (0.9, 1), (0.7, 2), (1.0, 3), (0.9, 4), (-0.0, 2), (0.0, 0), (-1.5, 4)];
        let mut expected = alike.clone();
        expected.sort_by(|a: &(f32, u32), b| {
            postings(a.1).cmp(&postings(b.1)).then(b.0.total_cmp(&a.0)).then(a.1.cmp(&b.1))
        });
        sort_rarest_first(&mut alike, postings);
        let bits = |list: &[(f32, u32)]| list.iter().map(|&(g, w)| (g.to_bits(), w)).collect::<Vec<_>>();
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
}
