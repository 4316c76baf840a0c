//! Scoring one query against one name: words aligned to words, each pair by the
//! strongest rule that holds, weighted by how much each word identifies an entity.
//!
//! The score is a weighted Dice coefficient over the alignment: the share of both names'
//! weight that found a partner, each pair counted at its similarity. Unmatched words of
//! either side lower it; stop words, legal forms and titles weigh little, so adding or
//! dropping them moves it little. Numbers that disagree are strong evidence of two
//! different entities (sibling companies "... 46B LLC" / "... 64E LLC").

use super::edit;
use super::words::{is_compound_given_prefix, is_registration_form, WordClass};
use crate::aliases::EntityType;
use crate::normalize::fold;

/// One word as the scorer sees it.
#[derive(Debug, Clone, Copy)]
pub struct WordView<'a> {
    /// The folded word (`normalize::fold`).
    pub folded: &'a str,
    /// Its consonant skeleton.
    pub skeleton: &'a str,
    /// How much it identifies an entity (rarity times class weight).
    pub weight: f32,
    /// Its curated equivalence group, if any.
    pub group: Option<u32>,
    /// Its word class (`words::class_of_folded`), fixed with the word so the scorer never
    /// looks it up again for every pair of names.
    pub class: WordClass,
    /// It was romanized from a script without short vowels.
    pub abjad: bool,
    /// It is (part of) a family name written first: "SURNAME, Given".
    pub surname: bool,
    /// It is a number (`fold::is_numeral`), fixed with the word: the scorer asks this of
    /// every word pair and every scored name.
    pub numeral: bool,
    /// What one index knows of the word, so that it is compared with that index's words
    /// by numbers rather than by spelling ([`WordFacts::UNKNOWN`] elsewhere).
    pub facts: WordFacts,
}

/// A word as one index knows it: which of its words it is, which it becomes without an
/// attached article, which of its skeletons it has, and its letters. Comparing a
/// resolve's query words with its candidates' words asks "the same spelling?", "the same
/// without the article?" and "the same skeleton?" of every pair, and comparing the
/// strings was about a third of each pair's instructions. Two words with facts from the
/// same index ([`WordFacts::known`]) are compared by these numbers, with the same
/// answers: the index has one id per spelling and per skeleton, and a word it lacks has
/// none (`NO_WORD`), so it equals none of its words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordFacts {
    /// The fields below were filled against an index (the same for both words compared:
    /// views from one matcher).
    pub known: bool,
    /// The index's word with this spelling, or `NO_WORD`.
    pub id: u32,
    /// The index's word that this one is with an attached article stripped
    /// ([`strip_article`]), or `NO_WORD` (no article, or a word the index lacks).
    pub stripped: u32,
    /// The index's id of this word's skeleton, or `NO_WORD` (a skeleton it lacks).
    pub skeleton: u32,
    /// The word's letters (`edit::letters`).
    pub letters: u64,
    /// It is an article (`normalize::is_article`).
    pub article: bool,
}

impl WordFacts {
    /// Facts not filled: the words are compared by their spellings.
    pub const UNKNOWN: WordFacts =
        WordFacts { known: false, id: NO_WORD, stripped: NO_WORD, skeleton: NO_WORD, letters: 0, article: false };

    /// The facts of the folded word `folded` against an index that gives it these ids
    /// (each `NO_WORD` where the index has none); its letters and article test are read
    /// off the word.
    pub fn of_word(folded: &str, id: u32, stripped: u32, skeleton: u32) -> WordFacts {
        WordFacts {
            known: true,
            id,
            stripped,
            skeleton,
            letters: edit::letters(folded.as_bytes()),
            article: crate::normalize::is_article(folded),
        }
    }
}

/// The id of no word or skeleton of an index.
pub(crate) const NO_WORD: u32 = u32::MAX;

/// Whether two words are spelled the same.
fn same_spelling(a: &WordView<'_>, b: &WordView<'_>, known: bool) -> bool {
    if known && (a.facts.id != NO_WORD || b.facts.id != NO_WORD) {
        a.facts.id == b.facts.id
    } else {
        a.folded == b.folded
    }
}

/// Whether `with` is `without` with an attached article ([`strip_article`]).
fn article_attached(with: &WordView<'_>, without: &WordView<'_>, known: bool) -> bool {
    if known && without.facts.id != NO_WORD {
        with.facts.stripped == without.facts.id
    } else {
        strip_article(with.folded) == Some(without.folded)
    }
}

/// Whether two words have the same skeleton.
fn same_skeleton_letters(a: &WordView<'_>, b: &WordView<'_>, known: bool) -> bool {
    if known && (a.facts.skeleton != NO_WORD || b.facts.skeleton != NO_WORD) {
        a.facts.skeleton == b.facts.skeleton
    } else {
        a.skeleton == b.skeleton
    }
}

/// Why two words were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// Equal once romanization is folded.
    Equal,
    /// Declared equivalent by the table's curators (Cross / Crescent).
    Equivalent,
    /// One is the other with the Arabic article attached (Alnusra / Nusra).
    Article,
    /// Two adjacent words of one side are one word of the other (Al Qaeda / Alqaeda).
    Joined,
    /// Same consonants, where one side was written without short vowels (محمد / Mohammad).
    Consonants,
    /// Same consonants between two Latin spellings, a weaker sign (Hassan / Hussein).
    Skeleton,
    /// Within a few edits (Aktaf / Aknaf).
    Edit,
    /// One Korean or Chinese syllable in two romanizations (Chong / Jong, Pang / Bang).
    Syllable,
    /// One word and its plural (Pearl / Pearls).
    Plural,
    /// One word derived from the other by a suffix (Charity / Charitable).
    Derived,
    /// A short form that starts the other word (Rafa / Rafael, Tropic / Tropicana).
    Prefix,
    /// An initial against a word starting with it.
    Initial,
    /// One word is the initials of several words of the other (MSP / Manufacturing,
    /// Support and Procurement).
    Initials,
}

impl Rule {
    /// The rule's name in explanations.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Equal => "equal",
            Rule::Equivalent => "equivalent",
            Rule::Article => "article",
            Rule::Joined => "joined",
            Rule::Consonants => "consonants",
            Rule::Skeleton => "skeleton",
            Rule::Edit => "edit",
            Rule::Syllable => "syllable",
            Rule::Plural => "plural",
            Rule::Derived => "derived",
            Rule::Prefix => "prefix",
            Rule::Initial => "initial",
            Rule::Initials => "initials",
        }
    }
}

/// A query word paired with a name word.
#[derive(Debug, Clone, PartialEq)]
pub struct WordPair {
    /// Index of the query word (the first, for a joined pair).
    pub query: usize,
    /// Index of the name word (the first, for a joined pair).
    pub name: usize,
    /// Similarity of the pair in [0, 1].
    pub similarity: f32,
    /// The rule that paired them.
    pub rule: Rule,
    /// How many query words the pair covers (2 when two query words joined meet one).
    pub query_span: u8,
    /// How many name words the pair covers.
    pub name_span: u8,
}

impl WordPair {
    fn one_to_one(query: usize, name: usize, similarity: f32, rule: Rule) -> Self {
        WordPair { query, name, similarity, rule, query_span: 1, name_span: 1 }
    }

    /// Whether the pair is close enough to anchor a person's name: a spelling, never an
    /// initial ([`ANCHOR_SIMILARITY`]).
    fn may_anchor(&self) -> bool {
        self.rule != Rule::Initial && self.similarity >= ANCHOR_SIMILARITY
    }

    fn joined(query: usize, name: usize, query_span: u8, name_span: u8) -> Self {
        WordPair { query, name, similarity: JOINED_SIMILARITY, rule: Rule::Joined, query_span, name_span }
    }

    fn initials(query: usize, name: usize, query_span: u8, name_span: u8) -> Self {
        WordPair { query, name, similarity: INITIALS_SIMILARITY, rule: Rule::Initials, query_span, name_span }
    }
}

/// Words joined are the word, but a writer who split it may have meant two.
const JOINED_SIMILARITY: f32 = 0.95;
/// Initials stand for the words, but other words share them.
const INITIALS_SIMILARITY: f32 = 0.9;

/// Which words of each side found a partner: the words the pairs cover. The alignment
/// marks them as it pairs, and every factor of the score reads the same marks.
struct Paired<'a> {
    query: &'a [bool],
    name: &'a [bool],
}

/// The alignment of a query to a name, and the score it gives.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alignment {
    /// The pairs, in query order.
    pub pairs: Vec<WordPair>,
    /// The score in [0, 1].
    pub score: f32,
}

/// Similarity below which two words are not paired at all.
const MIN_WORD_SIMILARITY: f32 = 0.72;

/// How similar two words are, and by which rule; `None` when they are not alike.
pub fn word_similarity(a: &WordView<'_>, b: &WordView<'_>) -> Option<(f32, Rule)> {
    word_similarity_with_table(a, None, b)
}

/// [`word_similarity`] of `a` and `b`, given `a`'s letter table (`edit::LetterTable::of`
/// its folded form) when it has been built: the same answer, the edit distance without
/// building a table for the pair. One function for both (not one per way of finding
/// the distance): two copies of this one inlined its helpers differently, and cost more.
pub(crate) fn word_similarity_with_table(
    a: &WordView<'_>,
    a_table: Option<&edit::LetterTable>,
    b: &WordView<'_>,
) -> Option<(f32, Rule)> {
    let known = a.facts.known && b.facts.known;
    if same_spelling(a, b, known) {
        return Some((1.0, Rule::Equal));
    }
    if a.numeral || b.numeral {
        return None;
    }
    let spelled = spelling_similarity(a, a_table, b, known);
    if a.group.is_some() && a.group == b.group {
        // A close spelling says more than the group does (Aleksandr / Alexander).
        return match spelled {
            Some((similarity, rule)) if similarity > EQUIVALENT_SIMILARITY => Some((similarity, rule)),
            _ => Some((EQUIVALENT_SIMILARITY, Rule::Equivalent)),
        };
    }
    spelled
}

/// Words of one curated equivalence group (Cross / Crescent, Ihar / Igor) name one thing.
const EQUIVALENT_SIMILARITY: f32 = 0.85;

