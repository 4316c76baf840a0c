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

use super::index::surname_words;
use super::resolve::checked;
use super::{Matcher, QueryError};
use crate::normalize::Analyzed;

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
