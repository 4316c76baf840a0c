//! A deterministic synthetic alias table and query set for the matching benchmarks.
//!
//! Shared by `benches/resolve.rs` and `examples/index_build.rs` through
//! `#[path = "..."] mod synthetic;` (cargo does not build a directory of `examples/`
//! without a `main.rs`, so this file is no example of its own). No external data, no
//! randomness crate: a SplitMix64 generator seeded by the caller, so the same seed and
//! size always give the same table and the same queries.
//!
//! The table: about 60% people (given + optional middle + family names from English,
//! Arabic-origin and Slavic-origin pools, family names built from syllables so a million
//! names stay mostly distinct; some aliases in "FAMILY, Given" form, as another
//! transliteration, or in Arabic or Cyrillic script) and 40% organisations (a coined
//! word, sector words and a legal form such as LLC, LTD, GMBH, OOO, S.A.; aliases with
//! the legal form spelled out or dropped, or in Cyrillic). About two names an entity.
//! Word frequencies are skewed (a few family names and sector words are very common),
//! as in real sanctions and company lists.
//!
//! The queries, each with the entity it should find (none for negatives):
//! exact names, normalized variants (case and punctuation), one-edit typos, reordered
//! words, a dropped middle word, and unknown names built from the same pools but absent
//! from the table, so every stage of resolve (exact hit, fuzzy, no_match) is timed.

#![allow(dead_code)] // each includer uses part of it

use std::collections::HashSet;

use canonym::aliases::{AliasTable, Entity, EntityType, Location, Name};

/// SplitMix64: tiny, fast, good enough for test data, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize % n.max(1)
    }

    /// Skewed toward the start of `0..n`: index = n * u^3, so the first items are common.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize % n.max(1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// One item of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const ENGLISH_GIVEN: &[&str] = &[
    "John",
    "Michael",
    "David",
    "James",
    "Robert",
    "William",
    "Richard",
    "Thomas",
    "Mark",
    "Paul",
    "Steven",
    "Andrew",
    "Peter",
    "George",
    "Edward",
    "Brian",
    "Kevin",
    "Jason",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Susan",
    "Margaret",
    "Sarah",
    "Karen",
    "Nancy",
    "Emily",
    "Laura",
    "Helen",
    "Anna",
    "Grace",
    "Victoria",
];
const ENGLISH_FAMILY_START: &[&str] = &[
    "Ash", "Black", "Brad", "Brook", "Carl", "Clif", "Craw", "Dal", "Dun", "Elm", "Fair", "Fen", "Ford", "Gar", "Glen",
    "Hal", "Hart", "Hol", "King", "Lang", "Mar", "Mill", "Nor", "Oak", "Pen", "Ral", "Red", "Ros", "Shel", "Stan",
    "Thorn", "Wal", "West", "Whit", "Win", "Wood",
];
const ENGLISH_FAMILY_END: &[&str] =
    &["ton", "ley", "field", "wood", "er", "ford", "by", "well", "worth", "son", "man", "ridge", "brook", "ham"];

