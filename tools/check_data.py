#!/usr/bin/env python3
"""Quick Python check of the alias tables in data/ (no Rust needed).

Approximates canonym's loader rules: allowed keys, one owner per normalized
name unless every claimant marks it shared, short acronyms exact-only.
Usage: python3 tools/check_data.py [data-dir]    (exit 1 on errors)
"""
import glob
import os
import sys
import tomllib

sys.path.insert(0, os.path.dirname(__file__))
from gen_countries import norm  # noqa: E402

ENTITY_KEYS = {"id", "type", "name", "aliases", "wikidata", "note"}
ALIAS_KEYS = {"name", "exact", "shared", "lang", "note"}
TYPES = {"organization", "person", "location", "vessel", "other"}
# must stay reachable only by fuzzy matching (misspelling in a seed article)
FORBIDDEN = {norm("International Committee for the Red Crescent")}


def main() -> int:
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data")
    errors = []
    warnings = []  # house style, not loader rules
    claims = {}  # key -> [(file, id, shared)]
    ids = set()
    for path in sorted(glob.glob(os.path.join(data, "*.toml"))):
        fn = os.path.basename(path)
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        for ent in doc.get("entity", []):
            eid = ent.get("id")
            for k in ent:
                if k not in ENTITY_KEYS:
                    errors.append(f"{fn}: {eid}: unknown key {k}")
            if eid in ids:
                errors.append(f"{fn}: duplicate id {eid}")
            ids.add(eid)
            if ent.get("type") not in TYPES:
                errors.append(f"{fn}: {eid}: bad type {ent.get('type')}")
            seen = {}
            items = [(ent["name"], {})] + [
                (a, {}) if isinstance(a, str) else (a.get("name", ""), a) for a in ent.get("aliases", [])
            ]
            for name, attrs in items:
                for k in attrs:
                    if k not in ALIAS_KEYS:
                        errors.append(f"{fn}: {eid}: alias {name!r}: unknown key {k}")
                key = norm(name)
                if not key:
                    errors.append(f"{fn}: {eid}: empty alias {name!r}")
                    continue
                if key in FORBIDDEN:
                    errors.append(f"{fn}: {eid}: forbidden alias {name!r}")
                compact = name.replace(".", "").replace("-", "").replace(" ", "")
                if (compact.isalpha() and compact.upper() == compact and compact.lower() != compact
                        and len(compact) <= 4 and not attrs.get("exact") and name != ent["name"]):
                    warnings.append(f"{fn}: {eid}: short acronym {name!r} is not exact-only")
                if key in seen:
                    continue
                seen[key] = True
                claims.setdefault(key, []).append((fn, eid, bool(attrs.get("shared"))))
    for key, cl in sorted(claims.items()):
        owners = {c[1] for c in cl}
        if len(owners) > 1 and not all(c[2] for c in cl):
            errors.append(f"conflict {key!r}: " + ", ".join(f"{f}:{i}{'(shared)' if s else ''}" for f, i, s in cl))
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    print(f"{len(ids)} entities, {len(claims)} distinct normalized names, "
          f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
