//! One person's name in its Belarusian, Ukrainian and Russian romanizations: lists of
//! Belarusian and Ukrainian people give both forms, and a screen must see one person.
//! The people here are invented.

use std::sync::Arc;

use canonym::aliases::{AliasTable, EntityType};
use canonym::matcher::{MatchConfig, Matcher};

fn matcher() -> Matcher {
    Matcher::new(Arc::new(AliasTable::default()), MatchConfig::default())
}

fn is_match(matcher: &Matcher, left: &str, right: &str) -> (bool, f64) {
    let comparison = matcher.compare(left, right, Some(EntityType::Person)).expect("valid names");
    (comparison.is_match, comparison.score)
}

#[test]
fn belarusian_and_russian_forms_of_one_name_match() {
    let matcher = matcher();
    for (belarusian, russian) in [
        ("SHAPIRAU, Uladzimir Uladzimiravich", "SHAPIROV, Vladimir Vladimirovich"),
        ("PETRASHAU, Ihar Mikalaevich", "PETRASHOV, Igor Nikolaevich"),
        ("KAZLOU, Siarhei", "KOZLOV, Sergei"),
        ("MAKARAU, Yauhen Aliaksandravich", "MAKAROV, Yevgeny Aleksandrovich"),
        ("ZHUKAVA, Tatsiana Uladzimirauna", "ZHUKOVA, Tatyana Vladimirovna"),
    ] {
        let (matched, score) = is_match(&matcher, belarusian, russian);
        assert!(matched, "{belarusian} / {russian}: {score}");
    }
    let (matched, score) = is_match(&matcher, "MELNYK, Volodymyr", "MELNIK, Vladimir");
    assert!(matched, "the Ukrainian form: {score}");
}

#[test]
fn another_given_name_is_another_person() {
    let matcher = matcher();
    for (left, right) in [
        ("MAKARAU, Ihar", "MAKAROV, Ivan"),
        ("KAZLOU, Siarhei", "KOZLOV, Stanislav"),
        ("MAKARAU, Yauhen Aliaksandravich", "MAKAROV, Yevgeny Nikolaevich"),
    ] {
        let (matched, score) = is_match(&matcher, left, right);
        assert!(!matched, "{left} / {right}: {score}");
    }
}
