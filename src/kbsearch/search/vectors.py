"""Query evaluation as array arithmetic over cached postings.

Whoosh scores a query by walking a tree of matchers in Python, one posting at a time; for a
word searched in a dozen fields, with its concept and correction alternatives, that tree is
deep and a common word costs hundreds of milliseconds. Here each term's postings are read once
per searcher, with Whoosh's own BM25F score per posting, into numpy arrays (see postings); a query is then
unions (sums), intersections (sums where all match) and boosts over whole arrays. The scores
are Whoosh's: a test compares both on the same queries.
"""

from __future__ import annotations

from collections import Counter, OrderedDict

import numpy as np
from whoosh import query as wq

from kbsearch.search.postings import PostingsReader, walk

# Postings kept between queries, by size: a worker's memory stays bounded while the terms
# people search often stay read (a common word at 100,000 documents is about 0.5 MB).
CACHE_BYTES = 48 * 2**20
# A term in fewer than one document in this many is added to a union document by document.
SPARSE_FROM = 16


class VectorScorer:
    """Evaluates Whoosh queries to (matching documents, scores) as arrays over all documents."""

    def __init__(self, searcher, size: int):
        self.searcher = searcher
        self.size = size
        self._postings = PostingsReader(searcher)
        self._terms: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached_bytes = 0

    def evaluate(self, query) -> tuple[np.ndarray, np.ndarray]:
        """(mask, scores) of `query` over every document number."""
        if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float32)
        if isinstance(query, wq.Term):
            mask, scores = self._term(query.fieldname, query.text)
        elif isinstance(query, wq.Or):
            mask, scores = self._combine(query.subqueries, union=True)
        elif isinstance(query, wq.And):
            mask, scores = self._combine(query.subqueries, union=False)
        else:  # phrases, numeric ranges: rare enough to let Whoosh match them
            mask, scores = self._walk(query.with_boost(1.0))
        boost = getattr(query, "boost", 1.0)
        return mask, scores * boost if boost != 1.0 else scores

    def _combine(self, subqueries, union: bool) -> tuple[np.ndarray, np.ndarray]:
        mask = np.zeros(self.size, dtype=bool) if union else np.ones(self.size, dtype=bool)
        scores = np.zeros(self.size, dtype=np.float32)
        for sub in subqueries:
            if union and isinstance(sub, wq.Term):
                ids, values = self.postings(sub.fieldname, sub.text)
                # A rare term is added where its documents are (a compound part's union
                # has up to hundreds); a common one, over whole arrays, which is faster.
                if len(ids) * SPARSE_FROM < self.size:
                    mask[ids] = True
                    scores[ids] += values * sub.boost if sub.boost != 1.0 else values
                    continue
            sub_mask, sub_scores = self.evaluate(sub)
            if union:
                mask |= sub_mask
            else:
                mask &= sub_mask
            scores += sub_scores
        if not subqueries:
            mask[:] = False
        return mask, np.where(mask, scores, 0).astype(np.float32)

    def warm(self, frequency: Counter[tuple[str, str]], share: float = 0.5) -> int:
        """Read ahead the postings of the terms most documents hold (`frequency`: term →
        documents holding it), most frequent first, until `share` of the cache is used;
        returns how many terms were read.

        A common word's first read costs tens of blocks per field and dominated slow
        queries; reading the common ones when the searcher opens moves that cost out of
        the first searches that use them. Rare terms stay cheap to read on demand.
        """
        minimum = max(2, self.size // 200)
        frequent = sorted((-n, field, text) for (field, text), n in frequency.items()
                          if n >= minimum)
        read = 0
        for _, field, text in frequent:
            if self._cached_bytes >= share * CACHE_BYTES:
                break
            self.postings(field, text)
            read += 1
        return read

    def _term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids, values = self.postings(field, text)
        mask = np.zeros(self.size, dtype=bool)
        mask[ids] = True
        scores = np.zeros(self.size, dtype=np.float32)
        scores[ids] = values
        return mask, scores

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, scores) of one term, read once and cached."""
        key = (field, text)
        cached = self._terms.get(key)
        if cached is None:
            cached = self._postings.read(field, text)
            self._terms[key] = cached
            self._cached_bytes += _nbytes(cached)
            while self._cached_bytes > CACHE_BYTES and len(self._terms) > 1:
                self._cached_bytes -= _nbytes(self._terms.popitem(last=False)[1])
        else:
            self._terms.move_to_end(key)
        return cached

    def _walk(self, query) -> tuple[np.ndarray, np.ndarray]:
        ids, values = walk(self.searcher, query)
        mask = np.zeros(self.size, dtype=bool)
        mask[ids] = True
        scores = np.zeros(self.size, dtype=np.float32)
        scores[ids] = values
        return mask, scores


def _nbytes(postings: tuple[np.ndarray, np.ndarray]) -> int:
    return postings[0].nbytes + postings[1].nbytes
