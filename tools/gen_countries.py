#!/usr/bin/env python3
"""Generate data/countries.toml: every ISO 3166-1 country/territory with its
names in many languages and scripts.

Sources (dev-time only; the committed TOML needs none of them):
  * Debian iso-codes: /usr/share/iso-codes/json/iso_3166-1.json and the
    gettext catalogs /usr/share/locale/*/LC_MESSAGES/iso_3166-1.mo
    (LGPL-2.1-or-later)
  * Unicode CLDR territory display names, via the PyPI package `babel`
    (CLDR data under the Unicode License v3), optional: pass --no-cldr to skip.
  * A small hand-written table below (MANUAL_*) for historic / newsroom forms
    and for the deliberate settlement of names shared by several countries.

Usage:
    python3 tools/gen_countries.py --out data/countries.toml
    (prints a conflict report on stderr; exits 1 if any conflict is unsettled)

Output is deterministic: entities sorted by id, aliases in a fixed order
(English forms, hand-added forms, then languages in LANGS order, alpha-3 last).
"""
from __future__ import annotations

import argparse
import gettext
import json
import os
import re
import sys
import unicodedata

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
LOCALE_DIR = "/usr/share/locale"

# (lang tag written to the TOML, iso-codes gettext locales, CLDR locale)
# Order = priority: the six UN languages first, then the other required
# ones, then the rest.  A form found in several languages is written once,
# tagged with the first language that gives it.
LANGS = [
    ("ar", ["ar"], "ar"),
    ("zh", ["zh_CN"], "zh_Hans"),
    ("zh-Hant", ["zh_TW", "zh_HK"], "zh_Hant"),
    ("fr", ["fr"], "fr"),
    ("ru", ["ru"], "ru"),
    ("es", ["es"], "es"),
    ("de", ["de"], "de"),
    ("fa", ["fa"], "fa"),
    ("tr", ["tr"], "tr"),
    ("ur", ["ur"], "ur"),
    ("he", ["he"], "he"),
    ("pt", ["pt", "pt_BR"], "pt"),
    ("it", ["it"], "it"),
    ("nl", ["nl"], "nl"),
    ("ja", ["ja"], "ja"),
    ("ko", ["ko"], "ko"),
    ("hi", ["hi"], "hi"),
    ("bn", ["bn"], "bn"),
    ("id", ["id"], "id"),
    ("ms", ["ms"], "ms"),
    ("vi", ["vi"], "vi"),
    ("th", ["th"], "th"),
    ("uk", ["uk"], "uk"),
    ("pl", ["pl"], "pl"),
    ("cs", ["cs"], "cs"),
    ("sk", ["sk"], "sk"),
    ("sl", ["sl"], "sl"),
    ("hr", ["hr"], "hr"),
    ("bs", ["bs"], "bs"),
    ("sr", ["sr"], "sr"),
    ("sr-Latn", ["sr@latin"], "sr_Latn"),
    ("bg", ["bg"], "bg"),
    ("mk", ["mk"], "mk"),
    ("be", ["be"], "be"),
    ("el", ["el"], "el"),
    ("ro", ["ro"], "ro"),
    ("hu", ["hu"], "hu"),
    ("fi", ["fi"], "fi"),
    ("et", ["et"], "et"),
    ("lv", ["lv"], "lv"),
    ("lt", ["lt"], "lt"),
    ("sv", ["sv"], "sv"),
    ("da", ["da"], "da"),
    ("nb", ["nb"], "nb"),
    ("sq", ["sq"], "sq"),
    ("ca", ["ca"], "ca"),
    ("ka", ["ka"], "ka"),
    ("hy", ["hy"], "hy"),
    ("az", ["az"], "az"),
    ("kk", ["kk"], "kk"),
    ("uz", ["uz"], "uz"),
    ("ky", ["ky"], "ky"),
    ("tg", ["tg"], "tg"),
    ("mn", ["mn"], "mn"),
    ("ps", ["ps"], "ps"),
    ("ckb", ["ckb"], "ckb"),
    ("ku", ["kmr"], "ku"),
    ("sw", ["sw"], "sw"),
    ("am", ["am"], "am"),
    ("so", ["so"], "so"),
    ("ha", ["ha"], "ha"),
    ("ne", ["ne"], "ne"),
    ("ta", ["ta"], "ta"),
    ("pa", ["pa"], "pa"),
    ("my", ["my"], "my"),
    ("km", ["km"], "km"),
    ("tl", ["fil", "tl"], "fil"),
]

