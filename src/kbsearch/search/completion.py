"""Completion as the user types: concept names in any language, then document titles.

Someone typing `jap`, `Japo` or `fahrz` gets Japan or the automotive sector whatever language
the name is in; someone typing the start of a title gets that document.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

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


class TitleIndex:
    """Document titles found by the start of any of their words, without a scan.

    Every word start of every folded title is a key (its first KEY_BYTES bytes, to the end of
    the title); keys are sorted, so the titles matching a prefix are one binary-searched
    range. At 100,000 documents a scan of all titles per keystroke cost ~80 ms.
    """

    KEY_BYTES = 16

    def __init__(self, titles: list[tuple[str, str, str]]):
        self.titles = titles  # (folded title, title, document id), in document order
        keys, owners = [], []
        for n, (folded, _, _) in enumerate(titles):
            for start in [0] + [i + 1 for i, c in enumerate(folded) if c == " "]:
                keys.append(folded[start:].encode("utf-8")[:self.KEY_BYTES])
                owners.append(n)
        keys_array = np.array(keys, dtype=f"S{self.KEY_BYTES}")
        order = np.argsort(keys_array, kind="stable")
        self.keys = keys_array[order]
        self.owners = np.array(owners, dtype=np.int32)[order]

    def starting_with(self, prefix: str, limit: int) -> list[tuple[str, str, str]]:
        """The first `limit` titles, in document order, having a word that starts `prefix`."""
        key = prefix.encode("utf-8")[:self.KEY_BYTES]
        low = int(np.searchsorted(self.keys, key, side="left"))
        if len(key) < self.KEY_BYTES:
            high = int(np.searchsorted(self.keys, key + b"\xff", side="left"))
        else:
            high = int(np.searchsorted(self.keys, key, side="right"))
        found = []
        for n in np.unique(self.owners[low:high]):
            title = self.titles[n]
            if len(found) >= limit:
                break
            if len(key) < self.KEY_BYTES or _starts(title[0], prefix):
                found.append(title)
        return found


def complete(prefix: str, locale: str, limit: int, present: dict[str, set[str]],
             titles: TitleIndex) -> list[Suggestion]:
    """Up to `limit` suggestions; concepts only when some document carries them."""
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
    for _, title, doc_id in titles.starting_with(wanted, limit - len(found)):
        found.append(Suggestion("title", doc_id, title, title))
    return found
