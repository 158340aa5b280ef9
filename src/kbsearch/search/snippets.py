"""Highlighted snippets: the text is escaped first, then `<mark>` goes around matched words.

Escaping is ours to guarantee: nothing a document contains can become markup in a results page.
The fragments are chosen here too, from the analyzer's tokens and their character offsets:
Whoosh's highlighter ran a chain of generators and a fragment heap per token and cost nearly
half of an API request.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass

from whoosh.analysis import RegexTokenizer

from kbsearch.index.analysis import FoldedWordTokenizer
from kbsearch.vocab.text import char_class, unfolded_chars, unfolded_letter

SNIPPET_FRAGMENTS = 2
FRAGMENT_CHARS = 160
SURROUND_CHARS = 60
# Only the start of a text is analysed for snippets: analysing whole long documents for every
# hit cost most of a results page, and the best fragments are rarely far in.
SNIPPET_SCAN_CHARS = 2500
BETWEEN = " … "
HEAD_CHARS = 40  # how far back from a part after an apostrophe its word's start is looked for


@dataclass
class _Fragment:
    """Matched words close enough to be shown together: (start, end) offsets of each."""

    spans: list[tuple[int, int]]
    terms: set[str]

    @property
    def score(self) -> tuple[int, int]:
        return len(self.terms), len(self.spans)


class TermFinder:
    """Where a text holds words whose index terms are among a query's, for one analyzer.

    With kbsearch's folded-word tokenizer, only words whose folded form starts like one of
    the terms are looked at (stemming only trims endings). They are found in the original
    text by a regular expression per term start that matches every spelling folding to it
    (`ec` → `éc`, `Éc`, `EC`…): folding a whole text cost more than the rest of a snippet.
    Each distinct word is analysed once and remembered (stop words and stemming do not depend
    on neighbours). Other analyzers (CJK bigrams) run on the tokens holding a candidate.
    """

    REMEMBERED_WORDS = 200_000
    PREFIX_CHARS = 2

    def __init__(self, analyzer):
        self.analyzer = analyzer
        first = getattr(analyzer, "items", [analyzer])[0]
        self.folded_words = isinstance(first, FoldedWordTokenizer)
        self.tokens = first.expression if isinstance(first, RegexTokenizer) else None
        self._terms_of: dict[str, tuple[tuple[str, int, int], ...]] = {}

    def spans(self, text: str, terms: set[str]) -> list[tuple[int, int, str]]:
        """(start, end, term) of each matched word, in text order."""
        if not terms:
            return []
        prefixes = {t[:self.PREFIX_CHARS] for t in terms}
        if not self.folded_words:
            return self._spans_in_runs(text, terms, prefixes)
        parts = {match.start() for prefix in prefixes for match in _starts(prefix).finditer(text)}
        words, found, covered = _words(), [], 0
        for part in sorted(parts):
            word = words.around(text, part) if part >= covered else None
            if word is None:
                continue
            start, covered = word
            for term, term_start, term_end in self._analysed(text[start:covered]):
                if term in terms:  # marked from the part: `l’<mark>Économie</mark>`
                    found.append((max(start + term_start, part), start + term_end, term))
                    break
        return found

    def _spans_in_runs(self, text: str, terms: set[str],
                       prefixes: set[str]) -> list[tuple[int, int, str]]:
        """Other analyzers (CJK bigrams) make terms inside each token of their tokenizer, so
        only the tokens holding a candidate are analysed: a Japanese token is a whole clause,
        and a page of Japanese hundreds of bigrams, of which a query needs a few."""
        if self.tokens is None:
            return [(t.startchar, t.endchar, t.text)
                    for t in self.analyzer(text, chars=True, removestops=False)
                    if t.text in terms]
        candidates = {match.start() for prefix in prefixes
                      for match in _starts(prefix, word_start=False).finditer(text)}
        tokens = [match.span() for match in self.tokens.finditer(text)]
        starts = [start for start, _ in tokens]
        found = []
        for index in sorted({bisect.bisect_right(starts, at) - 1 for at in candidates}):
            start, end = tokens[index] if index >= 0 else (0, 0)
            if start < end:
                found.extend((start + t.startchar, start + t.endchar, t.text)
                             for t in self.analyzer(text[start:end], chars=True,
                                                    removestops=False)
                             if t.text in terms)
        return found

    def _analysed(self, word: str) -> tuple[tuple[str, int, int], ...]:
        """The terms of `word` with their offsets in it."""
        analysed = self._terms_of.get(word)
        if analysed is None:
            if len(self._terms_of) >= self.REMEMBERED_WORDS:
                self._terms_of.clear()
            analysed = self._terms_of[word] = tuple(
                (t.text, t.startchar, t.endchar) for t in self.analyzer(word, chars=True))
        return analysed


@functools.lru_cache(maxsize=4096)
def _starts(prefix: str, word_start: bool = True) -> re.Pattern:
    """Where, in original text, a character sequence folding to something that starts with
    `prefix` (one or two folded characters) begins: `ec` finds `éc`, `Ec`, `EÇ`…, `oe` finds
    `œ`. The pattern opens with one character class, which lets the regular-expression
    engine skip along the text at C speed; lookarounds then check which spelling it was.
    A match is that first character only, so overlapping starts (bigrams) are all found."""
    singles = unfolded_chars(prefix, whole=False)  # `œ` for `oe`, `é` for `e`
    # Not after an ASCII letter or digit: not a word start. (Other letters are checked after.)
    start = r"(?<![0-9A-Za-z_].)" if word_start else ""
    if len(prefix) == 1:
        return re.compile(char_class(singles) + start)
    firsts = unfolded_chars(prefix[0])
    vanishing = char_class(unfolded_chars(""))  # decomposed accents
    pairs = (f"(?<={char_class(firsts)}){vanishing}*"
             f"{char_class(unfolded_chars(prefix[1], whole=False))}")
    checks = f"(?:{pairs}|(?<={char_class(singles)}))" if singles else pairs
    return re.compile(f"{char_class(firsts + singles)}{start}(?={checks})")


class _Words:
    """Word boundaries in original text as the folded-word tokenizer sees them in folded text,
    where every apostrophe is `'` and decomposed accents have vanished."""

    def __init__(self):
        letter, apostrophe = unfolded_letter(), char_class(unfolded_chars("'"))
        self.letter = re.compile(letter)
        self.rest = re.compile(rf"{letter}+(?:{apostrophe}{letter}+)*")
        # Words ending in an apostrophe just before a part (`l’`, `aujourd'`).
        self.heads = re.compile(rf"(?<!{letter})(?:{letter}+{apostrophe})+\Z")
        self.apostrophes = unfolded_chars("'")

    def around(self, text: str, part: int) -> tuple[int, int] | None:
        """(start, end) of the word whose part (the word, or what follows an apostrophe in it)
        starts at `part`; None when `part` is inside a word."""
        word = self.rest.match(text, part)
        if word is None or (part and self.letter.match(text, part - 1)):
            return None
        start = part
        if part and text[part - 1] in self.apostrophes:
            head = self.heads.search(text, max(0, part - HEAD_CHARS), part)
            start = head.start() if head else part
        return start, word.end()


@functools.cache
def _words() -> _Words:
    return _Words()


def prepare_snippets() -> None:
    """Build the tables behind finding words in original text (about 0.2 s), so that no
    search waits for them: servers call it while warming."""
    _words()


def snippet(text: str, terms: set[str], finder: TermFinder, fallback: str) -> str:
    """The best fragments of `text` around `terms`, or the escaped fallback (the summary)."""
    found = ""
    if terms and text:
        scan = text[:SNIPPET_SCAN_CHARS]
        fragments = _fragments(finder.spans(scan, terms))
        best = sorted(sorted(fragments, key=lambda g: g.score, reverse=True)[:SNIPPET_FRAGMENTS],
                      key=lambda g: g.spans[0])
        every_span = [span for fragment in fragments for span in fragment.spans]
        shown = []
        for fragment in best:
            formatted = _format(scan, fragment.spans, every_span)
            if formatted not in shown:
                shown.append(formatted)
        found = BETWEEN.join(shown)
    return found or html.escape(fallback[:2 * FRAGMENT_CHARS], quote=False)


def _fragments(spans: list[tuple[int, int, str]]) -> list[_Fragment]:
    """Matched words grouped from left to right, a group spanning at most the characters a
    fragment shows besides its context."""
    fragments: list[_Fragment] = []
    room = FRAGMENT_CHARS - SURROUND_CHARS
    for start, end, term in spans:
        current = fragments[-1] if fragments else None
        if current and start < current.spans[-1][1]:
            continue  # the same characters again (CJK bigrams share their run's offsets)
        if current and end - current.spans[0][0] <= room:
            current.spans.append((start, end))
            current.terms.add(term)
        else:
            fragments.append(_Fragment([(start, end)], {term}))
    return fragments


def _format(text: str, spans: list[tuple[int, int]], every_span: list[tuple[int, int]]) -> str:
    """The spans with some context, cut at spaces, escaped, each matched word shown (from
    `every_span`) in `<mark>`."""
    start = max(0, spans[0][0] - SURROUND_CHARS // 2)
    end = min(len(text), max(spans[-1][1] + SURROUND_CHARS, start + FRAGMENT_CHARS))
    if start > 0:
        space = text.find(" ", start, spans[0][0])
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", spans[-1][1], end)
        end = space if space >= 0 else end
    out, at = [], start
    for span_start, span_end in every_span:
        if span_start < at or span_end > end:
            continue
        out.append(html.escape(text[at:span_start], quote=False))
        out.append(f"<mark>{html.escape(text[span_start:span_end], quote=False)}</mark>")
        at = span_end
    out.append(html.escape(text[at:end], quote=False))
    return "".join(out).strip()
