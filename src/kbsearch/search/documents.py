"""Stored documents, decoded once and the most recently shown ones kept, per searcher.

A result needs its document's stored record: Whoosh unzips and unpickles the whole record
(4 KB on average: the text and its metadata) and the metadata is JSON inside it, about 70 µs
per document on this machine, an eighth of an `/api/search` request. Result pages show the same
popular documents again and again, so, like Solr's document cache, the last ones shown stay
decoded.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import orjson

from kbsearch.index import schema as f


@dataclass(frozen=True)
class StoredDocument:
    id: str
    source: str
    metadata: dict  # title, language, countries… as indexed; shared: callers must not change it
    text: str


class StoredDocuments:
    """docnum → StoredDocument, for one searcher (document numbers belong to it)."""

    REMEMBERED = 2048  # about 12 MB of text and metadata

    def __init__(self, searcher):
        self._searcher = searcher
        self._recent: OrderedDict[int, StoredDocument] = OrderedDict()

    def __getitem__(self, docnum: int) -> StoredDocument:
        document = self._recent.get(docnum)
        if document is None:
            stored = self._searcher.stored_fields(docnum)
            document = self._recent[docnum] = StoredDocument(
                id=stored[f.ID_FIELD], source=stored[f.SOURCE],
                metadata=orjson.loads(stored[f.DOCUMENT_JSON]), text=stored[f.CONTENT])
            if len(self._recent) > self.REMEMBERED:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(docnum)
        return document
