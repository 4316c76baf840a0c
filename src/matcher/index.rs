//! The index: a table in, lookups out. Built once, immutable, shared by every query.
//!
//! - strict keys to names (exact and normalized stages);
//! - loose keys (folded words, sorted) to names (romanization and word-order stage);
//! - a vocabulary of folded words with skeletons, document frequencies and, for fuzzy
//!   lookups, a symmetric-delete table (every word with one letter removed): a query
//!   word finds the table's words within about two edits by a few hash lookups, never a
//!   scan of the table;
//! - postings from each word to the names that hold it;
//! - acronyms derived from multi-word names, and the romanized words of those names not
//!   written in ASCII (for the syllable-acronym check).

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHasher};

use super::given_names::EAST_SLAVIC_GIVEN_NAMES;
use super::score::{strip_article, IndexStamp, WordFacts, WordView};
use super::words::{self, canonical_legal_forms, class_of_folded, rewritten_legal_forms_folded, WordClass};
use super::AnalyzedName;
use crate::aliases::{AliasTable, EntityType};
use crate::normalize::{self, fold, Script};

/// Marks a name that is the entity's primary name rather than one of its aliases.
pub(crate) const PRIMARY: u32 = u32::MAX;

/// One name of one entity, as indexed.
#[derive(Debug)]
pub(crate) struct IndexedName {
    pub(crate) entity: u32,
    /// Index into the entity's aliases, or [`PRIMARY`].
    pub(crate) alias: u32,
    /// The name's word ids when it has at most [`INLINE_WORDS`]; for a longer name, where
    /// its ids start in `Index::long_words` and how many there are. Read through
    /// [`Index::words_of`]. Held in place because resolve reads the words of hundreds of
    /// candidate names scattered over the table: one cache miss each, not two.
    words: [u32; INLINE_WORDS],
    /// How many words, or [`LONG_NAME`].
    word_count: u8,
    /// [`EXACT_ONLY`], [`ABJAD`] and the name's [`Script`] (from [`SCRIPT_SHIFT`]), in
    /// one byte: the name's type below takes the other, so that a name stays 32 bytes,
    /// two to a cache line.
    flags: u8,
    /// The type of the entity the name belongs to, held with the name: scoring asks it of
    /// every candidate, and reading it from the entity (scattered over a large table) was
    /// a cache miss per candidate.
    pub(crate) kind: EntityType,
    /// How many leading words are the family name ("SURNAME, Given" form of a person).
    pub(crate) surname_words: u8,
}

/// [`IndexedName::flags`]: only an exact spelling finds the name.
const EXACT_ONLY: u8 = 1;
/// [`IndexedName::flags`]: romanized from a script without short vowels.
const ABJAD: u8 = 2;
/// [`IndexedName::flags`]: the name's [`Script`], from this bit on.
const SCRIPT_SHIFT: u8 = 2;

impl IndexedName {
    /// Only an exact spelling finds the name: it takes no part in fuzzy matching.
    pub(crate) fn exact_only(&self) -> bool {
        self.flags & EXACT_ONLY != 0
    }

    /// Romanized from a script without short vowels.
    pub(crate) fn abjad(&self) -> bool {
        self.flags & ABJAD != 0
    }

    /// The script the name is written in.
    pub(crate) fn script(&self) -> Script {
        Script::ALL.get(usize::from(self.flags >> SCRIPT_SHIFT)).copied().unwrap_or(Script::Other)
    }
}

/// Word ids a name holds in place; longer names keep theirs in `Index::long_words`.
pub(crate) const INLINE_WORDS: usize = 5;
/// The id of no vocabulary word, held in the slots of a name past its words.
pub(crate) use super::score::NO_WORD;
/// `IndexedName::word_count` of a name whose words are in `Index::long_words`.
const LONG_NAME: u8 = u8::MAX;

/// A word of the table's vocabulary.
#[derive(Debug)]
pub(crate) struct VocabWord {
    pub(crate) folded: Box<str>,
    pub(crate) skeleton: Box<str>,
    pub(crate) class: WordClass,
    /// The curated equivalence group the word belongs to, if any.
    pub(crate) group: Option<u32>,
    /// It is a number (`fold::is_numeral`).
    pub(crate) numeral: bool,
    pub(crate) postings: Vec<u32>,
    /// The word's weight in scoring (`Index::word_weight`), fixed once the table is in:
    /// every candidate name needs its words' weights, and a logarithm per word per
    /// candidate added up.
    pub(crate) weight: f32,
    /// What the index knows of the word, for comparing it by ids, fixed once the table
    /// is in.
    pub(crate) facts: WordFacts,
}

/// Everything the index needs from one name, computed without the index (in parallel).
struct PreparedName {
    entity: u32,
    alias: u32,
    strict: Box<str>,
    folded: Vec<String>,
    loose: Box<str>,
    acronyms: Vec<String>,
    /// The romanized words of a name that has acronyms and is not plain ASCII.
    romanized: Option<Box<str>>,
    exact_only: bool,
    abjad: bool,
    script: Script,
    kind: EntityType,
    surname_words: u8,
}

