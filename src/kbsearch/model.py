"""Plain data shared by every layer. No behaviour beyond conversion, no third-party imports."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

DOCUMENT_TYPES = ("news", "mission", "event", "factsheet")


@dataclass(frozen=True)
class KeyFigure:
    """One labelled figure of a fact sheet (`Population: 124 million (2024)`)."""

    label: str
    value: str


@dataclass(frozen=True)
class RawDocument:
    """What a reader found in one file, before any inference.

    Every metadata field is what the file says explicitly (front matter, JSON keys); `None` or
    empty means "not given", so extraction knows what it still has to infer. The `*_candidates`,
    `*_hints` and `datelines` fields are weaker signals (page meta tags, breadcrumbs, bylines)
    that extraction weighs against the text.
    """

    source: str
    format: str
    text: str
    title: str | None = None
    heading: str | None = None  # the document's own main heading (h1, `# …`)
    title_candidates: tuple[str, ...] = ()  # page titles that may carry the site's name
    date: dt.date | None = None
    date_candidates: tuple[str, ...] = ()
    datelines: tuple[str, ...] = ()
    type: str | None = None
    type_hints: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    language: str | None = None
    declared_language: str | None = None
    summary: str | None = None
    description: str | None = None
    event_start: dt.date | None = None
    event_end: dt.date | None = None
    companies: tuple[str, ...] = ()
    key_figures: tuple[KeyFigure, ...] = ()
    reference: bool = False
    internal: bool = False  # staff only (see ingest.visibility)


@dataclass(frozen=True)
class Document:
    """A document as kbsearch indexes and shows it: every field decided."""

    source: str
    format: str
    title: str
    text: str
    language: str
    language_confidence: float
    date: dt.date | None
    type: str
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    summary: str
    event_start: dt.date | None = None
    event_end: dt.date | None = None
    companies: tuple[str, ...] = ()
    key_figures: tuple[KeyFigure, ...] = ()
    reference: bool = False
    internal: bool = False  # staff only (see ingest.visibility)
    content_hash: str = ""
    declared_language: str | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        """A JSON-ready dict: dates as YYYY-MM-DD, tuples as lists."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif f.name == "key_figures":
                value = [{"label": k.label, "value": k.value} for k in value]
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


SORTS = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class SearchRequest:
    """One search as a user asks it: words, facet selections, dates, order and page."""

    query: str = ""
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = 10
    locale: str = "en"
    with_facets: bool = True    # callers that show no facets (countries, missions) skip them
    with_snippets: bool = True  # … or no snippets


class FacetValue(NamedTuple):
    """One value of a facet. A tuple, not a frozen dataclass: a search page builds about a
    hundred of them, and a frozen dataclass's constructor costs several times as much."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Hit:
    id: str
    source: str
    title: str
    date: dt.date | None
    type: str
    language: str
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    score: float
    snippet: str  # HTML: the text escaped, then <mark> around matched words
    summary: str = ""
    event_start: dt.date | None = None
    event_end: dt.date | None = None
    reference: bool = False


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    suggestion: str | None = None
    matched_all: int = 0  # how many of `total` meet every word; the others meet some

    @property
    def relaxed(self) -> bool:
        return self.matched_all < self.total