# iso-codes' translations of the long official names are uneven outside the
# big languages (e.g. "Kingdom of Andorra" for the Principality): they are
# used only for these; other languages get short names only.
OFFICIAL_LANGS = {"ar", "zh", "zh-Hant", "fr", "ru", "es", "de", "fa", "tr",
                  "ur", "he", "pt", "it", "nl", "ja", "ko", "pl", "uk"}

# ---------------------------------------------------------------------------
# Hand-written parts
# ---------------------------------------------------------------------------

# Primary `name` where ISO's name is not what a newsroom writes (ISO's name
# stays an alias).  Otherwise: iso-codes common_name, else name.
PRIMARY = {
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "CI": "Ivory Coast",          # Reuters/AP style; "Côte d'Ivoire" is an alias
    "CV": "Cape Verde",           # Reuters/AP style; "Cabo Verde" is an alias
    "CZ": "Czech Republic",       # Reuters/AP style; "Czechia" is an alias
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SX": "Sint Maarten",
    "TL": "East Timor",           # Reuters/AP style; "Timor-Leste" is an alias
    "TR": "Turkey",               # Reuters/AP style; "Türkiye" is an alias
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}

# Extra names people write (English unless tagged).  Each entry:
# name or (name, {"lang": .., "exact": True, "shared": True, "note": ..}).
# Anything of <= 4 letters that is an abbreviation is exact-only.
EX = {"exact": True}
MANUAL = {
    "AE": [("UAE", EX), ("U.A.E.", EX), "Emirates"],
    "BA": ["Bosnia", ("BiH", EX)],
    "BS": ["The Bahamas"],
    "CD": [
        ("Zaire", {"note": "name 1971-1997"}),
        "DR Congo", "Congo-Kinshasa", "Democratic Republic of Congo",
        ("DRC", EX), ("RDC", {"exact": True, "lang": "fr"}),
        ("Congo", {"shared": True, "note": "either Congo; ISO's short name for CG"}),
        ("Конго", {"shared": True, "lang": "ru", "note": "either Congo"}),
        ("الكونغو", {"shared": True, "lang": "ar", "note": "either Congo"}),
        ("刚果", {"shared": True, "lang": "zh", "note": "either Congo"}),
        ("剛果", {"shared": True, "lang": "zh-Hant", "note": "either Congo"}),
        ("Kongo", {"shared": True, "lang": "de", "note": "either Congo"}),
    ],
    "CG": [
        "Congo-Brazzaville", "Republic of Congo", "Congo Republic",
        ("Congo", {"shared": True, "note": "either Congo; ISO's short name for CG"}),
        ("Конго", {"shared": True, "lang": "ru", "note": "either Congo"}),
        ("الكونغو", {"shared": True, "lang": "ar", "note": "either Congo"}),
        ("刚果", {"shared": True, "lang": "zh", "note": "either Congo"}),
        ("剛果", {"shared": True, "lang": "zh-Hant", "note": "either Congo"}),
        ("Kongo", {"shared": True, "lang": "de", "note": "either Congo"}),
    ],
    "CI": ["Cote d'Ivoire"],
    "CN": [("PRC", EX), "People's Republic of China"],
    "CV": ["Cabo Verde"],
    "CZ": ["Czechia"],
    "FK": [("Malvinas", {"lang": "es"}), ("Islas Malvinas", {"lang": "es"})],
    "GB": [
        "Great Britain", "Britain", ("UK", EX), ("U.K.", EX),
        ("بريطانيا", {"lang": "ar"}),
    ],
    "GM": ["The Gambia"],
    "HK": ["Hong Kong SAR"],
    "IR": [("Persia", {"note": "historic name, still used"})],
    "KP": [
        ("DPRK", EX),
        ("Korea", {"shared": True, "note": "either Korea"}),
        ("Corée", {"shared": True, "lang": "fr", "note": "either Korea"}),
        ("Corea", {"shared": True, "lang": "es", "note": "either Korea"}),
        ("Корея", {"shared": True, "lang": "ru", "note": "either Korea"}),
        ("كوريا", {"shared": True, "lang": "ar", "note": "either Korea"}),
    ],
    "KR": [
        ("ROK", EX), "Republic of Korea",
        ("한국", {"lang": "ko"}),
        ("Korea", {"shared": True, "note": "either Korea"}),
        ("Corée", {"shared": True, "lang": "fr", "note": "either Korea"}),
        ("Corea", {"shared": True, "lang": "es", "note": "either Korea"}),
        ("Корея", {"shared": True, "lang": "ru", "note": "either Korea"}),
        ("كوريا", {"shared": True, "lang": "ar", "note": "either Korea"}),
    ],
    "LK": [("Ceylon", {"note": "name until 1972"})],
    "MK": [
        ("Macedonia", {"note": "name until 2019"}),
        "Republic of Macedonia",
        "Former Yugoslav Republic of Macedonia",
        ("FYROM", {"exact": True}),
    ],
    "MM": [("Burma", {"note": "name until 1989, still used"}), "Republic of the Union of Myanmar"],
    "MO": ["Macau", "Macao SAR"],
    "NL": [("Holland", {"note": "colloquial pars pro toto"})],
    "PS": [
        "State of Palestine", "Palestinian Territories",
        "Occupied Palestinian Territory",
    ],
    "SA": [("KSA", EX)],
    "SY": [("سورية", {"lang": "ar", "note": "spelling used by the Syrian state"})],
    "SZ": [("Swaziland", {"note": "name until 2018"})],
    "TL": ["Timor-Leste"],
    "TR": ["Türkiye"],
    "TW": [
        ("Republic of China", {"note": "official name; not the PRC"}),
        "Chinese Taipei",
    ],
    "US": [
        ("US", {"exact": True, "note": "the only alpha-2 code written as a name"}),
        ("U.S.", EX), ("USA", EX), ("U.S.A.", EX),
        "America", "United States of America",
        ("EE. UU.", {"exact": True, "lang": "es"}),
        ("США", {"exact": True, "lang": "ru"}),
        ("أمريكا", {"lang": "ar"}),
    ],
    "VA": ["Vatican", "Holy See", "Vatican City State"],
    "VG": [
        "Virgin Islands, British",
        ("Virgin Islands", {"shared": True, "note": "either Virgin Islands"}),
    ],
    "VI": [
        "United States Virgin Islands", "US Virgin Islands",
        ("Virgin Islands", {"shared": True, "note": "either Virgin Islands"}),
    ],
}

