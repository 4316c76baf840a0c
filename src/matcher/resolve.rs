//! Resolution and comparison: the query side of the matcher.

use rustc_hash::FxHashMap as HashMap;

use super::analyzed::AnalyzedName;
use super::answer::{
    Candidate, Comparison, Explanation, Method, Outcome, PairError, PairSide, Query, QueryError, Resolution,
};
use super::edit;
use super::evidence::Evidence;
use super::index::{
    derived_acronyms, rewritten_legal_forms, take_folded_with_legal_forms, word_weight, Index, IndexedName,
    INLINE_WORDS, PRIMARY,
};
use super::lookalikes::{sort_rarest_first, Lookalike, WordLookalikes};
use super::score::{
    align, align_unless_below, covered_by, joinable_run, run_ids, word_similarity_with_table, AlignScratch, Alignment,
    NameKind, Rule, WordFacts, WordView, JOINED_SPANS, JOINED_SPAN_MAX,
};
use super::sort_key;
use super::words::{canonical_legal_forms, class_of_folded, legal_form_words, registration_forms, WordClass};
use super::Matcher;
use crate::aliases::EntityType;
use crate::normalize::{self, fold, Script};

/// Candidates scoring at least this may be lifted when their entity covers the query.
const COVERED_FLOOR: f64 = 0.6;
/// How far above the threshold a covered candidate is lifted: a hair, so that any other
/// entity within the margin still makes the answer ambiguous.
const COVERED_LIFT: f64 = 0.01;
/// The longest query read as a syllable acronym (IASCO, ISIRAN): a longer one is far
/// more often a word, and the ways of cutting it grow fourfold with every two letters.
const SYLLABLE_ACRONYM_LETTERS: usize = 6;
/// Initials shared by more names than this are not checked as a syllable acronym.
const SYLLABLE_ACRONYM_NAMES: usize = 64;
/// How many names, at most, are fully scored for one query.
const SCORED_CANDIDATES: usize = 16;
/// The words a candidate's lists are first sized for: most names have fewer.
const NAME_WORDS_RESERVED: usize = 8;
/// The names of one entity the lift's lists are first sized for: most have fewer.
const ENTITY_NAMES_RESERVED: usize = 8;
/// The look-alikes of a query's words their list is first sized for.
const QUERY_LOOKALIKES_RESERVED: usize = 64;
/// The common words of a query their list is first sized for.
const COMMON_WORDS_RESERVED: usize = 16;
/// How many of the best candidates so far common words may still lift.
const COMMON_WORD_POOL: usize = 256;
/// Candidates gathered before further words only add to those already found.
const EVIDENCE_LIMIT: usize = 256;
/// Words held by more names than this are too common to fetch candidates by: they only
/// add evidence to candidates that rarer words found.
const RARE_POSTINGS: usize = 512;
/// The shortest head of a blend (AGRO of AGRONILO): shorter, it begins too many words.
const BLEND_HEAD_LETTERS: usize = 3;
/// The shortest tail of a blend, a whole word (NILO).
const BLEND_TAIL_LETTERS: usize = 4;

thread_local! {
    /// The scratch of `align_with`, kept by each thread across its queries: its joined
    /// words (two adjacent words folded as one) serve every query whose candidates hold
    /// the same pair, where each query folded them afresh (dedupe asks a million
    /// queries of one matcher, whose names share their word pairs).
    static ALIGN_SCRATCH: std::cell::Cell<AlignScratch> = std::cell::Cell::default();
}

/// Joined words a thread's scratch keeps before starting afresh: a few MiB.
const JOINED_WORDS_KEPT: usize = 1 << 16;

/// A query's words with their weights.
struct PreparedQuery {
    /// The analysis; its folds may have been moved out (`take_folded_with_legal_forms`):
    /// `folded` holds the words the stages read.
    analyzed: normalize::Analyzed,
    /// The romanized words with legal forms in one spelling (`canonical_legal_forms`),
    /// or `None` when they are `analyzed.latin` as it is (no word begins a legal
    /// phrase): read through [`PreparedQuery::legal`].
    rewritten: Option<Vec<String>>,
    folded: Vec<String>,
    /// `folded[i]` is `fold::fold_word(&legal[i])` (no word-level fold merged words), so
    /// `classes[i]` is the class of `legal[i]` folded.
    folded_alone: bool,
    /// What the stages read of each word of `folded` besides its spelling.
    words: Vec<PreparedWord>,
    surname_words: usize,
    /// See `AnalyzedName::cased_as_words`: never read as an acronym.
    cased_as_words: bool,
    /// The script the query is written in.
    script: Script,
}

/// What a query's stages read of one of its words besides its spelling, in one list:
/// six lists (one per field) were six allocations a query, and a skeleton string per
/// word that the index holds already.
struct PreparedWord {
    /// Its skeleton when the index lacks the word; a word of the index has its own
    /// (the index's word `facts.id`).
    new_skeleton: Option<String>,
    weight: f32,
    group: Option<u32>,
    class: WordClass,
    numeral: bool,
    /// What the index knows of the word.
    facts: WordFacts,
}

impl PreparedQuery {
    /// The romanized words with legal forms in one spelling: the scorer's words are
    /// these folded, and the acronym stage reads them as they are.
    fn legal(&self) -> &[String] {
        self.rewritten.as_deref().unwrap_or(&self.analyzed.latin)
    }

    /// `fold::fold_word` of `legal[i]`: the prepared fold when the folds line up with the
    /// words.
    fn legal_fold(&self, i: usize) -> std::borrow::Cow<'_, str> {
        match self.folded.get(i) {
            Some(folded) if self.folded_alone => folded.into(),
            _ => fold::fold_word(&self.legal()[i]).into(),
        }
    }

    /// The class of `legal[i]`: the prepared one when the folds line up with the words.
    fn legal_class(&self, i: usize) -> WordClass {
        match self.words.get(i) {
            Some(word) if self.folded_alone => word.class,
            _ => class_of_folded(&self.legal_fold(i)),
        }
    }

    /// [`AnalyzedName::written_as_person`] read off the prepared words, which are the
    /// same words with the same classes: no word is folded again.
    fn written_as_person(&self) -> bool {
        self.surname_words > 0 && !self.words.iter().any(|word| word.class == WordClass::LegalForm)
    }

    /// The words' views; `index` is the one they were prepared against.
    fn views<'a>(&'a self, index: &'a Index) -> Vec<WordView<'a>> {
        self.folded
            .iter()
            .zip(&self.words)
            .enumerate()
            .map(|(i, (folded, word))| WordView {
                folded,
                skeleton: match &word.new_skeleton {
                    Some(skeleton) => skeleton,
                    None => &index.words[word.facts.id as usize].skeleton,
                },
                weight: word.weight,
                group: word.group,
                class: word.class,
                abjad: self.analyzed.abjad,
                surname: i < self.surname_words,
                numeral: word.numeral,
                facts: word.facts,
            })
            .collect()
    }
}

/// What of a query's hits its answer reads: the best, the entities within the margin of
/// it, and the `candidates` best. A name scoring below all of those cannot change it.
struct AnswerNeeds {
    candidates: usize,
    threshold: f64,
}

/// Taken off a limit before names are compared with it: floating-point sums taken in
/// another order may round a hair apart.
const LIMIT_SLACK: f64 = 1e-3;

impl AnswerNeeds {
    /// The score a fuzzy name must be below to be surely none of the answer, given the
    /// best score so far (`top`) and the entities' hits so far (`best`); `None` when no
    /// name can be yet. `scores` is room for the hits' scores.
    ///
    /// Later hits and the lift of covered candidates only raise scores, so what holds
    /// now holds for the answer: such a name, lifted or not, stays below the margin's
    /// cut (which rises with the best score: no contender) and below as many other
    /// entities as candidates are asked for (not among them). Its own entity then keeps
    /// a better name, or falls out of the answer with it.
    fn skip_below(&self, top: f64, margin: f64, best: &HashMap<u32, Scored>, scores: &mut Vec<f64>) -> Option<f64> {
        // A negative margin (a configuration) would make the cut fall as the best rises;
        // a margin that is not a number says nothing.
        if margin.is_nan() || margin < 0.0 || top == f64::NEG_INFINITY {
            return None;
        }
        let mut cut = (top - margin_at(margin, top, self.threshold)).min(top);
        // The best entity is above the cut, so one candidate asked for is met already.
        if self.candidates > 1 {
            scores.clear();
            scores.extend(best.values().map(|hit| hit.score));
            if scores.len() < self.candidates {
                return None;
            }
            let (_, &mut kth, _) = scores.select_nth_unstable_by(self.candidates - 1, |a, b| b.total_cmp(a));
            cut = cut.min(kth);
        }
        // A candidate from `COVERED_FLOOR` up may be lifted to just above the threshold.
        let limit = if self.threshold + COVERED_LIFT < cut { cut } else { cut.min(COVERED_FLOOR) };
        let limit = limit - LIMIT_SLACK;
        (limit > 0.0).then_some(limit)
    }
}

