//! A name checked and analysed once, for batch jobs that ask about the same name more
//! than once (dedupe resolves every spelling, then looks for neighbours of the unknown
//! ones): [`Matcher::resolve_analyzed`] and [`Matcher::similar_analyzed`] answer exactly
//! as [`Matcher::resolve`] and [`Matcher::similar`] without analysing the name again.
//!
//! Two spellings with equal `AnalyzedName`s ("ACME Trading Ltd" and "acme trading ltd")
//! get the same resolution from any matcher, unless the matcher's table holds their
//! strict key ([`Matcher::holds_strict_key`]): only that stage reads the raw text (an
//! exact spelling outranks a normalized one). A batch job may resolve one of them and
//! reuse the answer for the others.

use std::hash::{Hash, Hasher};

use super::index::{name_words, surname_words};
use super::resolve::MAX_INITIALS;
use super::words::{class_of_folded, WordClass};
use super::{Matcher, QueryError};
use crate::aliases::MAX_NAME_CHARS;
use crate::normalize::{self, Analyzed};

/// Everything of a name that resolve reads besides its raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedName {
    pub(super) analyzed: Analyzed,
    pub(super) surname_words: u8,
    /// A name short enough to be read as initials whose every word is written as a name
    /// is, a capital and then lower-case letters ("Mia", "Roy", "Chan Song"): read as
    /// words, never as the initials of a longer name, which lists write in capitals
    /// ("MIA", "PCC Ltd"). Always false for a longer name, so that its case variants keep
    /// one analysis.
    pub(super) cased_as_words: bool,
}

impl AnalyzedName {
    /// Checks and analyses a name; the errors are those `resolve` gives.
    pub fn new(name: &str) -> Result<AnalyzedName, QueryError> {
        let analyzed = checked(name)?;
        let cased_as_words = cased_as_words(name) && short_enough_for_initials(&analyzed);
        Ok(AnalyzedName { analyzed, surname_words: surname_words(name), cased_as_words })
    }

    /// The strict key (`normalize::normalize` of the name).
    pub fn strict_key(&self) -> &str {
        &self.analyzed.strict
    }

    /// Whether the name is written as lists write people's ("FAMILY, Given") and holds
    /// no legal form, spelled out or not ("ROMASHKA, AO" is a company): how a name of no
    /// known type is taken for a person's, so that the rules for people's names apply.
    pub fn written_as_person(&self) -> bool {
        self.surname_words > 0
            && !name_words(&self.analyzed).iter().any(|word| class_of_folded(word) == WordClass::LegalForm)
    }
}

/// The checks every query passes before matching, and its analysis.
fn checked(name: &str) -> Result<normalize::Analyzed, QueryError> {
    if name.trim().is_empty() {
        return Err(QueryError::Empty);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(QueryError::TooLong { chars, limit: MAX_NAME_CHARS });
    }
    let analyzed = normalize::analyze(name);
    if analyzed.strict.is_empty() || analyzed.folded.is_empty() {
        return Err(QueryError::NothingToMatch);
    }
    Ok(analyzed)
}

/// Whether every word of `name` (runs of letters) is a capital followed by lower-case
/// letters. A name in one case, or with a word in capitals, may be initials.
fn cased_as_words(name: &str) -> bool {
    let mut words = name.split(|c: char| !c.is_alphabetic()).filter(|word| !word.is_empty()).peekable();
    words.peek().is_some()
        && words.all(|word| {
            let mut letters = word.chars();
            letters.next().is_some_and(char::is_uppercase) && letters.any(char::is_lowercase)
        })
}

/// Whether the words of a name that carry its identity (not legal forms, titles or stop
/// words) hold few enough letters to be read as an acronym: a necessary condition for
/// resolve's acronym stage, checked on the romanized words. A word whose class is not
/// known without folding it again counts, so the answer errs towards true.
fn short_enough_for_initials(analyzed: &Analyzed) -> bool {
    let aligned = analyzed.folded.len() == analyzed.latin.len();
    let mut letters = 0;
    for (i, word) in analyzed.latin.iter().enumerate() {
        let is_content = !aligned || class_of_folded(&analyzed.folded[i]) == WordClass::Content;
        if is_content {
            letters += word.len();
            if letters > MAX_INITIALS {
                return false;
            }
        }
    }
    true
}