/// Arabic-origin given names with an Arabic-script spelling and a second transliteration.
const ARABIC_GIVEN: &[(&str, &str, &str)] = &[
    ("Mohammed", "محمد", "Muhammad"),
    ("Ahmad", "أحمد", "Ahmed"),
    ("Ali", "علي", "Aly"),
    ("Hassan", "حسن", "Hasan"),
    ("Hussein", "حسين", "Husayn"),
    ("Omar", "عمر", "Umar"),
    ("Khalid", "خالد", "Khaled"),
    ("Youssef", "يوسف", "Yusuf"),
    ("Ibrahim", "إبراهيم", "Ebrahim"),
    ("Abdullah", "عبد الله", "Abdallah"),
    ("Abdul Rahman", "عبد الرحمن", "Abdurrahman"),
    ("Mustafa", "مصطفى", "Mostafa"),
    ("Tariq", "طارق", "Tarek"),
    ("Saeed", "سعيد", "Said"),
    ("Karim", "كريم", "Kareem"),
    ("Nasser", "ناصر", "Nasir"),
    ("Faisal", "فيصل", "Faysal"),
    ("Jamal", "جمال", "Gamal"),
    ("Walid", "وليد", "Waleed"),
    ("Hamza", "حمزة", "Hamzah"),
    ("Fatima", "فاطمة", "Fatimah"),
    ("Aisha", "عائشة", "Aysha"),
    ("Zainab", "زينب", "Zaynab"),
    ("Maryam", "مريم", "Mariam"),
    ("Layla", "ليلى", "Leila"),
    ("Salim", "سليم", "Saleem"),
    ("Rashid", "رشيد", "Rasheed"),
    ("Mahmoud", "محمود", "Mahmud"),
];
/// Syllables of Arabic-origin family names: Latin and Arabic script.
const ARABIC_SYLLABLES: &[(&str, &str)] = &[
    ("Ha", "ح"),
    ("Ka", "ك"),
    ("Ma", "م"),
    ("Na", "ن"),
    ("Ra", "ر"),
    ("Sa", "س"),
    ("Ta", "ت"),
    ("Ba", "ب"),
    ("Da", "د"),
    ("Fa", "ف"),
    ("Ja", "ج"),
    ("Za", "ز"),
    ("Sha", "ش"),
    ("Kha", "خ"),
    ("Qa", "ق"),
    ("Ha", "ه"),
    ("La", "ل"),
    ("Wa", "و"),
    ("Ya", "ي"),
    ("Ab", "عب"),
];
const ARABIC_ENDINGS: &[(&str, &str)] =
    &[("di", "دي"), ("ri", "ري"), ("mi", "مي"), ("ni", "ني"), ("bi", "بي"), ("si", "سي"), ("lah", "لة"), ("id", "يد")];

const SLAVIC_GIVEN: &[&str] = &[
    "Ivan",
    "Dmitri",
    "Sergei",
    "Alexei",
    "Nikolai",
    "Vladimir",
    "Andrei",
    "Mikhail",
    "Yuri",
    "Oleg",
    "Pavel",
    "Boris",
    "Viktor",
    "Igor",
    "Anatoli",
    "Grigori",
    "Konstantin",
    "Roman",
    "Stanislav",
    "Vadim",
    "Olga",
    "Natalya",
    "Irina",
    "Svetlana",
    "Tatyana",
    "Yelena",
    "Marina",
    "Ksenia",
    "Anastasia",
    "Galina",
    "Lyudmila",
    "Vera",
];
const SLAVIC_SYLLABLES: &[&str] = &[
    "Pet", "Iv", "Sok", "Vol", "Kuz", "Nov", "Mor", "Leb", "Koz", "Ste", "Zakh", "Bel", "Gor", "Tar", "Kras", "Sem",
    "Dub", "Bog", "Zhu", "Shcher", "Yak", "Chern", "Mel", "Luk", "Tsar", "Vin", "Kol", "Rud", "Bar", "Gusk",
];
const SLAVIC_MIDDLES: &[&str] = &["", "a", "o", "ik", "an", "er", "ol", "ush", "en"];
const SLAVIC_SUFFIXES: &[&str] = &["ov", "ev", "in", "enko", "sky", "ovich", "yuk", "chuk", "ko"];

