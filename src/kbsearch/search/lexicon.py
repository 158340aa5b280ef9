"""The words an index generation holds: term look-ups remembered, and the near words that
typo correction offers.

A query word is looked up in a dozen fields so that the fields without it are left out, and an
unknown word is compared with the dictionary words sharing its first letter. Through Whoosh each
look-up reads the term table in Python (tens of microseconds, a few dozen per query) and each
correction walked the word list term by term (30–60 ms at 10,000 documents): corrected queries
were the slowest of all. A generation never changes, so look-ups are remembered for the
searcher's life; once the terms of the text fields have been listed (servers do it before a
generation takes its first search), a term those fields lack is known absent without asking
Whoosh at all; and the dictionary is held as word lists compared in C (rapidfuzz).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

# Look-ups remembered per searcher; when full the memory starts over (queries repeat their
# words, and a look-up costs tens of microseconds to redo).
REMEMBERED = 200_000


class Lexicon:
    """Term statistics of one reader, and its `spell_field` as a dictionary of words."""

    def __init__(self, reader, spell_field: str):
        self._reader = reader
        self._spell_field = spell_field
        self._frequencies: dict[tuple[str, str], int] = {}
        self._weights: dict[tuple[str, str], float] = {}
        self._by_initial: dict[str, list[str]] | None = None
        self._listed_fields: frozenset[str] = frozenset()
        self._listed = np.zeros(0, dtype=np.int64)  # sorted hashes of (field, term)
        self._joined: dict[str, str] = {}  # see containing

    def doc_frequency(self, field: str, text: str) -> int:
        """How many documents hold the term (deleted ones included, as Whoosh counts)."""
        return self._remembered(self._frequencies, self._reader.doc_frequency, field, text)

    def frequency(self, field: str, text: str) -> float:
        """How often the term occurs in all documents (Whoosh's collection frequency, what
        key-term weighting compares a text with)."""
        return self._remembered(self._weights, self._reader.frequency, field, text)

    def _remembered(self, memory: dict, read, field: str, text: str):
        key = (field, text)
        found = memory.get(key)
        if found is not None:
            return found
        if field in self._listed_fields and not self._listed_has(hash(key)):
            return 0
        if len(memory) >= REMEMBERED:
            memory.clear()
        found = memory[key] = read(field, text)
        return found

    def list_terms(self, fields: Iterable[str]) -> Counter[tuple[str, str]]:
        """Every term of `fields` with the number of documents holding it, in one pass over
        each segment's term list; from then on, look-ups of terms these fields lack are
        answered here (a sorted array of hashes, 8 bytes a term). A hash shared by two terms
        only sends a look-up on to Whoosh, so answers stay exact."""
        fields = [name for name in fields if name in self._reader.schema]
        frequency: Counter[tuple[str, str]] = Counter()
        for leaf, _ in self._reader.leaf_readers():
            for field in fields:
                for text, info in leaf.iter_field(field):
                    if isinstance(text, bytes):
                        text = text.decode("utf-8")
                    frequency[field, text] += info.doc_frequency()
        self._listed = np.sort(np.fromiter(map(hash, frequency), dtype=np.int64,
                                           count=len(frequency)))
        self._listed_fields = frozenset(fields)
        return frequency

    def _listed_has(self, key_hash: int) -> bool:
        at = int(np.searchsorted(self._listed, key_hash))
        return at < len(self._listed) and int(self._listed[at]) == key_hash

    def near_words(self, word: str, max_edits: int) -> list[tuple[int, str]]:
        """(edits, word) for every dictionary word other than `word` with the same first
        letter and at most `max_edits` edits away, fewest edits first.

        Edits are Damerau-Levenshtein distance as Whoosh counts it (optimal string alignment:
        a swap of neighbours is one edit). People rarely mistype the first letter, and keeping
        it narrows the comparison to a fraction of the dictionary.
        """
        candidates = self.words_by_initial().get(word[:1], [])
        found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=max_edits,
                                limit=None)
        return sorted((int(edits), near) for near, edits, _ in found if near != word)

    def containing(self, field: str, fragment: str, limit: int) -> list[str]:
        """The terms of `field` that contain `fragment`, the `limit` most documents hold.

        The field's terms are held as one string, one term a line, which `str.find` scans at
        C speed: a few milliseconds for a million terms.
        """
        joined = self.joined_terms(field)
        found = []
        start = joined.find(fragment) if fragment and "\n" not in fragment else -1
        while start != -1:
            end = joined.find("\n", start)
            end = len(joined) if end == -1 else end
            found.append(joined[joined.rfind("\n", 0, start) + 1:end])
            start = joined.find(fragment, end)
        if len(found) > limit:
            found.sort(key=lambda term: (-self.doc_frequency(field, term), term))
            del found[limit:]
        return found

    def joined_terms(self, field: str) -> str:
        """The terms of `field`, sorted, one a line; read once per searcher (servers read
        them before a generation takes its first search)."""
        joined = self._joined.get(field)
        if joined is None:
            joined = self._joined[field] = "\n".join(sorted(self._field_terms(field)))
        return joined

    def _field_terms(self, field: str) -> set[str]:
        terms: set[str] = set()
        for leaf, _ in self._reader.leaf_readers():
            if field in leaf.schema:
                terms.update(leaf.field_terms(field))
        return terms

    def words_by_initial(self) -> dict[str, list[str]]:
        """Every word of the dictionary, by first letter; read once, on first use."""
        if self._by_initial is None:
            words: defaultdict[str, set[str]] = defaultdict(set)
            for word in self._field_terms(self._spell_field):
                words[word[:1]].add(word)
            self._by_initial = {initial: sorted(group) for initial, group in words.items()}
        return self._by_initial
