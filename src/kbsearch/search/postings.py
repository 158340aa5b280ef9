"""A term's postings and BM25F scores, read a block at a time into numpy arrays.

Reading a term through Whoosh's matcher costs several Python calls per posting (id, weight,
field length, score); at 100,000 documents a common word has tens of thousands of postings and
its first read dominated a query. Whoosh stores postings in blocks of ids and weights, so here
each block becomes an array, field lengths come from the length column as one byte array per
field, and BM25F is computed over whole arrays with the searcher's own statistics — the same
numbers Whoosh's scorer gives, which a test checks.

This reads Whoosh's block matcher and length column directly, which the pinned `whoosh3`
version provides; any other matcher or weighting falls back to Whoosh's per-posting walk.
"""

from __future__ import annotations

import pickle
import zlib

import numpy as np
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

# Whoosh keeps a field's length per document as one byte; this decodes all 256 at once.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
# How protocol 2 pickles the first bytes object of a stream (see _ids_and_weights), and the
# opcodes that close a stream cut after two items: TUPLE2, STOP.
_FIRST_BYTES_OPCODES = (b"c_codecs\nencode\n", b"c__builtin__\nbytes\n")
_CLOSE_PAIR = b"\x86."


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
        ids, weights = self._blocks(field, text)
        if not len(ids):
            return _EMPTY
        if not searcher.schema[field].scorable:  # Whoosh scores such terms by their top weight
            return ids, np.full(len(ids), searcher.term_info(field, text).max_weight(),
                                dtype=np.float32)
        weighting = searcher.weighting
        b = weighting._field_B.get(field, weighting.B)
        k1 = weighting.K1
        idf = searcher.idf(field, text)
        average = searcher.avg_field_length(field) or 1
        lengths = self._field_lengths(field)[ids]
        scores = idf * (weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / average))
        return ids, scores.astype(np.float32)

    def _blocks(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        id_parts, weight_parts = [], []
        for leaf, offset in self.searcher.leaf_searchers():
            reader = leaf.reader()
            try:  # one look-up of the term per segment: finding it is what a cold read costs
                matcher = reader._terms.matcher(field, reader._text_to_bytes(field, text),
                                                reader.schema[field].format)
            except TermNotFound:
                continue
            deleted = reader.deleted_docs_set
            while matcher.is_active():
                ids, weights = _block(matcher)
                if deleted:
                    live = ~np.isin(ids, list(deleted))
                    ids, weights = ids[live], weights[live]
                id_parts.append(ids + offset)
                weight_parts.append(weights)
                matcher._next_block()
        if not id_parts:
            return _EMPTY
        return np.concatenate(id_parts), np.concatenate(weight_parts)

    def _field_lengths(self, field: str) -> np.ndarray:
        """Every document's length in `field`, as Whoosh's scorer sees it."""
        lengths = self._lengths.get(field)
        if lengths is None:
            parts = [_leaf_lengths(leaf.reader(), field)
                     for leaf, _ in self.searcher.leaf_searchers()]
            lengths = self._lengths[field] = np.concatenate(parts)
        return lengths


def _block(matcher) -> tuple[np.ndarray, np.ndarray]:
    """The current block's document numbers and weights, decoded as arrays."""
    raw_ids, raw_weights = _ids_and_weights(matcher)
    ids = np.asarray(raw_ids, dtype=np.int32)
    if not matcher._byteids:  # stored as gaps between document numbers
        ids = np.cumsum(ids, dtype=np.int32)
    if raw_weights is None or isinstance(raw_weights, float):  # one weight for the block
        weights = np.full(len(ids), 1.0 if raw_weights is None else raw_weights,
                          dtype=np.float32)
    else:
        weights = np.asarray(raw_weights, dtype=np.float32)
    return ids, weights


def _ids_and_weights(matcher) -> tuple:
    """The current block's minified ids and weights, without its values.

    Whoosh pickles a block as (ids, weights, values) with protocol 2, where each posting's
    positions are a bytes object that unpickles through a call of `_codecs.encode`: 90 % of
    decoding a text field's block, for values scores never use. The values open with the
    first such call (or `bytes()` for empty ones), a fixed string that the opcodes and binary
    numbers of ids and weights cannot form, so the stream is cut there and closed as a pair.
    Fields whose values have a fixed size (frequencies, none) hold one bytes object or None
    and are unpickled whole, cheaply.
    """
    raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    if matcher._compression:
        raw = zlib.decompress(raw)
    fixed_size = matcher._fixedsize
    cut = -1
    if fixed_size is None or fixed_size < 0:
        cut = min((at for at in map(raw.find, _FIRST_BYTES_OPCODES) if at >= 0), default=-1)
    if cut < 0:
        return pickle.loads(raw)[:2]
    if matcher._blocklength > 3:  # a tuple of more than three items opens with a MARK
        cut -= 1
    return pickle.loads(raw[:cut] + _CLOSE_PAIR)


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
