//! Acronyms on a small invented table: an acronym that is also a word of the table, an
//! acronym followed by a legal form, legal forms written as their letters, and blends of
//! a word's head with the next word (PESCALAGO).

use std::path::PathBuf;
use std::sync::Arc;

use canonym::aliases::{load_paths, EntityType};
use canonym::matcher::{MatchConfig, Matcher, Method, Outcome, Query};

fn matcher() -> Matcher {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/acronyms/entities.jsonl");
    let loaded = load_paths(&[path]).expect("the acronym table loads");
    Matcher::new(Arc::new(loaded.table), MatchConfig::default())
}

fn answer(matcher: &Matcher, name: &str) -> (Outcome, Option<String>, Option<Method>) {
    let resolution = matcher.resolve(&Query::new(name)).expect("a valid query");
    (resolution.outcome, resolution.best.as_ref().map(|b| b.entity_id.clone()), resolution.best.map(|b| b.method))
}

#[test]
fn a_word_of_the_table_is_an_acronym_when_its_entity_also_spells_it_out() {
    let (outcome, id, method) = answer(&matcher(), "NLF");
    assert_eq!((outcome, id.as_deref(), method), (Outcome::Matched, Some("o:nlf"), Some(Method::Acronym)));
}

#[test]
fn a_name_that_is_its_own_initials_does_not_read_its_word_as_an_acronym() {
    // "ZAI Advisors Inc" holds ZAI and its initials are ZAI too; ZAI is only a word there.
    let (outcome, _, method) = answer(&matcher(), "ZAI");
    assert_ne!(method, Some(Method::Acronym), "{outcome:?}");
}

#[test]
fn a_word_held_only_as_a_whole_name_is_still_an_acronym() {
    // MDF is a name of its own (a record label, say) and the initials of Maravan Defence
    // Force: both are candidates, and the exact spelling wins.
    let matcher = matcher();
    let similar: Vec<String> =
        matcher.similar("MDF", 5).expect("a valid name").into_iter().map(|c| c.entity_id).collect();
    assert!(similar.contains(&"o:mdf".to_string()) && similar.contains(&"o:mdf-records".to_string()), "{similar:?}");
    let (outcome, id, method) = answer(&matcher, "MDF");
    assert_eq!((outcome, id.as_deref(), method), (Outcome::Matched, Some("o:mdf-records"), Some(Method::Exact)));
}

#[test]
fn an_acronym_with_the_names_legal_form_matches_and_with_another_does_not() {
    let matcher = matcher();
    let (outcome, id, _) = answer(&matcher, "AGW FZE");
    assert_eq!((outcome, id.as_deref()), (Outcome::Matched, Some("o:agw")), "Company is written out, FZE agrees");
    let (outcome, _, _) = answer(&matcher, "AGW GMBH");
    assert_eq!(outcome, Outcome::NoMatch, "a GmbH is another registration");
}

#[test]
fn a_legal_form_written_as_letters_ends_no_acronym() {
    // Kronos Resources Pte Ltd is no KRP: only Kolar River Project is.
    let (outcome, id, _) = answer(&matcher(), "KRP");
    assert_eq!((outcome, id.as_deref()), (Outcome::Matched, Some("o:krp")));
}

#[test]
fn spanish_incorporado_is_inc() {
    let (outcome, id, _) = answer(&matcher(), "TER INC.");
    assert_eq!((outcome, id.as_deref()), (Outcome::Matched, Some("o:terinc")));
}

#[test]
fn a_blend_of_a_words_head_and_the_next_word_is_the_name() {
    let matcher = matcher();
    let (outcome, id, method) = answer(&matcher, "PESCALAGO LTDA.");
    assert_eq!((outcome, id.as_deref(), method), (Outcome::Matched, Some("o:pescalago"), Some(Method::Acronym)));
    // The head must begin the word before the tail: Lago Azul is no blend of HOTELAGO.
    let (_, id, _) = answer(&matcher, "AZULAGO");
    assert_ne!(id.as_deref(), Some("o:lago-azul"));
    // A word the table holds is that word: RODANTE is not RO + DANTE.
    let (_, _, method) = answer(&matcher, "EQUIPO");
    assert_ne!(method, Some(Method::Acronym));
}

#[test]
fn compare_reads_no_acronym_in_a_persons_initials() {
    let matcher = matcher();
    let compare = |left: &str, right: &str, kind| matcher.compare(left, right, kind).expect("valid names");
    // Written family name first: a person's, without a type too.
    let initials = compare("GAN", "GANOV, Alexander Nikolaevich", None);
    assert_ne!(initials.method, Method::Acronym);
    assert!(!initials.is_match, "{}", initials.score);
    let typed = compare("DMR", "Duarte Munoz Roque", Some(EntityType::Person));
    assert_ne!(typed.method, Method::Acronym);
    // An organisation's initials still are its acronym, as resolve reads them.
    let organisation = compare("DMR", "Duarte Munoz Roque", None);
    assert_eq!((organisation.method, organisation.is_match), (Method::Acronym, true));
}

#[test]
fn a_short_name_written_as_a_word_is_not_read_as_initials() {
    let matcher = matcher();
    // Lists write initials in capitals; "Nlf" and "Mdf" as written are words, as "Mia"
    // and "Roy" are names, and the table holds no such word.
    for name in ["Nlf", "Krp"] {
        let (outcome, _, method) = answer(&matcher, name);
        assert_ne!(method, Some(Method::Acronym), "{name}: {outcome:?}");
    }
    // The same letters in capitals, or in lower case as typed in a search box, still are.
    for name in ["NLF", "nlf", "KRP", "krp"] {
        let (_, _, method) = answer(&matcher, name);
        assert_eq!(method, Some(Method::Acronym), "{name}");
    }
}
