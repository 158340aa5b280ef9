"""A Whoosh segment writer that files postings by term as they come, for bulk indexing.

Whoosh's SegmentWriter keeps every posting as a (field, term, doc, weight, value) tuple, sorts
them all, spills sorted runs to disk past 128 MB and merges the runs back posting by posting
with a heap, then hands the postings one by one to the codec, reading each one's document
length from disk. At 100,000 documents that took about 35 ms of CPU per document.

But documents are added in document-number order, so each term's postings arrive already in
order: they only need filing under their term. Here a document's postings in a field are
appended in one call to one flat list per term; only the terms are sorted, a spilled run is a
list of terms marshalled at C speed, runs merge term by term (earlier runs hold earlier
documents), and the codec's blocks are filled from each term's list by slicing, with the
document lengths read once per field. The files are in Whoosh's format (its codec writes
them), with the same terms, statistics and postings as SegmentWriter's; only the blocks'
data is pickled with a newer protocol (see BLOCK_PICKLE_PROTOCOL).
"""

from __future__ import annotations

import heapq
import itertools
import marshal
import operator
import os
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterator

from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3PostingsWriter
from whoosh.formats import Existence
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

# Rough memory of one filed posting (its share of the flat list, the boxed document number,
# weight and value), for keeping the pool within its budget. A bare posting (a document
# number alone, see TermPostingPool) is counted in proportion: in the pool alone, 11 bytes
# against 30 for a full one.
BYTES_PER_POSTING = 90
BYTES_PER_BARE_POSTING = 34
# Postings per marshalled record of a run (about 5 MB read back): runs are merged a record of
# each at a time, so this bounds the merge's memory, whatever the terms' sizes.
POSTINGS_PER_RECORD = 20_000
# A record's byte length, written before it: marshal.load on a file reads it a few bytes per
# call, 100 times slower than marshal.loads on the record read whole.
RECORD_LENGTH = struct.Struct("<Q")
# The pickle protocol of postings blocks' data. Whoosh's writer uses 2, which has no opcode
# for bytes: each posting's positions were pickled as a call of `_codecs.encode` on a latin-1
# string. With 4 they are bytes as they are: pickling a block takes a seventh of the time,
# compressing it half, and the postings file is half the size. Readers unpickle any protocol.
BLOCK_PICKLE_PROTOCOL = 4

Key = tuple[str, bytes]  # (field name, term bytes)