/// Which fuzzy names a query may leave unscored.
enum Skip {
    /// None: every candidate is scored.
    Never,
    /// Those that cannot change resolve's answer.
    Answer(AnswerNeeds),
    /// Those that cannot be among a neighbour search's entities at its floor.
    Neighbours(NeighbourNeeds),
}

/// What of a neighbour search's hits its reader keeps: the entities among the `limit`
/// best that score at least `floor`, and how many entities the `limit` best are. A name
/// scoring below the floor, or below `limit` other entities, changes neither once its
/// entity is counted.
struct NeighbourNeeds {
    limit: usize,
    floor: f64,
    /// The best `limit` entities from the floor up, as (entity, best score so far).
    top: Vec<(u32, f64)>,
}

impl NeighbourNeeds {
    fn new(limit: usize, floor: f64) -> NeighbourNeeds {
        NeighbourNeeds { limit, floor, top: Vec::with_capacity(limit) }
    }

    /// Notes that `entity` scored `score`. An entity's score only rises, so the `limit`
    /// best stay the best: one that rises stays among them, one that enters them pushes
    /// out the lowest, which is then no better than any entity outside.
    fn note(&mut self, entity: u32, score: f64) {
        if score < self.floor || self.limit == 0 {
            return;
        }
        if let Some(held) = self.top.iter_mut().find(|(e, _)| *e == entity) {
            held.1 = held.1.max(score);
        } else if self.top.len() < self.limit {
            self.top.push((entity, score));
        } else if let Some(lowest) = self.top.iter_mut().min_by(|a, b| a.1.total_cmp(&b.1)) {
            if score > lowest.1 {
                *lowest = (entity, score);
            }
        }
    }

    /// The score a fuzzy name must be below to be surely none of the entities read: below
    /// the floor (with the slack of rounding a candidate's score), or below `limit` other
    /// entities' scores, which only rise (its entity keeps a better name, or ranks after
    /// them whatever ties say).
    fn skip_below(&self) -> f64 {
        let kth = match self.top.len() == self.limit {
            true => self.top.iter().map(|&(_, score)| score).fold(f64::INFINITY, f64::min),
            false => f64::NEG_INFINITY,
        };
        self.floor.max(kth) - LIMIT_SLACK
    }
}

/// What [`Matcher::similar_entities_from`] found for a name.
#[derive(Debug, Clone, PartialEq)]
pub struct FloorNeighbours {
    /// The entities among the `limit` best scoring at least the floor, as (entity index
    /// in the table, candidate score), in rank order.
    pub entities: Vec<(u32, f64)>,
    /// How many entities the `limit` best are (those below the floor too).
    pub found: usize,
}

/// One entity's best evidence while scoring.
#[derive(Debug, Clone)]
struct Scored {
    entity: u32,
    name: u32,
    score: f64,
    method: Method,
}

impl Matcher {
    /// Resolves one name.
    pub fn resolve(&self, query: &Query<'_>) -> Result<Resolution, QueryError> {
        self.resolve_with(query, AnalyzedName::new(query.name)?, None)
    }

    /// [`Matcher::resolve`] of a name analysed beforehand: `name` must be
    /// `AnalyzedName::new(query.name)`.
    pub fn resolve_analyzed(&self, query: &Query<'_>, name: &AnalyzedName) -> Result<Resolution, QueryError> {
        self.resolve_with(query, name.clone(), None)
    }

    /// [`Matcher::resolve_analyzed`] with the look-alikes of the name's words taken from
    /// `lookalikes` when it holds them ([`Matcher::word_lookalikes`]): the same answer.
    pub fn resolve_with_lookalikes(
        &self,
        query: &Query<'_>,
        name: &AnalyzedName,
        lookalikes: &WordLookalikes,
    ) -> Result<Resolution, QueryError> {
        self.resolve_with(query, name.clone(), Some(lookalikes))
    }

    fn resolve_with(
        &self,
        query: &Query<'_>,
        name: AnalyzedName,
        lookalikes: Option<&WordLookalikes>,
    ) -> Result<Resolution, QueryError> {
        let threshold = match query.threshold {
            Some(t) if !(0.0..=1.0).contains(&t) || t.is_nan() => return Err(QueryError::BadThreshold(t)),
            Some(t) => t,
            None => self.config.threshold,
        };
        let strict_hits = self.strict_hits(query, name.strict_key());
        let prepared = self.prepare(name);
        let scored = if strict_hits.is_empty() {
            // Word pairs scored for the candidates are mostly those coverage asks about.
            PairSimilarities::with(|similarities| {
                // One set of views serves every stage of the query.
                let query_views = prepared.views(&self.index);
                let needs = AnswerNeeds { candidates: query.max_candidates, threshold };
                let mut fuzzy =
                    self.fuzzy_hits(query, &prepared, &query_views, lookalikes, Skip::Answer(needs), similarities);
                self.lift_covered(&query_views, &mut fuzzy, threshold, similarities);
                fuzzy
            })
        } else {
            strict_hits
        };
        Ok(self.decide(query, &prepared, scored, threshold))
    }

    /// Every entity with a name like `name`, best first, up to `limit`: the candidate and
    /// scoring stages without the decision, and without stopping at an equal name. For
    /// clustering and review tools that need the neighbourhood, not an answer.
    pub fn similar(&self, name: &str, limit: usize) -> Result<Vec<Candidate>, QueryError> {
        Ok(self.similar_with(name, AnalyzedName::new(name)?, limit, None))
    }

    /// [`Matcher::similar`] of a name analysed beforehand: `analyzed` must be
    /// `AnalyzedName::new(name)`.
    pub fn similar_analyzed(&self, name: &str, analyzed: &AnalyzedName, limit: usize) -> Vec<Candidate> {
        self.similar_with(name, analyzed.clone(), limit, None)
    }

    /// [`Matcher::similar_analyzed`] with the look-alikes of the name's words taken from
    /// `lookalikes` when it holds them ([`Matcher::word_lookalikes`]): the same answer.
    pub fn similar_with_lookalikes(
        &self,
        name: &str,
        analyzed: &AnalyzedName,
        limit: usize,
        lookalikes: &WordLookalikes,
    ) -> Vec<Candidate> {
        self.similar_with(name, analyzed.clone(), limit, Some(lookalikes))
    }

    /// [`Matcher::similar_with_lookalikes`] as (entity index in the table, candidate
    /// score) pairs, every candidate scored: what [`Matcher::similar_entities_from`]
    /// must agree with above its floor, for its test (dedupe calls that one).
    #[cfg(test)]
    pub(crate) fn similar_entities_with_lookalikes(
        &self,
        name: &str,
        analyzed: AnalyzedName,
        limit: usize,
        lookalikes: &WordLookalikes,
    ) -> Vec<(u32, f64)> {
        let scored = self.similar_ranked(name, analyzed, Some(lookalikes), limit, Skip::Never);
        scored.iter().map(|s| (s.entity, candidate_score(s.score))).collect()
    }

    /// The (entity index in the table, candidate score) pairs of
    /// [`Matcher::similar_with_lookalikes`] whose score is at least `floor`, and how many
    /// entities the `limit` best are in all: for a batch job that drops the pairs below a
    /// floor but must know whether the `limit` was reached (dedupe's neighbour search,
    /// which reads two fields of each candidate). It takes the analysis, which the
    /// search consumes: a batch job done with it saves a copy per name. The fuzzy names that cannot be among those pairs are not fully scored:
    /// the same pairs and count, for less work.
    pub fn similar_entities_from(
        &self,
        name: &str,
        analyzed: AnalyzedName,
        limit: usize,
        floor: f64,
        lookalikes: &WordLookalikes,
    ) -> FloorNeighbours {
        let needs = NeighbourNeeds::new(limit, floor);
        let scored = self.similar_ranked(name, analyzed, Some(lookalikes), limit, Skip::Neighbours(needs));
        let entities =
            scored.iter().map(|s| (s.entity, candidate_score(s.score))).filter(|&(_, score)| score >= floor).collect();
        FloorNeighbours { entities, found: scored.len() }
    }

    fn similar_with(
        &self,
        name: &str,
        analyzed: AnalyzedName,
        limit: usize,
        lookalikes: Option<&WordLookalikes>,
    ) -> Vec<Candidate> {
        let scored = self.similar_ranked(name, analyzed, lookalikes, limit, Skip::Never);
        scored.iter().map(|s| self.candidate(s)).collect()
    }

