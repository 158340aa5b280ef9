"""Text folding and phrase matching shared by every vocabulary.

Concept names are matched on folded tokens so that `Économie`, `economie` and `ÉCONOMIE` meet,
and `l'Inde` yields the token `inde`. Scripts without spaces (Japanese, Chinese) are matched as
substrings instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d",
                            "ı": "i", "’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_WORD = re.compile(r"\w+", re.UNICODE)
_KEY = 3  # wildcard terms are bucketed by their first or last 3 letters
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def fold(text: str) -> str:
    """Lower-case, ligatures expanded, accents removed: the form every comparison uses."""
    text = text.casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Folded word tokens; apostrophes and hyphens separate words (`l'Inde` → `l`, `inde`)."""
    return _WORD.findall(fold(text).replace("_", " "))


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def count_cjk(text: str) -> int:
    """Ideographs, kana and hangul: each carries about as much as a short word."""
    return len(_CJK.findall(text))


@dataclass(frozen=True)
class Match:
    """One occurrence of a concept: its id, token span (or character offset for CJK) and term."""

    concept: str
    start: int
    term: str


class PhraseMatcher:
    """Finds concept terms in text.

    A term is one or more words. A word ending in `*` matches any word starting with it
    (`lebensmittel*`), a word starting with `*` any word ending with it (`*fahrzeugbau`), so
    German and Dutch compounds are caught without listing each one. Terms in CJK scripts are
    matched as substrings. Longest match wins at each position.
    """

    def __init__(self, terms: Iterable[tuple[str, str]]):
        self._exact: dict[tuple[str, ...], str] = {}
        self._wild: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        self._cjk: list[tuple[str, str]] = []
        self._max_len = 1
        for term, concept in terms:
            self._add(term, concept)

    def _add(self, term: str, concept: str) -> None:
        if is_cjk(term):
            self._cjk.append((term, concept))
            return
        words = tuple(w for part in fold(term).split() for w in self._word_patterns(part))
        if not words:
            return
        self._max_len = max(self._max_len, len(words))
        if any("*" in w for w in words):
            self._wild[self._bucket_of_pattern(words[0])].append((words, concept, term))
        else:
            self._exact.setdefault(words, concept)

    @staticmethod
    def _word_patterns(raw: str) -> list[str]:
        """The words of one space-separated part (`d'ivoire` → `d`, `ivoire`), a leading or
        trailing `*` kept on the first or last word."""
        words = _WORD.findall(raw.replace("_", " "))
        if words and raw.startswith("*"):
            words[0] = "*" + words[0]
        if words and raw.endswith("*"):
            words[-1] = words[-1] + "*"
        return words

    @staticmethod
    def _bucket_of_pattern(pattern: str) -> str:
        """Wildcard terms are bucketed by what their first word must start or end with."""
        if (pattern.startswith("*") and pattern.endswith("*")) or len(pattern.strip("*")) < _KEY:
            return "*"
        if pattern.endswith("*"):
            return "^" + pattern[:_KEY]
        if pattern.startswith("*"):
            return "$" + pattern[-_KEY:]
        return "=" + pattern

    @staticmethod
    def _buckets_of_word(word: str) -> tuple[str, ...]:
        return ("=" + word, "^" + word[:_KEY], "$" + word[-_KEY:], "*")

    @staticmethod
    def _word_matches(pattern: str, word: str) -> bool:
        if pattern.endswith("*") and pattern.startswith("*"):
            return pattern[1:-1] in word
        if pattern.endswith("*"):
            return word.startswith(pattern[:-1])
        if pattern.startswith("*"):
            return word.endswith(pattern[1:])
        return word == pattern

    def _wild_match_len(self, entry_words: tuple[str, ...], words: list[str], i: int) -> int:
        n = len(entry_words)
        if i + n > len(words):
            return 0
        ok = all(self._word_matches(p, words[i + k]) for k, p in enumerate(entry_words))
        return n if ok else 0

    def find(self, text: str) -> list[Match]:
        """Every concept occurrence in `text`, in reading order."""
        words = _WORD.findall(fold(text).replace("_", " "))
        found: list[Match] = []
        i = 0
        while i < len(words):
            best_len, best = 0, None
            for n in range(min(self._max_len, len(words) - i), 0, -1):
                concept = self._exact.get(tuple(words[i:i + n]))
                if concept is not None:
                    best_len, best = n, (concept, " ".join(words[i:i + n]))
                    break
            for bucket in self._buckets_of_word(words[i]):
                for entry in self._wild.get(bucket, ()):
                    n = self._wild_match_len(entry[0], words, i)
                    if n > best_len:
                        best_len, best = n, (entry[1], entry[2])
            if best:
                found.append(Match(best[0], i, best[1]))
                i += best_len
            else:
                i += 1
        if self._cjk and is_cjk(text):
            found.extend(self._find_cjk(text))
        return found

    def _find_cjk(self, text: str) -> list[Match]:
        matches = []
        for term, concept in self._cjk:
            start = text.find(term)
            while start != -1:
                matches.append(Match(concept, start, term))
                start = text.find(term, start + len(term))
        return matches
