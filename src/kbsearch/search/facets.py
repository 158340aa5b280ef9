"""Facet values per document, cached as arrays per searcher, and disjunctive counting.

Whoosh's `groupedby` recipe costs a range query per bucket and unpickles every hit (see
WHOOSH-NOTES); here each searcher reads the columns once into numpy arrays, and a search's
facet counts are a few vectorised operations over the matching documents.

Disjunctive faceting: values of one facet combine with OR, facets with AND, and each facet is
counted under every selection except its own, so a selected value never disappears and its
siblings show what choosing them instead would give.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from kbsearch.index import schema as f

# Multi-valued facets and the single-valued ones, by request attribute.
MULTI = {"country": f.COUNTRY, "sector": f.SECTOR}
SINGLE = {"type": f.TYPE, "language": f.LANGUAGE}
NO_DATE = 0
# Facet selections remembered per searcher, as bytes of masks (one byte per document).
REMEMBERED_SELECTION_BYTES = 16 * 2**20
# How many values of a multi-valued facet per document its counting table holds (see
# _MultiValued): documents name a few countries and sectors, rarely more.
TABLE_VALUES = 8


def read_column(reader, field: str, size: int) -> list:
    """Every document's value of a sortable field (None where a segment has none).

    Segment by segment: Whoosh's own multi-segment column reader misplaces documents when
    a segment lacks the column (say, one holding only fact sheets without dates).
    """
    values: list = []
    for leaf, offset in reader.leaf_readers():
        values.extend([None] * (offset - len(values)))
        count = leaf.doc_count_all()
        if leaf.has_column(field):
            column = leaf.column_reader(field)
            values.extend(column[i] for i in range(count))
        else:
            values.extend([None] * count)
    return values + [None] * (size - len(values))


@dataclass
class _MultiValued:
    """A facet where a document can hold several values: (document, value) pairs, in
    document order.

    Counting reads a table of each document's first values (value index + 1, 0 for none):
    gathering the rows of a search's documents and counting them is three array operations,
    where walking their pairs took nine (50 µs for a thousand documents). The rare values
    past the table's width are counted from the pairs."""

    values: list[str]
    pair_docs: np.ndarray
    pair_values: np.ndarray
    size: int

    def __post_init__(self):
        # Where each document's pairs begin (and, at the end, where the last ones end).
        self.starts = np.searchsorted(self.pair_docs, np.arange(self.size + 1))
        lengths = np.diff(self.starts)
        width = min(int(lengths.max(initial=0)), TABLE_VALUES)
        self.table = np.zeros((self.size, width), dtype=np.min_scalar_type(len(self.values)))
        for column in range(width):
            holding = np.flatnonzero(lengths > column)
            self.table[holding, column] = self.pair_values[self.starts[holding] + column] + 1
        self.overflowing = lengths > width

    def values_of(self, docs: np.ndarray, skip: int = 0) -> np.ndarray:
        """The value index of every pair of the documents `docs` (ids, ascending), but each
        document's first `skip`."""
        begin = np.minimum(self.starts[docs] + skip, self.starts[docs + 1])
        lengths = self.starts[docs + 1] - begin
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if ends.size else 0
        return self.pair_values[np.repeat(begin - (ends - lengths), lengths) + np.arange(total)]

    def totals(self, docs: np.ndarray) -> np.ndarray:
        """How many of the documents `docs` hold each value, by value index."""
        totals = np.bincount(self.table[docs].ravel(), minlength=len(self.values) + 1)[1:]
        beyond = docs[self.overflowing[docs]]
        if beyond.size:
            totals += np.bincount(self.values_of(beyond, skip=self.table.shape[1]),
                                  minlength=len(self.values))
        return totals


@dataclass
class _SingleValued:
    """A facet with at most one value per document: a value index per document (-1: none)."""

    values: list[str]
    of_doc: np.ndarray

    def __post_init__(self):
        self.counted = self.of_doc + 1  # 0: none, so that counting needs no mask