impl PreparedName {
    /// One name; `analyzed` is `normalize::analyze(text)`.
    fn new(entity: u32, kind: EntityType, alias: u32, text: &str, exact: bool, analyzed: &normalize::Analyzed) -> Self {
        // Both the words and the acronyms read the legal forms in one spelling. Where the
        // analysis folded each word alone, its folds serve the legal phrases, the words
        // and the acronyms' classes, instead of folding every word three more times.
        let (legal, latin_alone) = legal_forms(analyzed);
        let (folded, folded_alone) = folded_with_legal_forms(analyzed, &legal, latin_alone);
        let exact_only = exact || !normalize::is_fuzzy_script(&analyzed.strict);
        let loose = normalize::loose_key_of(&folded);
        // People's initials are not acronyms: "DMR" is not Duarte Munoz Roque.
        let acronyms = if kind == EntityType::Person || exact_only {
            Vec::new()
        } else {
            acronyms_of_legal(&analyzed.latin, &legal, folded_alone.then_some(folded.as_slice()))
        };
        let surname_words = if kind == EntityType::Person { surname_words(text) } else { 0 };
        let romanized = (!acronyms.is_empty() && !text.is_ascii()).then(|| analyzed.latin.join(" ").into_boxed_str());
        PreparedName {
            entity,
            alias,
            strict: analyzed.strict.as_str().into(),
            folded,
            loose: loose.into_boxed_str(),
            acronyms,
            romanized,
            exact_only,
            abjad: analyzed.abjad,
            script: normalize::script_of(&analyzed.strict),
            kind,
            surname_words,
        }
    }

    /// The parts looked up by key, and those of the vocabulary and names.
    fn into_parts(self) -> (NameKeys, NameWords) {
        let PreparedName {
            entity,
            alias,
            strict,
            folded,
            loose,
            acronyms,
            romanized,
            exact_only,
            abjad,
            script,
            kind,
            surname_words,
        } = self;
        let keys = NameKeys { strict, loose, acronyms, romanized, exact_only };
        (keys, NameWords { entity, alias, folded, exact_only, abjad, script, kind, surname_words })
    }
}

/// The parts of a [`PreparedName`] looked up by key.
struct NameKeys {
    strict: Box<str>,
    loose: Box<str>,
    acronyms: Vec<String>,
    romanized: Option<Box<str>>,
    exact_only: bool,
}

/// The parts of a [`PreparedName`] that go into the vocabulary and the names.
struct NameWords {
    entity: u32,
    alias: u32,
    folded: Vec<String>,
    exact_only: bool,
    abjad: bool,
    script: Script,
    kind: EntityType,
    surname_words: u8,
}

/// The index's maps by key, filled apart from the vocabulary ([`Index::add_names`]).
struct KeyMaps {
    strict: HashMap<Box<str>, Vec<u32>>,
    loose: HashMap<Box<str>, Vec<u32>>,
    acronyms: HashMap<Box<str>, Vec<u32>>,
    romanized: HashMap<u32, Box<str>>,
}

impl KeyMaps {
    /// The names' keys, the first with id `first`, the others after it in order.
    fn add(&mut self, first: u32, keys: Vec<NameKeys>) {
        self.strict.reserve(keys.len());
        self.loose.reserve(keys.len());
        for (id, name) in (first..).zip(keys) {
            push_unique(self.strict.entry(name.strict).or_default(), id);
            if name.exact_only {
                continue;
            }
            push_unique(self.loose.entry(name.loose).or_default(), id);
            for acronym in name.acronyms {
                push_unique(self.acronyms.entry(acronym.into_boxed_str()).or_default(), id);
            }
            if let Some(romanized) = name.romanized {
                self.romanized.insert(id, romanized);
            }
        }
    }
}

/// A name of the table as listed for the build: entity, its type, alias (or
/// [`PRIMARY`]), text, exact only, and its analysis when the caller has it.
type ListedName<'a> = (u32, EntityType, u32, &'a str, bool, Option<&'a normalize::Analyzed>);

/// The immutable lookup structures over one table.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) names: Vec<IndexedName>,
    pub(crate) strict: HashMap<Box<str>, Vec<u32>>,
    pub(crate) loose: HashMap<Box<str>, Vec<u32>>,
    pub(crate) acronyms: HashMap<Box<str>, Vec<u32>>,
    /// The romanized words (`Analyzed::latin`) of names with acronyms written in another
    /// script than ASCII Latin: a short query read as a syllable acronym checks the words
    /// of every name sharing its initials, and romanizing a Cyrillic or Arabic name per
    /// check was most of the slowest queries' time. ASCII names are checked from their
    /// text, which rules most of them out before any romanizing. The words are held
    /// joined by spaces (they hold none): a vector of strings per name kept 46 MiB more
    /// resident at a million names than this.
    romanized: HashMap<u32, Box<str>>,
    pub(crate) words: Vec<VocabWord>,
    /// Each entity's scripts ([`Script::bit`]) among its names that fuzzy matching reads.
    entity_scripts: Vec<u8>,
    /// The word ids of names longer than [`INLINE_WORDS`], one after another.
    long_words: Vec<u32>,
    word_ids: HashMap<Box<str>, u32>,
    /// Folded word to its curated equivalence group; `groups` lists each group's words.
    group_of: HashMap<Box<str>, u32>,
    groups: Vec<Vec<Box<str>>>,
    /// Each skeleton of the vocabulary to its id, and by id the words with it.
    skeleton_ids: HashMap<Box<str>, u32>,
    skeleton_words: Vec<Vec<u32>>,
    /// (hash of a word with one letter deleted, word id), sorted for binary search.
    deletes: Vec<(u64, u32)>,
    /// Where each run of `deletes` with the same top `delete_bucket_bits` hash bits
    /// starts, so a lookup searches a few entries, not millions.
    delete_buckets: Vec<u32>,
    /// How many top hash bits pick a bucket: about four entries to a bucket, so that a
    /// lookup reads one cache line of `deletes` (a few dozen to a bucket were a binary
    /// search of several cache misses per probe at a million names, and a query word
    /// probes once per letter).
    delete_bucket_bits: u32,
    /// This index among the process's ([`IndexStamp`]): a thread's scratch remembers
    /// joined words by word ids, which are this index's alone.
    pub(crate) stamp: IndexStamp,
}

