"""The index schema: which fields exist and why. Field names are the constants below.

Text is split by language: a document's title and body go into the fields of its language
(`title_fr`, `body_fr`…), into the CJK fields for Japanese, Chinese and Korean, and into the
generic fields otherwise. A query runs over all of them, so nobody has to say which language
they type in. Countries, sectors, type and language are concept fields holding codes, which is
what facets count and what cross-lingual queries hit.
"""

from __future__ import annotations

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, NUMERIC, STORED, FieldType, Schema

from kbsearch.index.analysis import (CommaKeywords, Identifier, WordSet, WordText,
                                     compound_analyzer, cjk_analyzer, generic_analyzer,
                                     language_analyzer, spelling_analyzer)

# Raised whenever fields or analyzers change: an index built with another version is rebuilt
# rather than read with the wrong expectations.
SCHEMA_VERSION = 9

LANGUAGES = ("fr", "nl", "de", "en")  # languages with analyzers of their own
CJK_LANGUAGES = ("ja", "zh", "ko")
COMPOUND_LANGUAGES = ("nl", "de")

ID_FIELD = "id"
SOURCE = "source"
ROOT = "root"
CONTENT_HASH = "content_hash"
TITLE = "title"          # stored display title
TITLE_COLUMN = "title_column"
SUMMARY = "summary"
CONTENT = "content"      # stored body text, for snippets and the document page
COUNTRY = "country"
SECTOR = "sector"
TYPE = "type"
LANGUAGE = "language"
DATE = "date"
YEAR = "year"
YEARMONTH = "yearmonth"
ORIGIN = "origin"
AGENCY, REFERENCE = "agency", "reference"
VISIBILITY = "visibility"
PUBLIC, INTERNAL = "public", "internal"
DOCUMENT_JSON = "document"  # the whole Document as JSON, for display and `document(id)`
COMPOUND = "compound"
SPELL = "spell"


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


def column_only(field: FieldType) -> FieldType:
    """`field` as a column (and stored if it is) that is never indexed: for values that only
    ever come back as arrays (see search.facets), never as terms to search."""
    field.indexed = False
    return field


def build_schema() -> Schema:
    fields = {
        # Identity: a stable id for URLs (the term a re-index deletes by), the path relative
        # to the folder it was indexed from, that folder and a content hash (the run's
        # manifest holds these two, to find removed and unchanged files). The path is a
        # column too: results that rank equal are listed by it (see search.engine). Nothing
        # searches the path, folder or hash, so they are not indexed: a term of its own per
        # document each, a third of a bulk build's terms.
        ID_FIELD: Identifier(unique=True, stored=True, sortable=True),
        SOURCE: column_only(ID(stored=True, sortable=True)),
        ROOT: STORED(),
        CONTENT_HASH: STORED(),
        # Display only: never searched directly, the language fields are. The title is also a
        # column, so completion reads every title without unpickling whole documents.
        TITLE: STORED(),
        TITLE_COLUMN: COLUMN(VarBytesColumn()),
        SUMMARY: STORED(),
        CONTENT: STORED(),
        DOCUMENT_JSON: STORED(),
        # Concepts as codes: facets count them, filters select them, and a query naming a
        # concept in any language hits them. Sortable columns let facets count without
        # unpickling stored fields; allow_overlap keeps multi-valued columns per value.
        COUNTRY: CommaKeywords(stored=True, sortable=True),
        SECTOR: CommaKeywords(stored=True, sortable=True),
        TYPE: Identifier(stored=True, sortable=True),
        LANGUAGE: Identifier(stored=True, sortable=True),
        # Dates as day numbers (proleptic ordinals): the meaningful date for filters and
        # sorting (when an event or mission takes place, when news was published), with year
        # and year-month beside it. Numbers, because numeric columns are several times cheaper
        # than Whoosh's date fields, whose columns cannot even hold "no date". Filters, sorts
        # and facets read the columns; only the year is searched (a year in a query), so the
        # day and month skip the 8 range terms per value that NUMERIC indexes.
        DATE: column_only(NUMERIC(int, bits=32, signed=False, sortable=True)),
        YEAR: NUMERIC(int, bits=16, signed=False, stored=True, sortable=True),
        YEARMONTH: column_only(NUMERIC(int, bits=32, signed=False, sortable=True)),
        # Whose document it is: the agency's own, or a reference fact sheet (the World
        # Factbook) that pages show apart and ranking puts after the agency's documents.
        ORIGIN: Identifier(stored=True, sortable=True),
        # Who may see it: everyone, or staff only. Every search, count, suggestion and page
        # an anonymous visitor gets is restricted to public documents (see search.engine).
        VISIBILITY: Identifier(stored=True, sortable=True),
        # The long words of Dutch and German documents, whole, where a query word is found
        # inside compounds (see analysis); which documents hold each is all it needs.
        COMPOUND: WordSet(analyzer=compound_analyzer()),
        # Words as written (folded, not stemmed): the dictionary that typo tolerance and
        # "did you mean" draw real words from, with the documents holding each (not how often).
        SPELL: WordSet(analyzer=spelling_analyzer()),
    }
    for language in LANGUAGES:
        analyzer = language_analyzer(language)
        # Titles carry more weight than bodies (BM25F field boost).
        fields[title_field(language)] = WordText(analyzer=analyzer, field_boost=2.5)
        fields[body_field(language)] = WordText(analyzer=analyzer)
    fields[title_field("cjk")] = WordText(analyzer=cjk_analyzer(), field_boost=2.5)
    fields[body_field("cjk")] = WordText(analyzer=cjk_analyzer())
    fields[title_field("generic")] = WordText(analyzer=generic_analyzer(), field_boost=2.5)
    fields[body_field("generic")] = WordText(analyzer=generic_analyzer())
    return Schema(**fields)
