//! Cases and a matcher in, a [`CaseReport`] out: each case resolved, its answer compared
//! with what it expects. Many cases run on all cores. Never reads files, never fails:
//! a refused query is a failed case, not an error.

use rayon::prelude::*;

use super::{Answer, Case, CaseFailure, CaseReport};
use crate::matcher::Matcher;

/// From this many cases on, they run in parallel; below, threads cost more than they save.
const PARALLEL_FROM: usize = 64;

/// Runs every case; failures come sorted by file and line.
pub fn run(cases: &[Case], matcher: &Matcher) -> CaseReport {
    let outcomes: Vec<Option<CaseFailure>> = if cases.len() >= PARALLEL_FROM {
        cases.par_iter().map(|case| run_one(case, matcher)).collect()
    } else {
        cases.iter().map(|case| run_one(case, matcher)).collect()
    };
    let mut failures: Vec<CaseFailure> = outcomes.into_iter().flatten().collect();
    failures.sort_by(|a, b| a.case.location.cmp(&b.case.location));
    CaseReport { passed: cases.len() - failures.len(), failures }
}

/// The failure, if the case fails.
fn run_one(case: &Case, matcher: &Matcher) -> Option<CaseFailure> {
    let got = Answer::resolve(matcher, &case.query, case.kind);
    (!case.accepts(&got)).then(|| CaseFailure { case: case.clone(), got })
}