    /// The `limit` best-scored entities with a name like `name`, best first. With
    /// [`Skip::Neighbours`], an entity whose names were all left unscored is in the list
    /// at minus infinity: counted, below any score.
    fn similar_ranked(
        &self,
        name: &str,
        analyzed: AnalyzedName,
        lookalikes: Option<&WordLookalikes>,
        limit: usize,
        skip: Skip,
    ) -> Vec<Scored> {
        let query = Query::new(name);
        let strict_hits = self.strict_hits(&query, analyzed.strict_key());
        let prepared = self.prepare(analyzed);
        let fuzzy_hits = PairSimilarities::with(|similarities| {
            self.fuzzy_hits(&query, &prepared, &prepared.views(&self.index), lookalikes, skip, similarities)
        });
        // Sized for every hit: grown from empty, the map was rehashed for most queries.
        let mut best: HashMap<u32, Scored> =
            HashMap::with_capacity_and_hasher(strict_hits.len() + fuzzy_hits.len(), Default::default());
        for scored in strict_hits.into_iter().chain(fuzzy_hits) {
            keep_best(&mut best, scored);
        }
        let mut scored: Vec<Scored> = best.into_values().collect();
        self.rank_best(&mut scored, limit);
        scored
    }

    /// Scores two names against each other with resolve's normalization, weights and
    /// threshold, so one number means the same in both.
    pub fn compare(&self, left: &str, right: &str, kind: Option<EntityType>) -> Result<Comparison, PairError> {
        let analyze = |name, side| AnalyzedName::new(name).map_err(|error| PairError { side, error });
        let (left_name, right_name) = (analyze(left, PairSide::Left)?, analyze(right, PairSide::Right)?);
        let method_if_equal = if left.trim() == right.trim() { Method::Exact } else { Method::Normalized };
        let strict_equal = left_name.strict_key() == right_name.strict_key();
        let (left, right) = (self.prepare(left_name), self.prepare(right_name));
        // Without a type, a name written as a person's says what the pair is.
        let kind = match kind {
            Some(kind) => NameKind::of(kind),
            None if left.written_as_person() || right.written_as_person() => NameKind::Person,
            None => NameKind::Other,
        };
        let alignment = align(&left.views(&self.index), &right.views(&self.index), kind);
        let mut explanation = Explanation {
            query_key: left.analyzed.strict.clone(),
            query_words: left.folded.clone(),
            name_words: right.folded.clone(),
            pairs: alignment.pairs.clone(),
        };
        let (score, method) = if strict_equal {
            (1.0, method_if_equal)
        } else if kind != NameKind::Person && (is_acronym_of(&left, &right) || is_acronym_of(&right, &left)) {
            // People's initials are not acronyms, as in the index: "GAN" is not GANOV,
            // Alexander Nikolaevich.
            (self.config.acronym_score.max(f64::from(alignment.score)), Method::Acronym)
        } else {
            (f64::from(alignment.score), fuzzy_method(&left, &right.folded, &alignment))
        };
        if strict_equal {
            explanation.pairs.clear();
        }
        Ok(Comparison { score, is_match: score >= self.config.threshold, method, explanation })
    }

    /// Names whose strict key is the query's, one per entity (an exact spelling first).
    fn strict_hits(&self, query: &Query<'_>, strict: &str) -> Vec<Scored> {
        let Some(ids) = self.index.strict.get(strict) else {
            return Vec::new();
        };
        // Most strict keys are one name's: its hit is the only one, without a map of
        // entities (an allocation for it and one for the list made from it).
        if let [id] = ids.as_slice() {
            return self.strict_hit(query, *id).into_iter().collect();
        }
        let mut best: HashMap<u32, Scored> = HashMap::default();
        for &id in ids {
            if let Some(hit) = self.strict_hit(query, id) {
                keep_best(&mut best, hit);
            }
        }
        best.into_values().collect()
    }

    /// The name `id`, whose strict key is the query's, as a hit, if its type is allowed.
    fn strict_hit(&self, query: &Query<'_>, id: u32) -> Option<Scored> {
        let name = &self.index.names[id as usize];
        if !self.type_allowed(query, name) {
            return None;
        }
        let raw_equal = self.name_text(name) == query.name.trim();
        let method = if raw_equal { Method::Exact } else { Method::Normalized };
        // A hair below 1 for a normalized hit ranks the exact spelling first, yet stays
        // within any margin: a name shared by two entities is still ambiguous.
        let score = if raw_equal { 1.0 } else { 1.0 - 1e-9 };
        Some(Scored { entity: name.entity, name: id, score, method })
    }

    fn prepare(&self, name: AnalyzedName) -> PreparedQuery {
        let AnalyzedName { mut analyzed, surname_words, cased_as_words } = name;
        let (rewritten, latin_alone) = rewritten_legal_forms(&analyzed);
        // `analyzed.folded` is read no more: the prepared words are read instead.
        let (folded, folded_alone) = take_folded_with_legal_forms(&mut analyzed, rewritten.as_deref(), latin_alone);
        let words = folded.iter().map(|word| self.prepare_word(word)).collect();
        let surname_words = usize::from(surname_words);
        let script = normalize::script_of(&analyzed.strict);
        PreparedQuery { analyzed, rewritten, folded, folded_alone, words, surname_words, cased_as_words, script }
    }

    /// What the stages read of the query word `folded`. A word of the table comes with
    /// what the build found for it from the same folded spelling: its skeleton, group,
    /// class and number test are the ones computed here for any other word, and its
    /// weight was fixed with the table. A word the table lacks is weighed as one held by
    /// no name.
    fn prepare_word(&self, folded: &str) -> PreparedWord {
        match self.index.lookup_word(folded) {
            Some(id) => {
                let vocab = &self.index.words[id as usize];
                PreparedWord {
                    new_skeleton: None,
                    weight: vocab.weight,
                    group: vocab.group,
                    class: vocab.class,
                    numeral: vocab.numeral,
                    facts: vocab.facts,
                }
            }
            None => {
                let class = class_of_folded(folded);
                let skeleton = fold::skeleton(folded);
                PreparedWord {
                    facts: self.index.facts_of_new_word(folded, &skeleton),
                    new_skeleton: Some(skeleton),
                    weight: word_weight(class, 0, self.index.names.len()),
                    group: self.index.group_of(folded),
                    class,
                    numeral: fold::is_numeral(folded),
                }
            }
        }
    }

