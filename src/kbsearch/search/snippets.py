"""Highlighted snippets: the text is escaped first, then `<mark>` goes around matched words.

Escaping is ours to guarantee: nothing a document contains can become markup in a results page.
The fragments are chosen here too, from the analyzer's tokens and their character offsets:
Whoosh's highlighter ran a chain of generators and a fragment heap per token and cost nearly
half of an API request.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from kbsearch.index.analysis import FoldedWordTokenizer
from kbsearch.vocab.text import fold_with_offsets

SNIPPET_FRAGMENTS = 2
FRAGMENT_CHARS = 160
SURROUND_CHARS = 60
# Only the start of a text is analysed for snippets: analysing whole long documents for every
# hit cost most of a results page, and the best fragments are rarely far in.
SNIPPET_SCAN_CHARS = 2500
BETWEEN = " … "


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

    With kbsearch's folded-word tokenizer, only words starting like one of the terms are
    looked at (found by one regular expression over the folded text, since stemming only
    trims endings), and each distinct word is analysed once and remembered (stop words and
    stemming do not depend on neighbours). Other analyzers (CJK bigrams) run whole.
    """

    REMEMBERED_WORDS = 200_000
    PREFIX_CHARS = 2

    def __init__(self, analyzer):
        self.analyzer = analyzer
        first = getattr(analyzer, "items", [analyzer])[0]
        self.folded_words = isinstance(first, FoldedWordTokenizer)
        self._terms_of: dict[str, tuple[str, ...]] = {}

    def spans(self, text: str, terms: set[str]) -> list[tuple[int, int, str]]:
        """(start, end, term) of each matched word, in text order."""
        if not self.folded_words:
            return [(t.startchar, t.endchar, t.text)
                    for t in self.analyzer(text, chars=True, removestops=False)
                    if t.text in terms]
        if not terms:
            return []
        found = []
        folded, origin = fold_with_offsets(text)
        for match in _candidates(frozenset(t[:self.PREFIX_CHARS] for t in terms)).finditer(
                folded):
            for term in self._analysed(match.group()):
                if term in terms:
                    start, end = match.span()
                    if origin is not None:
                        start, end = origin[start], origin[end]
                    found.append((start, end, term))
                    break
        return found

    def _analysed(self, word: str) -> tuple[str, ...]:
        analysed = self._terms_of.get(word)
        if analysed is None:
            if len(self._terms_of) >= self.REMEMBERED_WORDS:
                self._terms_of.clear()
            analysed = self._terms_of[word] = tuple(t.text for t in self.analyzer(word))
        return analysed


@functools.lru_cache(maxsize=1024)
def _candidates(prefixes: frozenset[str]) -> re.Pattern:
    """Words of folded text starting with one of `prefixes`."""
    alternatives = "|".join(sorted(map(re.escape, prefixes), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*(?:'\w+)*")


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
