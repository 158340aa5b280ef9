"""The index schema: which fields exist and why. Field names are the constants below.

Text is split by language: a document's title and body go into the fields of its language
(`title_fr`, `body_fr`…), into the CJK fields for Japanese, Chinese and Korean, and into the
generic fields otherwise. A query runs over all of them, so nobody has to say which language
they type in. Countries, sectors, type and language are concept fields holding codes, which is
what facets count and what cross-lingual queries hit.
"""

from __future__ import annotations

from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from kbsearch.index.analysis import (compound_analyzer, cjk_analyzer, generic_analyzer,
                                     language_analyzer)

LANGUAGES = ("fr", "nl", "de", "en")  # languages with analyzers of their own
CJK_LANGUAGES = ("ja", "zh", "ko")
COMPOUND_LANGUAGES = ("nl", "de")

ID_FIELD = "id"
SOURCE = "source"
ROOT = "root"
CONTENT_HASH = "content_hash"
TITLE = "title"          # stored display title
SUMMARY = "summary"
CONTENT = "content"      # stored body text, for snippets and the document page
COUNTRY = "country"
SECTOR = "sector"
TYPE = "type"
LANGUAGE = "language"
DATE = "date"
YEAR = "year"
YEARMONTH = "yearmonth"
EVENT_START = "event_start"
EVENT_END = "event_end"
REFERENCE = "reference"
DOCUMENT_JSON = "document"  # the whole Document as JSON, for display and `document(id)`
COMPOUND = "compound"
TITLE_SUGGEST = "title_words"


def title_field(language: str) -> str:
    return f"title_{language}"


def body_field(language: str) -> str:
    return f"body_{language}"


def text_suffix(language: str) -> str:
    """Which family of text fields holds a document in `language`."""
    if language in LANGUAGES:
        return language
    return "cjk" if language in CJK_LANGUAGES else "generic"


TEXT_SUFFIXES = (*LANGUAGES, "cjk", "generic")


def build_schema() -> Schema:
    fields = {
        # Identity: a stable id for URLs, the path relative to the folder it was indexed from,
        # that folder (so a re-index knows which documents a removed file leaves behind) and a
        # content hash (so an unchanged file is skipped).
        ID_FIELD: ID(unique=True, stored=True),
        SOURCE: ID(stored=True),
        ROOT: ID(stored=True),
        CONTENT_HASH: ID(stored=True),
        # Display only: never searched directly, the language fields are.
        TITLE: STORED(),
        SUMMARY: STORED(),
        CONTENT: STORED(),
        DOCUMENT_JSON: STORED(),
        # Concepts as codes: facets count them, filters select them, and a query naming a
        # concept in any language hits them. Sortable columns let facets count without
        # unpickling stored fields; allow_overlap keeps multi-valued columns per value.
        COUNTRY: KEYWORD(stored=True, commas=True, lowercase=False, sortable=True),
        SECTOR: KEYWORD(stored=True, commas=True, lowercase=False, sortable=True),
        TYPE: ID(stored=True, sortable=True),
        LANGUAGE: ID(stored=True, sortable=True),
        # Dates: the meaningful date for sorting (a mission's or event's own date falls back
        # to publication), and year / year-month as numbers because numeric ranges and
        # facets are several times cheaper than date ranges in Whoosh.
        DATE: DATETIME(stored=True, sortable=True),
        YEAR: NUMERIC(int, bits=16, stored=True, sortable=True, signed=False),
        YEARMONTH: NUMERIC(int, bits=32, stored=True, sortable=True, signed=False),
        EVENT_START: DATETIME(stored=True, sortable=True),
        EVENT_END: DATETIME(stored=True),
        # Reference fact sheets are not agency content; flagged so pages can tell them apart.
        REFERENCE: BOOLEAN(stored=True),
        # Compound parts of Dutch and German words, as 4-grams (see analysis).
        COMPOUND: TEXT(analyzer=compound_analyzer(), phrase=False),
        # Folded title words for completion of titles in any language.
        TITLE_SUGGEST: TEXT(analyzer=generic_analyzer(), phrase=False),
    }
    for language in LANGUAGES:
        analyzer = language_analyzer(language)
        # Titles carry more weight than bodies (BM25F field boost).
        fields[title_field(language)] = TEXT(analyzer=analyzer, field_boost=2.5)
        fields[body_field(language)] = TEXT(analyzer=analyzer)
    fields[title_field("cjk")] = TEXT(analyzer=cjk_analyzer(), field_boost=2.5)
    fields[body_field("cjk")] = TEXT(analyzer=cjk_analyzer())
    fields[title_field("generic")] = TEXT(analyzer=generic_analyzer(), field_boost=2.5)
    fields[body_field("generic")] = TEXT(analyzer=generic_analyzer())
    return Schema(**fields)
