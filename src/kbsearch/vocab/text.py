"""Text folding and phrase matching shared by every vocabulary.

Concept names are matched on folded tokens so that `Économie`, `economie` and `ÉCONOMIE` meet,
and `l'Inde` yields the token `inde`. Scripts without spaces (Japanese, Chinese) are matched as
substrings instead.
"""

from __future__ import annotations

import functools
import itertools
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


class _FoldTable(dict):
    """code point → its folded form, computed on first sight: `str.translate` then folds a
    whole text at C speed, character by character (the same result as folding it whole)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


def _fold_char(char: str) -> str:
    text = char.casefold().translate(_LIGATURES)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_FOLD_TABLE = _FoldTable()


_NON_ASCII_RUNS = re.compile(r"([^\x00-\x7f]+)")


def fold(text: str) -> str:
    """Lower-case, ligatures expanded, accents removed: the form every comparison uses.

    The same as mapping each character through the fold table, faster: `str.translate` maps
    character by character (200 µs for a page of French), while runs of ASCII, most of any
    Latin text, fold by `lower()` at C speed, and runs of other characters are short and
    repeat (`é`, `ü`), so each is folded once and remembered.
    """
    if len(text) >= _LONG_TEXT:
        return _fold_long(text)
    return _fold(text)


# A document's text is folded by several readers in turn (its words, its dates, each index
# field), so the last long texts folded are remembered.
_LONG_TEXT = 500
# How many texts the folds and words of are remembered: indexing extracts a batch of 32
# documents (see index.parallel) before it indexes them, and each has a title and a body.
REMEMBERED_TEXTS = 128


@functools.lru_cache(maxsize=REMEMBERED_TEXTS)
def _fold_long(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    if text.isascii():
        return _fold_ascii(text)
    parts = _NON_ASCII_RUNS.split(text)  # ASCII, other, ASCII, …, ASCII
    parts[0::2] = _fold_ascii_parts(parts[0::2], text)
    parts[1::2] = [_fold_run(run)[0] for run in parts[1::2]]
    return "".join(parts)


def _fold_ascii(text: str) -> str:
    return text.lower().replace("`", "'")


def _fold_ascii_parts(parts: list[str], text: str) -> list[str]:
    lowered = [part.lower() for part in parts]
    return [part.replace("`", "'") for part in lowered] if "`" in text else lowered


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """`fold(text)`, and for each of its characters (and its end) the offset it came from in
    `text`, or None when every character folds to exactly one. Folding can lengthen (`œ` →
    `oe`) or drop (combining accents) characters; only runs of non-ASCII can."""
    if text.isascii():
        return _fold_ascii(text), None
    parts = _NON_ASCII_RUNS.split(text)
    runs = [_fold_run(run) for run in parts[1::2]]
    folded = parts.copy()
    folded[0::2] = _fold_ascii_parts(parts[0::2], text)
    folded[1::2] = [piece for piece, _ in runs]
    if all(origins is None for _, origins in runs):
        return "".join(folded), None
    offsets: list[int] = []
    at = 0
    for i, part in enumerate(parts):
        origins = runs[i // 2][1] if i % 2 else None
        offsets.extend(range(at, at + len(part)) if origins is None else
                       [at + origin for origin in origins])
        at += len(part)
    offsets.append(at)
    return "".join(folded), offsets


@functools.lru_cache(maxsize=65_536)
def _fold_run(run: str) -> tuple[str, tuple[int, ...] | None]:
    """A run of non-ASCII folded, and for each folded character its index in the run (None
    when each character folds to one). Runs are short and repeat (`é`, `ü`, `’`)."""
    folded = [_FOLD_TABLE[ord(char)] for char in run]
    if all(len(piece) == 1 for piece in folded):
        return "".join(folded), None
    return "".join(folded), tuple(i for i, piece in enumerate(folded) for _ in piece)


@functools.cache
def unfolded_letter() -> str:
    """A regular expression for one character of original text that folds into word
    characters only, or into nothing (decomposed accents): what `\\w` is in folded text.
    (`ʼ` is a letter but folds to an apostrophe; a combining accent is no letter but vanishes.)
    """
    word = re.compile(r"\w")
    not_letters, letters = [], []
    for form, chars in _unfolding().items():
        folds_to_letters = all(word.match(c) for c in form)
        for char in chars:
            if bool(word.match(char)) != folds_to_letters:
                (letters if folds_to_letters else not_letters).append(char)
    return rf"(?:[^\W{_ranges(''.join(not_letters))}]|{char_class(''.join(letters))})"


def char_class(chars: str) -> str:
    """A regular-expression character class of `chars`, written as ranges (`[a-eé]`): a class
    of a thousand single characters takes milliseconds to compile."""
    return f"[{_ranges(chars)}]"


def _ranges(chars: str) -> str:
    codes = sorted(set(map(ord, chars)))
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(re.escape(chr(low)) if low == high else
                   f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges)


@functools.lru_cache(maxsize=4096)
def unfolded_chars(folded: str, whole: bool = True) -> str:
    """The characters whose fold is `folded` (or, unless `whole`, starts with it): what to
    look for in original text to find `folded` in folded text without folding it all.
    `'` → `'’ʼ‘`…`; `oe` → `œŒ`; `""` → the combining accents."""
    chars = (folded if len(folded) == 1 else "") + _unfolding().get(folded, "")
    if not whole and folded:
        chars += "".join(originals for form, originals in _unfolding_by_initial()[folded[0]]
                         if form != folded and form.startswith(folded))
    return chars


@functools.cache
def _unfolding_by_initial() -> dict[str, list[tuple[str, str]]]:
    by_initial = defaultdict(list)
    for form, originals in _unfolding().items():
        if form:
            by_initial[form[0]].append((form, originals))
    return by_initial


@functools.cache
def _unfolding() -> dict[str, str]:
    """Folded form → the characters of the Basic Multilingual Plane that fold to it, other
    than the form itself: 16,500 characters, most of them Hangul syllables (which decompose),
    about 2 MB, built once per process in about 0.1 s."""
    found: dict[str, list[str]] = defaultdict(list)
    for code in itertools.chain(range(0xD800), range(0xE000, 0x10000)):
        char = chr(code)
        folded = _fold_char(char)
        if folded != char:
            found[folded].append(char)
    return {form: "".join(chars) for form, chars in found.items()}


@functools.lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """`fold` for single words, cached: indexing folds millions of tokens from a small vocabulary."""
    return fold(word)


# Words, and words joined by an apostrophe (`l'industrie`, `aujourd'hui`), in folded text,
# where every apostrophe is `'`.
FOLDED_WORD = re.compile(r"\w+(?:'\w+)*")