/// Sector words of organisation names: common ones first (they are picked skewed).
const SECTOR_WORDS: &[&str] = &[
    "Trading",
    "Group",
    "International",
    "Holding",
    "Industries",
    "Shipping",
    "General",
    "Energy",
    "Global",
    "Services",
    "Investment",
    "Logistics",
    "Petroleum",
    "Construction",
    "Technologies",
    "Marine",
    "Chemical",
    "Engineering",
    "Development",
    "Import Export",
    "Capital",
    "Metals",
    "Textiles",
    "Agricultural",
    "Aviation",
    "Finance",
    "Electronics",
    "Mining",
    "Pharmaceutical",
    "Consulting",
    "Transport",
    "Commercial",
    "Maritime",
    "Steel",
    "Food",
    "Oil and Gas",
    "Security",
    "Telecom",
    "Systems",
    "Resources",
];
/// Legal forms: (as usually written, spelled out or another spelling; empty: none).
const LEGAL_FORMS: &[(&str, &str)] = &[
    ("LLC", "Limited Liability Company"),
    ("LTD", "Limited"),
    ("Co. Ltd", "Company Limited"),
    ("GmbH", "Gesellschaft mit beschraenkter Haftung"),
    ("OOO", "Obshchestvo s Ogranichennoy Otvetstvennostyu"),
    ("S.A.", "Sociedad Anonima"),
    ("JSC", "Joint Stock Company"),
    ("FZE", "Free Zone Establishment"),
    ("Inc.", "Incorporated"),
    ("PLC", "Public Limited Company"),
    ("AG", ""),
    ("B.V.", ""),
];
const COINED_SYLLABLES: &[&str] = &[
    "ar", "bel", "cor", "dan", "ex", "for", "gal", "hel", "ion", "jar", "kor", "lum", "mar", "nex", "or", "pra",
    "quin", "ros", "sar", "tec", "ul", "ven", "wel", "xan", "yor", "zen", "tri", "vo", "sta", "lin", "mon", "ter",
    "al", "dor", "ka", "ri", "nova", "tek", "sol", "via",
];

/// The kind of a query, for per-kind figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueryKind {
    /// A name of the table as written (the exact stage answers).
    Exact,
    /// A name lower-cased, dots dropped, other punctuation as spaces (the normalized stage
    /// answers).
    Normalized,
    /// One edit (substitution, deletion, insertion or swap) in one word of 5+ letters.
    Typo,
    /// The words rotated by one ("Ivanov Sergei" for "Sergei Ivanov").
    Reordered,
    /// A middle word left out of a name of three words or more.
    DroppedWord,
    /// A name built from the same pools that no entity holds (expected: no_match).
    Unknown,
}

impl QueryKind {
    /// Every kind, in report order.
    pub const ALL: [QueryKind; 6] = [
        QueryKind::Exact,
        QueryKind::Normalized,
        QueryKind::Typo,
        QueryKind::Reordered,
        QueryKind::DroppedWord,
        QueryKind::Unknown,
    ];

    /// Its name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryKind::Exact => "exact",
            QueryKind::Normalized => "normalized",
            QueryKind::Typo => "typo",
            QueryKind::Reordered => "reordered",
            QueryKind::DroppedWord => "dropped_word",
            QueryKind::Unknown => "unknown",
        }
    }
}

/// One query with its expected answer.
#[derive(Debug, Clone)]
pub struct SyntheticQuery {
    /// What kind of variation it is.
    pub kind: QueryKind,
    /// The text to resolve.
    pub text: String,
    /// The id of the entity it was made from (none for unknown names).
    pub expected: Option<String>,
}

/// Names written by the generator for one entity, before it becomes an [`Entity`].
struct Draft {
    kind: EntityType,
    primary: String,
    aliases: Vec<String>,
}

/// Generates the entities of a table holding about `names` names (primary names plus
/// aliases), deterministically from `seed`. No two names are equal ignoring case.
pub fn entities(names: usize, seed: u64) -> Vec<Entity> {
    let mut rng = Rng::new(seed);
    let mut seen: HashSet<String> = HashSet::with_capacity(names + names / 8);
    let mut out: Vec<Entity> = Vec::with_capacity(names / 2 + 1);
    let mut total = 0;
    let location = Location::line("synthetic", 1);
    while total < names {
        let draft = draft(&mut rng);
        if !seen.insert(draft.primary.to_lowercase()) {
            continue;
        }
        let budget = names - total - 1;
        let aliases: Vec<String> =
            draft.aliases.into_iter().filter(|a| seen.insert(a.to_lowercase())).take(budget).collect();
        let prefix = if draft.kind == EntityType::Person { "person" } else { "org" };
        let id = format!("{prefix}:{:07}", out.len());
        total += 1 + aliases.len();
        out.push(Entity {
            id,
            kind: draft.kind,
            name: Name::plain(draft.primary, location.clone()),
            aliases: aliases.into_iter().map(|a| Name::plain(a, location.clone())).collect(),
            wikidata: None,
            note: None,
            location: location.clone(),
        });
    }
    out
}