# Alpha-3 codes that are ordinary English words/abbreviations: not added even
# as exact aliases, since a query "Can" or "Guy" must not resolve to a country.
ALPHA3_SKIP = set("""AND ARE ARM BEN BRA CAN COD COL COM CUB EST FIN FRO GAB GIN
GUM GUY JAM LIE MAC MAR NOR PAN PER PRY SEN SUR TON VAT""".split())

# Parenthesised CLDR/ISO names: for these codes the text before the
# parenthesis is also a good name (and for MM the text inside it: Burma).
PAREN_PREFIX = {"CC", "HK", "MO", "MM", "FK"}
PAREN_INNER = {"MM"}

# Settlement of normalized keys claimed by several countries (found by the
# conflict check below).  key -> owner alpha-2 (others drop it) or "shared".
# "drop" removes it everywhere.  Keys are written as norm() gives them.
RESOLVE: dict[str, str] = {
    # both Congos: 'Republic of Congo' forms belong to CG, not CD (DR Congo)
    "конго республикасы": "CG",          # kk/ky
    "காஙகோ குடியரசு": "CG",              # ta
    # iso-codes slips: one country given another's name
    "republica islamica do paquistao": "PK",   # pt, listed for AF
    "republica de zambia": "ZM",         # ca 'Zàmbia' listed for GM
    "جمهوری زامبیا": "ZM",               # fa, listed for GM
    "فلسطین": "PS",                      # fa, listed for ER
    "доминикан республикасы": "DO",      # ky, listed for DM (Dominica)
    "সেনট মারটিন ফরেঞচ অংশ": "MF",       # bn 'French part', listed for SX
    "jamhuuriyada": "drop",              # so: just the word 'Republic'
    "гвиана": "drop",                    # ky GF / bg GY: the Guiana region
    "ਜਬੀਆ ਗਣਰਾਜ": "drop",                # pa, Gambia/Zambia unclear
    # scripts where stripping combining marks merges two names
    "အနဂလာ": "AO",                       # my: Angola / Anguilla differ in vowel signs
    "លបេរយា": "drop",                    # km: same string given for Liberia and Libya
    "សប": "drop",                        # km: Cyprus / Zambia differ only in marks
}

