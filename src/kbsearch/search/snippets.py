"""Highlighted snippets: the text is escaped first, then `<mark>` goes around matched words.

Whoosh's own HTML formatter is not used, so that escaping is ours to guarantee: nothing a
document contains can become markup in a results page.
"""

from __future__ import annotations

import html

from whoosh import highlight

SNIPPET_FRAGMENTS = 2
FRAGMENT_CHARS = 160
# Only the start of a text is analysed for snippets: analysing whole long documents for every
# hit cost most of a results page, and the best fragments are rarely far in.
SNIPPET_SCAN_CHARS = 2500


class MarkFormatter(highlight.Formatter):
    """Escaped text with `<mark>` around each matched token; fragments joined by ` … `."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace), quote=False)}</mark>"

    def format(self, fragments, replace: bool = False) -> str:
        seen, unique = set(), []
        for fragment in fragments:
            formatted = self.format_fragment(fragment, replace=replace).strip()
            if formatted and formatted not in seen:  # no fragment twice
                seen.add(formatted)
                unique.append(formatted)
        return self.between.join(unique)


def snippet(text: str, terms: set[str], analyzer, fallback: str) -> str:
    """The best fragments of `text` around `terms`, or the escaped fallback (the summary)."""
    found = ""
    if terms and text:
        found = highlight.highlight(
            text[:SNIPPET_SCAN_CHARS], terms, analyzer,
            highlight.ContextFragmenter(maxchars=FRAGMENT_CHARS, surround=60),
            MarkFormatter(), top=SNIPPET_FRAGMENTS, minscore=1)
    return found or html.escape(fallback[:2 * FRAGMENT_CHARS], quote=False)