    /// `query_views` is `prepared.views(&self.index)`. With `skip`, a name that provably
    /// cannot be part of the answer it describes is left out ([`AnswerNeeds`]) or, for a
    /// neighbour search, left at minus infinity ([`NeighbourNeeds`]); with
    /// [`Skip::Never`], every candidate is scored.
    fn fuzzy_hits(
        &self,
        query: &Query<'_>,
        prepared: &PreparedQuery,
        query_views: &[WordView<'_>],
        lookalikes: Option<&WordLookalikes>,
        mut skip: Skip,
        similarities: &mut PairSimilarities,
    ) -> Vec<Scored> {
        // One scratch for the query: the candidate stage's joined words are aligning's,
        // and the thread keeps it for its next query.
        let mut scratch = ALIGN_SCRATCH.take();
        scratch.serve(self.index.stamp);
        let loose = normalize::loose_key_of(&prepared.folded);
        let loose_hits: &[u32] = self.index.loose.get(loose.as_str()).map_or(&[], Vec::as_slice);
        // The loose-key hits first (their score is at least 0.97), then the most evidence
        // first: the best scores are found early, and the names after them that cannot
        // reach the answer are left out. The order changes nothing else: an entity keeps
        // its best name whatever the order (the lowest id among equals), and the hits are
        // ranked by score and entity id.
        let candidates = self.word_candidates(prepared, query_views, lookalikes, &mut scratch, loose_hits);
        let mut acronym_hits = self.acronym_hits(prepared);
        acronym_hits.extend(self.blend_hits(prepared));
        self.index.warm_names(&candidates);
        // Sized for every candidate: grown from empty, it was rehashed for most queries.
        let mut best: HashMap<u32, Scored> =
            HashMap::with_capacity_and_hasher(candidates.len() + acronym_hits.len(), Default::default());
        // Sized for most names' words: grown from empty, both moved blocks for the
        // first candidate of every query.
        let (mut name_views, mut rows) =
            (Vec::with_capacity(NAME_WORDS_RESERVED), Vec::with_capacity(NAME_WORDS_RESERVED));
        // The best score so far, and room for the entities' scores when more than one
        // candidate is asked for.
        let mut top = f64::NEG_INFINITY;
        let mut kept_scores: Vec<f64> = Vec::new();
        for id in candidates {
            let name = &self.index.names[id as usize];
            if name.exact_only()
                || !self.type_allowed(query, name)
                || only_its_consonants_meet(&self.index, prepared, name)
            {
                continue;
            }
            let kind = NameKind::of(name.kind);
            self.fill_name_views(name, &mut name_views);
            // Each name word's similarities to the query words, found once per word.
            rows.clear();
            let word_ids = self.index.words_of(name);
            rows.extend(
                word_ids.iter().zip(&name_views).map(|(&word, view)| similarities.row(word, query_views, view)),
            );
            let method = if loose_hits.contains(&id) { Method::Romanized } else { Method::Fuzzy };
            // A fuzzy name scoring below this cannot change the answer. The f32 nearest
            // the limit may be above it: a hair below it is not.
            let below = match &skip {
                Skip::Answer(needs) if method == Method::Fuzzy => needs
                    .skip_below(top, self.config.margin, &best, &mut kept_scores)
                    .map(|limit| (limit - 1e-6) as f32),
                Skip::Neighbours(needs) if method == Method::Fuzzy => Some((needs.skip_below() - 1e-6) as f32),
                _ => None,
            };
            let pair_similarity = |qi, ni| similarities.in_row(rows[ni], qi);
            let Some(alignment_score) = align_unless_below(
                query_views,
                &name_views,
                kind,
                pair_similarity,
                &mut scratch,
                below.unwrap_or(f32::NEG_INFINITY),
            ) else {
                // The neighbour search still counts the entity.
                if let Skip::Neighbours(_) = skip {
                    let score = f64::NEG_INFINITY;
                    keep_best(&mut best, Scored { entity: name.entity, name: id, score, method });
                }
                continue;
            };
            // Equal once romanization and word order are folded: as good as a spelling of
            // the name, whatever small weights (an article, word order) cost in alignment.
            let score = if method == Method::Romanized {
                1.0_f64.min(f64::from(alignment_score).max(0.97))
            } else {
                f64::from(alignment_score)
            };
            top = top.max(score);
            if let Skip::Neighbours(needs) = &mut skip {
                needs.note(name.entity, score);
            }
            keep_best(&mut best, Scored { entity: name.entity, name: id, score, method });
        }
        scratch.bound_joins(JOINED_WORDS_KEPT);
        ALIGN_SCRATCH.set(scratch);
        let query_forms = registration_forms(query_views.iter().map(|w| (w.folded, w.class)));
        for id in acronym_hits {
            let name = &self.index.names[id as usize];
            if self.type_allowed(query, name) {
                // An acronym leaves little else to go by, so the query's legal form must be
                // the name's: "PCC FZE" may be Petrochemical Commercial Company FZE; "PCC
                // GmbH" is not Pars Cement Company.
                let name_views = self.name_views(name);
                let name_forms = registration_forms(name_views.iter().map(|w| (w.folded, w.class)));
                let forms_unmet = query_forms.iter().any(|form| !name_forms.contains(form));
                let score = self.config.acronym_score - if forms_unmet { 0.1 } else { 0.0 };
                keep_best(&mut best, Scored { entity: name.entity, name: id, score, method: Method::Acronym });
            }
        }
        best.into_values().collect()
    }

    /// Lifts to just above the threshold the fuzzy candidates whose entity's names hold
    /// every word of the query between them, when the best name alone fell short because
    /// it lacks a word another name has. The margin still applies: two such entities are
    /// ambiguous.
    /// `query_views` are the query's word views, `similarities` its pair memo.
    fn lift_covered(
        &self,
        query_views: &[WordView<'_>],
        scored: &mut [Scored],
        threshold: f64,
        similarities: &mut PairSimilarities,
    ) {
        let lifted = threshold + COVERED_LIFT;
        // One list of names and one of views serve every candidate: allocating them for
        // each (a list, and one per name of its entity) was a few allocations for each of
        // most of a query's candidates, and at a million names many of those read a block
        // of the allocator's that the query's other reads had pushed out of the cache.
        let mut names: Vec<&IndexedName> = Vec::with_capacity(ENTITY_NAMES_RESERVED);
        let mut views: Vec<Vec<WordView<'_>>> = Vec::new();
        for candidate in scored.iter_mut() {
            if candidate.method != Method::Fuzzy || candidate.score < COVERED_FLOOR || candidate.score >= lifted {
                continue;
            }
            names.clear();
            names.extend(
                self.index
                    .names_beside(candidate.name)
                    .map(|id| &self.index.names[id as usize])
                    .filter(|name| !name.exact_only()),
            );
            if views.len() < names.len() {
                views.resize_with(names.len(), || Vec::with_capacity(NAME_WORDS_RESERVED));
            }
            for (name, name_views) in names.iter().zip(views.iter_mut()) {
                self.fill_name_views(name, name_views);
            }
            let entity_views = &views[..names.len()];
            let covered = covered_by(query_views, entity_views, |qi, k, j| {
                let row = similarities.row(self.index.words_of(names[k])[j], query_views, &entity_views[k][j]);
                similarities.in_row(row, qi)
            });
            if covered {
                candidate.score = lifted;
            }
        }
    }

    /// Names sharing a word (or a spelling of one) with the query, most evidence first,
    /// then the names `also` (in the one list, sized for both).
    fn word_candidates(
        &self,
        prepared: &PreparedQuery,
        query_views: &[WordView<'_>],
        lookalikes: Option<&WordLookalikes>,
        scratch: &mut AlignScratch,
        also: &[u32],
    ) -> Vec<u32> {
        // Rare words fetch candidates through their postings; common ones (a legal form,
        // "Mohammed") only add to candidates already found, checked name by name: their
        // postings are long, and walking them was most of a query's time.
        let mut common: Vec<(usize, u32, f32)> = Vec::with_capacity(COMMON_WORDS_RESERVED);
        let alike = self.query_lookalikes(prepared, query_views, lookalikes);
        let mut ranked = Evidence::with(|evidence| {
            self.walk_rare_postings(alike, evidence, &mut common);
            self.joined_word_candidates(prepared, evidence, scratch);
            if evidence.is_empty() && !common.is_empty() {
                common.sort_unstable_by_key(|&(len, word, _)| (len, word));
                let rarest: Vec<(usize, u32)> = common.iter().map(|&(len, word, _)| (len, word)).collect();
                for id in self.intersect_common(&rarest) {
                    evidence.set(id, 0.0);
                }
            }
            common_word_pool(evidence)
        });
        self.add_common_gains(&mut ranked, &common);
        best_candidates(ranked, also)
    }

    /// The look-alikes of every query word, their similarity made the gain (times the
    /// query word's weight): taken from `lookalikes` when it holds the word, else found
    /// (and remembered by the thread).
    fn query_lookalikes(
        &self,
        prepared: &PreparedQuery,
        query_views: &[WordView<'_>],
        lookalikes: Option<&WordLookalikes>,
    ) -> Vec<Lookalike> {
        // Sized for a usual query's look-alikes: grown from empty, the list moved to a
        // larger block a few times a query.
        let mut alike: Vec<Lookalike> = Vec::with_capacity(QUERY_LOOKALIKES_RESERVED);
        for (i, query_word) in query_views.iter().enumerate() {
            let weight = prepared.words[i].weight;
            let gain = |found: Lookalike| Lookalike { similarity: weight * found.similarity, ..found };
            match lookalikes.and_then(|known| known.get(query_word.folded)) {
                Some(known) => alike.extend(known.iter().copied().map(gain)),
                None => self.with_lookalikes_of(query_word, |found| alike.extend(found.iter().copied().map(gain))),
            }
        }
        alike
    }

    /// Adds to `evidence` the names holding the rarer look-alikes, rarest first, until the
    /// pool is full; the others go to `common` as (postings length, word, gain).
    fn walk_rare_postings(
        &self,
        mut alike: Vec<Lookalike>,
        evidence: &mut Evidence,
        common: &mut Vec<(usize, u32, f32)>,
    ) {
        // The most selective words first (fewest names); once enough candidates are
        // found, the remaining words only add to them, so a query costs about the same at
        // a thousand names as at a million. Taking the strongest first instead let a
        // misspelled word's common look-alike ("Repubic" ~ "Republic") fill the pool with
        // ties and push the one name that also holds "Syrian" out.
        sort_rarest_first(&mut alike);
        self.warm_postings(&alike, RARE_POSTINGS);
        for Lookalike { similarity: gain, word, postings } in alike {
            // A common word's entry is never read: its postings length came with it.
            if postings as usize > RARE_POSTINGS || evidence.len() >= EVIDENCE_LIMIT {
                common.push((postings as usize, word, gain));
                continue;
            }
            let postings = &self.index.words[word as usize].postings;
            evidence.add_all(postings, gain);
        }
    }

    /// Adds to each candidate of the pool (as [`evidence_rank`]s) the gains of the common
    /// words its name holds.
    fn add_common_gains(&self, ranked: &mut [u64], common: &[(usize, u32, f32)]) {
        if common.is_empty() {
            return;
        }
        // The candidates' names are scattered over a large table: reading every
        // entry before using any lets the CPU overlap the cache misses, which were
        // most of this loop's time at a million names.
        self.index.warm_name_entries(ranked.iter().map(|&rank| ranked_id(rank)));
        COMMON_WORDS.with_borrow_mut(|bits| {
            let found = common.iter().map(|&(_, word, gain)| (word, gain));
            let marks = CommonMarks::new(bits, self.index.words.len(), found);
            for rank in ranked.iter_mut() {
                let (id, score) = (ranked_id(*rank), ranked_evidence(*rank));
                let name = &self.index.names[id as usize];
                let gain = match self.index.inline_words(name) {
                    Some(slots) => marks.sum_in_place(slots),
                    None => marks.sum(self.index.words_of(name)),
                };
                *rank = evidence_rank(id, score + gain);
            }
        });
    }

    /// Names holding, as one word, adjacent query words joined ("Abu Bakr" finds
    /// "Abubakr"; رحمت الله finds "Rahmatullah" by its consonants; "Chong Chon Gang"
    /// finds "Chongchongang").
    /// `scratch` remembers the joined words' folds for aligning the candidates.
    fn joined_word_candidates(&self, prepared: &PreparedQuery, evidence: &mut Evidence, scratch: &mut AlignScratch) {
        let mut slots = [""; JOINED_SPAN_MAX];
        for (span, i) in JOINED_SPANS
            .into_iter()
            .flat_map(|span| (0..(prepared.folded.len() + 1).saturating_sub(span)).map(move |i| (span, i)))
        {
            let Some(run) = joinable_run(&mut slots, prepared.folded[i..i + span].iter().map(String::as_str)) else {
                continue;
            };
            let (joined, skeleton) =
                scratch.joined(run, run_ids(prepared.words[i..i + span].iter().map(|word| &word.facts)));
            let weight: f32 = prepared.words[i..i + span].iter().map(|word| word.weight).sum();
            // Between Latin spellings a joined word is looked up as it is; across scripts
            // it may differ in its vowels, so its spellings are probed too.
            let words = if prepared.analyzed.abjad {
                self.index.similar_words(joined, skeleton)
            } else {
                self.index.lookup_word(joined).into_iter().collect()
            };
            for word in words {
                let vocab = &self.index.words[word as usize];
                let meets = *vocab.folded == *joined || (prepared.analyzed.abjad && *vocab.skeleton == *skeleton);
                if meets && vocab.postings.len() <= RARE_POSTINGS {
                    evidence.add_all(&vocab.postings, weight);
                }
            }
        }
    }

    /// When every word is common, the names holding the two rarest of them.
    fn intersect_common(&self, common: &[(usize, u32)]) -> Vec<u32> {
        let first = &self.index.words[common[0].1 as usize].postings;
        let Some(&(_, second)) = common.get(1) else {
            return first.iter().take(SCORED_CANDIDATES).copied().collect();
        };
        let second = &self.index.words[second as usize].postings;
        let mut both = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < first.len() && j < second.len() && both.len() < SCORED_CANDIDATES * 4 {
            match first[i].cmp(&second[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    both.push(first[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        both
    }

    /// Names whose derived acronym the query is ("ISIL", "PCC FZE", "S.M.G.").
    /// A word that the table holds as a word of a longer name is read as that word, not
    /// as an acronym, unless the entity holding the word also holds another name it is
    /// the initials of: the two then agree (PLF, "PLF-Abu Abbas" and "Palestine
    /// Liberation Front"). A word held only as a whole name ("BLA" alone) is the acronym
    /// written alone, and still read as one.
    fn acronym_hits(&self, prepared: &PreparedQuery) -> Vec<u32> {
        let Some(letters) = query_acronym(prepared) else {
            return Vec::new();
        };
        let acronym = letters.as_str();
        if let Some(word) = self.index.lookup_word(acronym).filter(|&word| self.held_in_longer_names(word)) {
            let Some(initials_of) = self.index.acronyms.get(acronym) else {
                return Vec::new();
            };
            // Another name: "SAI Advisors Inc" holds SAI and is its own initials too.
            let holds_word = |id: u32| self.index.words_of(&self.index.names[id as usize]).contains(&word);
            let another_holds_word = |id: u32| self.index.names_beside(id).any(&holds_word);
            return initials_of.iter().copied().filter(|&id| !holds_word(id) && another_holds_word(id)).collect();
        }
        match self.index.acronyms.get(acronym) {
            Some(names) => names.clone(),
            None if acronym.len() <= SYLLABLE_ACRONYM_LETTERS => self.syllable_acronym_hits(acronym),
            None => Vec::new(),
        }
    }

    /// Whether some name holding the word has other words too.
    fn held_in_longer_names(&self, word: u32) -> bool {
        let postings = &self.index.words[word as usize].postings;
        postings.iter().any(|&id| self.index.words_of(&self.index.names[id as usize]).len() > 1)
    }

    /// Names a one-word query blends: a head that begins a word of substance and a tail
    /// that is the next one (AGRONILO is Agropecuaria el Nilo, COMECARNES Comercializadora
    /// de Carnes). A word the table holds is that word, never a blend.
    fn blend_hits(&self, prepared: &PreparedQuery) -> Vec<u32> {
        let mut content = (0..prepared.legal().len()).filter(|&i| prepared.legal_class(i) == WordClass::Content);
        let (Some(i), None) = (content.next(), content.next()) else {
            return Vec::new();
        };
        let word = &prepared.legal()[i];
        if word.len() < BLEND_HEAD_LETTERS + BLEND_TAIL_LETTERS
            || !word.bytes().all(|b| b.is_ascii_alphabetic())
            || self.index.lookup_word(&prepared.legal_fold(i)).is_some()
        {
            return Vec::new();
        }
        let (mut hits, mut letters) = (Vec::new(), String::new());
        for cut in BLEND_HEAD_LETTERS..=word.len() - BLEND_TAIL_LETTERS {
            let (head, tail) = word.split_at(cut);
            let Some(tail_word) = self.index.lookup_word(&fold::fold_word(tail)) else {
                continue;
            };
            // A common tail ("Trading") would make the blend cost as much as the table.
            let postings = &self.index.words[tail_word as usize].postings;
            if postings.len() > RARE_POSTINGS {
                continue;
            }
            let pieces = [head, tail];
            let in_words: Vec<&str> = pieces.iter().copied().filter(|p| !begins_legal_form(p)).collect();
            for &id in postings {
                let text = self.name_text(&self.index.names[id as usize]);
                // Most names holding the tail lack the head's letters: no need to analyse them.
                if may_begin_words(&[head], text, &mut letters) && self.pieces_begin_name(id, text, &pieces, &in_words)
                {
                    hits.push(id);
                }
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// Whether `pieces` begin the words of name `id` (its text `text`) in order
    /// ([`pieces_begin_words`]), read as its romanized words with legal forms in one
    /// spelling. `in_words`, the pieces that begin no legal short form, are looked for in
    /// the words as written first: legal phrases only replace words with their short
    /// forms, so a piece that begins none of them rules the name out before its words are
    /// folded for them.
    fn pieces_begin_name(&self, id: u32, text: &str, pieces: &[&str], in_words: &[&str]) -> bool {
        let latin = self.index.romanized(id).unwrap_or_else(|| normalize::latin_words(&normalize::normalize(text)));
        in_words.iter().all(|piece| latin.iter().any(|w| w.starts_with(piece)))
            && pieces_begin_words(pieces, &canonical_legal_forms(&latin))
    }

    /// Names whose words begin with the query's pieces in order: IASCO is Iran Alloy
    /// Steel COmpany, PEDCO PEtroiran Development COmpany. Found by the initials of each
    /// way of cutting the query, then checked word by word.
    fn syllable_acronym_hits(&self, acronym: &str) -> Vec<u32> {
        let mut hits = Vec::new();
        let mut letters = String::new();
        let mut texts: Vec<&str> = Vec::new();
        for pieces in acronym_pieces(acronym) {
            let initials: String = pieces.iter().filter_map(|p| p.chars().next()).collect();
            // Initials that many names share say nothing, and checking each would make a
            // short query cost as much as the table is large.
            let Some(names) = self.index.acronyms.get(initials.as_str()).filter(|n| n.len() <= SYLLABLE_ACRONYM_NAMES)
            else {
                continue;
            };
            // A piece that begins a legal short form (or "and") may begin a word of any
            // name; the others are looked for in each name. Sorted out once per cutting,
            // not once per name.
            let in_words: Vec<&str> = pieces.iter().copied().filter(|p| !begins_legal_form(p)).collect();
            let in_text: Vec<&str> = in_words.iter().copied().filter(|p| !"and".starts_with(p)).collect();
            // Every name's text found, and its first letter read, before any is checked:
            // each is a chain of loads through a large table (name, entity, alias, text)
            // that need not wait for another name's, and at a million names waiting for
            // them in turn was most of this check's time (perf).
            texts.clear();
            texts.extend(names.iter().map(|&id| self.name_text(&self.index.names[id as usize])));
            let touched =
                texts.iter().fold(0u8, |touched, text| touched ^ text.as_bytes().first().copied().unwrap_or(0));
            std::hint::black_box(touched);
            for (&id, &text) in names.iter().zip(&texts) {
                if !may_begin_words(&in_text, text, &mut letters) {
                    continue;
                }
                if self.pieces_begin_name(id, text, &pieces, &in_words) {
                    hits.push(id);
                }
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// Best first; equal scores in entity-id order, so answers never depend on hashing.
    fn rank(&self, scored: &mut [Scored]) {
        scored.sort_by(|a, b| self.ranking(a, b));
    }

    /// [`Matcher::rank`], keeping only the first `limit`: those are selected before they
    /// are sorted, since sorting every hit (comparing entity ids as text on equal scores)
    /// to read the first few was 7% of dedupe's neighbour queries (perf, 1 M records).
    /// `scored` holds one hit per entity and entity ids are unique, so the order is
    /// total: the same first `limit`, in the same order, as a full sort.
    fn rank_best(&self, scored: &mut Vec<Scored>, limit: usize) {
        if limit == 0 {
            scored.clear();
            return;
        }
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, |a, b| self.ranking(a, b));
            scored.truncate(limit);
        }
        self.rank(scored);
    }

    /// The order of [`Matcher::rank`]: higher score first, then entity id.
    fn ranking(&self, a: &Scored, b: &Scored) -> std::cmp::Ordering {
        b.score.total_cmp(&a.score).then_with(|| self.entity_id(a.entity).cmp(self.entity_id(b.entity)))
    }

    fn decide(
        &self,
        query: &Query<'_>,
        prepared: &PreparedQuery,
        mut scored: Vec<Scored>,
        threshold: f64,
    ) -> Resolution {
        self.rank(&mut scored);
        let margin = self.margin_at(scored.first().map_or(0.0, |s| s.score), threshold);
        let outcome = match scored.as_slice() {
            [] => Outcome::NoMatch,
            [best, ..] if best.score < threshold => Outcome::NoMatch,
            [best, second, ..] if second.score >= best.score - margin => Outcome::Ambiguous,
            _ => Outcome::Matched,
        };
        let contenders = match outcome {
            Outcome::Ambiguous => scored.iter().take_while(|s| s.score >= scored[0].score - margin).count(),
            _ => 0,
        };
        let candidates: Vec<Candidate> =
            scored.iter().take(query.max_candidates.max(contenders)).map(|s| self.candidate(s)).collect();
        let best = (outcome == Outcome::Matched).then(|| self.candidate(&scored[0]));
        let explanation = query.explain.then(|| self.explain(prepared, scored.first()));
        Resolution { outcome, best, candidates, explanation }
    }

    /// The margin narrows as the best score nears 1: two near-perfect names of different
    /// entities are told apart by less than two middling ones.
    fn margin_at(&self, best: f64, threshold: f64) -> f64 {
        margin_at(self.config.margin, best, threshold)
    }

    fn explain(&self, prepared: &PreparedQuery, best: Option<&Scored>) -> Explanation {
        let mut explanation = Explanation {
            query_key: prepared.analyzed.strict.clone(),
            query_words: prepared.folded.clone(),
            ..Default::default()
        };
        if let Some(best) = best {
            let name = &self.index.names[best.name as usize];
            let views = self.name_views(name);
            explanation.name_words = views.iter().map(|v| v.folded.to_string()).collect();
            explanation.pairs = align(&prepared.views(&self.index), &views, NameKind::of(name.kind)).pairs;
        }
        explanation
    }

    fn candidate(&self, scored: &Scored) -> Candidate {
        let entity = &self.table.entities()[scored.entity as usize];
        let name = &self.index.names[scored.name as usize];
        Candidate {
            entity_id: entity.id.clone(),
            name: entity.name.text.clone(),
            kind: entity.kind,
            score: candidate_score(scored.score),
            matched_alias: self.name_text(name).to_string(),
            method: scored.method,
        }
    }

    fn name_views(&self, name: &IndexedName) -> Vec<WordView<'_>> {
        let mut views = Vec::new();
        self.fill_name_views(name, &mut views);
        views
    }

    /// `views` made the views of `name`'s words, reusing its memory: scoring fills one
    /// per candidate.
    fn fill_name_views<'a>(&'a self, name: &IndexedName, views: &mut Vec<WordView<'a>>) {
        views.clear();
        views.extend(self.index.words_of(name).iter().enumerate().map(|(position, &id)| {
            let word = &self.index.words[id as usize];
            WordView {
                folded: &word.folded,
                skeleton: &word.skeleton,
                weight: word.weight,
                group: word.group,
                class: word.class,
                abjad: name.abjad(),
                surname: position < usize::from(name.surname_words),
                numeral: word.numeral,
                facts: word.facts,
            }
        }));
    }

    fn name_text(&self, name: &IndexedName) -> &str {
        let entity = &self.table.entities()[name.entity as usize];
        if name.alias == PRIMARY {
            &entity.name.text
        } else {
            &entity.aliases[name.alias as usize].text
        }
    }

    fn entity_id(&self, entity: u32) -> &str {
        &self.table.entities()[entity as usize].id
    }

    fn type_allowed(&self, query: &Query<'_>, name: &IndexedName) -> bool {
        query.kind.is_none_or(|kind| name.kind == kind)
    }
}

/// Word similarities already computed for one query: its candidates share many words
/// (the query's own, legal forms, common given names), and comparing word pairs was
/// most of the time spent scoring them. Kept as one row per name word met, its
/// similarity with each query word in query order: aligning a name asks for every pair
/// of its words with the query's, so a name costs one lookup per word, not per pair.
#[derive(Default)]
struct PairSimilarities {
    /// Where each name word's row starts in `similarities`.
    rows: HashMap<u64, usize>,
    similarities: Vec<Option<(f32, Rule)>>,
    /// The query words' letter tables (`edit::LetterTable`), built with the first row:
    /// each query word meets every new name word.
    tables: Vec<edit::LetterTable>,
}

/// Name words a query's candidates hold between them, sized for most queries (16 names
/// of a few words, many shared): grown from empty, the memo rehashed three or four
/// times per query.
const PAIR_SIMILARITIES_CAPACITY: usize = 32;
/// Name words a thread's memo may have room for and still be kept for its next query:
/// emptying a map costs in proportion to its room, so one query with many candidates
/// does not leave every later query a large map to empty.
const PAIR_SIMILARITIES_KEPT: usize = 1024;

thread_local! {
    /// The pair memo's memory, kept by each thread across its queries (emptied for
    /// each): allocating a map and its rows was two allocations and two frees a query.
    static PAIR_SIMILARITIES: std::cell::Cell<PairSimilarities> = std::cell::Cell::default();
}

impl PairSimilarities {
    /// Calls `use_it` with this thread's memo, empty; keeps its memory for the thread's
    /// next query unless it grew past [`PAIR_SIMILARITIES_KEPT`] words.
    fn with<T>(use_it: impl FnOnce(&mut PairSimilarities) -> T) -> T {
        // Taking it leaves an empty memo in its place (no allocation).
        let mut memo = PAIR_SIMILARITIES.take();
        memo.rows.clear();
        memo.similarities.clear();
        memo.tables.clear();
        memo.rows.reserve(PAIR_SIMILARITIES_CAPACITY);
        memo.similarities.reserve(PAIR_SIMILARITIES_CAPACITY * 4);
        let result = use_it(&mut memo);
        if memo.rows.capacity() <= PAIR_SIMILARITIES_KEPT {
            PAIR_SIMILARITIES.set(memo);
        }
        result
    }

    /// The row of a name word, the vocabulary word `word`: `word_similarity` of each of
    /// `query` with it, computed the first time it is asked for. A name word's view is
    /// its vocabulary entry plus the name's script and surname flags; the similarity
    /// reads the script, so it is part of the key (the surname flag is not: a given name
    /// and a family name spelled alike are one row).
    fn row(&mut self, word: u32, query: &[WordView<'_>], name: &WordView<'_>) -> usize {
        let key = (u64::from(word) << 1) | u64::from(name.abjad);
        let (similarities, tables) = (&mut self.similarities, &mut self.tables);
        *self.rows.entry(key).or_insert_with(|| {
            // One query per memo: its tables, once built, are this query's.
            if tables.len() != query.len() {
                tables.clear();
                tables.extend(query.iter().map(|query_word| edit::LetterTable::of(query_word.folded.as_bytes())));
            }
            let start = similarities.len();
            similarities.extend(
                query
                    .iter()
                    .zip(tables.iter())
                    .map(|(query_word, table)| word_similarity_with_table(query_word, Some(table), name)),
            );
            start
        })
    }

    /// The similarity of query word `qi` in the row starting at `row` ([`Self::row`]).
    fn in_row(&self, row: usize, qi: usize) -> Option<(f32, Rule)> {
        self.similarities.get(row + qi).copied().flatten()
    }
}

thread_local! {
    /// One bit per vocabulary word, set for the common words of the query being resolved
    /// and cleared after it ([`CommonMarks`]).
    static COMMON_WORDS: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The common words of one query marked in a thread's bits, with their summed gains;
/// unmarked when dropped. The gains are looked up for every word of the best few
/// hundred candidate names, and at a million names 87% of those names hold none of the
/// query's common words. A bit says so in a few instructions, one read of a table of a
/// few KiB, and a branch that is almost always not taken: looking each word up through
/// a filter and then a hash map branched on what it found, word by word and on the
/// name's length, and those mispredictions were most of the pass's time after its
/// cache misses (the pass after them about halved at a million names, both versions
/// timed on the same queries in one process, alternating).
///
/// A name's sum is its common words' gains added in its word order from -0.0, as
/// `Iterator::sum` over them did: bit for bit the same evidence.
struct CommonMarks<'a> {
    bits: &'a mut Vec<u64>,
    /// Each common word and its gains summed from 0.0 in the order found.
    sums: Vec<(u32, f32)>,
    /// An id past every vocabulary word, whose bit is never set: slots of a name past its
    /// words (`index::NO_WORD`) read it.
    past_words: u32,
}

impl<'a> CommonMarks<'a> {
    fn new(bits: &'a mut Vec<u64>, vocabulary: usize, found: impl IntoIterator<Item = (u32, f32)>) -> CommonMarks<'a> {
        let needed = vocabulary / 64 + 1;
        if bits.len() < needed {
            bits.resize(needed, 0);
        }
        let mut sums: Vec<(u32, f32)> = Vec::new();
        for (word, gain) in found {
            match sums.iter_mut().find(|(w, _)| *w == word) {
                Some((_, sum)) => *sum += gain,
                None => sums.push((word, 0.0 + gain)),
            }
            bits[word as usize / 64] |= 1 << (word % 64);
        }
        CommonMarks { bits, sums, past_words: vocabulary as u32 }
    }

    /// The summed gains of `words`' common words, in their order from -0.0.
    fn sum(&self, words: &[u32]) -> f32 {
        words.iter().fold(-0.0, |sum, &word| self.add(sum, word))
    }

    /// [`CommonMarks::sum`] of the word slots a name holds in place: a loop of known
    /// length, unrolled.
    fn sum_in_place(&self, slots: &[u32; INLINE_WORDS]) -> f32 {
        slots.iter().fold(-0.0, |sum, &word| self.add(sum, word))
    }

    /// `sum` plus the gain of `word` if it is a common word.
    #[inline(always)]
    fn add(&self, sum: f32, word: u32) -> f32 {
        let word = word.min(self.past_words);
        let marked = self.bits.get(word as usize / 64).is_some_and(|bits| bits >> (word % 64) & 1 != 0);
        if marked {
            sum + self.sums.iter().find(|&&(w, _)| w == word).map_or(0.0, |&(_, gain)| gain)
        } else {
            sum
        }
    }
}

impl Drop for CommonMarks<'_> {
    fn drop(&mut self) {
        for &(word, _) in &self.sums {
            if let Some(bits) = self.bits.get_mut(word as usize / 64) {
                *bits = 0;
            }
        }
    }
}

/// A candidate name and its evidence as one integer that sorts it into place, smallest
/// first: most evidence first (in `f32::total_cmp`'s order), then the lowest name id.
/// Ids are unique, so the order is total. Selecting the best few hundred candidates by a
/// comparison of two fields through a closure was a twentieth of resolve's instructions.
fn evidence_rank(id: u32, evidence: f32) -> u64 {
    (u64::from(sort_key::descending(evidence)) << 32) | u64::from(id)
}

/// The name id of an [`evidence_rank`].
fn ranked_id(rank: u64) -> u32 {
    rank as u32
}

/// The evidence of an [`evidence_rank`], bit for bit.
fn ranked_evidence(rank: u64) -> f32 {
    sort_key::from_descending((rank >> 32) as u32)
}

/// The candidates common words are weighed for: the [`COMMON_WORD_POOL`] with the most
/// evidence, as [`evidence_rank`]s in no particular order.
fn common_word_pool(evidence: &Evidence) -> Vec<u64> {
    let mut ranked: Vec<u64> = evidence.iter().map(|(id, gain)| evidence_rank(id, gain)).collect();
    // Common words can lift a candidate only so far: they are weighed for the best
    // few hundred, looked up word by word.
    if ranked.len() > COMMON_WORD_POOL {
        ranked.select_nth_unstable(COMMON_WORD_POOL);
        ranked.truncate(COMMON_WORD_POOL);
    }
    ranked
}

/// The [`SCORED_CANDIDATES`] best of the pool's ranks, best first, then `also`: one list
/// sized for both, where extending the best with `also` moved it to a larger block.
fn best_candidates(mut ranked: Vec<u64>, also: &[u32]) -> Vec<u32> {
    if ranked.len() > SCORED_CANDIDATES {
        ranked.select_nth_unstable(SCORED_CANDIDATES);
        ranked.truncate(SCORED_CANDIDATES);
    }
    ranked.sort_unstable();
    let mut best = Vec::with_capacity(ranked.len() + also.len());
    best.extend_from_slice(also);
    best.extend(ranked.into_iter().map(ranked_id).filter(|id| !also.contains(id)));
    best
}

/// [`Matcher::margin_at`] for the configured `margin`.
fn margin_at(margin: f64, best: f64, threshold: f64) -> f64 {
    let room = (1.0 - threshold).max(1e-6);
    margin * ((1.0 - best) / room).clamp(0.15, 1.0)
}

/// A score as candidates show it: four decimals.
fn candidate_score(score: f64) -> f64 {
    (score * 1e4).round() / 1e4
}

fn keep_best(best: &mut HashMap<u32, Scored>, scored: Scored) {
    match best.get(&scored.entity) {
        Some(current)
            if current.score > scored.score || (current.score == scored.score && current.name <= scored.name) => {}
        _ => {
            best.insert(scored.entity, scored);
        }
    }
}

/// Whether a query of one word of substance could meet `name` only through consonants
/// across scripts (one of the two is written without short vowels) while the name's
/// entity has a name in the query's own script, which the query meets if it is that
/// entity. One word's consonants match thousands of names across scripts: "Walker" is
/// בולגריה (Bulgaria), "Ross" روس (Russia), طارق (Tariq) Турк (Turkey).
fn only_its_consonants_meet(index: &Index, query: &PreparedQuery, name: &IndexedName) -> bool {
    (query.analyzed.abjad || name.abjad())
        && name.script() != query.script
        && index.entity_has_script(name.entity, query.script)
        && query.words.iter().filter(|word| word.class == WordClass::Content).count() < 2
}

/// How many letters a query read as an acronym has.
const ACRONYM_LETTERS: std::ops::RangeInclusive<usize> = 3..=MAX_INITIALS;
pub(super) const MAX_INITIALS: usize = 8;

/// The letters of a query read as an acronym, held in place: the query's words joined
/// were a string allocated for nearly every query, most of them found out after a word.
#[derive(Debug, Default)]
struct AcronymLetters {
    /// ASCII letters only, so any prefix is a string.
    letters: [u8; *ACRONYM_LETTERS.end()],
    len: usize,
}

impl AcronymLetters {
    /// Appends `word` when it is ASCII letters and they fit; whether it did.
    fn push(&mut self, word: &str) -> bool {
        let end = self.len + word.len();
        let fits = end <= self.letters.len() && word.bytes().all(|b| b.is_ascii_alphabetic());
        if fits {
            self.letters[self.len..end].copy_from_slice(word.as_bytes());
            self.len = end;
        }
        fits
    }

    fn as_str(&self) -> &str {
        // Never empty in fact: only ASCII letters are pushed.
        std::str::from_utf8(&self.letters[..self.len]).unwrap_or_default()
    }
}

/// A query read as an acronym: its words (romanized, legal forms in one spelling) other
/// than legal forms, when they are one word of 3 to 8 letters, or a few short words that
/// join to one ("ISIL K"); never a name whose every word is written as a name is ("Mia").
fn query_acronym(query: &PreparedQuery) -> Option<AcronymLetters> {
    // "Mia" and "Roy" are names: read as initials they were Mga Islang Åland and the
    // Republic of Yemen.
    if query.cased_as_words {
        return None;
    }
    let mut joined = AcronymLetters::default();
    let (mut content, mut all_short) = (0, true);
    for (i, word) in query.legal().iter().enumerate() {
        if query.legal_class(i) != WordClass::Content {
            continue;
        }
        // Too long or not all letters already: no later word can mend it, and most
        // queries are found out before all their words are classed.
        if !joined.push(word) {
            return None;
        }
        content += 1;
        all_short &= word.len() <= 4;
    }
    let short_words = content == 1 || all_short;
    (short_words && ACRONYM_LETTERS.contains(&joined.len)).then_some(joined)
}

/// Every way of cutting an acronym into three or more pieces, at least one of them longer
/// than a letter (one letter each is the plain acronym).
fn acronym_pieces(acronym: &str) -> Vec<Vec<&str>> {
    let len = acronym.len();
    let mut all = Vec::new();
    // Bit i of `cuts` set: a piece ends after letter i.
    for cuts in 0u32..(1 << (len - 1)) {
        let pieces = cuts.count_ones() as usize + 1;
        if pieces < 3 || pieces == len {
            continue;
        }
        let mut start = 0;
        let mut cut = Vec::with_capacity(pieces);
        for i in 0..len {
            if i + 1 == len || cuts & (1 << i) != 0 {
                cut.push(&acronym[start..=i]);
                start = i + 1;
            }
        }
        all.push(cut);
    }
    all
}

/// A necessary condition for `pieces_begin_words`, read from a name's text without
/// analysing it: a short acronym reaches thousands of names at a million, and analysing
/// each was nearly all the time of the slowest queries. An ASCII name's words are runs of
/// its letters and digits (punctuation only joins or splits them), besides "and" for `&`
/// and the short legal forms phrases are rewritten to; so a piece that begins none of
/// those (the caller leaves those out of `pieces`) and is not in the text's letters
/// begins no word. Other scripts are romanized first, so no piece is ruled out.
/// `letters` is a buffer reused across names.
fn may_begin_words(pieces: &[&str], text: &str, letters: &mut String) -> bool {
    if !text.is_ascii() {
        return true;
    }
    letters.clear();
    letters.extend(text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()));
    pieces.iter().all(|piece| letters.contains(piece))
}

/// Whether a piece begins a word legal phrases are rewritten to. Every beginning of
/// those words is gathered once: trying each word for every piece of every way of
/// cutting a short query was two percent of resolve's instructions.
fn begins_legal_form(piece: &str) -> bool {
    static BEGINNINGS: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> = std::sync::OnceLock::new();
    BEGINNINGS
        .get_or_init(|| {
            legal_form_words()
                .flat_map(|word| {
                    (0..=word.len()).filter(|&end| word.is_char_boundary(end)).map(move |end| &word[..end])
                })
                .collect()
        })
        .contains(piece)
}

/// Whether the pieces begin the name's words in order, using every word of substance
/// and skipping only stop words and trailing legal forms.
fn pieces_begin_words(pieces: &[&str], words: &[String]) -> bool {
    let skippable = |w: &String| class_of_folded(&fold::fold_word(w)) == WordClass::Stop;
    let trailing_only = |rest: &[String]| {
        rest.iter().all(|w| skippable(w) || class_of_folded(&fold::fold_word(w)) == WordClass::LegalForm)
    };
    fn walk(
        pieces: &[&str],
        words: &[String],
        skippable: &dyn Fn(&String) -> bool,
        trailing_only: &dyn Fn(&[String]) -> bool,
    ) -> bool {
        let Some((piece, rest_pieces)) = pieces.split_first() else {
            return trailing_only(words);
        };
        for (i, word) in words.iter().enumerate() {
            if word.starts_with(piece) && walk(rest_pieces, &words[i + 1..], skippable, trailing_only) {
                return true;
            }
            if !skippable(word) {
                return false;
            }
        }
        false
    }
    walk(pieces, words, &skippable, &trailing_only)
}

/// Whether `short` reads as an acronym of `long` ("ISIL" of "Islamic State of Iraq and
/// the Levant").
fn is_acronym_of(short: &PreparedQuery, long: &PreparedQuery) -> bool {
    query_acronym(short).is_some_and(|a| derived_acronyms(&long.analyzed.latin).iter().any(|d| d == a.as_str()))
}

fn fuzzy_method(left: &PreparedQuery, right_folded: &[String], alignment: &Alignment) -> Method {
    if normalize::loose_key_of(&left.folded) == normalize::loose_key_of(right_folded) && alignment.score > 0.0 {
        Method::Romanized
    } else {
        Method::Fuzzy
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::index::NO_WORD;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn a_thread_pair_memo_is_empty_for_each_query_and_keeps_only_modest_memory() {
        let held = PairSimilarities::with(|memo| {
            assert!(memo.rows.is_empty() && memo.similarities.is_empty());
            memo.rows.insert(7, 0);
            memo.similarities.push(Some((0.5, Rule::Equal)));
            memo.rows.capacity()
        });
        assert!(held <= PAIR_SIMILARITIES_KEPT);
        PairSimilarities::with(|memo| {
            assert!(memo.rows.is_empty() && memo.similarities.is_empty(), "the last query's rows were left");
            assert!(memo.rows.capacity() >= held, "the memory was not kept");
            memo.rows.reserve(PAIR_SIMILARITIES_KEPT * 2);
        });
        PairSimilarities::with(|memo| {
            assert!(memo.rows.capacity() < PAIR_SIMILARITIES_KEPT, "a large memo was kept");
        });
    }

    #[test]
    fn a_prepared_name_is_written_as_a_person_exactly_when_its_analysis_is() {
        let matcher = Matcher::new(std::sync::Arc::new(crate::aliases::AliasTable::default()), Default::default());
        for name in [
            "GANOV, Alexander Nikolaevich",
            "DUHOPEL, Duhal",
            "ROMASHKA, AO",
            "ROMASHKA, Aktsionernoe Obshchestvo",
            "ACME, LLC",
            "KHAN, Abu al-Hasan",
            "Islamic State",
            "Nusra Front, al-",
            "BANK OF KUNLUN, Co. Ltd",
        ] {
            let analyzed = AnalyzedName::new(name).expect("a valid name");
            let expected = analyzed.written_as_person();
            assert_eq!(matcher.prepare(analyzed).written_as_person(), expected, "{name}");
        }
        let person = |name| AnalyzedName::new(name).is_ok_and(|analyzed| analyzed.written_as_person());
        assert!(person("GANOV, Alexander Nikolaevich") && !person("ROMASHKA, AO") && !person("Islamic State"));
    }

    #[test]
    fn evidence_ranks_most_first_then_lowest_id() {
        let by_evidence = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let values = sort_key::EDGE_VALUES;
        let candidates: Vec<(u32, f32)> =
            values.iter().enumerate().flat_map(|(i, &v)| [(i as u32, v), (100 - i as u32, v)]).collect();
        for a in &candidates {
            for b in &candidates {
                assert_eq!(evidence_rank(a.0, a.1).cmp(&evidence_rank(b.0, b.1)), by_evidence(a, b), "{a:?} / {b:?}");
            }
            let rank = evidence_rank(a.0, a.1);
            assert_eq!((ranked_id(rank), ranked_evidence(rank).to_bits()), (a.0, a.1.to_bits()));
        }
    }

    #[test]
    fn common_marks_sum_as_the_map_of_gains() {
        let vocabulary = 70_000;
        let mut map: HashMap<u32, f32> = HashMap::default();
        let mut found = Vec::new();
        for (i, word) in [7u32, 7, 300, 301, 65_536, 63, 64, 7].into_iter().enumerate() {
            let gain = 0.1 + i as f32 / 3.0;
            found.push((word, gain));
            *map.entry(word).or_default() += gain;
        }
        let mut bits = Vec::new();
        {
            let marks = CommonMarks::new(&mut bits, vocabulary, found);
            let names: [&[u32]; 5] =
                [&[7, 1, 300], &[2, 3, NO_WORD, NO_WORD], &[65_536, 64, 63, 7, 7], &[], &[300, 69_999, 301]];
            for words in names {
                let expected: f32 = words.iter().filter_map(|word| map.get(word)).sum();
                assert_eq!(marks.sum(words).to_bits(), expected.to_bits(), "{words:?}");
            }
        }
        assert!(bits.iter().all(|&b| b == 0), "unmarked when done");
    }

    #[test]
    fn legal_form_beginnings_are_those_of_the_words() {
        for piece in ["", "l", "ll", "llc", "llcx", "g", "gmb", "gmbh", "in", "inter", "international", "x", "zz", "sa"]
        {
            assert_eq!(begins_legal_form(piece), legal_form_words().any(|w| w.starts_with(piece)), "{piece}");
        }
    }

    #[test]
    fn an_acronym_is_cut_into_pieces_of_three_or_more() {
        let pieces = acronym_pieces("iasco");
        assert!(pieces.contains(&vec!["i", "a", "s", "co"]));
        assert!(!pieces.contains(&vec!["i", "a", "s", "c", "o"]), "one letter each is the plain acronym");
        assert!(!pieces.iter().any(|p| p.len() < 3));
        assert!(acronym_pieces("abc").is_empty());
    }

    #[test]
    fn pieces_must_begin_every_word_of_substance_in_order() {
        assert!(pieces_begin_words(&["i", "a", "s", "co"], &words("iran alloy steel co")));
        assert!(pieces_begin_words(&["g", "a", "e", "sa"], &words("grupo de administracion empresarial sa")));
        assert!(pieces_begin_words(&["vi", "s", "co"], &words("vian steel complex ltd")));
        assert!(!pieces_begin_words(&["i", "s", "co"], &words("iran alloy steel co")), "alloy left out");
        assert!(!pieces_begin_words(&["a", "i", "s", "co"], &words("iran alloy steel co")), "out of order");
    }
}
