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
use super::words::{class_of_folded, WordClass};
use super::{Matcher, QueryError};
use crate::aliases::MAX_NAME_CHARS;
use crate::normalize::{self, Analyzed};

/// Everything of a name that resolve reads besides its raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedName {
    pub(super) analyzed: Analyzed,
    pub(super) surname_words: u8,
}

impl AnalyzedName {
    /// Checks and analyses a name; the errors are those `resolve` gives.
    pub fn new(name: &str) -> Result<AnalyzedName, QueryError> {
        let analyzed = checked(name)?;
        Ok(AnalyzedName { analyzed, surname_words: surname_words(name) })
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

impl Hash for AnalyzedName {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Analyzed { strict, latin, folded, abjad } = &self.analyzed;
        (strict, latin, folded, abjad, self.surname_words).hash(state);
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