/// The stamp of the next index built: from 1, so that no index has a fresh scratch's 0.
static NEXT_INDEX_STAMP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The words of a name ready for the index or the scorer: romanized, legal forms in one
/// spelling, romanization folded.
pub(crate) fn name_words(analyzed: &normalize::Analyzed) -> Vec<String> {
    let (legal, latin_alone) = legal_forms(analyzed);
    folded_with_legal_forms(analyzed, &legal, latin_alone).0
}

/// `canonical_legal_forms` of a name's romanized words, and whether the analysis folded
/// each of those alone (`fold::folds_alone`): then its folds serve the legal phrases,
/// instead of folding every word again.
pub(crate) fn legal_forms(analyzed: &normalize::Analyzed) -> (Vec<String>, bool) {
    let (rewritten, latin_alone) = rewritten_legal_forms(analyzed);
    (rewritten.unwrap_or_else(|| analyzed.latin.clone()), latin_alone)
}

/// [`legal_forms`], or `None` in place of the words when none begins a legal phrase:
/// they are then `analyzed.latin` as they are.
pub(crate) fn rewritten_legal_forms(analyzed: &normalize::Analyzed) -> (Option<Vec<String>>, bool) {
    let latin_alone = fold::folds_alone(&analyzed.latin);
    let legal = if latin_alone {
        rewritten_legal_forms_folded(&analyzed.latin, &analyzed.folded)
    } else {
        words::rewritten_legal_forms(&analyzed.latin)
    };
    (legal, latin_alone)
}

/// [`name_words`] given the romanized words with legal forms in one spelling and whether
/// the analysis folded its words alone ([`legal_forms`]); with whether each of the words
/// returned is `fold::fold_word` of its word alone (then callers class the words from
/// them). Most names have no legal form to rewrite: their words fold as the analysis
/// already folded them (`Analyzed::folded` is `fold::fold_words` of the same words).
/// Folding them again was a sixth of the samples while dedupe indexed its unknown names
/// (perf, 10 M records), and every name's words are gathered so again for look-alikes.
pub(crate) fn folded_with_legal_forms(
    analyzed: &normalize::Analyzed,
    legal: &[String],
    latin_alone: bool,
) -> (Vec<String>, bool) {
    if legal == analyzed.latin.as_slice() {
        (analyzed.folded.clone(), latin_alone)
    } else {
        (fold::fold_words(legal), fold::folds_alone(legal))
    }
}

/// [`folded_with_legal_forms`] for a caller that owns the analysis and reads its folds
/// no more: they are moved out of it (left empty) rather than copied, a string per word
/// that every query paid for. `rewritten` is [`rewritten_legal_forms`]'s words (`None`:
/// the words as written).
pub(crate) fn take_folded_with_legal_forms(
    analyzed: &mut normalize::Analyzed,
    rewritten: Option<&[String]>,
    latin_alone: bool,
) -> (Vec<String>, bool) {
    match rewritten {
        Some(legal) if legal != analyzed.latin.as_slice() => folded_with_legal_forms(analyzed, legal, latin_alone),
        _ => (std::mem::take(&mut analyzed.folded), latin_alone),
    }
}

impl Index {
    pub(crate) fn build(table: &AliasTable) -> Index {
        Index::build_analyzed(table, &[])
    }

