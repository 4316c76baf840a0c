//! The seed article's mentions against the built-in table: the three rules of
//! shared/seed/README.md, and proof that the article's odd spellings are found by
//! matching, not by being listed.
//!
//! tests/data/seed/mentions.tsv is a copy of shared/seed/mentions.tsv (tests never read
//! outside the repository): `mention<TAB>entity<TAB>type`, where `entity` describes the
//! real-world entity in words, not as an id.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use canonym::aliases::{self, EntityType};
use canonym::matcher::{MatchConfig, Matcher, Method, Outcome, Query};
use canonym::normalize;

const MENTIONS: &str = include_str!("data/seed/mentions.tsv");

/// The article's own spellings that the table must not list, with the real entity's
/// name as mentions.tsv gives it.
const ODD_SPELLINGS: [(&str, &str); 3] = [
    ("Aktaf Bait al-Maqdis", "Aknaf Bayt al-Maqdis"),
    ("International Committee for the Red Crescent", "International Committee of the Red Cross"),
    ("Palestinian Liberation Organisation", "Palestine Liberation Organization"),
];

struct Mention<'a> {
    mention: &'a str,
    entity: &'a str,
    kind: EntityType,
}

fn mentions() -> Vec<Mention<'static>> {
    let mut lines = MENTIONS.lines();
    assert_eq!(lines.next(), Some("mention\tentity\ttype"), "header of mentions.tsv");
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "three columns: {line:?}");
            let kind = fields[2].parse().unwrap_or_else(|e| panic!("{line:?}: {e}"));
            Mention { mention: fields[0], entity: fields[1], kind }
        })
        .collect()
}

/// Built once: indexing the built-in table is the slow part of these tests.
fn builtin_matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let loaded = aliases::load_builtin().expect("the built-in table is valid");
        Matcher::new(Arc::new(loaded.table), MatchConfig::default())
    })
}

#[test]
fn every_seed_mention_resolves_to_one_id_per_entity_and_one_entity_per_id() {
    let matcher = builtin_matcher();
    let mentions = mentions();
    assert!(mentions.len() >= 29, "the whole file is read");

    let mut problems = Vec::new();
    // entity description -> (id, mention) of each mention of it
    let mut ids_of_entity: BTreeMap<&str, Vec<(String, &str)>> = BTreeMap::new();
    for m in &mentions {
        let resolution = matcher.resolve(&Query::new(m.mention)).expect("a valid query");
        match (resolution.outcome, resolution.best) {
            (Outcome::Matched, Some(best)) => {
                if best.kind != m.kind {
                    problems.push(format!(
                        "{:?}: matched {} of type {}, expected a {}",
                        m.mention, best.entity_id, best.kind, m.kind
                    ));
                }
                ids_of_entity.entry(m.entity).or_default().push((best.entity_id, m.mention));
            }
            (outcome, _) => {
                let candidates: Vec<String> =
                    resolution.candidates.iter().map(|c| format!("{} {:.3}", c.entity_id, c.score)).collect();
                problems.push(format!("{:?} ({}): {outcome}, candidates {candidates:?}", m.mention, m.entity));
            }
        }
    }

    // Rule 1: mentions of the same entity get the same id.
    let mut entity_of_id: BTreeMap<&str, &str> = BTreeMap::new();
    for (entity, resolved) in &ids_of_entity {
        let first = &resolved[0].0;
        for (id, mention) in resolved {
            if id != first {
                problems.push(format!("{entity}: {mention:?} got {id}, but {:?} got {first}", resolved[0].1));
            }
        }
        // Rule 2: mentions of different entities get different ids.
        for (id, _) in resolved {
            if let Some(other) = entity_of_id.insert(id.as_str(), entity) {
                if other != *entity {
                    problems.push(format!("{id} answers for both {other:?} and {entity:?}"));
                }
            }
        }
    }
    // Rule 3 was checked above: no mention is no_match or ambiguous.
    assert!(problems.is_empty(), "seed mentions that break the rules:\n  {}", problems.join("\n  "));
    let distinct_entities: std::collections::BTreeSet<&str> = mentions.iter().map(|m| m.entity).collect();
    assert_eq!(ids_of_entity.len(), distinct_entities.len());
}

#[test]
fn the_articles_odd_spellings_are_not_in_the_table() {
    let table = builtin_matcher().table();
    for (odd, _) in ODD_SPELLINGS {
        let key = normalize::normalize(odd);
        assert!(!key.is_empty());
        for entity in table.entities() {
            for name in entity.names() {
                assert_ne!(
                    normalize::normalize(&name.text),
                    key,
                    "{odd:?} is listed as `{}` of {} at {}: it must be found by matching, not by listing",
                    name.text,
                    entity.id,
                    name.location
                );
            }
        }
    }
}

#[test]
fn the_articles_odd_spellings_still_resolve_to_the_right_entities() {
    let matcher = builtin_matcher();
    for (odd, real) in ODD_SPELLINGS {
        // The real name is in the table: it names the expected entity.
        let reference = matcher.resolve(&Query::new(real)).expect("a valid query");
        let expected = reference.best.unwrap_or_else(|| panic!("{real:?} is not in the table"));
        assert!(matches!(expected.method, Method::Exact | Method::Normalized), "{real:?} is a listed name");

        let resolution = matcher.resolve(&Query::new(odd)).expect("a valid query");
        assert_eq!(resolution.outcome, Outcome::Matched, "{odd:?}: {:?}", resolution.candidates);
        let best = resolution.best.expect("matched");
        assert_eq!(best.entity_id, expected.entity_id, "{odd:?}");
        assert!(
            !matches!(best.method, Method::Exact | Method::Normalized),
            "{odd:?} was found by {}, so it is listed after all",
            best.method
        );
        assert!(best.score < 1.0, "{odd:?} is not an exact name: {}", best.score);
    }
}

#[test]
fn the_odd_spellings_map_to_the_ids_the_table_gives_them() {
    let matcher = builtin_matcher();
    let expected = [
        ("Aktaf Bait al-Maqdis", "org:aknaf-bayt-al-maqdis"),
        ("International Committee for the Red Crescent", "org:icrc"),
        ("Palestinian Liberation Organisation", "org:plo"),
    ];
    for (odd, id) in expected {
        let resolution = matcher.resolve(&Query::new(odd)).expect("a valid query");
        assert_eq!(resolution.best.map(|b| b.entity_id).as_deref(), Some(id), "{odd:?}");
    }
}
