//! Given names that are one name across the East Slavic languages: the Belarusian,
//! Ukrainian and Russian forms of a name are written differently in Latin letters
//! (Uladzimir, Volodymyr, Vladimir), and lists of Belarusian or Ukrainian people give
//! both. Spelling rules cannot see them as one (Ihar / Igor and Yauhen / Yevgeny share
//! little), so they are named here, as groups of equivalent words the index holds
//! beside the table's own `[[equivalent]]` groups.
//!
//! In: nothing; out: the groups, as written. Never a spelling whose fold is a name of
//! another language (Aleh folds as Ali, Vasyl as Wasil): its holders would meet strangers.

/// Each group: one given name in its Belarusian, Ukrainian, Russian and English
/// romanizations (spellings that fold alike need not all be listed).
pub(crate) const EAST_SLAVIC_GIVEN_NAMES: &[&[&str]] = &[
    &["Aliaksandr", "Aleksandr", "Alexander", "Alexandr", "Oleksandr", "Alyaksandr"],
    &["Aliaksandra", "Aleksandra", "Alexandra", "Oleksandra"],
    &["Aliaksei", "Aleksei", "Alexei", "Oleksiy", "Oleksii"],
    &["Anatol", "Anatoly", "Anatolii", "Anatoliy"],
    &["Andrei", "Andriy", "Andrii"],
    &["Artsiom", "Artem", "Artyom"],
    &["Dzianis", "Denis", "Denys"],
    &["Dzmitry", "Dzmitriy", "Dmitry", "Dmitriy", "Dmytro"],
    &["Fiodar", "Fedor", "Fyodor", "Fedir"],
    &["Henadz", "Hienadz", "Gennady", "Gennadiy", "Hennadiy", "Hennadii"],
    &["Halina", "Galina", "Halyna"],
    &["Ihar", "Igor", "Ihor"],
    &["Iryna", "Irina"],
    &["Kanstantsin", "Konstantin", "Kostiantyn", "Kostyantyn"],
    &["Katsiaryna", "Yekaterina", "Ekaterina", "Kateryna"],
    &["Leanid", "Leonid"],
    &["Liudmila", "Lyudmila", "Ludmila", "Liudmyla"],
    &["Mikalai", "Nikolai", "Mykola"],
    &["Mikhail", "Mykhailo", "Mikhal"],
    // Not the Belarusian Aleh: it folds as Ali.
    &["Oleg", "Oleh"],
    &["Volha", "Olga", "Olha"],
    &["Paval", "Pavel", "Pavlo"],
    &["Piotr", "Petr", "Pyotr", "Petro"],
    &["Ryhor", "Grigory", "Grigoriy", "Hryhoriy", "Hryhorii"],
    &["Siarhei", "Sergei", "Sergey", "Serhiy", "Serhii"],
    &["Stanislau", "Stanislav"],
    &["Stsiapan", "Stepan"],
    &["Sviatlana", "Svetlana", "Svitlana"],
    &["Tatsiana", "Tatiana", "Tatyana", "Tetiana", "Tetyana"],
    &["Uladzimir", "Vladimir", "Volodymyr"],
    &["Uladzislau", "Vladislav", "Vladyslav"],
    &["Vadzim", "Vadim", "Vadym"],
    &["Valiantsin", "Valentin", "Valentyn"],
    &["Viachaslau", "Vyacheslav", "Viacheslav"],
    &["Viktar", "Viktor", "Victor"],
    &["Yauhen", "Yevgeny", "Yevgeniy", "Evgeny", "Yevhen", "Yevgen"],
    &["Yaraslau", "Yaroslav"],
    &["Yury", "Yuri", "Yuriy", "Yurii"],
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold::fold_word;

    #[test]
    fn no_spelling_folds_into_another_group_or_onto_a_common_name_of_another_language() {
        let mut group_of = std::collections::HashMap::new();
        for (group, names) in EAST_SLAVIC_GIVEN_NAMES.iter().enumerate() {
            for name in *names {
                let folded = fold_word(&name.to_ascii_lowercase());
                let earlier = group_of.insert(folded.clone(), group);
                assert!(earlier.is_none() || earlier == Some(group), "{name} ({folded}) is in two groups");
            }
        }
        for other in ["Ali", "Wasil", "Omar", "Umar", "Hasan", "Said", "Adel", "Karim", "Nabil", "Jamil", "Hadi"] {
            let folded = fold_word(&other.to_ascii_lowercase());
            assert!(!group_of.contains_key(&folded), "{other} ({folded}) would be an East Slavic name");
        }
    }
}
