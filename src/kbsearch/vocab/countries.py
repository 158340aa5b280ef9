"""Countries as ISO 3166-1 alpha-2 codes, with their names in every locale kbsearch serves.

Names come from CLDR through Babel; `data/countries.toml` adds what CLDR lacks: demonyms and
adjectives (`nippon`, `Marokkaanse`), capitals and business cities (`Tokyo`, `Casablanca`) and
common short forms (`USA`). A term that names two different countries, or that is also a common
word (`réunion`, `Dominique`; listed under `_ambiguous`), is dropped rather than guessed.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import defaultdict
from importlib import resources

from babel import Locale

from kbsearch.vocab.text import PhraseMatcher, fold

# Locales whose CLDR names are matched in documents and queries: the agency's four languages,
# the scripts of its Asian markets, and the Romance languages its partners write in.
NAME_LOCALES = ("fr", "nl", "de", "en", "es", "it", "pt", "ja", "zh", "ko")

# CLDR territories that are not countries a document can be about: groupings, pseudo-regions
# and the exceptionally reserved codes (Canary Islands, Ceuta and Melilla, Ascension…).
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "DG", "EA", "IC", "TA"}
# Match-kind of the phrases listed under `_not_countries`: found, then ignored.
NOT_A_COUNTRY = "none"


@functools.cache
def codes() -> tuple[str, ...]:
    """Every ISO alpha-2 country code CLDR knows (plus Kosovo's XK), sorted."""
    territories = Locale("en").territories
    return tuple(sorted(c for c in territories
                        if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES))


def name(code: str, locale: str = "en") -> str:
    """The country's name in `locale` (falls back to English, then to the code itself)."""
    for loc in (locale, "en"):
        try:
            found = Locale.parse(loc).territories.get(code.upper())
        except (ValueError, TypeError):
            continue
        if found:
            return found
    return code.upper()


@functools.cache
def _extras() -> dict[str, dict[str, list[str]]]:
    raw = resources.files("kbsearch.vocab").joinpath("data/countries.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


def _name_variants(cldr_name: str) -> set[str]:
    """Shorter forms of a CLDR name: `Myanmar (Burma)` → Myanmar, Burma; `Trinidad & Tobago`
    → `Trinidad and Tobago`. They yield to any country's full name (`RAE de Hong Kong (China)`
    does not make `China` ambiguous)."""
    variants = {cldr_name.replace("&", "and"), re.sub(r"\([^)]*\)", "", cldr_name).strip()}
    variants.update(re.findall(r"\(([^)]+)\)", cldr_name))
    return {v.strip() for v in variants if v.strip() and v.strip() != cldr_name}


@functools.cache
def terms_by_kind() -> dict[str, dict[str, str]]:
    """Folded term → country code, split by kind: `name`, `demonym`, `place`.

    Kinds let extraction weigh a named country above a city, and let queries tell a user who
    typed `Tokyo` that it stands for Japan.
    """
    candidates: dict[str, dict[str, set[str]]] = {k: defaultdict(set) for k in
                                                  ("name", "demonym", "place")}
    valid = set(codes())
    full_names = {fold(n) for loc in NAME_LOCALES for c, n in Locale(loc).territories.items()
                  if c in valid}
    for loc in NAME_LOCALES:
        for code, cldr_name in Locale(loc).territories.items():
            if code in valid:
                candidates["name"][cldr_name].add(code)
                for variant in _name_variants(cldr_name):
                    if fold(variant) not in full_names:
                        candidates["name"][variant].add(code)
    for code, entry in _extras().items():
        if code not in valid:
            continue  # the `_ambiguous` table, or a code CLDR does not know
        for key, values in entry.items():
            kind = {"places": "place", "aliases": "name"}.get(key, "demonym")
            for value in values:
                candidates[kind][value].add(code)
    ignored = {fold(t) for t in _extras().get("_ambiguous", {}).get("terms", [])}
    return {kind: {t: c for t, c in _unambiguous(found).items() if t not in ignored}
            for kind, found in candidates.items()}


def _unambiguous(found: dict[str, set[str]]) -> dict[str, str]:
    """Keep the terms that name exactly one country once folded."""
    by_folded: dict[str, set[str]] = defaultdict(set)
    for term, term_codes in found.items():
        by_folded[fold(term)] |= term_codes
    return {term: next(iter(c)) for term, c in by_folded.items() if len(c) == 1}


@functools.cache
def matcher() -> PhraseMatcher:
    """A matcher over every country term; `Match.concept` is `kind:CODE`.

    Phrases that merely contain a country word (`océan Indien`) match as `none:` so that the
    longest match takes them away from the country.
    """
    blockers = _extras().get("_not_countries", {}).get("terms", [])
    return PhraseMatcher([(term, f"{kind}:{code}")
                          for kind, table in terms_by_kind().items()
                          for term, code in table.items()]
                         + [(term, f"{NOT_A_COUNTRY}:") for term in blockers])


def parse_country(value: str) -> str | None:
    """An ISO code from a code or a name in any served locale (`JP`, `Japon`, `Japan`)."""
    value = value.strip()
    if len(value) == 2 and value.upper() in set(codes()):
        return value.upper()
    return terms_by_kind()["name"].get(fold(value))