/// [`word_similarity_with_table`] by the words' letters alone, the spelling already
/// known to differ and neither word a number.
fn spelling_similarity(
    a: &WordView<'_>,
    a_table: Option<&edit::LetterTable>,
    b: &WordView<'_>,
    known: bool,
) -> Option<(f32, Rule)> {
    if article_attached(a, b, known) || article_attached(b, a, known) {
        return Some((0.95, Rule::Article));
    }
    // One article for another: ar-Rahman, ur-Rahman and al-Rahman are one name.
    let articles = if known {
        a.facts.article && b.facts.article
    } else {
        crate::normalize::is_article(a.folded) && crate::normalize::is_article(b.folded)
    };
    if articles {
        return Some((0.95, Rule::Article));
    }
    let abjad = a.abjad || b.abjad;
    if !abjad && plural_of(a.folded, b.folded) {
        return Some((PLURAL_SIMILARITY, Rule::Plural));
    }
    if !abjad && derived_from_one_stem(a.folded, b.folded) {
        return Some((DERIVED_SIMILARITY, Rule::Derived));
    }
    if !abjad && same_syllable_but_voicing(a.folded, b.folded) {
        return Some((SYLLABLE_SIMILARITY, Rule::Syllable));
    }
    let (short, long) = if a.folded.len() <= b.folded.len() { (a, b) } else { (b, a) };
    if short.folded.len() == 1 {
        return long.folded.starts_with(short.folded).then_some((0.6, Rule::Initial));
    }
    let leading_waw = abjad && same_but_leading_waw(a, b);
    // A two-letter word across scripts is two consonants written without vowels (طه,
    // Taha): it may meet a short word with just those consonants.
    let bare_consonants = abjad && short.folded.len() == 2 && short.folded == short.skeleton && long.folded.len() <= 4;
    let same_skeleton =
        (same_skeleton_letters(a, b, known) || leading_waw) && (short.folded.len() >= 3 || bare_consonants);
    // One edit distance serves both the typo rule and the skeleton rule's vowel check;
    // it is computed only when one of them can use it: the typo rule only when the words
    // may be within `allowed` edits (their lengths and letters say when they cannot).
    let allowed = allowed_edits(a.folded, b.folded);
    let (a_bytes, b_bytes) = (a.folded.as_bytes(), b.folded.as_bytes());
    let surely_farther = || {
        if known {
            edit::letters_farther_than(a.facts.letters, b.facts.letters, a_bytes.len().min(b_bytes.len()), allowed)
        } else {
            edit::surely_farther_than(a_bytes, b_bytes, allowed)
        }
    };
    let typo_possible = a_bytes.len().abs_diff(b_bytes.len()) <= allowed && !surely_farther();
    let distance = (same_skeleton || typo_possible).then(|| match a_table {
        Some(table) => table.distance(a_bytes, b_bytes),
        None => edit::osa_distance(a_bytes, b_bytes),
    });
    let edit = distance.and_then(|d| edit_similarity(a.folded, b.folded, d, allowed));
    // Two consonants are little to go on: also ask for a close spelling or, across
    // scripts, the same first letter (قصي / Qusay, not سوئد / Assad).
    let same_first = a.folded.as_bytes().first() == b.folded.as_bytes().first()
        || (abjad && starts_with_vowel(a.folded) && starts_with_vowel(b.folded))
        || leading_waw;
    let consonants = a.skeleton.len().min(b.skeleton.len());
    let long_enough = consonants >= 3 || (consonants == 2 && (edit.is_some() || (abjad && same_first)));
    if same_skeleton && long_enough {
        let longer = a.folded.len().max(b.folded.len()).max(1) as f32;
        let vowels_agree = 1.0 - distance.unwrap_or(0) as f32 / longer;
        // Vowels romanized from Arabic script are guesses: the consonants are the evidence.
        // Between two Latin spellings vowels are evidence too (Hassan is not Hussein).
        let (similarity, rule) = if abjad {
            (0.8 + 0.1 * vowels_agree, Rule::Consonants)
        } else {
            (0.75 + 0.15 * vowels_agree, Rule::Skeleton)
        };
        // A vowel more or less inside a word (Shkuba / Shikuba, Pjak / Pejak) is how
        // romanizations write an unstressed vowel, as good as equal to the corroboration
        // rule. Another vowel is often another name (Serena / Sarina), and a vowel in
        // front another word (Izadi / Zadi).
        let one_vowel_apart = distance == Some(1)
            && a.folded.len() != b.folded.len()
            && longer >= ONE_VOWEL_MIN_LETTERS
            && a.folded.as_bytes().first() == b.folded.as_bytes().first();
        let similarity = if one_vowel_apart { similarity.max(CORROBORATED_SIMILARITY) } else { similarity };
        return Some((similarity.max(edit.unwrap_or(0.0)), rule));
    }
    if let Some(edit) = edit.filter(|&e| e >= MIN_WORD_SIMILARITY) {
        let edit = if slip_after_stem(a.folded, b.folded, distance) { edit.max(CORROBORATED_SIMILARITY) } else { edit };
        return Some((edit, Rule::Edit));
    }
    // Most pairs that reach here have nothing in common: the first letter says so cheaply.
    (same_first && short_form_of(short, long, abjad)).then_some((PREFIX_SIMILARITY, Rule::Prefix))
}

/// A given name's short form (Rafa / Rafael, Kuda / Kudakwashe, Ghodrat / Ghodratollah)
/// or a clipped word (Profe / Profesor): four letters or more that start the other word.
/// Only as a last resort, after every spelling rule, and only between Latin words of
/// substance: across scripts the vowels that would tell are missing.
fn short_form_of(short: &WordView<'_>, long: &WordView<'_>, abjad: bool) -> bool {
    !abjad
        && short.folded.len() >= PREFIX_MIN_LETTERS
        && long.folded.starts_with(short.folded)
        && short.class == WordClass::Content
        && long.class == WordClass::Content
}

/// The shortest short form that meets a longer word.
const PREFIX_MIN_LETTERS: usize = 4;
/// A short form is likely the word, but never as sure as a spelling: it anchors a person
/// and corroborates nothing.
const PREFIX_SIMILARITY: f32 = 0.82;

/// One slip after a stem of five letters that agree (Belaoua / Belaouar, Tyurya /
/// Tyurik) is how writers vary a word's ending, as good as equal to the corroboration
/// rule; names that differ (Serena / Sarina) mostly differ early.
fn slip_after_stem(a: &str, b: &str, distance: Option<usize>) -> bool {
    distance == Some(1) && a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count() >= STEM_LETTERS
}

/// The letters two words must share from the start for a slip after them to be an ending.
const STEM_LETTERS: usize = 5;

/// Korean and Chinese romanizations disagree on whether a syllable's first consonant is
/// voiced: McCune-Reischauer writes Chong and Pang where others write Jong and Bang
/// (folding has already made ch "sh"). Only one-syllable words count: Kamal and Gamal
/// are two names.
fn same_syllable_but_voicing(a: &str, b: &str) -> bool {
    fn onset_class(word: &str) -> Option<(u8, &str)> {
        if let Some(rest) = word.strip_prefix("sh") {
            return Some((b'j', rest));
        }
        let class = match word.as_bytes().first()? {
            b'j' => b'j',
            b'k' | b'g' => b'k',
            b't' | b'd' => b't',
            b'p' | b'b' => b'p',
            _ => return None,
        };
        Some((class, &word[1..]))
    }
    fn one_syllable(word: &str) -> bool {
        // The length first: most words are longer, and every word pair asks this.
        if word.len() > SYLLABLE_LETTERS {
            return false;
        }
        let vowel_runs = word.as_bytes().windows(2).filter(|w| !fold::is_vowel(w[0]) && fold::is_vowel(w[1])).count();
        let starts_with_consonant = word.as_bytes().first().is_some_and(|&b| !fold::is_vowel(b));
        vowel_runs == 1 && starts_with_consonant
    }
    // Two-letter words are never folded (Jo stays jo while Cho becomes shu): the vowels
    // of what follows the onset are compared folded.
    fn vowel_folded(rest: &str) -> impl Iterator<Item = u8> + '_ {
        rest.bytes().map(fold::fold_vowel)
    }
    one_syllable(a)
        && one_syllable(b)
        && a != b
        && matches!((onset_class(a), onset_class(b)), (Some((ca, ra)), Some((cb, rb))) if ca == cb && vowel_folded(ra).eq(vowel_folded(rb)))
}

/// One word the other with a plural s (Pearl / Pearls, Informatic / Informatics). Only
/// after a consonant: names end in a vowel and s far more often than nouns do (Ilya /
/// Ilyas, Hama / Hamas, Carlo / Carlos are other names).
fn plural_of(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    short.len() >= PLURAL_MIN_LETTERS
        && long.len() == short.len() + 1
        && long.ends_with('s')
        && long.starts_with(short)
        && short.as_bytes().last().is_some_and(|&last| !fold::is_vowel(last) && last != b's')
}

/// Two forms of one English word, a stem with different suffixes (Charity / Charitable,
/// Managing / Management, Trade / Trading, Industry / Industrial), as folded. Both
/// suffixes must be there: a name and the name with an ending (Hasan / Hasani, Brown /
/// Browning) are often two names.
fn derived_from_one_stem(a: &str, b: &str) -> bool {
    let (a_bytes, b_bytes) = (a.as_bytes(), b.as_bytes());
    // Most pairs differ within the stem: its first letters say so cheaply.
    if a_bytes.len() <= DERIVED_STEM_LETTERS
        || b_bytes.len() <= DERIVED_STEM_LETTERS
        || a_bytes[..DERIVED_STEM_LETTERS] != b_bytes[..DERIVED_STEM_LETTERS]
    {
        return false;
    }
    let shared = a_bytes.iter().zip(b_bytes).take_while(|(x, y)| x == y).count();
    // A suffix may begin with the letter the stem's last one folded to (the i of
    // Charit-y and Charit-able): try the stem one letter shorter too.
    [shared, shared - 1].into_iter().any(|stem| {
        // Words of other scripts stay unfolded: a stem may end inside a letter there.
        let (Some(a_suffix), Some(b_suffix)) = (a.get(stem..), b.get(stem..)) else {
            return false;
        };
        stem >= DERIVED_STEM_LETTERS
            && a_suffix != b_suffix
            && DERIVATION_SUFFIXES.contains(&a_suffix)
            && DERIVATION_SUFFIXES.contains(&b_suffix)
    })
}

/// English suffixes of organisations' words, folded (y and e fold to i, c to k, o to u):
/// -y/-e, -able, -ing, -ment, -er(s), -al, -ial, -ic(s), -ical, -ies, -ion, -ive.
const DERIVATION_SUFFIXES: &[&str] =
    &["i", "abli", "ing", "imint", "ir", "irs", "al", "ial", "ik", "ikal", "iks", "is", "iun", "iv", "ivi"];
/// The letters two derived words must share first.
const DERIVED_STEM_LETTERS: usize = 5;
/// Another form of a word names the same thing, a little less surely than its plural.
const DERIVED_SIMILARITY: f32 = 0.9;

/// The shortest singular the plural rule reads.
const PLURAL_MIN_LETTERS: usize = 4;
/// The similarity of a word and its plural: as good as equal.
const PLURAL_SIMILARITY: f32 = 0.95;

/// The longest word read as one syllable.
const SYLLABLE_LETTERS: usize = 5;
/// The similarity of one syllable in two romanizations.
const SYLLABLE_SIMILARITY: f32 = 0.85;

/// A leading و is w in Walid but the vowel of Ould and Osman: across scripts, a skeleton
/// that starts with v may meet one that starts where it ends.
fn same_but_leading_waw(a: &WordView<'_>, b: &WordView<'_>) -> bool {
    fn meets(waw_led: &WordView<'_>, vowel_led: &WordView<'_>) -> bool {
        waw_led.folded.starts_with('v')
            && starts_with_vowel(vowel_led.folded)
            && waw_led.skeleton.strip_prefix('v') == Some(vowel_led.skeleton)
    }
    meets(a, b) || meets(b, a)
}

/// Arabic script writes a word's first vowel with one letter (alif or ain) whatever the
/// vowel is, so across scripts Umar and عمر (amr) start alike.
fn starts_with_vowel(word: &str) -> bool {
    matches!(word.as_bytes().first(), Some(b'a' | b'e' | b'i' | b'o' | b'u'))
}