# Normalized forms that belong to non-country entities elsewhere in data/
# (seed.toml, international.toml are also read if present).
FOREIGN_NAMES = [
    "Islamic State", "ISIS", "ISIL", "IS", "Daesh", "Hamas", "Nusra Front",
    "al-Qaeda", "Damascus", "Yarmouk camp", "Reuters", "Financial Times",
    "PLO", "SOHR",
]

# Latin-script translations this short are usually ordinary words somewhere
# (vi "Mỹ", "Ý", "Úc"...): dropped unless whitelisted.
SHORT_LATIN_MAX = 3
SHORT_KEEP: set[str] = set()   # keys kept anyway (as exact-only)

# iso-codes catalogs not used at all (CLDR still is): the Amharic catalog's
# names are garbled (e.g. "ቤሔጄሤ" for Belgium where CLDR has "ቤልጄም").
ISO_SKIP_LANGS = {"am"}

# Single generated forms dropped from one country: (alpha-2, norm key).
DROP = {
    ("DM", "доминикана"),   # mk form given for Dominica; in Russian usage it
                            # means the Dominican Republic
}

# Generated translations whose normalized form is also a common word or
# another (non-country) place in a language the service sees a lot.
COMMON_WORDS = {
    "tunis",    # hr/bs 'Tunisia' = the capital city Tunis
    "chili",    # fr 'Chile' = English 'chili'
    "greek",    # ha 'Greece' = English adjective
    "swiss",    # id 'Switzerland' = English adjective (and an airline)
    "norra",    # et 'Norway' = Swedish 'northern'
}


# ---------------------------------------------------------------------------
# Normalization (Python approximation of canonym's)
# ---------------------------------------------------------------------------

def norm(s: str) -> str:
    """NFKC, casefold, strip nonspacing marks after NFD, every run of
    characters that are not letters/digits/marks -> one space, strip."""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = unicodedata.normalize("NFC", s)
    out = []
    for c in s:
        cat = unicodedata.category(c)
        out.append(c if cat[0] in "LNM" else " ")
    return " ".join("".join(out).split())


def is_latin(s: str) -> bool:
    return all(("LATIN" in unicodedata.name(c, "")) for c in s if c.isalpha())


# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------

def load_mo(locale: str) -> dict[str, str]:
    path = os.path.join(LOCALE_DIR, locale, "LC_MESSAGES", "iso_3166-1.mo")
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as f:
        cat = gettext.GNUTranslations(f)._catalog  # noqa: SLF001
    return {k: v for k, v in cat.items() if k and v and v != k}


def uninvert(name: str) -> str | None:
    """'Korea, Republic of' -> 'Republic of Korea'."""
    m = re.fullmatch(r"(.+?), (.+ of(?: the)?)", name)
    if m:
        return f"{m.group(2)} {m.group(1)}"
    return None


def strip_the(name: str) -> str:
    return name[4:] if name.startswith("the ") else name