/// The table of [`entities`].
pub fn table(names: usize, seed: u64) -> AliasTable {
    AliasTable::from_entities(entities(names, seed))
}

fn draft(rng: &mut Rng) -> Draft {
    if rng.chance(0.6) {
        match rng.below(10) {
            0..=3 => english_person(rng),
            4..=6 => arabic_person(rng),
            _ => slavic_person(rng),
        }
    } else {
        organisation(rng)
    }
}

fn english_family(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(ENGLISH_FAMILY_START), ENGLISH_FAMILY_END[rng.skewed(ENGLISH_FAMILY_END.len())])
}

fn english_person(rng: &mut Rng) -> Draft {
    let given = ENGLISH_GIVEN[rng.skewed(ENGLISH_GIVEN.len())];
    let middle = rng.chance(0.4).then(|| rng.pick(ENGLISH_GIVEN));
    let family = english_family(rng);
    let family2 = rng.chance(0.3).then(|| english_family(rng));
    let family = match family2 {
        Some(second) => format!("{family}-{second}"),
        None => family,
    };
    let primary = match middle {
        Some(middle) => format!("{given} {middle} {family}"),
        None => format!("{given} {family}"),
    };
    let mut aliases = Vec::new();
    if rng.chance(0.8) {
        let given_part = middle.map_or_else(|| given.to_string(), |m| format!("{given} {m}"));
        aliases.push(format!("{}, {given_part}", family.to_uppercase()));
    }
    Draft { kind: EntityType::Person, primary, aliases }
}

/// An Arabic-origin family name in Latin and Arabic script: "Al-Hakadi", "الحكدي".
fn arabic_family(rng: &mut Rng) -> (String, String) {
    let mut latin = String::new();
    let mut arabic = String::new();
    let article = rng.chance(0.5);
    if article {
        latin.push_str("Al-");
        arabic.push_str("ال");
    }
    for i in 0..2 + rng.below(2) {
        let (l, a) = ARABIC_SYLLABLES[rng.skewed(ARABIC_SYLLABLES.len())];
        if i == 0 || !article {
            latin.push_str(l);
        } else {
            latin.push_str(&l.to_lowercase());
        }
        arabic.push_str(a);
    }
    let (l, a) = rng.pick(ARABIC_ENDINGS);
    latin.push_str(l);
    arabic.push_str(a);
    if !article {
        // "Hakadi": only the first letter upper-case.
        let lower = latin.to_lowercase();
        let mut chars = lower.chars();
        latin = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    }
    (latin, arabic)
}

fn arabic_person(rng: &mut Rng) -> Draft {
    let (given, given_ar, given_alt) = ARABIC_GIVEN[rng.skewed(ARABIC_GIVEN.len())];
    let father = rng.chance(0.5).then(|| rng.pick(ARABIC_GIVEN));
    let (family, family_ar) = arabic_family(rng);
    let primary = match father {
        Some((father, _, _)) => format!("{given} {father} {family}"),
        None => format!("{given} {family}"),
    };
    let mut aliases = Vec::new();
    match rng.below(4) {
        0 | 1 => {
            let arabic = match father {
                Some((_, father_ar, _)) => format!("{given_ar} {father_ar} {family_ar}"),
                None => format!("{given_ar} {family_ar}"),
            };
            aliases.push(arabic);
        }
        2 => aliases.push(format!("{given_alt} {family}")),
        _ => aliases.push(format!("{}, {given}", family.to_uppercase())),
    }
    if rng.chance(0.15) {
        aliases.push(format!("{given_alt} {}", family.replace("Al-", "El-")));
    }
    Draft { kind: EntityType::Person, primary, aliases }
}