@functools.lru_cache(maxsize=REMEMBERED_TEXTS)
def folded_words(text: str) -> list[str]:
    """The words of `text` folded, apostrophes kept inside them (callers must not change the
    list). Remembered for the last texts: a document's body is split into words for
    extraction (see `tokens`), for its language's index field, then for the spelling
    dictionary and the compounds."""
    return FOLDED_WORD.findall(fold(text))


def tokens(text: str) -> list[str]:
    """Folded word tokens; apostrophes and hyphens separate words (`l'Inde` → `l`, `inde`).

    The folded words split at their apostrophes and underscores, by string operations at C
    speed: a second pattern over the whole text cost as much as splitting it into words."""
    words = folded_words(text)
    joined = "\0".join(words)
    if "'" not in joined and "_" not in joined:
        return list(words)
    return list(filter(None, joined.replace("'", "\0").replace("_", "\0").split("\0")))


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def count_cjk(text: str) -> int:
    """Ideographs, kana and hangul: each carries about as much as a short word."""
    return len(_CJK.findall(text))


@dataclass(frozen=True)
class Tokenized:
    """A text with its `tokens()`, computed once for the many matchers that read it."""

    text: str
    words: list[str]

    @classmethod
    def of(cls, text: str) -> Tokenized:
        return cls(text, tokens(text))

    @functools.cached_property
    def distinct(self) -> frozenset[str]:
        """Its words without repeats, which every matcher reading it sorts out."""
        return frozenset(self.words)

    @functools.cached_property
    def has_cjk(self) -> bool:
        """Whether it holds CJK characters, which some matchers then look for as substrings."""
        return is_cjk(self.text)