def cldr_names(use_cldr: bool):
    """lang tag -> {alpha2: name} from CLDR via babel."""
    if not use_cldr:
        return {}, None
    import babel  # dev-time only
    from babel import Locale
    from babel.core import get_cldr_version
    out = {}
    for tag, _, loc in [("en", [], "en")] + LANGS:
        try:
            out[tag] = dict(Locale.parse(loc).territories)
        except Exception as e:  # pragma: no cover
            print(f"warning: CLDR locale {loc}: {e}", file=sys.stderr)
    return out, f"babel {babel.__version__}, CLDR {get_cldr_version()}"


def trigrams(key: str) -> set[str]:
    k = " " + key.replace(" ", "") + " "
    return {k[i:i + 3] for i in range(len(k) - 2)} or {k}


class Validator:
    """iso-codes translations contain copy/paste slips (e.g. one locale gives
    Afghanistan's official name as "Islamic Republic of Pakistan").  A
    translation for country X in language L is kept only if
    it does not contain most of another country's CLDR name in L (>= 75% of
    that name's character trigrams) while sharing < 30% of the trigrams of
    X's own CLDR name in L.
    What remains wrong in a way that duplicates another country's name is
    caught by the conflict check."""

    def __init__(self, cldr: dict):
        self.cldr = cldr
        self.index = {}
        for tag, names in cldr.items():
            idx = {}
            tris = {}
            for code, n in names.items():
                if len(code) != 2 or not code.isalpha():
                    continue
                t = trigrams(norm(n))
                tris[code] = t
                for g in t:
                    idx.setdefault(g, set()).add(code)
            self.index[tag] = (idx, tris)

    def ok(self, tag: str, code: str, name: str) -> bool:
        if tag not in self.index:
            return False
        idx, tris = self.index[tag]
        if code not in tris:
            return False
        t = trigrams(norm(name))
        score = {}
        for g in t:
            for c in idx.get(g, ()):
                score[c] = score.get(c, 0) + 1
        def rel(c):
            return score.get(c, 0) / len(tris[c])
        mine = rel(code)
        best_other = max((rel(c) for c in score if c != code), default=0.0)
        # reject what contains another country's name and hardly this one's
        return not (best_other >= 0.75 and mine < 0.3)


def split_paren(code: str, name: str) -> list[str]:
    out = [name]
    m = re.fullmatch(r"\s*(.+?)\s*[(（](.+?)[)）]\s*", name)
    if m:
        if code in PAREN_PREFIX:
            out.append(m.group(1))
        if code in PAREN_INNER:
            out.append(m.group(2))
    return out


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------

def other_entity_keys(data_dir: str) -> dict[str, str]:
    """Normalized names/aliases of the entities in the other data files."""
    keys = {norm(n): "seed (brief)" for n in FOREIGN_NAMES}
    try:
        import tomllib
    except ImportError:  # pragma: no cover
        return keys
    for fn in ("seed.toml", "international.toml"):
        path = os.path.join(data_dir, fn)
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        for ent in doc.get("entity", []):
            names = [ent.get("name", "")]
            for a in ent.get("aliases", []):
                names.append(a if isinstance(a, str) else a.get("name", ""))
            for n in names:
                k = norm(n)
                if k:
                    keys.setdefault(k, f"{fn}:{ent.get('id')}")
    return keys


