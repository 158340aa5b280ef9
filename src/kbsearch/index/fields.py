"""A Document as the fields Whoosh indexes: one dict per document, built the same way by the
indexer and by its worker processes."""

from __future__ import annotations

import datetime
import json

from kbsearch.index import schema as f
from kbsearch.ingest.visibility import in_internal_folder
from kbsearch.model import Document


def document_fields(doc: Document, doc_id: str, root: str, source: str) -> dict:
    """The Whoosh fields of one document."""
    suffix = f.text_suffix(doc.language)
    when = _meaningful_date(doc)
    internal = doc.internal or in_internal_folder(source)
    title_and_text = (doc.title, doc.text)
    fields = {
        f.ID_FIELD: doc_id, f.SOURCE: source, f.ROOT: root, f.CONTENT_HASH: doc.content_hash,
        f.TITLE: doc.title, f.TITLE_COLUMN: doc.title.encode("utf-8"),
        f.SUMMARY: doc.summary, f.CONTENT: doc.text,
        # The document without its text, which CONTENT already holds.
        f.DOCUMENT_JSON: json.dumps({**doc.to_json(), "source": source, "text": None,
                                     "internal": internal}, ensure_ascii=False),
        f.VISIBILITY: f.INTERNAL if internal else f.PUBLIC,
        f.COUNTRY: ",".join(doc.countries), f.SECTOR: ",".join(doc.sectors),
        f.TYPE: doc.type, f.LANGUAGE: doc.language, f.ORIGIN: f.REFERENCE if doc.reference else f.AGENCY,
        f.title_field(suffix): doc.title, f.body_field(suffix): doc.text,
        f.SPELL: title_and_text,
    }
    if doc.language in f.COMPOUND_LANGUAGES:
        fields[f.COMPOUND] = title_and_text
    if when:
        fields[f.DATE] = when.toordinal()
        fields[f.YEAR] = when.year
        fields[f.YEARMONTH] = when.year * 100 + when.month
    return fields


def _meaningful_date(doc: Document) -> datetime.date | None:
    """What a date filter means for this type: when an event or mission takes place, when
    news was published. Fact sheets have only their update date."""
    if doc.type in ("event", "mission") and doc.event_start:
        return doc.event_start
    return doc.date