fn slavic_family(rng: &mut Rng) -> String {
    let first = SLAVIC_SYLLABLES[rng.skewed(SLAVIC_SYLLABLES.len())];
    format!("{first}{}{}", rng.pick(SLAVIC_MIDDLES), SLAVIC_SUFFIXES[rng.skewed(SLAVIC_SUFFIXES.len())])
}

fn slavic_person(rng: &mut Rng) -> Draft {
    let given = SLAVIC_GIVEN[rng.skewed(SLAVIC_GIVEN.len())];
    let patronymic = rng.chance(0.5).then(|| {
        let father = rng.pick(SLAVIC_GIVEN).trim_end_matches(['a', 'i']);
        let feminine = given.ends_with('a');
        format!("{father}{}", if feminine { "ovna" } else { "ovich" })
    });
    let family = slavic_family(rng);
    let primary = match &patronymic {
        Some(p) => format!("{given} {p} {family}"),
        None => format!("{given} {family}"),
    };
    let mut aliases = Vec::new();
    if rng.chance(0.5) {
        aliases.push(to_cyrillic(&primary));
    } else {
        let given_part = patronymic.as_ref().map_or_else(|| given.to_string(), |p| format!("{given} {p}"));
        aliases.push(format!("{}, {given_part}", family.to_uppercase()));
    }
    Draft { kind: EntityType::Person, primary, aliases }
}

fn coined_word(rng: &mut Rng) -> String {
    let mut word = String::new();
    for _ in 0..2 + rng.below(2) {
        word.push_str(rng.pick(COINED_SYLLABLES));
    }
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn organisation(rng: &mut Rng) -> Draft {
    let coined = coined_word(rng);
    let mut words = vec![coined];
    if rng.chance(0.3) {
        words.push(coined_word(rng));
    }
    for _ in 0..1 + rng.below(2) {
        words.push(SECTOR_WORDS[rng.skewed(SECTOR_WORDS.len())].to_string());
    }
    words.dedup();
    let body = words.join(" ");
    let (form, spelled) = LEGAL_FORMS[rng.skewed(LEGAL_FORMS.len())];
    let primary = format!("{body} {form}");
    let mut aliases = Vec::new();
    match rng.below(4) {
        0 if !spelled.is_empty() => aliases.push(format!("{body} {spelled}")),
        1 => aliases.push(body.to_uppercase()),
        2 => aliases.push(to_cyrillic(&primary)),
        _ => {}
    }
    if rng.chance(0.2) {
        aliases.push(format!("{} {form}", words[0]));
    }
    Draft { kind: EntityType::Organization, primary, aliases }
}

/// A Latin name written in Cyrillic by a simple reverse transliteration.
pub fn to_cyrillic(latin: &str) -> String {
    const DIGRAPHS: &[(&str, &str)] = &[
        ("shch", "щ"),
        ("zh", "ж"),
        ("kh", "х"),
        ("ts", "ц"),
        ("ch", "ч"),
        ("sh", "ш"),
        ("ya", "я"),
        ("yu", "ю"),
        ("ye", "е"),
    ];
    let lower = latin.to_lowercase();
    let mut out = String::with_capacity(lower.len() * 2);
    let mut rest = lower.as_str();
    'outer: while let Some(c) = rest.chars().next() {
        for (from, to) in DIGRAPHS {
            if let Some(after) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = after;
                continue 'outer;
            }
        }
        let mapped = match c {
            'a' => "а",
            'b' => "б",
            'v' | 'w' => "в",
            'g' => "г",
            'd' => "д",
            'e' => "е",
            'z' => "з",
            'i' => "и",
            'y' => "й",
            'k' | 'q' | 'c' => "к",
            'l' => "л",
            'm' => "м",
            'n' => "н",
            'o' => "о",
            'p' => "п",
            'r' => "р",
            's' => "с",
            't' => "т",
            'u' => "у",
            'f' => "ф",
            'h' => "х",
            'x' => "кс",
            'j' => "дж",
            '.' => "",
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            }
        };
        out.push_str(mapped);
        rest = &rest[c.len_utf8()..];
    }
    // Capitalise each word, as written.
    out.split(' ')
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `count` queries drawn from `entities` (the table made with the same size and seed),
/// the kinds in equal shares and interleaved, deterministically from `seed`.
pub fn queries(entities: &[Entity], count: usize, seed: u64) -> Vec<SyntheticQuery> {
    let mut rng = Rng::new(seed ^ 0x5157_5155_4552_5953);
    let known: HashSet<String> = entities.iter().flat_map(|e| e.names().map(|n| n.text.to_lowercase())).collect();
    let mut out = Vec::with_capacity(count);
    let mut attempts = 0usize;
    while out.len() < count && attempts < count * 100 {
        attempts += 1;
        let kind = QueryKind::ALL[out.len() % QueryKind::ALL.len()];
        if kind == QueryKind::Unknown {
            let text = draft(&mut rng).primary;
            if !known.contains(&text.to_lowercase()) {
                out.push(SyntheticQuery { kind, text, expected: None });
            }
            continue;
        }
        let entity = &entities[rng.below(entities.len())];
        let names: Vec<&Name> = entity.names().collect();
        let name = &names[rng.below(names.len())].text;
        let text = match kind {
            QueryKind::Exact => Some(name.clone()),
            QueryKind::Normalized => normalized_variant(name),
            QueryKind::Typo => typo(&mut rng, name),
            QueryKind::Reordered => reordered(name),
            QueryKind::DroppedWord => dropped_word(&mut rng, name),
            QueryKind::Unknown => None,
        };
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            out.push(SyntheticQuery { kind, text, expected: Some(entity.id.clone()) });
        }
    }
    out
}

