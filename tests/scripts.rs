//! Matching across scripts on a small invented table: a name known only in a script
//! without short vowels is still found by one romanized word, while a one-word query
//! meets an entity that has a name in the query's own script through that name, not
//! through consonants shared with a name in another script.

use std::path::PathBuf;
use std::sync::Arc;

use canonym::aliases::load_paths;
use canonym::matcher::{MatchConfig, Matcher, Outcome, Query};

fn matcher() -> Matcher {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/scripts/entities.jsonl");
    let loaded = load_paths(&[path]).expect("the scripts table loads");
    Matcher::new(Arc::new(loaded.table), MatchConfig::default())
}

fn answer(matcher: &Matcher, name: &str) -> (Outcome, Option<String>) {
    let resolution = matcher.resolve(&Query::new(name)).expect("a valid query");
    (resolution.outcome, resolution.best.map(|b| b.entity_id))
}

#[test]
fn a_name_known_only_in_arabic_script_is_found_by_one_romanized_word() {
    let matcher = matcher();
    for name in ["Taleqan", "Taliqan", "طالقان"] {
        assert_eq!(answer(&matcher, name), (Outcome::Matched, Some("o:taleqan".to_string())), "{name}");
    }
}

#[test]
fn two_romanized_words_still_meet_a_name_in_arabic_script() {
    let matcher = matcher();
    let expected = (Outcome::Matched, Some("p:ghaznavi".to_string()));
    assert_eq!(answer(&matcher, "Mahmoud Ghaznawi"), expected);
}

#[test]
fn an_entity_with_a_name_written_with_vowels_is_found_through_it() {
    let matcher = matcher();
    let expected = (Outcome::Matched, Some("o:norvega".to_string()));
    assert_eq!(answer(&matcher, "Norvega"), expected);
    assert_eq!(answer(&matcher, "Norvegia"), expected, "a spelling of the name with vowels");
    assert_eq!(answer(&matcher, "נורווגיה"), expected, "the Hebrew name in its own script");
    assert_eq!(answer(&matcher, "Energy"), (Outcome::NoMatch, None), "only consonants meet the Hebrew name");
}

#[test]
fn an_arabic_word_meets_an_entity_with_an_arabic_name_there_not_through_its_cyrillic_one() {
    let matcher = matcher();
    // طارق (Tariq) and Турк share the consonants t, r, k; the entity's Arabic name is
    // تركلاند, which طارق is not.
    assert_eq!(answer(&matcher, "طارق"), (Outcome::NoMatch, None));
    let expected = (Outcome::Matched, Some("o:turkland".to_string()));
    assert_eq!(answer(&matcher, "تركلاند"), expected);
    // Latin and Cyrillic both write their vowels: Turk is Турк as written.
    assert_eq!(answer(&matcher, "Turk"), expected);
}