def build(use_cldr: bool, data_dir: str, report):
    with open(ISO_JSON, encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]
    cldr, cldr_ver = cldr_names(use_cldr)
    mos = {}
    for _, locs, _ in LANGS:
        for loc in locs:
            mos[loc] = load_mo(loc)
    foreign = other_entity_keys(data_dir)
    validator = Validator(cldr) if cldr else None
    rejected = []

    entities = {}
    dropped = []
    for rec in sorted(iso, key=lambda r: r["alpha_2"]):
        code = rec["alpha_2"]
        primary = PRIMARY.get(code) or rec.get("common_name") or rec["name"]
        cands = []  # (name, attrs, manual?)

        def add(name, attrs=None, manual=False):
            if name:
                cands.append((name.strip(), dict(attrs or {}), manual))

        en = {"lang": "en"}
        iso_msgids = []
        for field in ("official_name", "name", "common_name"):
            if rec.get(field):
                iso_msgids.append(rec[field])
        for n in iso_msgids:
            add(strip_the(n), en)
            u = uninvert(n)
            if u:
                add(strip_the(u.replace(" the the ", " the ")), en)
            for p in split_paren(code, n)[1:]:
                add(p, en)
        if "en" in cldr and code in cldr["en"]:
            for p in split_paren(code, cldr["en"][code]):
                add(p, en)
        for item in MANUAL.get(code, []):
            if isinstance(item, str):
                add(item, en, True)
            else:
                name, attrs = item
                attrs = dict(attrs)
                attrs.setdefault("lang", None if attrs.get("exact") else "en")
                add(name, attrs, True)
        for tag, locs, _ in LANGS:
            for loc in locs:
                cat = mos.get(loc, {}) if tag not in ISO_SKIP_LANGS else {}
                for mid in iso_msgids:
                    if mid == rec.get("official_name") and mid != rec["name"] and tag not in OFFICIAL_LANGS:
                        continue
                    if mid in cat:
                        if validator and not validator.ok(tag, code, cat[mid]):
                            rejected.append((code, tag, cat[mid]))
                            continue
                        for p in split_paren(code, cat[mid]):
                            add(p, {"lang": tag})
            if tag in cldr and code in cldr[tag]:
                for p in split_paren(code, cldr[tag][code]):
                    add(p, {"lang": tag})
        if rec["alpha_3"] not in ALPHA3_SKIP:
            add(rec["alpha_3"], {"exact": True, "note": "ISO 3166-1 alpha-3"})

        pkey = norm(primary)
        seen = {pkey: None}
        aliases = []
        for name, attrs, manual in cands:
            key = norm(name)
            if not key:
                continue
            if (code, key) in DROP:
                dropped.append((code, name, "hand-dropped (DROP)"))
                continue
            if key in COMMON_WORDS and not manual:
                dropped.append((code, name, "common word"))
                continue
            if key in foreign:
                dropped.append((code, name, f"equals {foreign[key]}"))
                continue
            letters = key.replace(" ", "")
            compact = name.replace(".", "").replace(" ", "")
            upper_abbrev = compact.isupper() and len(letters) <= 5  # cased scripts only
            if upper_abbrev:
                attrs["exact"] = True
            if (not manual and not attrs.get("exact") and attrs.get("lang") not in (None, "en")
                    and is_latin(name) and len(letters) <= SHORT_LATIN_MAX):
                if key in SHORT_KEEP:
                    attrs["exact"] = True
                else:
                    dropped.append((code, name, f"short {attrs.get('lang')} form, likely a common word"))
                    continue
            if key in seen:
                if manual and seen[key] is not None:
                    # hand-written flags win over generated ones
                    prev = seen[key]
                    for k2 in ("exact", "shared", "note"):
                        if k2 in attrs:
                            prev["attrs"][k2] = attrs[k2]
                continue
            entry = {"name": name, "key": key, "attrs": attrs}
            seen[key] = entry
            aliases.append(entry)
        entities[code] = {
            "code": code, "name": primary, "key": pkey, "aliases": aliases,
        }
    return entities, dropped + [(c, n, f"iso-codes {t} translation failed the CLDR cross-check") for c, t, n in rejected], cldr_ver, foreign


