//! Checks across entities: ids unique, types consistent, no name owned by two
//! entities unless both say it is shared, and warnings for near-identical names.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::diagnostic::{Diagnostic, Problem};
use super::model::{Entity, Name};
use crate::normalize;

/// Appends every cross-entity problem found in `entities` to `diagnostics`.
pub(crate) fn validate(entities: &[Entity], diagnostics: &mut Vec<Diagnostic>) {
    check_ids(entities, diagnostics);
    check_name_owners(entities, diagnostics);
    warn_near_duplicates(entities, diagnostics);
}

fn check_ids(entities: &[Entity], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Entity> = HashMap::new();
    for entity in entities {
        match seen.entry(entity.id.as_str()) {
            Entry::Vacant(slot) => {
                slot.insert(entity);
            }
            Entry::Occupied(first) => {
                let first = *first.get();
                let problem = if first.kind != entity.kind {
                    Problem::TypeMismatch {
                        id: entity.id.clone(),
                        here: entity.kind,
                        there: first.kind,
                        first: first.location.clone(),
                    }
                } else {
                    Problem::DuplicateId { id: entity.id.clone(), first: first.location.clone() }
                };
                diagnostics.push(Diagnostic::error(entity.location.clone(), problem));
            }
        }
    }
}

fn check_name_owners(entities: &[Entity], diagnostics: &mut Vec<Diagnostic>) {
    let mut owners: HashMap<String, (&Entity, &Name)> = HashMap::new();
    for entity in entities {
        for name in entity.names() {
            let key = normalize::normalize(&name.text);
            match owners.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert((entity, name));
                }
                Entry::Occupied(slot) => {
                    let (owner, owner_name) = *slot.get();
                    if owner.id == entity.id || (name.shared && owner_name.shared) {
                        continue;
                    }
                    let problem = Problem::AliasConflict {
                        name: name.text.clone(),
                        id: entity.id.clone(),
                        other_name: owner_name.text.clone(),
                        other_id: owner.id.clone(),
                        other: owner_name.location.clone(),
                        key: slot.key().clone(),
                    };
                    diagnostics.push(Diagnostic::error(name.location.clone(), problem));
                }
            }
        }
    }
}

/// The words of a strict key in sorted order, so word order does not count as distance.
fn sorted_words(strict: &str) -> String {
    let mut words: Vec<&str> = strict.split(' ').collect();
    words.sort_unstable();
    words.join(" ")
}

/// How close two written names must be (normalized Damerau-Levenshtein over their
/// sorted words) to be flagged.
const NEAR_DUPLICATE_SIMILARITY: f64 = 0.75;

/// Names that differ only by romanization, word order or punctuation usually mean one
/// entity entered twice; the curator decides, so this is a warning.
fn warn_near_duplicates(entities: &[Entity], diagnostics: &mut Vec<Diagnostic>) {
    let mut first_by_loose: HashMap<String, (&Entity, &Name, String)> = HashMap::new();
    for entity in entities {
        for name in entity.names().filter(|n| !n.exact && !n.shared) {
            let strict = normalize::normalize(&name.text);
            // Across scripts, romanization is too lossy for a warning to mean anything.
            if !strict.is_ascii() {
                continue;
            }
            let loose = normalize::loose_key(&name.text);
            if loose.is_empty() {
                continue;
            }
            match first_by_loose.entry(loose) {
                Entry::Vacant(slot) => {
                    slot.insert((entity, name, strict));
                }
                Entry::Occupied(slot) => {
                    let (other, other_name, other_strict) = slot.get();
                    // Folding is deliberately loose (Angola and Anguilla fold alike); a warning
                    // needs the written names to be close as well.
                    let similarity =
                        strsim::normalized_damerau_levenshtein(&sorted_words(other_strict), &sorted_words(&strict));
                    let close = similarity >= NEAR_DUPLICATE_SIMILARITY;
                    if other.id == entity.id || *other_strict == strict || !close {
                        continue;
                    }
                    let problem = Problem::NearDuplicate {
                        name: name.text.clone(),
                        id: entity.id.clone(),
                        other_name: other_name.text.clone(),
                        other_id: other.id.clone(),
                        other: other_name.location.clone(),
                    };
                    diagnostics.push(Diagnostic::warning(name.location.clone(), problem));
                }
            }
        }
    }
}