    /// [`Index::build`], with entity `i`'s primary name taken as analysed by
    /// `primaries[i]` when that is given (it must be the analysis of exactly that text):
    /// a batch job that analysed its names already does not pay for it again. The index
    /// is the same as [`Index::build`]'s.
    pub(crate) fn build_analyzed(table: &AliasTable, primaries: &[Option<AnalyzedName>]) -> Index {
        let mut index =
            Index { stamp: NEXT_INDEX_STAMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed), ..Index::default() };
        for equivalence in table.equivalences() {
            index.add_equivalence_group(equivalence.words.iter().map(String::as_str));
        }
        for &names in EAST_SLAVIC_GIVEN_NAMES {
            index.add_equivalence_group(names.iter().copied());
        }
        let mut listed: Vec<ListedName> = Vec::with_capacity(table.name_count());
        for (entity_index, entity) in table.entities().iter().enumerate() {
            let aliases = entity.aliases.iter().enumerate().map(|(i, a)| (i as u32, a));
            for (alias, name) in std::iter::once((PRIMARY, &entity.name)).chain(aliases) {
                let given = match primaries.get(entity_index) {
                    Some(Some(primary)) if alias == PRIMARY => Some(&primary.analyzed),
                    _ => None,
                };
                listed.push((entity_index as u32, entity.kind, alias, &name.text, name.exact, given));
            }
        }
        // Analysis is most of the build and needs nothing shared: all cores do it.
        // Split as made: the keys and the words are added to the index apart.
        let prepared: (Vec<NameKeys>, Vec<NameWords>) = listed
            .par_iter()
            .map(|&(entity, kind, alias, text, exact, given)| match given {
                Some(analyzed) => PreparedName::new(entity, kind, alias, text, exact, analyzed),
                None => PreparedName::new(entity, kind, alias, text, exact, &normalize::analyze(text)),
            })
            .map(PreparedName::into_parts)
            .unzip();
        index.add_names(prepared);
        index.gather_entity_scripts();
        index.finish_deletes();
        index.finish_weights();
        index.finish_facts();
        index
    }

    /// The ids of the names of the entity that name `id` belongs to. Names are indexed
    /// entity by entity, in order, so they sit beside it: looking from there costs a
    /// cache line, where two binary searches over a million names cost forty misses.
    pub(crate) fn names_beside(&self, id: u32) -> std::ops::Range<u32> {
        let id = id as usize;
        let Some(entity) = self.names.get(id).map(|n| n.entity) else {
            return 0..0;
        };
        let before = self.names[..id].iter().rev().take_while(|n| n.entity == entity).count();
        let after = self.names[id..].iter().take_while(|n| n.entity == entity).count();
        (id - before) as u32..(id + after) as u32
    }

    /// Adds the names, in order (name `i` gets id `i` after those already in). The maps
    /// by key (strict, loose, acronyms) and the vocabulary with the names' words share
    /// nothing, so one core fills the first while another fills the second: at a million
    /// names each is about a second of hash-map inserts on one core. Each map still
    /// takes its entries in id order, so it is the same as when filled name by name.
    fn add_names(&mut self, (keys, worded): (Vec<NameKeys>, Vec<NameWords>)) {
        let first = self.names.len() as u32;
        let mut maps = KeyMaps {
            strict: std::mem::take(&mut self.strict),
            loose: std::mem::take(&mut self.loose),
            acronyms: std::mem::take(&mut self.acronyms),
            romanized: std::mem::take(&mut self.romanized),
        };
        rayon::join(
            || maps.add(first, keys),
            || {
                self.names.reserve(worded.len());
                for name in worded {
                    self.add_name_words(name);
                }
            },
        );
        let KeyMaps { strict, loose, acronyms, romanized } = maps;
        (self.strict, self.loose, self.acronyms, self.romanized) = (strict, loose, acronyms, romanized);
    }

    /// The name's words into the vocabulary and postings, and the name into `names`.
    fn add_name_words(&mut self, name: NameWords) {
        let id = self.names.len() as u32;
        let mut word_ids = Vec::with_capacity(name.folded.len());
        if !name.exact_only {
            for word in &name.folded {
                let word_id = self.word_id(word);
                push_unique(&mut self.words[word_id as usize].postings, id);
                word_ids.push(word_id);
            }
        }
        let (words, word_count) = self.place_words(&word_ids);
        let flags = if name.exact_only { EXACT_ONLY } else { 0 }
            | if name.abjad { ABJAD } else { 0 }
            | (name.script as u8) << SCRIPT_SHIFT;
        let (entity, alias, kind, surname_words) = (name.entity, name.alias, name.kind, name.surname_words);
        self.names.push(IndexedName { entity, alias, words, word_count, flags, kind, surname_words });
    }

    /// Fills `entity_scripts` from the names' scripts.
    fn gather_entity_scripts(&mut self) {
        let entities = self.names.last().map_or(0, |name| name.entity as usize + 1);
        self.entity_scripts = vec![0; entities];
        for name in self.names.iter().filter(|name| !name.exact_only()) {
            self.entity_scripts[name.entity as usize] |= name.script().bit();
        }
    }

    /// Whether the entity has a name in `script` that fuzzy matching reads.
    pub(crate) fn entity_has_script(&self, entity: u32, script: Script) -> bool {
        self.entity_scripts.get(entity as usize).is_some_and(|scripts| scripts & script.bit() != 0)
    }

    /// A name's word ids in place when they fit, else in `long_words`.
    fn place_words(&mut self, ids: &[u32]) -> ([u32; INLINE_WORDS], u8) {
        let mut words = [NO_WORD; INLINE_WORDS];
        if ids.len() <= INLINE_WORDS {
            words[..ids.len()].copy_from_slice(ids);
            return (words, ids.len() as u8);
        }
        words[0] = self.long_words.len() as u32;
        words[1] = ids.len() as u32;
        self.long_words.extend_from_slice(ids);
        (words, LONG_NAME)
    }

    /// A name's word slots held in place, its words first and [`NO_WORD`] in the slots
    /// after them, or `None` for a name whose words are in `long_words`.
    pub(crate) fn inline_words<'a>(&self, name: &'a IndexedName) -> Option<&'a [u32; INLINE_WORDS]> {
        (name.word_count != LONG_NAME).then_some(&name.words)
    }

    /// The word ids of a name, in order.
    pub(crate) fn words_of<'a>(&'a self, name: &'a IndexedName) -> &'a [u32] {
        if name.word_count != LONG_NAME {
            return &name.words[..usize::from(name.word_count)];
        }
        let (start, len) = (name.words[0] as usize, name.words[1] as usize);
        self.long_words.get(start..start + len).unwrap_or_default()
    }

    fn word_id(&mut self, folded: &str) -> u32 {
        if let Some(&id) = self.word_ids.get(folded) {
            return id;
        }
        let id = self.words.len() as u32;
        let skeleton = fold::skeleton(folded);
        let skeleton_id = match self.skeleton_ids.get(skeleton.as_str()) {
            Some(&skeleton_id) => skeleton_id,
            None => {
                let skeleton_id = self.skeleton_words.len() as u32;
                self.skeleton_ids.insert(skeleton.clone().into_boxed_str(), skeleton_id);
                self.skeleton_words.push(Vec::new());
                skeleton_id
            }
        };
        self.skeleton_words[skeleton_id as usize].push(id);
        for variant in deletions(folded) {
            self.deletes.push((hash_str(&variant), id));
        }
        self.deletes.push((hash_str(folded), id));
        // "Alnusra" in the table is found by the query "Nusra".
        if let Some(bare) = strip_article(folded) {
            self.deletes.push((hash_str(bare), id));
        }
        self.words.push(VocabWord {
            folded: folded.into(),
            skeleton: skeleton.into_boxed_str(),
            class: class_of_folded(folded),
            group: self.group_of.get(folded).copied(),
            numeral: fold::is_numeral(folded),
            postings: Vec::new(),
            weight: 0.0,
            // The stripped form is found once every word is in (`Index::finish_facts`).
            facts: WordFacts::of_word(folded, id, NO_WORD, skeleton_id),
        });
        self.word_ids.insert(folded.into(), id);
        id
    }

    /// Each word's article-stripped form among the words ([`WordFacts::stripped`]).
    fn finish_facts(&mut self) {
        let stripped: Vec<u32> = self.words.iter().map(|word| self.stripped_word(&word.folded)).collect();
        for (word, stripped) in self.words.iter_mut().zip(stripped) {
            word.facts.stripped = stripped;
        }
    }

    /// The facts of a folded word with skeleton `skeleton` against this index (a word of
    /// the index has its own).
    pub(crate) fn facts_of(&self, folded: &str, skeleton: &str) -> WordFacts {
        match self.lookup_word(folded) {
            Some(id) => self.words[id as usize].facts,
            None => self.facts_of_new_word(folded, skeleton),
        }
    }

    /// The facts of a folded word the index lacks, with skeleton `skeleton`.
    pub(crate) fn facts_of_new_word(&self, folded: &str, skeleton: &str) -> WordFacts {
        let skeleton = self.skeleton_ids.get(skeleton).copied().unwrap_or(NO_WORD);
        WordFacts::of_word(folded, NO_WORD, self.stripped_word(folded), skeleton)
    }

    /// The index's word that `folded` is with an attached article stripped, or `NO_WORD`.
    fn stripped_word(&self, folded: &str) -> u32 {
        strip_article(folded).and_then(|bare| self.lookup_word(bare)).unwrap_or(NO_WORD)
    }

    fn finish_deletes(&mut self) {
        self.deletes.par_sort_unstable();
        self.deletes.dedup();
        let bits = (self.deletes.len() / DELETES_PER_BUCKET).next_power_of_two().trailing_zeros();
        self.delete_bucket_bits = bits.clamp(MIN_DELETE_BUCKET_BITS, MAX_DELETE_BUCKET_BITS);
        let mut buckets = vec![0u32; (1 << self.delete_bucket_bits) + 1];
        for &(hash, _) in &self.deletes {
            buckets[self.bucket_of(hash) + 1] += 1;
        }
        for i in 1..buckets.len() {
            buckets[i] += buckets[i - 1];
        }
        self.delete_buckets = buckets;
    }

    fn finish_weights(&mut self) {
        let names = self.names.len();
        for word in &mut self.words {
            word.weight = word_weight(word.class, word.postings.len(), names);
        }
    }

    /// The entries of `deletes` in the bucket of `hash` (those with its top bits).
    fn delete_bucket(&self, hash: u64) -> &[(u64, u32)] {
        let bucket = self.bucket_of(hash);
        match (self.delete_buckets.get(bucket), self.delete_buckets.get(bucket + 1)) {
            (Some(&start), Some(&end)) => self.deletes.get(start as usize..end as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// The word ids stored under each of `hashes` in `deletes`, hash after hash. Every
    /// bucket is found before any is searched, and each one's first entry read, so that
    /// the loads do not wait on one another: a query word probes once per letter, and
    /// at a million names each probe waited for two cache misses in turn (most of
    /// `similar_words`' wall-clock samples, perf).
    /// Each bucket is found twice (two shifts and two reads of the bucket table, in cache
    /// by the second time) rather than kept in a list allocated for every query word.
    fn deletes_with(&self, hashes: &[u64], found: &mut Vec<u32>) {
        let first_ids = hashes.iter().map(|&hash| self.delete_bucket(hash).first().map_or(0, |&(_, id)| id));
        let touched = first_ids.fold(0u32, |touched, id| touched ^ id);
        std::hint::black_box(touched);
        for &hash in hashes {
            let bucket = self.delete_bucket(hash);
            let first = bucket.partition_point(|&(h, _)| h < hash);
            found.extend(bucket[first..].iter().take_while(|&&(h, _)| h == hash).map(|&(_, id)| id));
        }
    }

    /// The bucket of `deletes` a hash is in: its top `delete_bucket_bits` bits (none for
    /// an index without any).
    fn bucket_of(&self, hash: u64) -> usize {
        hash.checked_shr(64 - self.delete_bucket_bits).unwrap_or(0) as usize
    }

    /// The romanized words of a name with acronyms, if it is not plain ASCII (see
    /// `Index::romanized`).
    pub(crate) fn romanized(&self, id: u32) -> Option<Vec<String>> {
        self.romanized.get(&id).map(|words| words.split(' ').map(str::to_string).collect())
    }

    /// The id of a folded word, if the table has it.
    pub(crate) fn lookup_word(&self, folded: &str) -> Option<u32> {
        self.word_ids.get(folded).copied()
    }

    /// Adds a group of equivalent words, as written. A word already in a group stays
    /// there: the table's own groups come first and win.
    fn add_equivalence_group<'w>(&mut self, words: impl Iterator<Item = &'w str>) {
        let group = self.groups.len() as u32;
        let words: Vec<Box<str>> = words
            .filter_map(|w| normalize::analyze(w).folded.into_iter().next())
            .filter(|folded| !self.group_of.contains_key(folded.as_str()))
            .map(String::into_boxed_str)
            .collect();
        for word in &words {
            self.group_of.insert(word.clone(), group);
        }
        self.groups.push(words);
    }

    /// The curated equivalence group of a folded word.
    pub(crate) fn group_of(&self, folded: &str) -> Option<u32> {
        self.group_of.get(folded).copied()
    }

    /// Reads each word's entry and the first letters of its spellings, one word after
    /// another without waiting on any. The loads are independent, so the CPU overlaps
    /// their cache misses; comparing the words one by one (hundreds of instructions each)
    /// waited for every miss in turn, and at a million names those waits were the largest
    /// share of the candidate stage's samples (perf). The words' postings are not read:
    /// neither comparing nor scoring reads them, and the candidate stage warms the few it
    /// walks itself (`Matcher::warm_postings`); a miss more per word only took room from
    /// the ones that count.
    pub(crate) fn warm_words(&self, ids: impl IntoIterator<Item = u32>) {
        let first = |text: &str| usize::from(text.as_bytes().first().copied().unwrap_or(0));
        let mut touched = 0usize;
        for word in ids.into_iter().filter_map(|id| self.words.get(id as usize)) {
            touched = touched.wrapping_add(first(&word.folded) + first(&word.skeleton));
        }
        std::hint::black_box(touched);
    }

    /// Reads the entry of each name in `ids`, one after another without waiting on any.
    /// Nothing here branches on what it reads: gathering the names' word lists instead
    /// branched on each name's length (in place or in `long_words`), and each
    /// mispredicted branch (a long name) waited for its name's cache miss before any
    /// later load could start (common-word gains of the best 256 candidates, 5.2 ->
    /// 4.5 µs per fuzzy query at a million names).
    pub(crate) fn warm_name_entries(&self, ids: impl IntoIterator<Item = u32>) {
        let touched = ids.into_iter().fold(0u32, |touched, id| {
            touched ^ self.names.get(id as usize).map_or(0, |name| u32::from(name.word_count))
        });
        std::hint::black_box(touched);
    }

    /// [`Index::warm_words`] for names about to be scored: each name's entry first, then
    /// all their words.
    pub(crate) fn warm_names(&self, ids: &[u32]) {
        // The entries without branching on them first ([`Index::warm_name_entries`]).
        self.warm_name_entries(ids.iter().copied());
        let word_lists: Vec<&[u32]> =
            ids.iter().filter_map(|&id| self.names.get(id as usize)).map(|name| self.words_of(name)).collect();
        self.warm_words(word_lists.into_iter().flatten().copied());
    }

    /// Vocabulary words that may be spellings of `folded`: the same word, a curated
    /// equivalent, the same skeleton, or within about two edits (symmetric deletes).
    pub(crate) fn similar_words(&self, folded: &str, skeleton: &str) -> Vec<u32> {
        let skeleton_id = if skeleton.len() >= 2 { self.skeleton_ids.get(skeleton).copied() } else { None };
        self.similar_words_with(folded, skeleton, self.lookup_word(folded), self.group_of(folded), skeleton_id)
    }

    /// [`Index::similar_words`] of a word view whose facts were filled against this
    /// index: its id, group and skeleton id are read off the view. A query word's were
    /// found when the query was prepared, and looking them up again in maps of a million
    /// entries was a few cache misses in a row per word.
    pub(crate) fn similar_words_of(&self, word: &WordView<'_>) -> Vec<u32> {
        if !word.facts.known {
            return self.similar_words(word.folded, word.skeleton);
        }
        let known = |id: u32| (id != NO_WORD).then_some(id);
        let (id, skeleton_id) = (known(word.facts.id), known(word.facts.skeleton));
        self.similar_words_with(word.folded, word.skeleton, id, word.group, skeleton_id)
    }

    /// [`Index::similar_words`] of `folded`, given its id, curated group and skeleton's
    /// id in this index.
    fn similar_words_with(
        &self,
        folded: &str,
        skeleton: &str,
        id: Option<u32>,
        group: Option<u32>,
        skeleton_id: Option<u32>,
    ) -> Vec<u32> {
        // Sized for a usual word's look-alikes (up to 64 by skeleton, then its deletions'):
        // grown from empty, the list was moved to a larger block several times a word.
        let mut found: Vec<u32> = Vec::with_capacity(SIMILAR_WORDS_RESERVED);
        found.extend(id);
        if let Some(group) = group {
            let words = self.groups.get(group as usize).map_or(&[][..], Vec::as_slice);
            found.extend(words.iter().filter_map(|w| self.lookup_word(w)));
        }
        if skeleton.len() >= 2 {
            if let Some(words) = skeleton_id.and_then(|id| self.skeleton_words.get(id as usize)) {
                found.extend(words.iter().take(64));
            }
        }
        if folded.len() >= 4 {
            // Each deletion is built in one reused buffer: a string per probe was a
            // tenth of this function's time. Probing a repeated deletion twice finds
            // the same ids, which the dedup below drops.
            let mut hashes = Vec::with_capacity(folded.len() + 2);
            if folded.is_ascii() {
                let mut probe = String::with_capacity(folded.len());
                for i in 0..folded.len() {
                    probe.clear();
                    probe.push_str(&folded[..i]);
                    probe.push_str(&folded[i + 1..]);
                    hashes.push(hash_str(&probe));
                }
            }
            hashes.push(hash_str(folded));
            // The query "Alnusra" finds the table's "Nusra".
            if let Some(bare) = strip_article(folded) {
                hashes.push(hash_str(bare));
            }
            self.deletes_with(&hashes, &mut found);
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// In "SURNAME, Given Names" (one comma, words on both sides) the words before the comma
/// are the family name; returns how many words they fold to, or 0 for other forms.
pub(crate) fn surname_words(text: &str) -> u8 {
    let mut parts = text.split(',');
    let (Some(family), Some(given), None) = (parts.next(), parts.next(), parts.next()) else {
        return 0;
    };
    if normalize::normalize(given).is_empty() {
        return 0;
    }
    let family = name_words(&normalize::analyze(family));
    u8::try_from(family.len()).unwrap_or(0)
}

/// Rarer words identify more: weight = class weight x (1 + ln((N + 1) / (df + 1))) for a
/// word held by `df` of `names` names.
pub(crate) fn word_weight(class: WordClass, df: usize, names: usize) -> f32 {
    let idf = 1.0 + ((names as f32 + 1.0) / (df as f32 + 1.0)).ln();
    class.weight() * idf
}

/// The room [`Index::similar_words`] reserves for a word's look-alikes.
const SIMILAR_WORDS_RESERVED: usize = 64;
/// Entries of the delete table to a bucket, about: four fill a cache line.
const DELETES_PER_BUCKET: usize = 4;
/// The fewest top hash bits that pick a bucket (a small table's 256 KiB of buckets).
const MIN_DELETE_BUCKET_BITS: u32 = 16;
/// The most (64 MiB of buckets, for tens of millions of words).
const MAX_DELETE_BUCKET_BITS: u32 = 24;

fn push_unique(ids: &mut Vec<u32>, id: u32) {
    if ids.last() != Some(&id) {
        ids.push(id);
    }
}

/// Every string made by deleting one letter (words of 4 letters or more only: shorter
/// words are too easily one edit from another word).
fn deletions(word: &str) -> Vec<String> {
    if word.len() < 4 || !word.is_ascii() {
        return Vec::new();
    }
    let mut variants: Vec<String> = (0..word.len()).map(|i| format!("{}{}", &word[..i], &word[i + 1..])).collect();
    variants.sort_unstable();
    variants.dedup();
    variants
}

fn hash_str(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = FxHasher::default();
    hasher.write(text.as_bytes());
    // Fx leaves the low bits weak; the bucket index reads the high ones.
    hasher.finish().rotate_left(20)
}

/// Acronyms a multi-word name may be written as: initials of its words without stop
/// words ("Islamic State of Iraq and the Levant" gives "isil"), the same without trailing
/// legal forms ("Myanmar Economic Corporation Limited" gives "mec"), and all initials.
pub(crate) fn derived_acronyms(latin: &[String]) -> Vec<String> {
    acronyms_of_legal(latin, &canonical_legal_forms(latin), None)
}

/// [`derived_acronyms`] of `latin`, whose words with legal forms in one spelling
/// (`canonical_legal_forms`) are `words`.
/// `folded`, when given, is `fold::fold_word` of each of `words`, in place.
fn acronyms_of_legal(latin: &[String], words: &[String], folded: Option<&[String]>) -> Vec<String> {
    if words.len() < 2 {
        return Vec::new();
    }
    let initials = |words: &[&String]| {
        words.iter().filter_map(|w| w.chars().next()).map(|c| c.to_ascii_lowercase()).collect::<String>()
    };
    // Each word's class, folded once: the filters and the run ends below all read it.
    let classes: Vec<WordClass> = match folded {
        Some(folded) if folded.len() == words.len() => folded.iter().map(|w| class_of_folded(w)).collect(),
        _ => words.iter().map(|w| class_of_folded(&fold::fold_word(w))).collect(),
    };
    // A leading registration form gives no letter: the L of "LLC Konsol Stroi" (written
    // out, Limited Liability Company) is no letter of its acronym.
    let leading =
        words.iter().zip(&classes).take_while(|&(word, &class)| words::is_registration_form(word, class)).count();
    let (words, classes) = (&words[leading..], &classes[leading..]);
    if words.len() < 2 {
        return Vec::new();
    }
    let all: Vec<&String> = words.iter().collect();
    let content: Vec<(&String, WordClass)> =
        words.iter().zip(classes.iter().copied()).filter(|&(_, class)| class != WordClass::Stop).collect();
    let content_words: Vec<&String> = content.iter().map(|&(word, _)| word).collect();
    // The Arabic article often keeps its letter: AQAP is Al-Qaida in the Arabian Peninsula.
    let with_articles: Vec<&String> = words
        .iter()
        .zip(classes)
        .filter(|&(w, &class)| normalize::is_article(w) || class != WordClass::Stop)
        .map(|(w, _)| w)
        .collect();
    let mut acronyms = vec![initials(&all), initials(&with_articles)];
    // Leading runs of the content words: trailing legal forms and qualifiers are often
    // left out (NPPD for Nuclear Power Production and Development Company of Iran). A
    // run never ends on a legal form written as its letters: "Cosmo Resources Pte Ltd"
    // is no CRP, while "Petrochemical Commercial Company" is PCC.
    let written_abbreviated =
        |&(word, class): &(&String, WordClass)| latin.contains(word) && is_abbreviated_legal_form(word, class);
    for end in 3..=content.len() {
        if !written_abbreviated(&content[end - 1]) {
            acronyms.push(initials(&content_words[..end]));
        }
    }
    acronyms.retain(|a| a.len() >= 3 && a.bytes().all(|b| b.is_ascii_alphabetic()));
    acronyms.sort_unstable();
    acronyms.dedup();
    acronyms
}

/// A legal form as its letters (Ltd, Pte, GmbH), not written out; "Co" is how
/// "Company" is often written, so it keeps its letter. `class` is the class of the
/// folded word (the caller has it already).
fn is_abbreviated_legal_form(word: &str, class: WordClass) -> bool {
    word.len() <= 4 && word != "co" && class == WordClass::LegalForm
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latin(text: &str) -> Vec<String> {
        normalize::analyze(text).latin
    }

    #[test]
    fn acronyms_come_from_initials() {
        assert!(derived_acronyms(&latin("Islamic State of Iraq and the Levant")).contains(&"isil".to_string()));
        assert!(derived_acronyms(&latin("Myanmar Economic Corporation Limited")).contains(&"mec".to_string()));
        assert!(derived_acronyms(&latin("Hamas")).is_empty());
        let registered_first = derived_acronyms(&latin("Limited Liability Company Kolos Stroi Trading"));
        assert!(registered_first.contains(&"kst".to_string()), "{registered_first:?}");
        assert!(
            !registered_first.iter().any(|a| a.starts_with('l')),
            "the L of LLC is no letter: {registered_first:?}"
        );
        assert!(derived_acronyms(&latin("Petrochemical Commercial Company FZE")).contains(&"pcc".to_string()));
        let written_letters = derived_acronyms(&latin("Kronos Resources Pte Ltd"));
        assert!(!written_letters.contains(&"krp".to_string()), "{written_letters:?}");
    }

    /// A table of one entity a text, typed by `kind_of` (the text's position), each
    /// with `aliases`.
    fn table_of(texts: &[&str], kind_of: impl Fn(usize) -> EntityType, aliases: &[&str]) -> AliasTable {
        use crate::aliases::{Entity, Location, Name};
        let nowhere = || Location::line(String::new(), 0);
        let entities = texts
            .iter()
            .enumerate()
            .map(|(i, text)| Entity {
                id: i.to_string(),
                kind: kind_of(i),
                name: Name::plain(*text, nowhere()),
                aliases: aliases.iter().map(|alias| Name::plain(*alias, nowhere())).collect(),
                wikidata: None,
                note: None,
                location: nowhere(),
            })
            .collect();
        AliasTable::from_entities(entities)
    }

    #[test]
    fn given_analyses_build_the_same_index() {
        let texts = ["Acme Trading Ltd", "Al-Nusra Front", "Сирия", "Doe, John", "ISIL", "  "];
        let kind_of = |i| if i == 3 { EntityType::Person } else { EntityType::Organization };
        let table = table_of(&texts, kind_of, &["Acme Ltd"]);
        // One name left to the build (None) and one unanalysable (the blank one).
        let primaries: Vec<Option<AnalyzedName>> =
            texts.iter().enumerate().map(|(i, text)| AnalyzedName::new(text).ok().filter(|_| i != 1)).collect();
        let (mut given, built) = (Index::build_analyzed(&table, &primaries), Index::build(&table));
        // Each build is stamped afresh (`Index::stamp`); everything else is the same.
        assert_ne!(given.stamp, built.stamp);
        given.stamp = built.stamp;
        assert_eq!(format!("{given:?}"), format!("{built:?}"));
    }

    #[test]
    fn a_word_view_finds_the_words_its_spelling_finds() {
        let texts = ["Acme Trading Ltd", "Akme Tradng", "Al-Nusra Front", "Nusra", "Mohammed Ali", "Muhammad Aly"];
        let table = table_of(&texts, |_| EntityType::Organization, &[]);
        let index = Index::build(&table);
        // Words of the table, new words near them, and new words near nothing.
        for folded in ["acme", "akme", "trading", "tradin", "alnusra", "nusra", "mohamed", "aly", "zzzz", "x"] {
            let skeleton = fold::skeleton(folded);
            let view = WordView {
                folded,
                skeleton: &skeleton,
                weight: 1.0,
                group: index.group_of(folded),
                class: class_of_folded(folded),
                abjad: false,
                surname: false,
                numeral: fold::is_numeral(folded),
                facts: index.facts_of(folded, &skeleton),
            };
            let by_spelling = index.similar_words(folded, &skeleton);
            assert_eq!(index.similar_words_of(&view), by_spelling, "{folded}");
            let unknown = WordView { facts: WordFacts::UNKNOWN, ..view };
            assert_eq!(index.similar_words_of(&unknown), by_spelling, "{folded}");
        }
    }

    #[test]
    fn a_name_entry_stays_two_to_a_cache_line() {
        assert_eq!(std::mem::size_of::<IndexedName>(), 32);
    }

    #[test]
    fn deletions_cover_each_position() {
        assert_eq!(deletions("abcd"), vec!["abc", "abd", "acd", "bcd"]);
        assert!(deletions("abc").is_empty());
    }
}