def settle(entities, report):
    """Find normalized keys claimed by several countries and settle them."""
    claims: dict[str, list[str]] = {}
    for code, ent in entities.items():
        claims.setdefault(ent["key"], []).append(code)
        for a in ent["aliases"]:
            claims.setdefault(a["key"], []).append(code)
    unsettled = []
    settled = []
    for key, codes in sorted(claims.items()):
        codes = sorted(set(codes))
        if len(codes) < 2:
            continue
        owners_primary = [c for c in codes if entities[c]["key"] == key]
        how = RESOLVE.get(key)
        all_shared = all(
            any(a["key"] == key and a["attrs"].get("shared") for a in entities[c]["aliases"])
            for c in codes
        )
        if all_shared and how is None:
            settled.append((key, codes, "shared (hand-marked)"))
            continue
        if how is None and len(owners_primary) == 1:
            how = owners_primary[0]
            src = "primary name of " + how
        else:
            src = "RESOLVE"
        if how is None:
            detail = []
            for c in codes:
                for a in entities[c]["aliases"]:
                    if a["key"] == key:
                        detail.append(f"{c}:{a['name']}[{a['attrs'].get('lang')}]")
            unsettled.append((key, codes, detail))
            continue
        if how == "drop":
            for c in codes:
                entities[c]["aliases"] = [a for a in entities[c]["aliases"] if a["key"] != key]
            settled.append((key, codes, "dropped (RESOLVE)"))
        elif how == "shared":
            for c in codes:
                for a in entities[c]["aliases"]:
                    if a["key"] == key:
                        a["attrs"]["shared"] = True
            settled.append((key, codes, "shared (RESOLVE)"))
        else:
            if how not in codes:
                raise SystemExit(f"RESOLVE[{key!r}] = {how}, not among {codes}")
            for c in codes:
                if c != how:
                    entities[c]["aliases"] = [a for a in entities[c]["aliases"] if a["key"] != key]
            settled.append((key, codes, f"given to {how} ({src})"))
    return settled, unsettled


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def render(entities, cldr_ver) -> str:
    iso_ver = "unknown"
    try:
        import subprocess
        iso_ver = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
            capture_output=True, text=True, check=False).stdout.strip() or iso_ver
    except OSError:
        pass
    out = [
        "# GENERATED FILE - do not edit by hand.",
        "# Regenerate with:  python3 tools/gen_countries.py --out data/countries.toml",
        "# (hand-made additions and conflict settlements live in tools/gen_countries.py)",
        f"# Sources: Debian iso-codes {iso_ver} (LGPL-2.1-or-later);"
        + (f" Unicode CLDR via {cldr_ver} (Unicode-3.0)." if cldr_ver else " CLDR not used."),
        "# See data/README.md and data/LICENSES/.",
        "",
    ]
    for code in sorted(entities):
        ent = entities[code]
        out.append("[[entity]]")
        out.append(f'id = "country:{code}"')
        out.append('type = "location"')
        out.append(f"name = {toml_str(ent['name'])}")
        wd = WIKIDATA.get(code)
        if wd:
            out.append(f'wikidata = "{wd}"')
        out.append("aliases = [")
        for a in ent["aliases"]:
            at = a["attrs"]
            parts = [f"name = {toml_str(a['name'])}"]
            if at.get("lang"):
                parts.append(f"lang = {toml_str(at['lang'])}")
            if at.get("exact"):
                parts.append("exact = true")
            if at.get("shared"):
                parts.append("shared = true")
            if at.get("note"):
                parts.append(f"note = {toml_str(at['note'])}")
            if len(parts) == 1:
                out.append(f"  {parts[0][7:]},")
            else:
                out.append("  { " + ", ".join(parts) + " },")
        out.append("]")
        out.append("")
    return "\n".join(out)