impl Hash for AnalyzedName {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Analyzed { strict, latin, folded, abjad } = &self.analyzed;
        (strict, latin, folded, abjad, self.surname_words, self.cased_as_words).hash(state);
    }
}

impl Matcher {
    /// Whether the table holds a name with this strict key: then resolve's answer
    /// depends on the raw spelling, not only on the analysis.
    pub fn holds_strict_key(&self, name: &AnalyzedName) -> bool {
        self.index.strict.contains_key(name.strict_key())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::aliases;
    use crate::matcher::{MatchConfig, Query};

    const NAMES: [&str; 10] = [
        "Syria",
        "SYRIA",
        "Syrian Arab Republic",
        "syrian arab republc",
        "Kahal Rusfenga Logistics GmbH",
        "KAHAL RUSFENGA LOGISTICS GMBH",
        "DUHOPEL, Duhal",
        "Duhopel Duhal",
        "  ",
        "...",
    ];

    fn builtin() -> Matcher {
        let loaded = aliases::load_builtin().expect("the built-in table loads");
        Matcher::new(Arc::new(loaded.table), MatchConfig::default())
    }

    #[test]
    fn analysed_queries_answer_as_plain_ones() {
        let matcher = builtin();
        for name in NAMES {
            let query = Query::new(name);
            match AnalyzedName::new(name) {
                Err(error) => assert_eq!(matcher.resolve(&query), Err(error), "{name}"),
                Ok(analyzed) => {
                    assert_eq!(matcher.resolve_analyzed(&query, &analyzed), matcher.resolve(&query), "{name}");
                    let similar = matcher.similar(name, 5).expect("the name analyses");
                    assert_eq!(matcher.similar_analyzed(name, &analyzed, 5), similar, "{name}");
                }
            }
        }
    }

    #[test]
    fn equal_analyses_resolve_alike_unless_the_table_holds_the_key() {
        let matcher = builtin();
        let analysed: Vec<(&str, AnalyzedName)> =
            NAMES.iter().filter_map(|&name| AnalyzedName::new(name).ok().map(|a| (name, a))).collect();
        let mut shared = 0;
        for (left, left_analysis) in &analysed {
            for (right, right_analysis) in &analysed {
                if left_analysis == right_analysis && !matcher.holds_strict_key(left_analysis) {
                    assert_eq!(
                        matcher.resolve(&Query::new(left)),
                        matcher.resolve(&Query::new(right)),
                        "{left} / {right}"
                    );
                    shared += usize::from(left != right);
                }
            }
        }
        // The two spellings of the made-up company share one analysis; the comma form does not.
        assert!(shared >= 2);
        let comma = AnalyzedName::new("DUHOPEL, Duhal").expect("analyses");
        assert_ne!(comma, AnalyzedName::new("Duhopel Duhal").expect("analyses"));
    }

    #[test]
    fn the_case_of_a_short_name_is_part_of_its_analysis_and_of_a_long_one_not() {
        let analysis = |name: &str| AnalyzedName::new(name).expect("analyses");
        // "Roy" may be a name, "ROY" initials: they must not share an answer.
        assert_ne!(analysis("Roy"), analysis("ROY"));
        assert_ne!(analysis("Roy Ltd"), analysis("ROY LTD"));
        assert_eq!(analysis("ROY"), analysis("roy"));
        // No acronym is that long, so the case says nothing and the variants share.
        assert_eq!(analysis("Roystonvale Ltd"), analysis("ROYSTONVALE LTD"));
    }

    #[test]
    fn a_family_name_written_first_without_a_legal_form_is_a_persons() {
        let person = |name: &str| AnalyzedName::new(name).expect("analyses").written_as_person();
        assert!(person("DUHOPEL, Duhal"));
        assert!(person("AL-ASHQAR, 'Abdallah Jihad Musa"));
        assert!(!person("Duhopel Duhal"), "no comma: the type is unknown");
        assert!(!person("KAHAL RUSFENGA LOGISTICS, GMBH"), "a legal form names a company");
        assert!(!person("KAHAL RUSFENGA, AO"), "as written in Russian");
        assert!(!person("KAHAL RUSFENGA, Obshchestvo s Ogranichennoi Otvetstvennostyu"), "or spelled out");
        assert!(!person("Kahal Rusfenga, Logistics, Ltd"), "more than one comma");
    }
}