class TermPostingPool:
    """Postings filed by term, each term's as a flat [doc, weight, value, doc, …] list.

    The postings of `bare_fields` (fields that only record which documents hold a term:
    every weight 1.0, no value) are filed bare, as [doc, doc, …]: half the postings of a
    bulk build are the spelling dictionary's, and a third of the work of filing, holding
    and writing them was their constant weights and values.

    Postings of a term come in increasing document order from a writer adding documents or
    merging segments; a term whose postings do not is sorted when it is read out.
    """

    def __init__(self, tempstore, limitmb: int = 128, bare_fields: frozenset[str] = frozenset()):
        self.tempstore = tempstore
        self.limit = max(1, limitmb * 1024 * 1024)  # bytes, as counted by BYTES_PER_…
        self.bare_fields = bare_fields
        self.runs: list[str] = []
        self._postings: dict[str, dict[bytes, list]] = {}  # field → term → flat postings
        self._bytes = 0
        self._unordered: set[Key] = set()

    def add(self, item: tuple) -> None:
        """File one (field, term bytes, doc, weight, value) posting, Whoosh's pool protocol."""
        fieldname, text, docnum, weight, value = item
        terms = self._terms_of(fieldname)
        postings = terms.get(text)
        filed = (docnum,) if fieldname in self.bare_fields else (docnum, weight, value)
        if postings is None:
            terms[text] = list(filed)
        else:
            if docnum <= postings[-len(filed)]:
                self._unordered.add((fieldname, text))
            postings += filed
        self._filed(1, fieldname)

    def add_document_terms(self, fieldname: str, docnum: int, items) -> int:
        """File the (term bytes, frequency, weight, value) items a field's `index` gives for
        one document, the writer's newest, and return their total frequency.

        One call per field instead of one per posting: a document has hundreds of terms.
        """
        terms = self._terms_of(fieldname)
        length = count = 0
        if fieldname in self.bare_fields:
            for text, frequency, _, _ in items:
                postings = terms.get(text)
                if postings is None:
                    terms[text] = [docnum]
                else:
                    postings.append(docnum)
                length += frequency
                count += 1
        else:
            for text, frequency, weight, value in items:
                weight = float(weight)  # what Whoosh's writer makes of it (weight × boost 1.0)
                postings = terms.get(text)
                if postings is None:
                    terms[text] = [docnum, weight, value]
                else:
                    postings += (docnum, weight, value)
                length += frequency
                count += 1
        self._filed(count, fieldname)
        return length

    def _terms_of(self, fieldname: str) -> dict[bytes, list]:
        return self._postings.setdefault(fieldname, {})

    def _filed(self, count: int, fieldname: str) -> None:
        self._bytes += count * (BYTES_PER_BARE_POSTING if fieldname in self.bare_fields
                                else BYTES_PER_POSTING)
        if self._bytes >= self.limit:
            self.save()

    def step(self, fieldname: str) -> int:
        """How many list items one posting of `fieldname` takes: 1 when bare, else 3."""
        return 1 if fieldname in self.bare_fields else 3

    def save(self) -> None:
        """Spill the filed postings to a run file, terms in order."""
        if not self._postings:
            return
        # Worker processes share the temporary folder: the name says whose run it is.
        name = f"terms-{os.getpid()}-{id(self)}-{len(self.runs)}.run"
        with self.tempstore.create_file(name).raw_file() as run:
            record, size = [], 0
            for filed in self._ordered_items():
                record.append(filed)
                size += len(filed[1])
                if size >= 3 * POSTINGS_PER_RECORD:
                    _write_record(run, record)
                    record, size = [], 0
            if record:
                _write_record(run, record)
        self.runs.append(name)
        self._postings = {}
        self._unordered = set()
        self._bytes = 0

    def iter_terms(self) -> Iterator[tuple[Key, list]]:
        """((field, term bytes), flat postings) for every term, terms in order."""
        if not self.runs:
            yield from self._ordered_items()
            return
        self.save()
        # heapq.merge keeps equal keys in run order, and earlier runs hold earlier documents.
        merged = heapq.merge(*(self._read_run(name) for name in self.runs),
                             key=_term)
        for key, group in itertools.groupby(merged, key=_term):
            step = self.step(key[0])
            postings, ordered = [], True
            for _, part in group:
                ordered = ordered and not (postings and part[0] <= postings[-step])
                postings += part
            yield key, postings if ordered else _by_document(postings, step)

    def iter_postings(self) -> Iterator[tuple]:
        """Every posting as Whoosh's pool gives them: sorted (field, term, doc, weight,
        value) tuples."""
        for (fieldname, text), postings in self.iter_terms():
            if fieldname in self.bare_fields:
                for docnum in postings:
                    yield fieldname, text, docnum, 1.0, b""
                continue
            for i in range(0, len(postings), 3):
                yield fieldname, text, postings[i], postings[i + 1], postings[i + 2]

    def cleanup(self) -> None:
        for name in self.runs:
            self.tempstore.delete_file(name)
        self.runs = []

    def _ordered_items(self) -> Iterator[tuple[Key, list]]:
        """The filed terms in order, each with its postings in document order."""
        for fieldname in sorted(self._postings):
            terms = self._postings[fieldname]
            for text in sorted(terms):
                key = (fieldname, text)
                yield key, (_by_document(terms[text], self.step(fieldname))
                            if key in self._unordered else terms[text])

    def _read_run(self, name: str) -> Iterator[tuple[Key, list]]:
        with self.tempstore.open_file(name).raw_file() as run:
            while header := run.read(RECORD_LENGTH.size):
                (length,) = RECORD_LENGTH.unpack(header)
                yield from marshal.loads(run.read(length))


def _write_record(run, record: list) -> None:
    data = marshal.dumps(record)
    run.write(RECORD_LENGTH.pack(len(data)))
    run.write(data)


def _term(filed: tuple[Key, list]) -> Key:
    return filed[0]


def _by_document(postings: list, step: int) -> list:
    """Flat postings (of `step` items each) sorted by document."""
    if step == 1:
        return sorted(postings)
    triples = sorted(zip(postings[::3], postings[1::3], postings[2::3]),
                     key=lambda posting: posting[0])
    return [part for triple in triples for part in triple]


class TermFilingSegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter with postings filed by term (see the module docstring), which
    also commits segments that worker processes wrote into the same index."""

    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPostingPool(self._tempstorage, limitmb=limitmb,
                                    bare_fields=_bare_fields(self.schema))
        self._gathered: list = []
        self._whooshs_way = any(field.vector or field.separate_spelling()
                                for _, field in self.schema.items())

    def add_document(self, **fields) -> None:
        """Whoosh's `add_document`, with each field's postings filed in one call (see
        `TermPostingPool.add_document_terms`). Boosts and custom stored values (`_`
        arguments) and schemas with vectors or separate spelling go Whoosh's own way."""
        if self._whooshs_way or any(name.startswith("_") for name in fields):
            super().add_document(**fields)
            return
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    length = self.pool.add_document_terms(fieldname, docnum,
                                                          field.index(value))
                    if not field.scorable:
                        length = 0
                perdocwriter.add_field(fieldname, field, value if field.stored else None,
                                       length)
                if field.column_type:
                    perdocwriter.add_column_value(fieldname, field.column_type,
                                                  field.to_column_value(value))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def gather(self, segments: list) -> None:
        """Commit `segments`, finished by writers in other processes, with this one's."""
        self._gathered.extend(segments)

    def _merge_segments(self, mergetype, optimize, merge) -> list:
        # The segments to commit: what Whoosh's merge policy keeps of the existing ones, and
        # the gathered ones as they are (like its own multiprocess writer's).
        return super()._merge_segments(mergetype, optimize, merge) + self._gathered

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        doc_count = self.docnum
        fieldwriter = self.fieldwriter
        start_term, finish_term = fieldwriter.start_term, fieldwriter.finish_term
        current = postwriter = None
        for (fieldname, text), postings in self.pool.iter_terms():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                postwriter = FlatPostingsWriter.replacing(fieldwriter._postwriter)
                fieldwriter._postwriter = postwriter
                current = fieldname
                length_of = _field_lengths(lengths, fieldname, doc_count)
            start_term(text)
            postwriter.add_postings(postings, length_of, bare=fieldname in self.pool.bare_fields)
            finish_term()
        if current is not None:
            fieldwriter.finish_field()
        fieldwriter.close()
        if lengths:
            lengths.close()


