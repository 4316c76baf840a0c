//! Scoring one query against one name: words aligned to words, each pair by the
//! strongest rule that holds, weighted by how much each word identifies an entity.
//!
//! The score is a weighted Dice coefficient over the alignment: the share of both names'
//! weight that found a partner, each pair counted at its similarity. Unmatched words of
//! either side lower it; stop words, legal forms and titles weigh little, so adding or
//! dropping them moves it little. Numbers that disagree are strong evidence of two
//! different entities (sibling companies "... 46B LLC" / "... 64E LLC").

use strsim::{jaro_winkler, normalized_damerau_levenshtein};

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
    /// It was romanized from a script without short vowels.
    pub abjad: bool,
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
    /// Same consonants, vowels aside (Mohammad / محمد).
    Skeleton,
    /// Within a few edits (Aktaf / Aknaf).
    Edit,
    /// An initial against a word starting with it.
    Initial,
}

impl Rule {
    /// The rule's name in explanations.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Equal => "equal",
            Rule::Equivalent => "equivalent",
            Rule::Article => "article",
            Rule::Joined => "joined",
            Rule::Skeleton => "skeleton",
            Rule::Edit => "edit",
            Rule::Initial => "initial",
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
    if a.folded == b.folded {
        return Some((1.0, Rule::Equal));
    }
    let has_digit = |w: &str| w.bytes().any(|c| c.is_ascii_digit());
    if has_digit(a.folded) || has_digit(b.folded) {
        return None;
    }
    if a.group.is_some() && a.group == b.group {
        return Some((0.9, Rule::Equivalent));
    }
    if strip_article(a.folded) == Some(b.folded) || strip_article(b.folded) == Some(a.folded) {
        return Some((0.95, Rule::Article));
    }
    let (short, long) = if a.folded.len() <= b.folded.len() { (a, b) } else { (b, a) };
    if short.folded.len() == 1 {
        return long.folded.starts_with(short.folded).then_some((0.6, Rule::Initial));
    }
    let edit = edit_similarity(a.folded, b.folded);
    let long_enough = a.skeleton.len() >= 3 || (a.skeleton.len() == 2 && edit >= 0.8);
    if a.skeleton == b.skeleton && long_enough && short.folded.len() >= 3 {
        // Vowels romanized from Arabic script are guesses; between two Latin spellings
        // they are evidence (Hassan is not Hussein), so the skeleton adds little there.
        let similarity = if a.abjad || b.abjad { 0.8 + 0.15 * edit } else { (edit + 0.05).min(0.95) };
        return (similarity >= MIN_WORD_SIMILARITY).then_some((similarity, Rule::Skeleton));
    }
    if short.folded.len() <= 3 {
        return None;
    }
    (edit >= MIN_WORD_SIMILARITY).then_some((edit, Rule::Edit))
}

fn edit_similarity(a: &str, b: &str) -> f32 {
    ((jaro_winkler(a, b) + normalized_damerau_levenshtein(a, b)) / 2.0) as f32
}

/// The word without an attached Arabic article ("alnusra" gives "nusra").
pub fn strip_article(word: &str) -> Option<&str> {
    ["al", "il", "ul"].iter().find_map(|article| word.strip_prefix(article)).filter(|rest| rest.len() >= 3)
}

/// Aligns query words to name words and scores the alignment.
pub fn align(query: &[WordView<'_>], name: &[WordView<'_>]) -> Alignment {
    let mut query_used = vec![false; query.len()];
    let mut name_used = vec![false; name.len()];
    let mut pairs = joined_pairs(query, name, &mut query_used, &mut name_used);
    let mut options: Vec<(f32, usize, usize, f32, Rule)> = Vec::new();
    for (qi, q) in query.iter().enumerate().filter(|(i, _)| !query_used[*i]) {
        for (ni, n) in name.iter().enumerate().filter(|(i, _)| !name_used[*i]) {
            if let Some((similarity, rule)) = word_similarity(q, n) {
                options.push((similarity * (q.weight + n.weight), qi, ni, similarity, rule));
            }
        }
    }
    // Heaviest evidence first; ties by position so the result never depends on order.
    options.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, qi, ni, similarity, rule) in options {
        if !query_used[qi] && !name_used[ni] {
            query_used[qi] = true;
            name_used[ni] = true;
            pairs.push(WordPair { query: qi, name: ni, similarity, rule });
        }
    }
    pairs.sort_by_key(|p| (p.query, p.name));
    let score =
        dice(query, name, &pairs) * number_agreement(query, name) * order_agreement(&pairs) * corroboration(&pairs);
    Alignment { pairs, score }
}