# Wikidata items of the countries the news names most (from public knowledge);
# the rest are left out rather than guessed.
WIKIDATA: dict[str, str] = {
    "AE": "Q878", "AF": "Q889", "AL": "Q222", "AM": "Q399", "AO": "Q916",
    "AR": "Q414", "AT": "Q40", "AU": "Q408", "AZ": "Q227", "BA": "Q225",
    "BD": "Q902", "BE": "Q31", "BF": "Q965", "BG": "Q219", "BH": "Q398",
    "BI": "Q967", "BJ": "Q962", "BO": "Q750", "BR": "Q155", "BW": "Q963",
    "BY": "Q184", "CA": "Q16", "CD": "Q974", "CF": "Q929", "CG": "Q971",
    "CH": "Q39", "CI": "Q1008", "CL": "Q298", "CM": "Q1009", "CN": "Q148",
    "CO": "Q739", "CU": "Q241", "CY": "Q229", "CZ": "Q213", "DE": "Q183",
    "DJ": "Q977", "DK": "Q35", "DZ": "Q262", "EC": "Q736", "EE": "Q191",
    "EG": "Q79", "ER": "Q986", "ES": "Q29", "ET": "Q115", "FI": "Q33",
    "FR": "Q142", "GA": "Q1000", "GB": "Q145", "GE": "Q230", "GH": "Q117",
    "GN": "Q1006", "GR": "Q41", "HR": "Q224", "HU": "Q28", "ID": "Q252",
    "IE": "Q27", "IL": "Q801", "IN": "Q668", "IQ": "Q796", "IR": "Q794",
    "IS": "Q189", "IT": "Q38", "JO": "Q810", "JP": "Q17", "KE": "Q114",
    "KG": "Q813", "KH": "Q424", "KP": "Q423", "KR": "Q884", "KW": "Q817",
    "KZ": "Q232", "LA": "Q819", "LB": "Q822", "LK": "Q854", "LT": "Q37",
    "LU": "Q32", "LV": "Q211", "LY": "Q1016", "MA": "Q1028", "MD": "Q217",
    "ME": "Q236", "MK": "Q221", "ML": "Q912", "MM": "Q836", "MN": "Q711",
    "MR": "Q1025", "MT": "Q233", "MX": "Q96", "MY": "Q833", "MZ": "Q1029",
    "NA": "Q1030", "NE": "Q1032", "NG": "Q1033", "NL": "Q55", "NO": "Q20",
    "NP": "Q837", "NZ": "Q664", "OM": "Q842", "PA": "Q804", "PE": "Q419",
    "PH": "Q928", "PK": "Q843", "PL": "Q36", "PS": "Q219060", "PT": "Q45",
    "QA": "Q846", "RO": "Q218", "RS": "Q403", "RU": "Q159", "RW": "Q1037",
    "SA": "Q851", "SD": "Q1049", "SE": "Q34", "SG": "Q334", "SI": "Q215",
    "SK": "Q214", "SN": "Q1041", "SO": "Q1045", "SS": "Q958", "SY": "Q858",
    "TD": "Q657", "TG": "Q945", "TH": "Q869", "TJ": "Q863", "TM": "Q874",
    "TN": "Q948", "TR": "Q43", "TW": "Q865", "TZ": "Q924", "UA": "Q212",
    "UG": "Q1036", "US": "Q30", "UY": "Q77", "UZ": "Q265", "VA": "Q237",
    "VE": "Q717", "VN": "Q881", "YE": "Q805", "ZA": "Q258", "ZM": "Q953",
    "ZW": "Q954",
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="write here instead of stdout")
    ap.add_argument("--no-cldr", action="store_true", help="iso-codes only")
    ap.add_argument("--data-dir", default=os.path.join(os.path.dirname(__file__), "..", "data"))
    args = ap.parse_args()
    report = sys.stderr
    entities, dropped, cldr_ver, _ = build(not args.no_cldr, args.data_dir, report)
    settled, unsettled = settle(entities, report)
    n_alias = sum(len(e["aliases"]) for e in entities.values())
    langs = sorted({a["attrs"].get("lang") for e in entities.values() for a in e["aliases"]} - {None})
    print(f"== {len(entities)} entities, {n_alias} aliases, {len(langs)} languages: {' '.join(langs)}", file=report)
    print(f"== dropped {len(dropped)} forms:", file=report)
    for d in dropped:
        print("   drop", *d, file=report)
    print(f"== settled {len(settled)} shared/conflicting keys:", file=report)
    for key, codes, how in settled:
        print(f"   {key!r}: {','.join(codes)} -> {how}", file=report)
    if unsettled:
        print(f"== UNSETTLED {len(unsettled)} conflicts:", file=report)
        for key, codes, detail in unsettled:
            print(f"   {key!r}: {' '.join(detail)}", file=report)
        return 1
    text = render(entities, cldr_ver)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    print("== no unsettled conflicts", file=report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