fn words_of(name: &str) -> Vec<&str> {
    name.split([' ', ',']).filter(|w| !w.is_empty()).collect()
}

/// Lower-case, dots dropped and other punctuation to spaces, only when that changes
/// something: the strict key stays the same ("S.A." is "sa" either way).
fn normalized_variant(name: &str) -> Option<String> {
    let variant: String = name
        .chars()
        .filter(|&c| c != '.')
        .map(|c| if matches!(c, ',' | '-') { ' ' } else { c })
        .flat_map(char::to_lowercase)
        .collect::<String>();
    let variant = variant.split_whitespace().collect::<Vec<_>>().join(" ");
    (variant != name).then_some(variant)
}

/// One edit in one ASCII word of five letters or more.
fn typo(rng: &mut Rng, name: &str) -> Option<String> {
    let words = words_of(name);
    let long: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].len() >= 5 && words[i].bytes().all(|b| b.is_ascii_alphabetic()))
        .collect();
    let &target = long.get(rng.below(long.len().max(1)))?;
    let mut word: Vec<u8> = words[target].as_bytes().to_vec();
    // Not the first letter: people rarely get that wrong, and the edit stays inside.
    let at = 1 + rng.below(word.len() - 2);
    let letter = b"aeioustrnlkmh"[rng.below(13)];
    match rng.below(4) {
        0 => word[at] = if word[at].eq_ignore_ascii_case(&letter) { b'y' } else { letter },
        1 => {
            word.remove(at);
        }
        2 => word.insert(at, letter),
        _ => word.swap(at, at + 1),
    }
    let edited = String::from_utf8(word).ok()?;
    if edited.eq_ignore_ascii_case(words[target]) {
        return None;
    }
    let mut out: Vec<&str> = words.clone();
    out[target] = &edited;
    Some(out.join(" "))
}

/// The words rotated by one, the comma of "FAMILY, Given" dropped.
fn reordered(name: &str) -> Option<String> {
    let mut words = words_of(name);
    if words.len() < 2 {
        return None;
    }
    words.rotate_left(1);
    Some(words.join(" "))
}

/// A middle word left out.
fn dropped_word(rng: &mut Rng, name: &str) -> Option<String> {
    let mut words = words_of(name);
    if words.len() < 3 {
        return None;
    }
    words.remove(1 + rng.below(words.len() - 2));
    Some(words.join(" "))
}
