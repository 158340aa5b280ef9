"""A term's postings and BM25F scores, read straight from Whoosh's postings file into numpy
arrays.

Reading a term through Whoosh's matcher costs several Python calls per posting (id, weight,
field length, score); at 100,000 documents a common word has tens of thousands of postings and
its first read dominated a query. Whoosh stores postings in blocks of ids and weights, so here
a term's blocks are read in one piece and decoded to arrays (see `_term_postings`), field
lengths come from the length column as one byte array per field, and BM25F is computed over
whole arrays with the searcher's own statistics — the same numbers Whoosh's scorer gives,
which a test checks.

This reads Whoosh's postings and length column formats directly, which the pinned `whoosh3`
version provides; any other weighting or reader falls back to Whoosh's per-posting walk.
"""

from __future__ import annotations

import io
import math
import pickle
import struct
import zlib

import numpy as np
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.reading import CorruptIndexError, SegmentReader, TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

# Whoosh keeps a field's length per document as one byte; this decodes all 256 at once.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
_BLOCK_LENGTH = struct.Struct("!i")  # whoosh.system's int: a block's length, before it


class PostingsReader:
    """Term postings with scores for one searcher, with its field lengths cached."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._lengths: dict[str, np.ndarray] = {}
        weighting = searcher.weighting
        self._fast = type(weighting) is BM25F and all(
            isinstance(leaf.reader(), SegmentReader) for leaf, _ in searcher.leaf_searchers())

    def read(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25F scores) of every live document holding the term."""
        if not self._fast:
            return walk(self.searcher, wq.Term(field, text))
        searcher = self.searcher
        ids, weights, doc_frequency = self._blocks(field, text)
        if not len(ids):
            return _EMPTY
        if not searcher.schema[field].scorable:  # Whoosh scores such terms by their top weight
            return ids, np.full(len(ids), searcher.term_info(field, text).max_weight(),
                                dtype=np.float32)
        weighting = searcher.weighting
        b = weighting._field_B.get(field, weighting.B)
        k1 = weighting.K1
        # Whoosh's idf, from the frequency the term look-ups gave (asking the searcher looks
        # the term up again in every segment).
        idf = math.log(searcher.doc_count_all() / (doc_frequency + 1)) + 1
        average = searcher.avg_field_length(field) or 1
        lengths = self._field_lengths(field)[ids]
        scores = idf * (weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / average))
        return ids, scores.astype(np.float32)

    def _blocks(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray, int]:
        """The term's live postings (document numbers, weights), and how many documents hold
        it, deleted ones included, as Whoosh counts for idf."""
        id_parts, weight_parts, doc_frequency = [], [], 0
        for leaf, offset in self.searcher.leaf_searchers():
            reader = leaf.reader()
            try:  # one look-up of the term per segment: finding it is what a cold read costs
                terminfo = reader._terms.term_info(field, reader._text_to_bytes(field, text))
            except TermNotFound:
                continue
            doc_frequency += terminfo.doc_frequency()
            if terminfo.is_inlined():
                ids, weights, _ = terminfo.inlined_postings()
                ids, weights = np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)
            else:
                position, length = terminfo.extent()
                if isinstance(length, tuple):  # whoosh3 reads it back as struct.unpack's tuple
                    (length,) = length
                ids, weights = _term_postings(reader._terms._postfile, position, length)
            if deleted := reader.deleted_docs_set:
                live = ~np.isin(ids, list(deleted))
                ids, weights = ids[live], weights[live]
            id_parts.append(ids + offset)
            weight_parts.append(weights)
        if not id_parts:
            return (*_EMPTY, 0)
        return np.concatenate(id_parts), np.concatenate(weight_parts), doc_frequency

    def _field_lengths(self, field: str) -> np.ndarray:
        """Every document's length in `field`, as Whoosh's scorer sees it."""
        lengths = self._lengths.get(field)
        if lengths is None:
            parts = [_leaf_lengths(leaf.reader(), field)
                     for leaf, _ in self.searcher.leaf_searchers()]
            lengths = self._lengths[field] = np.concatenate(parts)
        return lengths


def _term_postings(postfile, position: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers and weights in one segment, decoded as arrays.

    The term's blocks lie one after the other, so they are read in one piece and taken apart
    here: each is a length (negative for the last), its pickled statistics and its pickled,
    maybe compressed, data. Whoosh's matcher reads them with several small reads and seeks
    each, which cost more than the data. Ids are gaps from 0 within a block; chaining the
    blocks' gaps (a block's first id less the previous block's last) makes them one run that
    a single cumulative sum decodes.
    """
    region = postfile.get(position, length)
    if region[:len(whoosh3.WHOOSH3_HEADER_MAGIC)] != whoosh3.WHOOSH3_HEADER_MAGIC:
        raise CorruptIndexError(f"bad postings header at offset {position}")
    stream = io.BytesIO(region)
    gaps: list[int] = []
    weights: list[float] = []
    at, previous_last = len(whoosh3.WHOOSH3_HEADER_MAGIC), 0
    while at < length:
        (size,) = _BLOCK_LENGTH.unpack_from(region, at)
        start, end = at + _BLOCK_LENGTH.size, at + _BLOCK_LENGTH.size + abs(size)
        stream.seek(start)
        count, last_id, _, compression, _, _ = pickle.load(stream)
        data = region[stream.tell():end]
        # (ids, weights, values); kbsearch's writer pickles blocks with protocol 4, where the
        # values (positions) are plain bytes, cheap to unpickle with the rest.
        block_gaps, block_weights = pickle.loads(zlib.decompress(data) if compression
                                                 else data)[:2]
        first = len(gaps)
        gaps.extend(block_gaps)
        gaps[first] -= previous_last
        if block_weights is None or isinstance(block_weights, float):  # one for the block
            weights.extend([1.0 if block_weights is None else block_weights] * count)
        else:
            weights.extend(block_weights)
        previous_last, at = last_id, end
        if size < 0:
            break
    return (np.cumsum(np.array(gaps, dtype=np.int64)).astype(np.int32),
            np.array(weights, dtype=np.float32))


def _leaf_lengths(reader, field: str) -> np.ndarray:
    size = reader.doc_count_all()
    column = reader._perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
    if column is None:  # a field without lengths (keywords): Whoosh's scorer assumes 1
        return np.ones(size, dtype=np.float32)
    codes = np.zeros(size, dtype=np.uint8)
    if column._count:
        raw = column._dbfile.get(column._basepos, column._count)
        codes[:column._count] = np.frombuffer(raw, dtype=np.uint8)[:size]
    return _LENGTH_OF_BYTE[codes]


def walk(searcher, query) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, scores) of any query, through Whoosh's matcher one posting at a time."""
    ids, values = [], []
    matcher = query.matcher(searcher)
    while matcher.is_active():
        ids.append(matcher.id())
        values.append(matcher.score())
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(values, dtype=np.float32)