class FacetCache:
    """Every document's facet values, read once from the columns of one searcher."""

    def __init__(self, reader):
        self.size = reader.doc_count_all()
        self.alive = np.zeros(self.size, dtype=bool)
        self.alive[list(reader.all_doc_ids())] = True  # deleted documents stay out
        self.multi = {name: self._read_multi(reader, field) for name, field in MULTI.items()}
        self.single = {name: self._read_single(reader, field) for name, field in SINGLE.items()}
        self.day = self._read_numbers(reader, f.DATE, 2**32 - 1)
        yearmonth = self._read_numbers(reader, f.YEARMONTH, 2**32 - 1)
        self.periods = {"year": _periods(yearmonth // 100), "month": _periods(yearmonth)}
        self.reference = np.array([v == f.REFERENCE for v in self._column(reader, f.ORIGIN)],
                                  dtype=bool)
        # Public only when the index says so: anything else (internal, unknown) is staff-only.
        self.public = self.alive & np.array(
            [v == f.PUBLIC for v in self._column(reader, f.VISIBILITY)], dtype=bool)
        self.has_internal = bool((self.alive & ~self.public).any())
        self._selections: OrderedDict[tuple[str, frozenset[str]], np.ndarray] = OrderedDict()

    def visible(self, staff: bool) -> np.ndarray:
        """The documents an audience may see: every live one for staff, public ones else."""
        return self.alive if staff else self.public

    def _column(self, reader, field: str) -> list:
        return read_column(reader, field, self.size)

    def _read_multi(self, reader, field: str) -> _MultiValued:
        index: dict[str, int] = {}
        docs, values = [], []
        for docnum, raw in enumerate(self._column(reader, field)):
            for value in (raw or "").split(","):
                if value:
                    docs.append(docnum)
                    values.append(index.setdefault(value, len(index)))
        return _MultiValued(list(index), np.array(docs, dtype=np.int32),
                            np.array(values, dtype=np.int32), self.size)

    def _read_single(self, reader, field: str) -> _SingleValued:
        index: dict[str, int] = {}
        of_doc = np.array([index.setdefault(v, len(index)) if v else -1
                           for v in self._column(reader, field)], dtype=np.int32)
        return _SingleValued(list(index), of_doc)

    def _read_numbers(self, reader, field: str, missing: int) -> np.ndarray:
        raw = np.array([v if isinstance(v, int) else missing
                        for v in self._column(reader, field)], dtype=np.int64)
        raw[raw >= missing] = NO_DATE
        return raw

    # --- selections -----------------------------------------------------------------------

    def selection_mask(self, facet: str, selected: tuple[str, ...]) -> np.ndarray | None:
        """Documents holding any of the selected values; None when nothing is selected.
        Remembered (people click the same values again and again), as many as fit in
        REMEMBERED_SELECTION_BYTES; callers must not change the mask."""
        if not selected:
            return None
        key = (facet, frozenset(selected))
        mask = self._selections.get(key)
        if mask is None:
            mask = self._selection_mask(facet, key[1])
            mask.flags.writeable = False
            self._selections[key] = mask
            while len(self._selections) * self.size > REMEMBERED_SELECTION_BYTES:
                self._selections.popitem(last=False)
        else:
            self._selections.move_to_end(key)
        return mask

    def _selection_mask(self, facet: str, selected: frozenset[str]) -> np.ndarray:
        if facet in self.multi:
            cache = self.multi[facet]
            wanted = [i for i, v in enumerate(cache.values) if v in selected]
            mask = np.zeros(self.size, dtype=bool)
            mask[cache.pair_docs[np.isin(cache.pair_values, wanted)]] = True
            return mask
        cache = self.single[facet]
        wanted = [i for i, v in enumerate(cache.values) if v in selected]
        return np.isin(cache.of_doc, wanted)

    def first_value_mask(self, facet: str, value: str) -> np.ndarray:
        """Documents whose first value of the multi-valued `facet` is `value`: the country
        a document is mainly about comes first."""
        cache = self.multi[facet]
        mask = np.zeros(self.size, dtype=bool)
        if value not in cache.values:
            return mask
        begins, ends = cache.starts[:-1], cache.starts[1:]
        holding = np.flatnonzero(ends > begins)
        mask[holding] = cache.pair_values[begins[holding]] == cache.values.index(value)
        return mask

    def date_mask(self, start: dt.date | None, end: dt.date | None) -> np.ndarray | None:
        """Documents whose meaningful date is within [start, end]; undated ones are out."""
        if start is None and end is None:
            return None
        mask = self.day != NO_DATE
        if start:
            mask &= self.day >= start.toordinal()
        if end:
            mask &= self.day <= end.toordinal()
        return mask

    # --- counting -------------------------------------------------------------------------

    def counts(self, facet: str, mask: np.ndarray) -> dict[str, int]:
        """value → number of documents in `mask` holding it."""
        return self.counts_of(facet, np.flatnonzero(mask))

    def counts_of(self, facet: str, docs: np.ndarray) -> dict[str, int]:
        """value → number of the documents `docs` (ids, ascending) holding it. Searches match
        a small part of the index, so counting goes by their ids, not over every document."""
        if facet in self.multi:
            cache = self.multi[facet]
            return _named_counts(cache.values, cache.totals(docs))
        cache = self.single[facet] if facet in self.single else self.periods[facet]
        totals = np.bincount(cache.counted[docs], minlength=len(cache.values) + 1)[1:]
        return _named_counts(cache.values, totals)


def _periods(period: np.ndarray) -> _SingleValued:
    """Each document's year or month (`2019`, `201903`; NO_DATE for none) as a single-valued
    facet, values in increasing order: counted like one, by an index per document, where
    sorting the matching documents' periods cost several times as much."""
    found, of_doc = np.unique(period, return_inverse=True)
    undated = int(found.size > 0 and found[0] == NO_DATE)  # NO_DATE sorts first: no value
    return _SingleValued([str(p) for p in found[undated:].tolist()],
                         of_doc.astype(np.int32) - undated)


def _named_counts(values: list[str], totals: np.ndarray) -> dict[str, int]:
    """value → count, for the values counted at least once."""
    counts = totals.tolist()
    return {values[i]: counts[i] for i in np.flatnonzero(totals).tolist()}


def disjunctive_counts(cache: FacetCache, base: np.ndarray, selections: dict[str, np.ndarray | None],
                       dates: np.ndarray | None, month_drilldown: bool) -> dict[str, dict[str, int]]:
    """Counts for every facet, each ignoring its own selection.

    `base` is what the words match; `selections` the mask of each facet's selected values;
    `dates` the date range. The year facet ignores the date range (it is how the range is
    chosen); the month facet, shown when one year is chosen, respects it.
    """
    found: dict[tuple, np.ndarray] = {}  # the documents of each combination, found once

    def combined(skip: str | None, with_dates: bool) -> np.ndarray:
        applied = tuple(n for n, selected in selections.items()
                        if n != skip and selected is not None)
        key = (applied, with_dates and dates is not None)
        if key not in found:
            mask = base
            for name in applied:
                mask = mask & selections[name]
            found[key] = np.flatnonzero(mask & dates if key[1] else mask)
        return found[key]

    counts = {name: cache.counts_of(name, combined(name, True)) for name in selections}
    counts["year"] = cache.counts_of("year", combined(None, False))
    if month_drilldown:
        counts["month"] = cache.counts_of("month", combined(None, True))
    return counts
