"""The agency's sector taxonomy: slugs, their labels in fr/nl/de/en, and synonyms as data.

`data/sectors.toml` holds the vocabulary so that a trade advisor can add a synonym without
touching code; its header documents the matching rules.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from kbsearch.vocab.text import PhraseMatcher

SYNONYM_LANGUAGES = ("fr", "nl", "de", "en", "ja")


@functools.cache
def _table() -> dict[str, dict]:
    raw = resources.files("kbsearch.vocab").joinpath("data/sectors.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


def slugs() -> tuple[str, ...]:
    """Sector slugs in the taxonomy's order."""
    return tuple(_table())


def label(slug: str, locale: str = "en") -> str:
    """The sector's label in `locale`, else English, else the slug."""
    labels = _table().get(slug, {}).get("label", {})
    return labels.get(locale.split("_")[0]) or labels.get("en") or slug


def synonyms(slug: str) -> list[str]:
    """Every term that names the sector: its labels and synonyms in all languages."""
    entry = _table()[slug]
    terms = list(entry.get("label", {}).values())
    for lang in SYNONYM_LANGUAGES:
        terms.extend(entry.get(lang, []))
    return terms


@functools.cache
def matcher() -> PhraseMatcher:
    """A matcher whose `Match.concept` is the sector slug."""
    return PhraseMatcher((term, slug) for slug in slugs() for term in synonyms(slug))


def parse_sector(value: str) -> str | None:
    """A slug from a slug or any label or synonym (`automotive`, `autosector`)."""
    value = value.strip()
    if value.lower() in _table():
        return value.lower()
    found = matcher().find(value)
    return found[0].concept if len(found) == 1 else None