/// The length from which one vowel more or less is only a spelling.
const ONE_VOWEL_MIN_LETTERS: f32 = 5.0;
/// The similarity from which an alike pair counts as corroborating, like an equal one.
const CORROBORATED_SIMILARITY: f32 = 0.92;

/// Typos allowed by length, as search engines do: none below 4 letters, one up to 5,
/// two beyond (Damerau: a transposition is one edit).
fn allowed_edits(a: &str, b: &str) -> usize {
    let same_first = a.as_bytes().first() == b.as_bytes().first();
    match a.len().min(b.len()) {
        0..=2 => 0,
        // A three-letter word may lose or gain one letter (Dour / Daour), nothing else.
        3 => usize::from(same_first && a.len() != b.len()),
        4..=5 => 1,
        _ => 2,
    }
}

/// The similarity of two words `edits` apart, if that is within what their length
/// allows. Each edit costs a share of the longer word, so one slip in a long word costs
/// less than in a short one.
fn edit_similarity(a: &str, b: &str, edits: usize, allowed: usize) -> Option<f32> {
    if edits > allowed {
        return None;
    }
    let longer = a.len().max(b.len()) as f32;
    let similarity = 1.0 - 0.8 * edits as f32 / longer;
    // Same first letter: most typos keep it; most different names of one length do not.
    let same_first = a.as_bytes().first() == b.as_bytes().first();
    let first_letter_bonus = if same_first { 0.02 } else { -0.04 };
    Some((similarity + first_letter_bonus).min(0.97))
}

/// The word without an attached Arabic article ("alnusra" gives "nusra").
pub fn strip_article(word: &str) -> Option<&str> {
    ["al", "il", "ul"].iter().find_map(|article| word.strip_prefix(article)).filter(|rest| rest.len() >= 3)
}

/// Whether every word of substance in the query meets, outright or nearly, a word of one
/// of `names` (the names of one entity). A query that an entity's names hold between
/// them ("NAEEM, Umair" against "SHEIKH, Umair Naeem" and its aliases) is that entity's
/// more often than a query with a word no name of it holds. The similarity of query word
/// `qi` and word `j` of name `k` is given by the caller, and must equal `word_similarity`
/// of the two: resolve remembers it across a query's names, and the names an entity is
/// checked with were mostly scored.
pub fn covered_by(
    query: &[WordView<'_>],
    names: &[Vec<WordView<'_>>],
    mut pair_similarity: impl FnMut(usize, usize, usize) -> Option<(f32, Rule)>,
) -> bool {
    // Muhammad is the given name of so many that an entity holding it proves nothing:
    // "ISHAQ, Mohammed" is not every Ishaq with a Mohammad among his names.
    let substance: Vec<usize> =
        (0..query.len()).filter(|&qi| !is_minor(&query[qi]) && !is_compound_given_prefix(query[qi].folded)).collect();
    substance.len() >= COVERED_MIN_WORDS
        && substance.iter().all(|&qi| {
            names
                .iter()
                .enumerate()
                .any(|(k, name)| (0..name.len()).any(|j| meets_nearly(&query[qi], pair_similarity(qi, k, j))))
        })
}

/// Fewest words of substance a query needs before coverage says anything.
const COVERED_MIN_WORDS: usize = 2;

/// Equal, or different only as spellings of one word are: `similarity` is the query
/// word's with a name word.
fn meets_nearly(query: &WordView<'_>, similarity: Option<(f32, Rule)>) -> bool {
    similarity.is_some_and(|(similarity, rule)| match rule {
        Rule::Equal | Rule::Equivalent | Rule::Article | Rule::Plural | Rule::Derived => true,
        // Two consonants across scripts are too little: "City" meets الكويت (kt).
        Rule::Consonants => query.skeleton.len() >= 3,
        Rule::Skeleton | Rule::Edit | Rule::Syllable => similarity >= 0.9,
        Rule::Joined | Rule::Prefix | Rule::Initial | Rule::Initials => false,
    })
}

/// What a name's entity is, as far as aligning its words cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A person: the rules for the structure of people's names apply.
    Person,
    /// A place: a word more is another entity ("Kuwait City", "South Sudan Oil"), never a
    /// part of the name left out.
    Place,
    /// Anything else.
    Other,
}

impl NameKind {
    /// The kind of a name of an entity of type `kind`.
    pub fn of(kind: EntityType) -> NameKind {
        match kind {
            EntityType::Person => NameKind::Person,
            EntityType::Location => NameKind::Place,
            EntityType::Organization | EntityType::Vessel | EntityType::Other => NameKind::Other,
        }
    }
}

/// Aligns query words to name words and scores the alignment; `kind` turns on the rules
/// for the structure of people's and places' names.
pub fn align(query: &[WordView<'_>], name: &[WordView<'_>], kind: NameKind) -> Alignment {
    let mut scratch = AlignScratch::default();
    let score = align_with(query, name, kind, |qi, ni| word_similarity(&query[qi], &name[ni]), &mut scratch);
    Alignment { pairs: std::mem::take(&mut scratch.pairs), score }
}

/// Adjacent words joined and folded, with the skeleton, remembered across the names one
/// query is aligned with: each candidate tried the query's own runs again, and folding
/// them was most of what trying joins cost. The fold depends only on the joined
/// letters, so they are the key; a run of words the index knows is keyed by their ids
/// instead, which spell the same letters: hashing and comparing the joined string, on
/// a table of tens of thousands of entries, was a cache miss and a `memcmp` per lookup.
#[derive(Debug, Default)]
struct JoinedWords {
    /// The joined letters to their entry in `folds`: one lookup finds a remembered fold
    /// (a map to the folds themselves was asked twice, to test and then to read).
    index: rustc_hash::FxHashMap<String, u32>,
    /// The ids of a run of known words (`NO_WORD` after a shorter run's last) to their
    /// entry in `folds`. Ids are one index's: `by_ids_of` says whose.
    by_ids: rustc_hash::FxHashMap<RunIds, u32>,
    /// The [`IndexStamp`] of the index whose ids key `by_ids`.
    by_ids_of: IndexStamp,
    /// Each remembered fold and its skeleton.
    folds: Vec<(String, String)>,
    key: String,
}

/// The word ids of a run of up to [`JOINED_SPAN_MAX`] adjacent words, `NO_WORD` past its
/// end.
pub type RunIds = [u32; JOINED_SPAN_MAX];

/// Which index word ids come from: no two indexes built in one process share one, so ids
/// remembered against one are never read against another (a thread keeps its scratch
/// across matchers).
pub type IndexStamp = u64;

/// The ids of `facts`' words when the index knows every one of them (none without an id).
pub fn run_ids<'f>(facts: impl ExactSizeIterator<Item = &'f WordFacts>) -> Option<RunIds> {
    let mut ids = [NO_WORD; JOINED_SPAN_MAX];
    for (slot, facts) in ids.iter_mut().zip(facts) {
        if !facts.known || facts.id == NO_WORD {
            return None;
        }
        *slot = facts.id;
    }
    Some(ids)
}

impl JoinedWords {
    /// `fold::fold_word` of `words` joined, and its skeleton; `ids` are the words' ids when
    /// the index knows them all ([`run_ids`]).
    fn get(&mut self, words: &[&str], ids: Option<RunIds>) -> (&str, &str) {
        let remembered = match ids {
            Some(ids) => self.by_ids.get(&ids).copied(),
            None => {
                self.spell_key(words);
                self.index.get(self.key.as_str()).copied()
            }
        };
        let entry = match remembered {
            Some(entry) => entry as usize,
            None => self.remember(words, ids),
        };
        let (joined, skeleton) = &self.folds[entry];
        (joined, skeleton)
    }

    /// Folds `words` joined and remembers the fold under `ids`, or under the joined
    /// letters when there are none; its entry.
    fn remember(&mut self, words: &[&str], ids: Option<RunIds>) -> usize {
        self.spell_key(words);
        let joined = fold::fold_word(&self.key);
        let skeleton = fold::skeleton(&joined);
        self.folds.push((joined, skeleton));
        let entry = self.folds.len() - 1;
        match ids {
            Some(ids) => self.by_ids.insert(ids, entry as u32),
            None => self.index.insert(self.key.clone(), entry as u32),
        };
        entry
    }

    /// Spells `words` joined into `key`, the letters a fold is made of and, for a run
    /// without ids, remembered by.
    fn spell_key(&mut self, words: &[&str]) {
        self.key.clear();
        words.iter().for_each(|word| self.key.push_str(word));
    }

    /// Makes the ids of the index stamped `stamp` the ones `by_ids` is keyed by.
    fn serve(&mut self, stamp: IndexStamp) {
        if self.by_ids_of != stamp {
            self.by_ids.clear();
            self.by_ids_of = stamp;
        }
    }

    /// How many folds are remembered.
    fn len(&self) -> usize {
        self.folds.len()
    }

    /// Forgets every fold.
    fn clear(&mut self) {
        self.index.clear();
        self.by_ids.clear();
        self.folds.clear();
    }
}

/// What [`align_with`] works in, kept across the names one query is aligned with: the
/// joined-word folds, and buffers that would otherwise be allocated for every candidate
/// (a query scores up to 16 names, and the allocator was a tenth of scoring them).
#[derive(Debug, Default)]
pub struct AlignScratch {
    joins: JoinedWords,
    initials: InitialLetters,
    query_used: Vec<bool>,
    name_used: Vec<bool>,
    options: Vec<PairOption>,
    pairs: Vec<WordPair>,
}

impl AlignScratch {
    /// `fold::fold_word` of adjacent words joined, and its skeleton, remembered for the
    /// names this scratch serves: the candidate stage looks up the query's adjacent words
    /// joined, and aligning its candidates folds the same runs again.
    /// `ids` are the words' ids in the index this scratch serves ([`AlignScratch::serve`]),
    /// when it knows them all ([`run_ids`]).
    pub fn joined(&mut self, words: &[&str], ids: Option<RunIds>) -> (&str, &str) {
        self.joins.get(words, ids)
    }

    /// Makes the index stamped `stamp` the one whose word ids the views aligned next
    /// carry: joined words remembered by another index's ids are forgotten.
    pub fn serve(&mut self, stamp: IndexStamp) {
        self.joins.serve(stamp);
    }

    /// Forgets the remembered joined words once there are more than `limit`, and the
    /// remembered initials likewise: a scratch kept across many queries stays bounded.
    pub fn bound_joins(&mut self, limit: usize) {
        if self.joins.len() > limit {
            self.joins.clear();
        }
        if self.initials.answers.len() > limit {
            self.initials.answers.clear();
        }
    }
}

/// `fold::initial_stands_for` of a letter and a word, remembered across the names one
/// query is aligned with and across the thread's queries: initials are tried from every
/// start of the other side's words, so the same letter meets the same word again and
/// again (the query's words for each candidate, a candidate's common words for each
/// query), and a miss walks every letter group (about 670 instructions a call, callgrind).
/// Only the answers are kept, so the rule stays `initial_stands_for`'s alone.
#[derive(Debug, Default)]
struct InitialLetters {
    /// The letter as a char, then the word: to `initial_stands_for`'s answer. The letter
    /// is one char, so no two (letter, word) pairs share a key.
    answers: rustc_hash::FxHashMap<String, bool>,
    key: String,
}