@dataclass(frozen=True)
class Match:
    """One occurrence of a concept: its id, token span (or character offset for CJK) and term."""

    concept: str
    start: int
    term: str


# Words a matcher remembers as starting no term (a few MB); past this it forgets them and starts
# over. The common words, which are most of any text, are soon remembered again.
_REMEMBERED_WORDS = 100_000


class PhraseMatcher:
    """Finds concept terms in text.

    A term is one or more words. A word ending in `*` matches any word starting with it
    (`lebensmittel*`), a word starting with `*` any word ending with it (`*fahrzeugbau`), so
    German and Dutch compounds are caught without listing each one. Terms in CJK scripts are
    matched as substrings. Longest match wins at each position.
    """

    def __init__(self, terms: Iterable[tuple[str, str]]):
        self._exact: dict[tuple[str, ...], str] = {}
        self._longest_from: dict[str, int] = {}  # first word → longest exact term's length
        # First word → the second words of the exact terms of two words or more starting with
        # it: `la`, `le` and `the` start a few country names (`la paz`) and nearly every
        # sentence, where the next word rules them all out at once.
        self._followers: dict[str, set[str]] = {}
        # Wildcard terms by what their first word must equal, start with, or end with.
        self._wild_equal: dict[str, list] = defaultdict(list)
        self._wild_prefix: dict[str, list] = defaultdict(list)
        self._wild_suffix: dict[str, list] = defaultdict(list)
        self._wild_other: list = []
        self._cjk: list[tuple[str, str]] = []
        self._wild_by_word: dict[str, tuple] = {}  # see _wild_starting
        for term, concept in terms:
            self._add(term, concept)
        # The words that may start a term: the exact terms' first words, and words found to
        # start a wildcard term (few), among the words judged so far by _possible_starts.
        self._starters: set[str] = set(self._longest_from)
        self._judged: set[str] = set()
        self._has_wild = bool(self._wild_equal or self._wild_prefix or self._wild_suffix
                              or self._wild_other)

    def _add(self, term: str, concept: str) -> None:
        if is_cjk(term):
            self._cjk.append((term, concept))
            return
        words = tuple(w for part in fold(term).split() for w in self._word_patterns(part))
        if not words:
            return
        if any("*" in w for w in words):
            self._bucket(words[0]).append((words, concept, term))
        elif words not in self._exact:
            self._exact[words] = concept
            self._longest_from[words[0]] = max(self._longest_from.get(words[0], 0), len(words))
            if len(words) > 1:
                self._followers.setdefault(words[0], set()).add(words[1])

    def _bucket(self, first: str) -> list:
        core = first.strip("*")
        if "*" not in first:
            return self._wild_equal[first]
        if len(core) < _KEY or (first.startswith("*") and first.endswith("*")):
            return self._wild_other
        if first.endswith("*"):
            return self._wild_prefix[core[:_KEY]]
        return self._wild_suffix[core[-_KEY:]]

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
    def _word_matches(pattern: str, word: str) -> bool:
        if pattern.endswith("*") and pattern.startswith("*"):
            return pattern[1:-1] in word
        if pattern.endswith("*"):
            return word.startswith(pattern[:-1])
        if pattern.startswith("*"):
            return word.endswith(pattern[1:])
        return word == pattern

    def find(self, text: str | Tokenized) -> list[Match]:
        """Every concept occurrence in `text`, in reading order (pass a `Tokenized` when
        several matchers read the same text)."""
        tokenized = text if isinstance(text, Tokenized) else Tokenized.of(text)
        words = tokenized.words
        found: list[Match] = []
        exact, longest_from, followers = self._exact, self._longest_from, self._followers
        count, resume = len(words), 0
        for i in self._possible_starts(tokenized):
            if i < resume:
                continue  # inside the term just found
            word = words[i]
            best_len, best = 0, None
            longest = longest_from.get(word)
            if longest:
                longest = min(longest, count - i)
                if longest > 1 and words[i + 1] not in followers[word]:
                    longest = 1
                for n in range(longest, 0, -1):
                    concept = exact.get(tuple(words[i:i + n]))
                    if concept is not None:
                        best_len, best = n, (concept, " ".join(words[i:i + n]))
                        break
            for patterns, concept, term in self._wild_starting(word) if self._has_wild else ():
                n = len(patterns)
                if n > best_len and i + n <= count and all(
                        self._word_matches(p, words[i + k])
                        for k, p in enumerate(patterns[1:], 1)):
                    best_len, best = n, (concept, term)
            if best:
                found.append(Match(best[0], i, best[1]))
                resume = i + best_len
        if self._cjk and tokenized.has_cjk:
            found.extend(self._find_cjk(tokenized.text))
        return found

    def _wild_starting(self, word: str) -> tuple:
        """The wildcard terms whose first word matches `word`, in the order they are tried:
        worked out once per word, since most of a bucket's terms share only its key."""
        starting = self._wild_by_word.get(word)
        if starting is None:
            candidates = (*self._wild_equal.get(word, ()), *self._wild_prefix.get(word[:_KEY], ()),
                          *self._wild_suffix.get(word[-_KEY:], ()), *self._wild_other)
            starting = tuple(candidate for candidate in candidates
                             if self._word_matches(candidate[0][0], word))
            if len(self._wild_by_word) >= _REMEMBERED_WORDS:
                self._wild_by_word.clear()
            self._wild_by_word[word] = starting
        return starting

    def _in_wild_bucket(self, word: str) -> bool:
        return (word in self._wild_equal or word[:_KEY] in self._wild_prefix
                or word[-_KEY:] in self._wild_suffix)

    def _possible_starts(self, tokenized: Tokenized) -> Iterable[int]:
        """The positions of the words some term may start with, in order. Most words start
        none, and documents share most of their words: a word is judged once per matcher,
        and each text is sorted out by set operations at C speed."""
        words = tokenized.words
        if self._wild_other:
            return range(len(words))
        distinct = tokenized.distinct
        # Without wildcard terms, the starters are known from the start: no word is judged,
        # and the large set of judged words (a lookup each, mostly missing the CPU's cache)
        # is not needed.
        unseen = distinct - self._judged if self._has_wild else None
        if unseen:
            if len(self._judged) + len(unseen) > _REMEMBERED_WORDS:
                self._judged = set(self._starters)
            self._judged |= unseen
            # A word sharing only a wildcard bucket's key (`des` with `design*`) starts
            # nothing: judged by the bucket's terms themselves, it is never looked at again.
            self._starters.update(word for word in unseen
                                  if self._in_wild_bucket(word) and self._wild_starting(word))
        # A word that starts only terms of several words starts none in a text without one of
        # their second words (`la` of `la paz`, in a text without `paz`).
        starting = {word for word in distinct & self._starters
                    if (word,) in self._exact
                    or not self._followers.get(word, frozenset()).isdisjoint(distinct)
                    or (self._has_wild and self._wild_starting(word))}
        if not starting:
            return ()  # most texts start no cue term at all: no need to walk their words
        return itertools.compress(itertools.count(), map(starting.__contains__, words))

    def _find_cjk(self, text: str) -> list[Match]:
        matches = []
        for term, concept in self._cjk:
            start = text.find(term)
            while start != -1:
                matches.append(Match(concept, start, term))
                start = text.find(term, start + len(term))
        return matches
