"""Completion as the user types: concept names in any language, then document titles.

Someone typing `jap`, `Japo` or `fahrz` gets Japan or the automotive sector whatever language
the name is in; someone typing the start of a title gets that document.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kbsearch.vocab import countries, sectors
from kbsearch.vocab.labels import facet_label
from kbsearch.vocab.text import fold

NAME_LOCALES = ("fr", "nl", "de", "en")


@dataclass(frozen=True)
class Suggestion:
    kind: str    # country | sector | title
    value: str   # ISO code, sector slug, or document id
    label: str   # what to show: the label in the UI locale, or the title
    matched: str  # the name that matched what was typed, in whatever language

    def to_json(self) -> dict:
        return {"kind": self.kind, "value": self.value, "label": self.label,
                "matched": self.matched}


@functools.cache
def _concept_names() -> list[tuple[str, str, str, str]]:
    """(folded name, kind, value, name) for every country and sector name in every locale."""
    names = []
    for code in countries.codes():
        for locale in NAME_LOCALES:
            name = countries.name(code, locale)
            names.append((fold(name), "country", code, name))
    for slug in sectors.slugs():
        for term in sectors.synonyms(slug):
            if "*" not in term:
                names.append((fold(term), "sector", slug, term))
    return names


def _starts(folded_name: str, prefix: str) -> bool:
    """The name or one of its words starts with the prefix."""
    return folded_name.startswith(prefix) or f" {prefix}" in f" {folded_name}"


def complete(prefix: str, locale: str, limit: int, present: dict[str, set[str]],
             titles: list[tuple[str, str, str]]) -> list[Suggestion]:
    """Up to `limit` suggestions; concepts only when some document carries them.

    `titles` holds (folded title, title, document id) for every document.
    """
    wanted = fold(prefix).strip()
    if not wanted:
        return []
    found: list[Suggestion] = []
    seen: set[tuple[str, str]] = set()
    for folded_name, kind, value, name in _concept_names():
        if (kind, value) in seen or value not in present.get(kind, ()):
            continue
        if _starts(folded_name, wanted):
            seen.add((kind, value))
            found.append(Suggestion(kind, value, facet_label(kind, value, locale), name))
    found.sort(key=lambda s: (not fold(s.matched).startswith(wanted), len(s.matched)))
    found = found[:limit]
    for folded_title, title, doc_id in titles:
        if len(found) >= limit:
            break
        if _starts(folded_title, wanted):
            found.append(Suggestion("title", doc_id, title, title))
    return found