impl InitialLetters {
    /// `fold::initial_stands_for(initial, folded)`.
    fn stand_for(&mut self, initial: u8, folded: &str) -> bool {
        // Most words answer by their first letter, cheaper than building the key.
        if let Some(answer) = fold::initial_stands_for_by_first_letter(initial, folded) {
            return answer;
        }
        self.key.clear();
        self.key.push(char::from(initial));
        self.key.push_str(folded);
        if let Some(&answer) = self.answers.get(self.key.as_str()) {
            return answer;
        }
        let answer = fold::initial_stands_for(initial, folded);
        self.answers.insert(self.key.clone(), answer);
        answer
    }
}

/// The score of [`align`], with the similarity of query word `qi` and name word `ni`
/// given by the caller, which must equal `word_similarity` of the two: resolve remembers
/// it across the candidates of one query, which share many words. `scratch` is meant to
/// be reused for all of one query's names; [`align`] reads the pairs out of it. Views
/// with known facts must carry the ids of the index `scratch` serves
/// ([`AlignScratch::serve`]).
pub fn align_with(
    query: &[WordView<'_>],
    name: &[WordView<'_>],
    kind: NameKind,
    pair_similarity: impl FnMut(usize, usize) -> Option<(f32, Rule)>,
    scratch: &mut AlignScratch,
) -> f32 {
    align_unless_below(query, name, kind, pair_similarity, scratch, f32::NEG_INFINITY).unwrap_or_default()
}

/// [`align_with`]'s score, or `None` when it is surely below `below`: once the words are
/// paired, the Dice coefficient bounds the score (every factor after it is at most 1,
/// and the lift for a person's structure raises a score monotonically), so the factors
/// (about a quarter of aligning a name, callgrind) are left uncomputed for a name that
/// cannot reach `below`.
pub fn align_unless_below(
    query: &[WordView<'_>],
    name: &[WordView<'_>],
    kind: NameKind,
    mut pair_similarity: impl FnMut(usize, usize) -> Option<(f32, Rule)>,
    scratch: &mut AlignScratch,
    below: f32,
) -> Option<f32> {
    let person = kind == NameKind::Person;
    let AlignScratch { joins, initials, query_used, name_used, options, pairs } = scratch;
    reset(query_used, query.len());
    reset(name_used, name.len());
    pairs.clear();
    options.clear();
    let mut short_forms = false;
    for (qi, q) in query.iter().enumerate() {
        for (ni, n) in name.iter().enumerate() {
            if let Some((similarity, rule)) = pair_similarity(qi, ni) {
                short_forms |= rule == Rule::Prefix;
                options.push((similarity * (q.weight + n.weight), qi, ni, similarity, rule));
            }
        }
    }
    // Heaviest evidence first; ties by position so the result never depends on order
    // (no two options share a position, so an unstable sort orders them alike).
    options.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    pair_greedily(options, query_used, name_used, pairs, false);
    // Joins are tried on what is left: most names pair word for word, and joining is
    // the costly step (it folds every adjacent pair).
    if query_used.contains(&false) && name_used.contains(&false) {
        joined_pairs(query, name, query_used, name_used, joins, pairs);
    }
    // People's names are not abbreviated to their initials in one word.
    if !person && query_used.contains(&false) && name_used.contains(&false) {
        initials_pairs(query, name, query_used, name_used, initials, pairs);
    }
    // Short forms last: "Gold" starts "Goldmines", but "Gold Mines" joined is the word.
    if short_forms {
        pair_greedily(options, query_used, name_used, pairs, true);
    }
    // Each query word is in one pair at most, so no two pairs share a key.
    pairs.sort_unstable_by_key(|p| (p.query, p.name));
    let paired = Paired { query: query_used, name: name_used };
    // Counted once: the Dice denominator and the corroboration factor both read it.
    let corroborating = pairs.iter().filter(|p| corroborates(p)).count();
    let forgives_unpaired = corroborating > 0 && kind != NameKind::Place;
    let share = dice(query, name, pairs, &paired, forgives_unpaired);
    let ceiling = if person { share.max(lifted_by_structure(share)) } else { share };
    if ceiling < below {
        return None;
    }
    let mut score = share
        * number_agreement(query, name)
        * legal_form_agreement(query, name)
        * order_agreement(pairs)
        * corroboration(corroborating, pairs.len())
        * family_name_agreement(query, name, pairs, &paired);
    // A legal form names a company: "Gorge Limited" is no person George.
    if person && query.iter().any(|w| w.class == WordClass::LegalForm) {
        score *= LEGAL_FORM_ON_PERSON;
    }
    if person && same_person(query, name, pairs, &paired) {
        score = score.max(lifted_by_structure(score));
    }
    Some(score)
}

/// A word pair that may be made: (its evidence, query word, name word, similarity, rule).
type PairOption = (f32, usize, usize, f32, Rule);

/// Pairs still-free words along `options`, heaviest first: the short forms only, or
/// everything but them.
fn pair_greedily(
    options: &[PairOption],
    query_used: &mut [bool],
    name_used: &mut [bool],
    pairs: &mut Vec<WordPair>,
    short_forms: bool,
) {
    for &(_, qi, ni, similarity, rule) in options {
        if (rule == Rule::Prefix) == short_forms && !query_used[qi] && !name_used[ni] {
            query_used[qi] = true;
            name_used[ni] = true;
            pairs.push(WordPair::one_to_one(qi, ni, similarity, rule));
        }
    }
}

/// `flags` as `len` unset flags, reusing its memory.
fn reset(flags: &mut Vec<bool>, len: usize) {
    flags.clear();
    flags.resize(len, false);
}

/// "Al Qaeda" against "Alqaeda", "Abu Bakr" against "Abubakr": two words joined; "Chong
/// Chon Gang" against "Chongchongang": a name written syllable by syllable.
fn joined_pairs(
    query: &[WordView<'_>],
    name: &[WordView<'_>],
    query_used: &mut [bool],
    name_used: &mut [bool],
    joins: &mut JoinedWords,
    pairs: &mut Vec<WordPair>,
) {
    for span in JOINED_SPANS {
        join_run_to_one(query, name, span, query_used, name_used, joins, |i, j| {
            pairs.push(WordPair::joined(i, j, span as u8, 1));
        });
        join_run_to_one(name, query, span, name_used, query_used, joins, |i, j| {
            pairs.push(WordPair::joined(j, i, 1, span as u8));
        });
    }
}

/// How many adjacent words may be joined into one: two, or three syllables.
pub const JOINED_SPANS: [usize; 2] = [2, JOINED_SPAN_MAX];
/// The most adjacent words joined into one: three syllables.
pub const JOINED_SPAN_MAX: usize = 3;

/// The folds of a run of adjacent words, gathered into `slots` (no allocation: every
/// name is aligned with a join tried), when they may join as the syllables of one name
/// do: two words join freely, three only when each is a syllable of at most five letters.
pub fn joinable_run<'s, 'w>(
    slots: &'s mut [&'w str; JOINED_SPAN_MAX],
    run: impl ExactSizeIterator<Item = &'w str>,
) -> Option<&'s [&'w str]> {
    let span = run.len();
    slots.iter_mut().zip(run).for_each(|(slot, word)| *slot = word);
    let folds = &slots[..span];
    (span == 2 || folds.iter().all(|w| w.len() <= SYLLABLE_LETTERS)).then_some(folds)
}

/// Calls `found` with (i, j) where the `span` words of `run` from i on, joined, equal word
/// j of `one`.
fn join_run_to_one(
    run: &[WordView<'_>],
    one: &[WordView<'_>],
    span: usize,
    run_used: &mut [bool],
    one_used: &mut [bool],
    joins: &mut JoinedWords,
    mut found: impl FnMut(usize, usize),
) {
    let mut slots = [""; JOINED_SPAN_MAX];
    for i in 0..(run.len() + 1).saturating_sub(span) {
        if run_used[i..i + span].contains(&true) {
            continue;
        }
        let Some(folds) = joinable_run(&mut slots, run[i..i + span].iter().map(|w| w.folded)) else {
            continue;
        };
        // Folding changes a length by a few letters at most: skip the work when no word
        // of the other side could be the run joined.
        let joined_len: usize = folds.iter().map(|w| w.len()).sum();
        if !(0..one.len()).any(|j| !one_used[j] && one[j].folded.len().abs_diff(joined_len) <= 3) {
            continue;
        }
        let (joined, joined_skeleton) = joins.get(folds, run_ids(run[i..i + span].iter().map(|w| &w.facts)));
        // Across scripts the joined word meets on consonants: رحمت الله / Rahmatullah.
        let abjad = run[i].abjad || one.first().is_some_and(|w| w.abjad);
        let similar_length = |w: &WordView<'_>| w.folded.len().abs_diff(joined.len()) <= 2;
        // Between Latin spellings the vowels are evidence too: one slip at most (Qolam Reza
        // / Gholamreza, Alzrooni / Al Zarooni), not another word (Services / Sierra Gas).
        let one_slip = |w: &WordView<'_>| edit::osa_distance(w.folded.as_bytes(), joined.as_bytes()) <= 1;
        let meets = |w: &WordView<'_>| {
            w.folded == joined
                || (joined_skeleton.len() >= 3
                    && w.skeleton == joined_skeleton
                    && if abjad { similar_length(w) } else { one_slip(w) })
        };
        if let Some(j) = (0..one.len()).find(|&j| !one_used[j] && meets(&one[j])) {
            run_used[i..i + span].iter_mut().for_each(|used| *used = true);
            one_used[j] = true;
            found(i, j);
        }
    }
}

/// "MSP Kala Naft" against "Manufacturing, Support and Procurement Kala Naft", "MIC NPO
/// Mashinostroyenia" against "Military Industrial Corporation NPO Mashinostroyenia": a
/// word of one side that is the initials of a run of the other's words, in order (stop
/// words inside the run are part of it but give no letter).
fn initials_pairs(
    query: &[WordView<'_>],
    name: &[WordView<'_>],
    query_used: &mut [bool],
    name_used: &mut [bool],
    initials: &mut InitialLetters,
    pairs: &mut Vec<WordPair>,
) {
    initials_of_runs(query, name, query_used, name_used, initials, |i, j, span| {
        pairs.push(WordPair::initials(i, j, 1, span));
    });
    initials_of_runs(name, query, name_used, query_used, initials, |i, j, span| {
        pairs.push(WordPair::initials(j, i, span, 1));
    });
}

/// Fewest letters a word needs to be taken for initials: two-letter words are
/// particles and legal forms far more often (al, de, SA).
const INITIALS_MIN_LETTERS: usize = 3;
/// Most letters: longer words are words.
const INITIALS_MAX_LETTERS: usize = 6;

/// Calls `found` with (i, j, span) where word i of `short` is the initials of the `span`
/// words of `long` from j on; both marked paired.
fn initials_of_runs(
    short: &[WordView<'_>],
    long: &[WordView<'_>],
    short_used: &mut [bool],
    long_used: &mut [bool],
    initials: &mut InitialLetters,
    mut found: impl FnMut(usize, usize, u8),
) {
    // Initials need as many free words to stand for: most names have too few left, and
    // this spares trying every run.
    let free = long_used.iter().filter(|used| !**used).count();
    for (i, word) in short.iter().enumerate() {
        let letters = word.folded.as_bytes();
        if short_used[i]
            || !(INITIALS_MIN_LETTERS..=INITIALS_MAX_LETTERS.min(free)).contains(&letters.len())
            || !matches!(word.class, WordClass::Content)
            || word.abjad
            || !letters.iter().all(u8::is_ascii_lowercase)
        {
            continue;
        }
        let found_run = (0..long.len()).find_map(|start| run_with_initials(long, long_used, start, letters, initials));
        if let Some((start, span)) = found_run {
            short_used[i] = true;
            long_used[start..start + span].iter_mut().for_each(|used| *used = true);
            found(i, start, span as u8);
        }
    }
}

/// The run of `words` from `start` whose words of substance give `letters` as initials,
/// stop words between them skipped: (start, length).
fn run_with_initials(
    words: &[WordView<'_>],
    used: &[bool],
    start: usize,
    letters: &[u8],
    initials: &mut InitialLetters,
) -> Option<(usize, usize)> {
    let mut next = 0;
    for (offset, word) in words[start..].iter().enumerate() {
        let at = start + offset;
        if used[at] || word.abjad || word.numeral {
            return None;
        }
        if word.class == WordClass::Stop {
            // A run starts and ends on a word that gives a letter.
            if next == 0 {
                return None;
            }
            continue;
        }
        if !initials.stand_for(letters[next], word.folded) {
            return None;
        }
        next += 1;
        if next == letters.len() {
            return Some((start, offset + 1));
        }
    }
    None
}

/// `forgives_unpaired`: see [`total_weight`].
fn dice(
    query: &[WordView<'_>],
    name: &[WordView<'_>],
    pairs: &[WordPair],
    paired: &Paired<'_>,
    forgives_unpaired: bool,
) -> f32 {
    let total = total_weight(query, name, paired, forgives_unpaired);
    if total <= 0.0 {
        return 0.0;
    }
    let matched: f32 = pairs.iter().map(|pair| pair.similarity * pair_weight(query, name, pair)).sum();
    // Nothing paired scores 0, not the -0.0 an empty sum starts from (which answers
    // printed as "-0.0" and `total_cmp` ranked below 0).
    if matched <= 0.0 {
        return 0.0;
    }
    (matched / total).min(1.0)
}

/// The weights of one side of an alignment, each summed in word order from -0.0 as
/// `Iterator::sum` does: all its words, those left unpaired, those of substance left
/// unpaired, and how many words weigh as substance. One pass over the words: five
/// passes per side (filters and sums through closures) were a fifth of aligning a name.
struct SideWeights {
    all: f32,
    left: f32,
    substance_left: f32,
    substantial: usize,
}

impl SideWeights {
    fn of(words: &[WordView<'_>], paired: &[bool]) -> SideWeights {
        let mut side = SideWeights { all: -0.0, left: -0.0, substance_left: -0.0, substantial: 0 };
        for (i, word) in words.iter().enumerate() {
            side.all += word.weight;
            side.substantial += usize::from(word.weight >= SUBSTANTIAL_WEIGHT);
            // A word past the flags (none, as the aligner keeps them) counts as paired.
            if paired.get(i) == Some(&false) {
                side.left += word.weight;
                if !is_minor(word) {
                    side.substance_left += word.weight;
                }
            }
        }
        side
    }
}

/// Both sides' weight; when every word of one side found a partner, the other side's
/// unpaired words (a middle name, a patronymic, a city) count half: a name written in
/// full is the same name as its short form more often than not. That holds only when a
/// word of the short form is the long form's outright: two words merely like two of five
/// ("Kolya Kyrgyz" / "Gorgeous Bank of North Korea") are a coincidence; and never for a
/// place, whose name with a word more names something else. `forgives_unpaired` says
/// both hold.
fn total_weight(query: &[WordView<'_>], name: &[WordView<'_>], paired: &Paired<'_>, forgives_unpaired: bool) -> f32 {
    let (query, name) = (SideWeights::of(query, paired.query), SideWeights::of(name, paired.name));
    // A side counts as fully paired when what it left unpaired is only particles, legal
    // forms or titles ("Port of Yalta" against "Yalta Sea Port"). A one-word name covered
    // by a longer one proves little (a surname, a brand): only a side with two or more
    // words of substance earns the discount.
    let discount = |left: f32, other: &SideWeights| {
        if forgives_unpaired && other.substance_left <= 0.0 && other.substantial >= 2 {
            left * UNPAIRED_DISCOUNT
        } else {
            0.0
        }
    };
    query.all + name.all - discount(query.left, &name) - discount(name.left, &query)
}

/// A word that says little about which entity a name means: an article or other stop
/// word, a legal form, a title. Generic words (International, Group) are not minor here:
/// "Okcoffee International" and "Okcoffee Colombia" are two branches.
fn is_minor(word: &WordView<'_>) -> bool {
    !matches!(word.class, WordClass::Content | WordClass::Generic)
}

/// Weight from which a word counts as substance rather than a particle or legal form.
const SUBSTANTIAL_WEIGHT: f32 = 1.0;

/// The share of an unpaired word's weight forgiven when the other name is fully paired.
const UNPAIRED_DISCOUNT: f32 = 0.5;
/// The factor for a family name without a partner.
const FAMILY_NAME_MISMATCH: f32 = 0.75;
/// How much of the score rests on pairs being equal outright rather than merely alike.
const CORROBORATION: f32 = 0.15;

/// The weight of the words a pair covers, on both sides.
fn pair_weight(query: &[WordView<'_>], name: &[WordView<'_>], pair: &WordPair) -> f32 {
    // Summed from -0.0 in word order, as `Iterator::sum` would.
    let span = |words: &[WordView<'_>], start: usize, len: u8| -> f32 {
        let end = (start + usize::from(len)).min(words.len());
        words.get(start..end).unwrap_or_default().iter().fold(-0.0, |sum, w| sum + w.weight)
    };
    span(query, pair.query, pair.query_span) + span(name, pair.name, pair.name_span)
}

/// Numbers that disagree mean different entities (unit 46B vs 64E, vessel "No. 3").
fn number_agreement(query: &[WordView<'_>], name: &[WordView<'_>]) -> f32 {
    // Most names hold no number: nothing to gather then.
    if !query.iter().any(|w| w.numeral) || !name.iter().any(|w| w.numeral) {
        return 1.0;
    }
    let (q, n) = (numbers(query), numbers(name));
    if q.is_empty() || n.is_empty() || q == n {
        1.0
    } else {
        0.5
    }
}

/// Two legal forms with nothing in common (JSC / LLC, GmbH / AG) are two registrations,
/// often sister companies of one name; a form on one side only says nothing.
fn legal_form_agreement(query: &[WordView<'_>], name: &[WordView<'_>]) -> f32 {
    // Read in place rather than gathered: every scored name of a company asks this.
    fn forms<'w>(words: &'w [WordView<'_>]) -> impl Iterator<Item = &'w str> {
        words.iter().filter(|w| is_registration_form(w.folded, w.class)).map(|w| w.folded)
    }
    if forms(query).next().is_none()
        || forms(name).next().is_none()
        || forms(query).any(|f| forms(name).any(|g| g == f))
    {
        1.0
    } else {
        LEGAL_FORMS_DISAGREE
    }
}

/// The factor for legal forms that disagree.
const LEGAL_FORMS_DISAGREE: f32 = 0.93;

fn numbers<'a>(words: &[WordView<'a>]) -> Vec<&'a str> {
    let mut found: Vec<&str> = words.iter().filter(|w| w.numeral).map(|w| w.folded).collect();
    found.sort_unstable();
    found
}

/// Whether a pair's similarity corroborates as an equal word's does: at least
/// [`CORROBORATED_SIMILARITY`], less a rounding allowance (one edit in eight letters is
/// 0.92 on paper).
fn as_good_as_equal(similarity: f32) -> bool {
    similarity >= CORROBORATED_SIMILARITY - 1e-4
}

/// Whether every word of substance of one side found a partner: titles, particles and
/// legal forms may go without.
fn substance_all_paired(words: &[WordView<'_>], paired: &[bool]) -> bool {
    words.iter().zip(paired).all(|(w, &p)| p || is_minor(w))
}

/// Names whose every word is only *like* the other's (Hassan Rouhani / Hussein Rahmani)
/// are usually two people; a typo leaves the other words intact. So the score keeps its
/// full value only in the share of pairs that are equal (or equivalent) outright:
/// `corroborating` ([`corroborates`]) of `pairs`.
fn corroboration(corroborating: usize, pairs: usize) -> f32 {
    if pairs == 0 {
        return 1.0;
    }
    1.0 - CORROBORATION + CORROBORATION * (corroborating as f32 / pairs as f32)
}

/// Whether a pair is equal (or equivalent) outright rather than merely alike. A vowel or
/// a letter apart in a long word (Zaldastanov / Zaldostanov) is as good as equal.
fn corroborates(pair: &WordPair) -> bool {
    !matches!(pair.rule, Rule::Edit | Rule::Skeleton | Rule::Syllable | Rule::Prefix | Rule::Initial)
        || as_good_as_equal(pair.similarity)
}

/// A family name that finds no partner is strong evidence of another person: "BAZZI,
/// Mohammad Ibrahim" is not "IBRAHIM, Muhammad", though every given name agrees.
fn family_name_agreement(
    query: &[WordView<'_>],
    name: &[WordView<'_>],
    pairs: &[WordPair],
    paired: &Paired<'_>,
) -> f32 {
    // A title written where the family name goes ("SHEIKH, Umair Naeem") is no family name.
    let unpaired_family = |words: &[WordView<'_>], paired: &[bool]| {
        let mut family = words.iter().zip(paired).filter(|(w, _)| w.surname && !is_minor(w)).peekable();
        family.peek().is_some() && !family.any(|(_, &p)| p)
    };
    // Both written "FAMILY, Given": the family names must meet each other.
    let families_apart = query.iter().any(|w| w.surname && !is_minor(w))
        && name.iter().any(|w| w.surname && !is_minor(w))
        && !pairs.iter().any(|p| query[p.query].surname && name[p.name].surname);
    if families_apart || unpaired_family(query, paired.query) || unpaired_family(name, paired.name) {
        FAMILY_NAME_MISMATCH
    } else {
        1.0
    }
}

/// Two people's names aligned, as the rules for their structure read them: the words,
/// their pairs, which words found a partner, and each side's anchors ([`anchors`]).
#[derive(Clone, Copy)]
struct People<'a, 'w> {
    query: &'a [WordView<'w>],
    name: &'a [WordView<'w>],
    pairs: &'a [WordPair],
    paired: &'a Paired<'a>,
    query_anchors: [usize; 2],
    name_anchors: [usize; 2],
}

/// Whether the structure of two people's names says they are one person, by any of the
/// rules below; names without anchors (no given name after a comma) say nothing.
fn same_person(query: &[WordView<'_>], name: &[WordView<'_>], pairs: &[WordPair], paired: &Paired<'_>) -> bool {
    let (Some(query_anchors), Some(name_anchors)) = (anchors(query), anchors(name)) else {
        return false;
    };
    let people = People { query, name, pairs, paired, query_anchors, name_anchors };
    same_person_structure(&people)
        || same_person_but_second_family_name(&people)
        || same_families_and_first_given_name(&people)
        || family_name_written_as_last_given_name(&people)
}

/// A person's name is anchored by its family name and first given name ("SURNAME,
/// Given ..." or "Given ... Family"). When every word of the shorter name has a partner
/// and its anchors meet the other's anchors, the rest is middle names, patronymics and
/// second surnames that one writer kept and another dropped: Dokka Umarov is Doku
/// Khamatovich Umarov, "DIAZ, Francisco" is "DIAZ MADRIZ, Francisco Javier".
fn same_person_structure(people: &People<'_, '_>) -> bool {
    let People { query, name, pairs, paired, query_anchors, name_anchors } = *people;
    if query.len() < 2 || name.len() < 2 {
        return false;
    }
    // Titles and particles ("Shaykh", "Dr.", "de") are kept by one writer and dropped by
    // another: only the shorter name's words of substance need a partner.
    let (shorter, shorter_paired) = if query.len() <= name.len() { (query, paired.query) } else { (name, paired.name) };
    if !substance_all_paired(shorter, shorter_paired) {
        return false;
    }
    // Anchors must agree: outright, or by a close spelling (Ihor / Igor); a shared
    // skeleton may carry one anchor (Sergey / Sergiy) but not both (Marial Chan is not
    // Mireille Chahine), and an initial none.
    let anchor_pair = |q: usize| pairs.iter().find(|p| p.query == q && p.may_anchor());
    let skeleton = |q: usize| anchor_pair(q).is_some_and(|p| p.rule == Rule::Skeleton);
    let partner = |q: usize| anchor_pair(q).map(|p| p.name);
    let [query_family, query_given] = query_anchors;
    let both_comma_form = query.iter().any(|w| w.surname) && name.iter().any(|w| w.surname);
    if both_comma_form {
        // "ALI, Hassan" and "HASSAN, Ali" name different people: family meets family.
        // The given name may meet the other's first given word even when that is a title
        // ("TABATABAEI, Syed" / "TABATABA'I, Seyed Akbar"), or either side's given name
        // after a leading Muhammad ("AJILI, Sa'id" / "AJILY, Mohammed Saeed").
        let first_given = name.iter().position(|w| !w.surname);
        let name_given = [Some(name_anchors[1]), first_given, after_compound_prefix(name, name_anchors[1])];
        let family_met = partner(query_family) == Some(name_anchors[0]);
        return family_met
            && [Some(query_given), after_compound_prefix(query, query_given)].into_iter().flatten().any(|given| {
                let met = partner(given);
                met.is_some() && name_given.contains(&met) && !(skeleton(query_family) && skeleton(given))
            });
    }
    if skeleton(query_family) && skeleton(query_given) {
        return false;
    }
    let met = [partner(query_family), partner(query_given)];
    matches!(met, [Some(a), Some(b)] if a != b && name_anchors.contains(&a) && name_anchors.contains(&b))
}

/// Spanish and Portuguese names carry two family names, and the second (the mother's, or
/// a husband's after "de") is the one writers change: "JASSO SERRATOS, Oscar Arturo" is
/// "JASSO ROCHA, Oscar Arturo". Both written "FAMILY, Given", the first family names
/// meet, every given name (two at least) meets, and what is left on either side is at
/// most one later family name.
fn same_person_but_second_family_name(people: &People<'_, '_>) -> bool {
    let People { query, name, pairs, paired, query_anchors, name_anchors } = *people;
    let substance =
        |words: &[WordView<'_>], surname: bool| words.iter().filter(|w| w.surname == surname && !is_minor(w)).count();
    let double_family = substance(query, true) >= 2 && substance(name, true) >= 2;
    let given_names = substance(query, false) >= MIN_GIVEN_NAMES && substance(name, false) >= MIN_GIVEN_NAMES;
    // Only a later family name of substance may go without a partner, one on each side.
    let left_over = |words: &[WordView<'_>], paired: &[bool], family: usize| {
        let mut unpaired = words.iter().enumerate().zip(paired).filter(|((_, w), &p)| !p && !is_minor(w));
        match (unpaired.next(), unpaired.next()) {
            (None, _) => true,
            (Some(((i, w), _)), None) => w.surname && i != family,
            _ => false,
        }
    };
    let families_meet =
        pairs.iter().any(|p| p.query == query_anchors[0] && p.name == name_anchors[0] && p.may_anchor());
    double_family
        && given_names
        && families_meet
        && left_over(query, paired.query, query_anchors[0])
        && left_over(name, paired.name, name_anchors[0])
}

/// Two family names that both meet, with the first given name, pin one person down in
/// Spanish and Portuguese naming: "ZABALA PADILLA, Omar Enrique" is "ZABALA PADILLA,
/// Omar Arturo", a second given name being the one writers vary. Both written "FAMILY,
/// Given", every family name of substance on both sides (two at least) meets a family
/// name, the query's first given name meets a given name of the other, and what is left is
/// at most one given name on each side. The family names must agree outright (one
/// letter off makes "CHEAITELLY SAHELE" and "CHEAITELLY SAHELI" two branches of a
/// family), and Muhammad, shared by half of a family's men, pins down nobody.
fn same_families_and_first_given_name(people: &People<'_, '_>) -> bool {
    let People { query, name, pairs, paired, query_anchors, .. } = *people;
    let substance = |words: &[WordView<'_>], paired: &[bool], surname: bool, want_paired: bool| {
        words.iter().zip(paired).filter(|(w, &p)| w.surname == surname && !is_minor(w) && p == want_paired).count()
    };
    let families_all_meet = |words: &[WordView<'_>], paired: &[bool]| {
        substance(words, paired, true, true) >= 2 && substance(words, paired, true, false) == 0
    };
    let family_pairs_only = pairs
        .iter()
        .filter(|p| query[p.query].surname || name[p.name].surname)
        .all(|p| query[p.query].surname && name[p.name].surname && as_good_as_equal(p.similarity));
    let query_first_given = [Some(query_anchors[1]), after_compound_prefix(query, query_anchors[1])];
    let first_given_meets = pairs.iter().any(|p| {
        query_first_given.contains(&Some(p.query))
            && !query[p.query].surname
            && !name[p.name].surname
            && p.may_anchor()
            && !is_compound_given_prefix(query[p.query].folded)
    });
    families_all_meet(query, paired.query)
        && families_all_meet(name, paired.name)
        && family_pairs_only
        && first_given_meets
        && substance(query, paired.query, false, false) <= 1
        && substance(name, paired.name, false, false) <= 1
}

/// South Asian and Persian names have no fixed family name, and lists file one person
/// under several: "REHMATULLAH, Shahid Mahmood" is "MAHMOOD, Shahid", the father's name
/// filed as the family name and the family name written last among the given names.
/// Both written "FAMILY, Given": the other's family name meets the query's last given
/// name, the first given names meet (Muhammad, half of all first names, does not count),
/// every word of substance of the other has a partner, and the query has nothing left but
/// its own family name.
fn family_name_written_as_last_given_name(people: &People<'_, '_>) -> bool {
    let People { query, name, pairs, paired, query_anchors, name_anchors } = *people;
    if !query[query_anchors[0]].surname || !name[name_anchors[0]].surname {
        return false;
    }
    let last_given = (0..query.len()).rev().find(|&i| !query[i].surname && !is_minor(&query[i]));
    let meets = |q: usize, n: usize| pairs.iter().any(|p| p.query == q && p.name == n && p.may_anchor());
    let family_as_given = last_given.is_some_and(|q| q != query_anchors[1] && meets(q, name_anchors[0]));
    let first_given_meets =
        meets(query_anchors[1], name_anchors[1]) && !is_compound_given_prefix(query[query_anchors[1]].folded);
    let name_all_paired = substance_all_paired(name, paired.name);
    let query_left_only_family = query.iter().zip(paired.query).all(|(w, &p)| p || is_minor(w) || w.surname);
    family_as_given && first_given_meets && name_all_paired && query_left_only_family
}

/// The fewest given names that, all meeting, tell one person from a relative.
const MIN_GIVEN_NAMES: usize = 2;

/// The family name's first word and the first given name, by position. Written "FAMILY,
/// Given", a title or a particle anchors only where nothing else can ("AL-HAMIDAWI, Shaykh
/// 'Adnan" is anchored on Hamidawi and Adnan, "TABATABAEI, Syed" on its title); written
/// in running order, the first and last words, whatever they are (Said is a name as
/// often as a title).
fn anchors(words: &[WordView<'_>]) -> Option<[usize; 2]> {
    let first = |surname: bool| {
        let mut part = (0..words.len()).filter(|&i| words[i].surname == surname);
        part.clone().find(|&i| !is_minor(&words[i])).or_else(|| part.next())
    };
    match first(true) {
        Some(family) => first(false).map(|given| [family, given]),
        None => Some([0, words.len() - 1]),
    }
}

/// The given name after a leading Muhammad ("AJILY, Mohammed Saeed" gives Saeed): writers
/// who drop the Muhammad of a compound given name anchor the name there.
fn after_compound_prefix(words: &[WordView<'_>], given: usize) -> Option<usize> {
    // Any given word, even one read as a title: Saeed folds to Sayed.
    let next = words.get(given + 1).filter(|w| !w.surname)?;
    (is_compound_given_prefix(words[given].folded) && next.class != WordClass::Stop).then_some(given + 1)
}

/// The least similarity of two words that anchor one person: a slip that keeps the first
/// letter (Ihor / Igor, 0.82) anchors, one that changes it (Khalid / Walid, 0.80) does not.
const ANCHOR_SIMILARITY: f32 = 0.81;

/// The factor for a query with a legal form scored against a person's name.
const LEGAL_FORM_ON_PERSON: f32 = 0.8;

/// The floor a structurally matching person's name is lifted toward: its score becomes
/// `STRUCTURE_BASE + (1 - STRUCTURE_BASE) * score`.
const STRUCTURE_BASE: f32 = 0.6;

/// A person's score lifted by a structure that agrees: monotonic in `score`, so the
/// lift of a bound bounds the lift.
fn lifted_by_structure(score: f32) -> f32 {
    STRUCTURE_BASE + (1.0 - STRUCTURE_BASE) * score
}

/// A small cost for words out of order, so that among equals the same order wins.
fn order_agreement(pairs: &[WordPair]) -> f32 {
    let inversions = pairs.windows(2).filter(|w| w[1].name < w[0].name).count();
    if inversions == 0 {
        1.0
    } else {
        0.99
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::words::class_of_folded;
    use crate::normalize::{analyze, fold};

    fn words(text: &str) -> (Vec<String>, Vec<String>) {
        let folded = analyze(text).folded;
        let skeletons = folded.iter().map(|w| fold::skeleton(w)).collect();
        (folded, skeletons)
    }

    fn score(a: &str, b: &str) -> f32 {
        let (a_words, b_words) = (words(a), words(b));
        align(&views(&a_words), &views(&b_words), NameKind::Other).score
    }

    fn views(words: &(Vec<String>, Vec<String>)) -> Vec<WordView<'_>> {
        let (folded, skeletons) = words;
        folded
            .iter()
            .zip(skeletons)
            .map(|(f, s)| WordView {
                folded: f,
                skeleton: s,
                weight: class_of_folded(f).weight(),
                class: class_of_folded(f),
                group: None,
                abjad: false,
                surname: false,
                numeral: fold::is_numeral(f),
                facts: WordFacts::UNKNOWN,
            })
            .collect()
    }

    #[test]
    fn aligning_unless_below_gives_the_score_or_says_it_is_below() {
        let names = [
            "Karim Haddad",
            "HADDAD, Karim",
            "Haddad Trading LLC",
            "Karim Haddad Al Masri",
            "Abu Bakr",
            "Abubakr Holding",
            "Meridian Shipping Co",
            "MSC",
            "Mediterranean Shipping Company",
            "Sea Falcon I",
        ];
        for a in names {
            for b in names {
                let (a_words, b_words) = (words(a), words(b));
                let (a_views, b_views) = (views(&a_words), views(&b_words));
                for kind in [NameKind::Other, NameKind::Person, NameKind::Place] {
                    let score = align(&a_views, &b_views, kind).score;
                    for below in [0.0, 0.3, 0.5, 0.7, 0.9, 1.0, 1.1] {
                        let mut scratch = AlignScratch::default();
                        let similarity = |qi: usize, ni: usize| word_similarity(&a_views[qi], &b_views[ni]);
                        match align_unless_below(&a_views, &b_views, kind, similarity, &mut scratch, below) {
                            Some(found) => assert_eq!(found, score, "{a} / {b}"),
                            None => assert!(score < below, "{a} / {b}: {score} is not below {below}"),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn equal_after_folding_scores_one() {
        assert!((score("Aknaf Beit al-Makdis", "Aknaf Bayt al-Maqdis") - 1.0).abs() < 1e-6);
    }

    #[test]
    fn names_with_nothing_in_common_score_a_positive_zero() {
        let nothing = score("Aknaf Beit al-Makdis", "Wolverine Holdings");
        assert_eq!(nothing.to_bits(), 0.0_f32.to_bits(), "{nothing:?}");
    }

    #[test]
    fn word_order_costs_almost_nothing() {
        assert!(score("Nusra Front, al-", "al-Nusra Front") > 0.98);
    }

    #[test]
    fn a_typo_in_one_word_scores_high_but_below_one() {
        let s = score("Aktaf Bait al-Maqdis", "Aknaf Bayt al-Maqdis");
        assert!(s > 0.8 && s < 1.0, "{s}");
    }

    /// The rule that pairs two one-word names, if any.
    fn rule_of_pair(a: &str, b: &str) -> Option<Rule> {
        let (a, b) = (words(a), words(b));
        word_similarity(&views(&a)[0], &views(&b)[0]).map(|(_, rule)| rule)
    }

    #[test]
    fn unpaired_words_are_forgiven_only_beside_an_equal_word() {
        // Two words merely like two of five: a coincidence, not a short form.
        let coincidence = score("Kolya Kyrgyz", "Gorgeous Bank of North Korea");
        // The same shape with one word equal outright: a short form.
        let short_form = score("Kolya Kyrgyz", "Kolya Kyrgiz Bank of North Korea");
        let typo_only = score("Kolya Kyrgyz", "Kolyo Kyrgaz Bank of North Korea");
        // Forgiving half the unpaired weight would lift both to 0.54-0.56.
        assert!(coincidence < 0.5, "{coincidence}");
        assert!(typo_only < 0.5, "{typo_only}");
        assert!(short_form > 0.7, "{short_form}");
    }

    #[test]
    fn different_given_names_score_low() {
        assert!(score("Hassan Rouhani", "Hussein Rahmani") < 0.8);
    }

    #[test]
    fn one_korean_syllable_in_two_romanizations_pairs() {
        let pair = rule_of_pair;
        assert_eq!(pair("Chong", "Jong"), Some(Rule::Syllable));
        assert_eq!(pair("Pang", "Bang"), Some(Rule::Syllable));
        assert_eq!(
            pair("Cho", "Jo"),
            Some(Rule::Syllable),
            "two letters are not folded, their vowels are compared folded"
        );
        assert_ne!(pair("Taesong", "Daesong"), Some(Rule::Syllable), "only one syllable");
        assert_ne!(pair("Song", "Sang"), Some(Rule::Syllable), "another vowel is another syllable");
        assert!(score("Paek Chong Sam", "Paek Jong Sam") > 0.85);
    }

    #[test]
    fn a_noun_and_its_plural_pair_but_a_name_ending_in_a_vowel_and_s_does_not() {
        let rule = rule_of_pair;
        assert_eq!(rule("Pearl", "Pearls"), Some(Rule::Plural));
        assert_eq!(rule("Informatics", "Informatic"), Some(Rule::Plural));
        assert_ne!(rule("Ilya", "Ilyas"), Some(Rule::Plural));
        assert_ne!(rule("Hama", "Hamas"), Some(Rule::Plural));
        assert_ne!(rule("Pear", "Pearls"), Some(Rule::Plural));
        assert!(score("Royal Pearls Trading", "Royal Pearl Trading") > 0.95);
    }

    #[test]
    fn two_forms_of_one_word_pair_but_a_name_and_its_ending_do_not() {
        let rule = rule_of_pair;
        assert_eq!(rule("Charity", "Charitable"), Some(Rule::Derived));
        assert_eq!(rule("Managing", "Management"), Some(Rule::Derived));
        assert_eq!(rule("Industry", "Industrial"), Some(Rule::Derived));
        assert_eq!(rule("Economy", "Economic"), Some(Rule::Derived));
        assert_eq!(rule("Metallurgy", "Metallurgical"), Some(Rule::Derived));
        assert_ne!(rule("Hassan", "Hassani"), Some(Rule::Derived), "a nisba is another name");
        assert_ne!(rule("Brown", "Browning"), Some(Rule::Derived), "one side without a suffix");
        assert_ne!(rule("Дмитриев", "Дмитриевич"), Some(Rule::Derived), "only folded Latin words");
        assert!(score("Sovtrans Managing Company", "Sovtrans Management Company") > 0.9);
    }

    #[test]
    fn a_short_form_pairs_with_the_word_it_starts_but_only_as_a_last_resort() {
        assert_eq!(rule_of_pair("Rafa", "Rafael"), Some(Rule::Prefix));
        assert_eq!(rule_of_pair("Tropicana", "Tropic"), Some(Rule::Prefix));
        assert_ne!(rule_of_pair("Kaz", "Kazakhstan"), Some(Rule::Prefix), "three letters are no short form");
        assert_eq!(rule_of_pair("Ramadane", "Ramadan"), Some(Rule::Skeleton), "a spelling rule comes first");
        assert!(person_score("MARQUEZ, Rafa", "MARQUEZ ALVAREZ, Rafael") > 0.85);
        assert!(
            person_score("MARQUEZ, Rafa", "MARQUEZ ALVAREZ, Rafael")
                < person_score("MARQUEZ, Rafael", "MARQUEZ ALVAREZ, Rafael")
        );
        // Two words joined are the better reading of a word that one of them starts.
        let (query, name) = (words("Moku Gold Mines"), words("Moku Goldmines"));
        let joined = align(&views(&query), &views(&name), NameKind::Other);
        assert!(joined.pairs.iter().any(|p| p.rule == Rule::Joined), "{:?}", joined.pairs);
    }

    #[test]
    fn a_name_written_syllable_by_syllable_meets_it_written_as_one_word() {
        let (query, name) = (words("Sang Won Gang Trading"), words("Sangwongang Trading"));
        let alignment = align(&views(&query), &views(&name), NameKind::Other);
        assert!(alignment.pairs.iter().any(|p| p.rule == Rule::Joined && p.query_span == 3), "{:?}", alignment.pairs);
        assert!(alignment.score > 0.9, "{}", alignment.score);
        // Three long words are three words, not syllables.
        let mut slots = [""; JOINED_SPAN_MAX];
        assert!(joinable_run(&mut slots, ["trading", "shipping", "agency"].into_iter()).is_none());
    }

    #[test]
    fn a_word_of_initials_pairs_with_the_words_it_abbreviates() {
        let (query, name) =
            (words("MSP Kala Naft Tehran"), words("Manufacturing, Support and Procurement Kala Naft Tehran"));
        let alignment = align(&views(&query), &views(&name), NameKind::Other);
        assert!(
            alignment.pairs.iter().any(|p| p.rule == Rule::Initials && p.query_span == 1 && p.name_span == 4),
            "{:?}",
            alignment.pairs
        );
        assert!(alignment.score > 0.85, "{}", alignment.score);
        // Either side may hold the initials; a folded first letter still stands for its
        // initial (Corporation is "kurp", Chemical "shimikal").
        assert!(score("Military Industrial Corporation NPO Mashinostroyenia", "MIC NPO Mashinostroyenia") > 0.85);
        assert!(score("KCC Trading", "Korea Chemical Corporation Trading") > 0.85);
        // Initials out of order are other words; a person's names are not abbreviated.
        assert!(score("SMP Kala Naft Tehran", "Manufacturing Support Procurement Kala Naft Tehran") < 0.75);
        let (query, name) = (words("Ali Mohammed Kony"), words("AMK"));
        assert!(align(&views(&query), &views(&name), NameKind::Person).pairs.iter().all(|p| p.rule != Rule::Initials));
    }

    #[test]
    fn joined_words_pair() {
        assert!(score("Al Qaeda", "Alqaeda") > 0.9);
    }

    #[test]
    fn joined_words_remembered_by_ids_fold_as_by_letters() {
        let mut scratch = AlignScratch::default();
        scratch.serve(1);
        let by_letters = scratch.joined(&["abu", "bakr"], None).0.to_string();
        assert_eq!(by_letters, fold::fold_word("abubakr"));
        let ids = Some([7, 8, NO_WORD]);
        assert_eq!(scratch.joined(&["abu", "bakr"], ids).0, by_letters);
        // Another index's words 7 and 8 are other words: their join is folded afresh.
        scratch.serve(2);
        assert_eq!(scratch.joined(&["al", "qaeda"], ids).0, fold::fold_word("alqaeda"));
        let facts = |id| WordFacts::of_word("x", id, NO_WORD, NO_WORD);
        assert_eq!(run_ids([facts(3), facts(4)].iter()), Some([3, 4, NO_WORD]));
        assert_eq!(run_ids([facts(3), facts(NO_WORD)].iter()), None);
        assert_eq!(run_ids([WordFacts::UNKNOWN, facts(4)].iter()), None);
    }

    #[test]
    fn joined_latin_words_meet_on_consonants_within_one_slip() {
        // Persian q and gh are one sound; a vowel dropped where the words were joined.
        assert!(score("Qolam Reza", "Gholamreza") > 0.9);
        assert!(score("Alzrooni Exchange", "Al Zarooni Exchange") > 0.9);
        // The same consonants spelled far apart are another word: Services / Sierra Gas.
        assert!(score("Services", "Sierra Gas") < 0.5);
    }

    #[test]
    fn one_article_meets_another() {
        assert!(score("Ur-Rahman Trust", "Ar-Rahman Trust") > 0.9);
    }

    /// A person's name as the scorer sees it: the words before a comma are the family name.
    fn person_score(a: &str, b: &str) -> f32 {
        let (a_words, b_words) = (words(a), words(b));
        let (mut a_views, mut b_views) = (views(&a_words), views(&b_words));
        for (text, views) in [(a, &mut a_views), (b, &mut b_views)] {
            let family = usize::from(crate::matcher::index::surname_words(text));
            views.iter_mut().take(family).for_each(|w| w.surname = true);
        }
        align(&a_views, &b_views, NameKind::Person).score
    }

    #[test]
    fn a_title_or_particle_neither_anchors_a_person_nor_needs_a_partner() {
        let titled = person_score("AL-HAMIDAWI, Shaykh Adnan", "AL HAMEEDAWI, Adnan Younus Jasim");
        let untitled = person_score("AL-HAMIDAWI, Adnan", "AL HAMEEDAWI, Adnan Younus Jasim");
        assert!(titled > 0.85 && (titled - untitled).abs() < 0.05, "{titled} vs {untitled}");
        // Only a title where the given name goes: it anchors.
        assert!(person_score("TABATABAEI, Syed", "TABATABAEI, Seyed Akbar") > 0.85);
        // A slip that changes the first letter anchors nothing: Khalid is not Walid.
        assert!(person_score("KHALED AL-CAMBODI, Abu", "AL-WALID, Abu") < 0.8);
    }

    #[test]
    fn a_second_family_name_may_change_when_every_given_name_meets() {
        assert!(person_score("JASSO SERRATOS, Oscar Arturo", "JASSO ROCHA, Oscar Arturo") > 0.85);
        assert!(person_score("ARAMBULA DE FLORES, Luz Rocio", "ARAMBULA GARCIA, Luz Rocio") > 0.85);
        // One given name, another given name or another first family name: relatives.
        assert!(person_score("JASSO SERRATOS, Oscar", "JASSO ROCHA, Oscar") < 0.82);
        assert!(person_score("JASSO SERRATOS, Oscar Arturo", "JASSO ROCHA, Pedro Arturo") < 0.82);
        assert!(person_score("SERRATOS JASSO, Oscar Arturo", "ROCHA JASSO, Oscar Arturo") < 0.82);
    }

    #[test]
    fn both_family_names_and_the_first_given_name_pin_a_person_down() {
        assert!(person_score("OLMEDO BRAVO, Raul Enrique", "OLMEDO BRAVO, Raul Antonio") > 0.85);
        assert!(person_score("OLMEDO BRAVO, Maria Elena", "OLMEDO BRAVO, Elena del Pilar") > 0.85, "Maria dropped");
        // Another first given name, a family name one letter off, one family name only,
        // or two given names left over: relatives, or not enough to tell.
        assert!(person_score("OLMEDO BRAVO, Jorge Raul", "OLMEDO BRAVO, Raul Antonio") < 0.82);
        assert!(person_score("OLMEDO BRAVA, Raul Enrique", "OLMEDO BRAVO, Raul Antonio") < 0.82);
        assert!(person_score("OLMEDO, Raul Enrique", "OLMEDO, Raul Antonio") < 0.82);
        assert!(person_score("OLMEDO BRAVO, Raul Enrique Tomas", "OLMEDO BRAVO, Raul Antonio") < 0.82);
        assert!(person_score("OLMEDO BRAVO, Mohammed Enrique", "OLMEDO BRAVO, Mohammed Antonio") < 0.82);
    }

    #[test]
    fn a_family_name_may_be_written_as_the_last_given_name() {
        assert!(person_score("NOORANI, Tariq Siddiqui", "SIDDIQUI, Tariq") > 0.85);
        // Muhammad pins nobody down; a given name left over, or another first name, is
        // another man of that family.
        assert!(person_score("NOORANI, Mohammad Siddiqui", "SIDDIQUI, Mohammad") < 0.82);
        assert!(person_score("NOORANI, Tariq Aziz Siddiqui", "SIDDIQUI, Tariq") < 0.82);
        assert!(person_score("NOORANI, Kamran Siddiqui", "SIDDIQUI, Tariq") < 0.82);
    }

    #[test]
    fn a_leading_muhammad_may_be_dropped_from_a_compound_given_name() {
        assert!(person_score("AJILI, Said", "AJILY, Mohammed Saeed") > 0.85);
        assert!(person_score("SAEED, Mohammad Talha", "SAEED, Talha") > 0.85);
        assert!(person_score("KASSIR, Mohammed Jaafar", "QASIR, Muhammad") > 0.85, "Muhammad itself still anchors");
        assert!(person_score("SAEED, Mohammad Talha", "SAEED, Mohammad Ali") < 0.82);
        assert!(person_score("SAEED, Talha", "SAEED, Ali Talha") < 0.82, "only Muhammad is dropped");
    }

    #[test]
    fn a_title_in_the_family_name_place_is_no_family_name() {
        let (query, name) = (words("Naeem Umair"), words("Sheikh Umair Naeem"));
        let mut query_views = views(&query);
        let mut name_views = views(&name);
        query_views[0].surname = true;
        name_views[0].surname = true;
        let titled = align(&query_views, &name_views, NameKind::Person).score;
        name_views[0].folded = "bakri";
        name_views[0].class = WordClass::Content;
        let family = align(&query_views, &name_views, NameKind::Person).score;
        assert!(titled > family + 0.1, "{titled} vs {family}");
    }

    fn covered_by_names(query: &[WordView<'_>], names: &[Vec<WordView<'_>>]) -> bool {
        covered_by(query, names, |qi, k, j| word_similarity(&query[qi], &names[k][j]))
    }

    #[test]
    fn an_entity_covers_a_query_its_names_hold_between_them() {
        let query = words("Umair Naeem Bakri");
        let (first, second, other) = (words("Umair Naeem"), words("Bakri Trading"), words("Umair Hassan"));
        let covered = [views(&first), views(&second)];
        assert!(covered_by_names(&views(&query), &covered));
        assert!(!covered_by_names(&views(&query), &[views(&first), views(&other)]));
        // A single word of substance proves nothing, nor does Muhammad beside it.
        assert!(!covered_by_names(&views(&words("Umair")), &covered));
        let ishak = words("Hamza Mohammad Ishak");
        let held = [views(&ishak)];
        assert!(!covered_by_names(&views(&words("Ishaq Mohammed")), &held));
        assert!(covered_by_names(&views(&words("Ishaq Hamza")), &held));
    }

    #[test]
    fn arabic_script_words_meet_their_vowel_led_and_waw_led_spellings() {
        let abjad = |text: &str| {
            let analyzed = analyze(text);
            let skeletons = analyzed.folded.iter().map(|w| fold::skeleton(w)).collect();
            (analyzed.folded, skeletons)
        };
        let (arabic, latin) = (abjad("عمر ولد طه"), words("Umar Ould Taha"));
        let mut arabic_views = views(&arabic);
        for view in &mut arabic_views {
            view.abjad = true;
        }
        let latin_views = views(&latin);
        assert!(word_similarity(&arabic_views[0], &latin_views[0]).is_some(), "{:?}", arabic.0);
        assert!(word_similarity(&arabic_views[1], &latin_views[1]).is_some(), "{:?}", arabic.0);
        assert!(word_similarity(&arabic_views[2], &latin_views[2]).is_some(), "two bare consonants: {:?}", arabic.0);
        assert!(word_similarity(&arabic_views[2], &views(&words("Tahir"))[0]).is_none(), "Tahir has a third");
        // Between Latin spellings a leading vowel is still a letter: Umar is not Amr.
        assert!(word_similarity(&views(&words("Amr"))[0], &latin_views[0]).is_none());
    }

    #[test]
    fn a_slip_in_the_ending_after_five_letters_corroborates_but_an_early_one_does_not() {
        let similarity = |a: &str, b: &str| {
            let (a, b) = (words(a), words(b));
            word_similarity(&views(&a)[0], &views(&b)[0]).map(|(similarity, _)| similarity)
        };
        assert!(similarity("Belaoua", "Belaouar").is_some_and(as_good_as_equal));
        assert!(similarity("Kordanov", "Kordanow").is_some_and(as_good_as_equal));
        assert!(similarity("Sarkova", "Serkova").is_some_and(|s| !as_good_as_equal(s)));
        assert!(score("Belaoua", "Belaouar") > score("Serena", "Sarina"));
    }

    #[test]
    fn a_vowel_more_or_less_inside_a_word_corroborates_but_another_vowel_does_not() {
        let pair = |a: &str, b: &str| {
            let (a, b) = (words(a), words(b));
            word_similarity(&views(&a)[0], &views(&b)[0]).map(|(similarity, _)| similarity)
        };
        assert!(pair("Shkuba", "Shikuba").is_some_and(|s| s >= CORROBORATED_SIMILARITY));
        assert!(pair("Serena", "Sarina").is_some_and(|s| s < CORROBORATED_SIMILARITY));
        assert!(pair("Izadi", "Zadi").is_none_or(|s| s < CORROBORATED_SIMILARITY));
    }

    #[test]
    fn a_word_more_is_forgiven_half_except_beside_a_place() {
        let (query, name) = (words("Haldor Vesteros Dairy"), words("Haldor Vesteros"));
        let other = align(&views(&query), &views(&name), NameKind::Other).score;
        let place = align(&views(&query), &views(&name), NameKind::Place).score;
        assert!(place < other - 0.05, "{place} vs {other}");
        // Nothing unpaired: nothing to forgive, the same score.
        let same = |kind| align(&views(&name), &views(&name), kind).score;
        assert_eq!(same(NameKind::Place), same(NameKind::Other));
    }

    #[test]
    fn a_legal_form_costs_a_person_name() {
        let (query, name) = (words("George Ltd"), words("George"));
        let company = align(&views(&query), &views(&name), NameKind::Other).score;
        let person = align(&views(&query), &views(&name), NameKind::Person).score;
        assert!(person < company * 0.85, "{person} vs {company}");
    }

    #[test]
    fn differing_numbers_halve_the_score() {
        assert!(score("Vega 46B LLC", "Vega 64E LLC") < 0.6);
    }

    #[test]
    fn remembered_initials_answer_as_the_rule_for_every_letter_and_word() {
        let folded: Vec<String> = ["Philips", "Fabrika", "Kalashnikov", "Chemical", "Shahid", "Xian", "Quds", "Al"]
            .iter()
            .map(|w| fold::fold_word(&w.to_lowercase()))
            .collect();
        let mut initials = InitialLetters::default();
        // Twice round: the second answers come from memory, and a letter must not be
        // taken for another's answer on the same word.
        for _ in 0..2 {
            for word in &folded {
                for letter in b'a'..=b'z' {
                    let rule = fold::initial_stands_for(letter, word);
                    assert_eq!(initials.stand_for(letter, word), rule, "{} for {word}", char::from(letter));
                }
            }
        }
        // Only the answers the first letter does not give are remembered.
        let by_groups = folded
            .iter()
            .flat_map(|word| (b'a'..=b'z').map(move |letter| (letter, word)))
            .filter(|&(letter, word)| fold::initial_stands_for_by_first_letter(letter, word).is_none())
            .count();
        assert!(by_groups > 0);
        assert_eq!(initials.answers.len(), by_groups);
    }

    #[test]
    fn initials_still_pair_with_a_scratch_kept_across_names() {
        let (short, long) = (words("MSP Kala Naft"), words("Manufacturing Support Procurement Kala Naft"));
        let (short_views, long_views) = (views(&short), views(&long));
        let align_in = |scratch: &mut AlignScratch| {
            align_with(
                &short_views,
                &long_views,
                NameKind::Other,
                |qi, ni| word_similarity(&short_views[qi], &long_views[ni]),
                scratch,
            )
        };
        let mut scratch = AlignScratch::default();
        let first = align_in(&mut scratch);
        let again = align_in(&mut scratch);
        assert!(scratch.pairs.iter().any(|pair| pair.rule == Rule::Initials), "{:?}", scratch.pairs);
        assert_eq!(first, again);
        assert_eq!(first, score("MSP Kala Naft", "Manufacturing Support Procurement Kala Naft"));
    }
}