class FlatPostingsWriter(W3PostingsWriter):
    """Whoosh's W3 postings writer, given each term's postings as one flat [doc, weight,
    value, …] list, and pickling blocks with a newer protocol.

    Its `add_posting` takes one posting per call, fills the block's arrays and statistics, and
    writes each full block before the next posting; `add_postings` fills them a block at a
    time with slices at C speed, and the ids and weights are minified at C speed too.
    (Private attributes of the codec pinned in pyproject.toml; tests hold every term's
    statistics and postings equal to what Whoosh's own writer gives.)
    """

    def _write_block(self, last: bool = False) -> None:
        """Whoosh's `_write_block`: the same block layout, statistics and compression, with the
        data pickled by BLOCK_PICKLE_PROTOCOL."""
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = pickle.dumps((self._mini_ids(), self._mini_weights(), self._mini_values()),
                            BLOCK_PICKLE_PROTOCOL)
        compression = self._compression if len(data) >= COMPRESSION_MIN_SIZE else 0
        if compression:
            data = zlib.compress(data, compression)
        ids = self._ids
        info = pickle.dumps((len(ids), ids[-1], self._maxweight, compression,
                             length_to_byte(self._minlength), length_to_byte(self._maxlength)),
                            2)
        length = len(info) + len(data)
        postfile.write_int(-length if last else length)  # negative: the term's last block
        postfile.write(info)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()

    @classmethod
    def replacing(cls, writer: W3PostingsWriter) -> FlatPostingsWriter:
        return cls(writer._postfile, writer._blocklimit, byteids=writer._byteids,
                   compression=writer._compression, inlinelimit=writer._inlinelimit)

    def add_postings(self, postings: list, length_of: list, bare: bool = False) -> None:
        """Buffer one term's flat postings (`bare`: document numbers alone, each weighing 1.0
        with no value), writing every full block but the last, which `finish_postings`
        writes, as Whoosh's writer does."""
        size = self._blocklimit if bare else 3 * self._blocklimit
        for start in range(0, len(postings), size):
            if start:
                self._write_block()
            block = postings[start:start + size]
            if bare:
                ids, values = block, []
                self._weights, self._maxweight = array("f", [1.0]) * len(block), 1.0
            else:
                ids, weights, values = block[0::3], block[1::3], list(filter(None, block[2::3]))
                self._weights, self._maxweight = array("f", weights), max(0, max(weights))
            lengths = list(filter(None, map(length_of.__getitem__, ids)))
            self._ids = array("I", ids)
            self._values = values
            self._minlength = min(lengths) if lengths else None
            self._maxlength = max(lengths) if lengths else 0

    def _mini_ids(self):
        if self._byteids:
            return super()._mini_ids()
        ids = self._ids  # delta-encoded from 0, as whoosh.util.numlists.delta_encode does
        return tuple(map(operator.sub, ids, itertools.chain((0,), ids)))

    def _mini_weights(self):
        weights = self._weights
        if weights.count(1.0) == len(weights):
            return None
        if weights.count(weights[0]) == len(weights):
            return weights[0]
        return tuple(weights)


def _bare_fields(schema) -> frozenset[str]:
    """The fields whose postings only say which documents hold a term: each weighs 1.0 (its
    field's boost) and has no value (see TermPostingPool)."""
    return frozenset(name for name, field in schema.items()
                     if field.indexed and type(field.format) is Existence
                     and field.format.field_boost == 1.0)


def _field_lengths(lengths, fieldname: str, doc_count: int) -> list:
    """Each document's length in `fieldname` as the codec reads it back (Whoosh stores
    lengths in a byte, so a long field's is approximate), read once per field."""
    if lengths is None:
        return [0] * doc_count
    read = lengths.doc_field_length_reader(fieldname)
    return [read(docnum) for docnum in range(doc_count)]