/// "Al Qaeda" against "Alqaeda", "Abu Bakr" against "Abubakr": two words joined.
fn joined_pairs(
    query: &[WordView<'_>],
    name: &[WordView<'_>],
    query_used: &mut [bool],
    name_used: &mut [bool],
) -> Vec<WordPair> {
    let mut pairs = Vec::new();
    for (i, j) in join_two_to_one(query, name, query_used, name_used) {
        pairs.push(WordPair { query: i, name: j, similarity: 0.95, rule: Rule::Joined });
    }
    for (i, j) in join_two_to_one(name, query, name_used, query_used) {
        pairs.push(WordPair { query: j, name: i, similarity: 0.95, rule: Rule::Joined });
    }
    pairs
}

/// Pairs (i, j) where words i and i+1 of `two` joined equal word j of `one`.
fn join_two_to_one(
    two: &[WordView<'_>],
    one: &[WordView<'_>],
    two_used: &mut [bool],
    one_used: &mut [bool],
) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for i in 0..two.len().saturating_sub(1) {
        if two_used[i] || two_used[i + 1] {
            continue;
        }
        let joined = crate::normalize::fold::fold_word(&format!("{}{}", two[i].folded, two[i + 1].folded));
        if let Some(j) = (0..one.len()).find(|&j| !one_used[j] && one[j].folded == joined) {
            two_used[i] = true;
            two_used[i + 1] = true;
            one_used[j] = true;
            found.push((i, j));
        }
    }
    found
}

fn dice(query: &[WordView<'_>], name: &[WordView<'_>], pairs: &[WordPair]) -> f32 {
    let total: f32 = query.iter().chain(name.iter()).map(|w| w.weight).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let mut matched = 0.0;
    for pair in pairs {
        let mut weight = query[pair.query].weight + name[pair.name].weight;
        if pair.rule == Rule::Joined {
            weight = joined_weight(query, name, pair);
        }
        matched += pair.similarity * weight;
    }
    (matched / total).min(1.0)
}

/// A joined pair covers two words on one side: count both.
fn joined_weight(query: &[WordView<'_>], name: &[WordView<'_>], pair: &WordPair) -> f32 {
    let q = query[pair.query].weight + query.get(pair.query + 1).map_or(0.0, |w| w.weight);
    let n = name[pair.name].weight + name.get(pair.name + 1).map_or(0.0, |w| w.weight);
    if query.len() > name.len() {
        q + name[pair.name].weight
    } else {
        query[pair.query].weight + n
    }
}

/// Numbers that disagree mean different entities (unit 46B vs 64E, vessel "No. 3").
fn number_agreement(query: &[WordView<'_>], name: &[WordView<'_>]) -> f32 {
    let (q, n) = (numbers(query), numbers(name));
    if q.is_empty() || n.is_empty() || q == n {
        1.0
    } else {
        0.5
    }
}

fn numbers<'a>(words: &[WordView<'a>]) -> Vec<&'a str> {
    let mut found: Vec<&str> =
        words.iter().filter(|w| w.folded.bytes().any(|c| c.is_ascii_digit())).map(|w| w.folded).collect();
    found.sort_unstable();
    found
}

/// Names whose every word is only *like* the other's (Hassan Rouhani / Hussein Rahmani)
/// are usually two people; a typo leaves the other words intact. So the score keeps its
/// full value only in the share of pairs that are equal (or equivalent) outright.
fn corroboration(pairs: &[WordPair]) -> f32 {
    if pairs.is_empty() {
        return 1.0;
    }
    let exact = pairs.iter().filter(|p| !matches!(p.rule, Rule::Edit | Rule::Skeleton | Rule::Initial)).count();
    0.85 + 0.15 * (exact as f32 / pairs.len() as f32)
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
    use crate::normalize::{analyze, fold};

    fn words(text: &str) -> (Vec<String>, Vec<String>) {
        let folded = analyze(text).folded;
        let skeletons = folded.iter().map(|w| fold::skeleton(w)).collect();
        (folded, skeletons)
    }

    fn score(a: &str, b: &str) -> f32 {
        let (af, as_) = words(a);
        let (bf, bs) = words(b);
        let view = |f: &[String], s: &[String]| -> Vec<(String, String)> {
            f.iter().cloned().zip(s.iter().cloned()).collect()
        };
        let (av, bv) = (view(&af, &as_), view(&bf, &bs));
        let weight = |w: &str| crate::matcher::words::class_of_folded(w).weight();
        let a: Vec<WordView<'_>> = av
            .iter()
            .map(|(f, s)| WordView { folded: f, skeleton: s, weight: weight(f), group: None, abjad: false })
            .collect();
        let b: Vec<WordView<'_>> = bv
            .iter()
            .map(|(f, s)| WordView { folded: f, skeleton: s, weight: weight(f), group: None, abjad: false })
            .collect();
        align(&a, &b).score
    }

    #[test]
    fn equal_after_folding_scores_one() {
        assert!((score("Aknaf Beit al-Makdis", "Aknaf Bayt al-Maqdis") - 1.0).abs() < 1e-6);
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

    #[test]
    fn different_given_names_score_low() {
        assert!(score("Hassan Rouhani", "Hussein Rahmani") < 0.8);
    }

    #[test]
    fn joined_words_pair() {
        assert!(score("Al Qaeda", "Alqaeda") > 0.9);
    }

    #[test]
    fn differing_numbers_halve_the_score() {
        assert!(score("Vega 46B LLC", "Vega 64E LLC") < 0.6);
    }
}
