"""The search engine: one open searcher and its caches, answering SearchRequests.

`SearchEngine` is what the CLI and the web call. It keeps one Whoosh searcher per process
(opening one per request costs 3.6× at 10k documents and 14× at 100k, see WHOOSH-NOTES); an
engine reads one index generation, and servers open a new engine for a new generation (see
web.state). Whoosh objects stay inside.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from whoosh import query as wq
from rapidfuzz.distance import OSA

from kbsearch.index import schema as f
from kbsearch.index.analysis import is_stop_word
from kbsearch.index.store import current_generation, open_index
from kbsearch.model import FacetValue, Hit, SearchRequest, SearchResult
from kbsearch.search import facets as fc
from kbsearch.search.completion import Suggestion, TitleIndex, complete
from kbsearch.search.documents import StoredDocuments
from kbsearch.search.lexicon import Lexicon
from kbsearch.search.query import (ParsedQuery, QueryBuilder, parse_query, prepare_concepts,
                                   with_corrections)
from kbsearch.search.similar import key_terms
from kbsearch.search.snippets import TermFinder, prepare_snippets, snippet
from kbsearch.search.vectors import VectorScorer
from kbsearch.vocab.labels import facet_label
from kbsearch.vocab.text import fold

# Relevance gets a mild boost for recent news and missions (fact sheets and events do not age
# the same way).
# Below this many documents meeting every clause, those meeting some are shown after them.
EXTEND_BELOW = 10
RECENCY_WEIGHT = 0.25
RECENCY_HALF_LIFE_YEARS = 4.0
AGING_TYPES = ("news", "mission")
# Reference fact sheets (the World Factbook) are background: agency documents come first.
REFERENCE_WEIGHT = 0.3
# Near words of a typo counted (visible documents holding each), nearest first: enough for all
# those at the fewest edits in practice, few enough to bound the cost of a typo.
MAX_CORRECTION_CANDIDATES = 32
# Key terms of a document that "documents like this one" search for.
KEY_TERMS = 12


@dataclass(frozen=True)
class _WordMatches:
    """What the words of a query match: the scoring query, how many clauses each document
    meets, those meeting all, and the documents the search starts from."""

    query: object
    met: np.ndarray
    all: np.ndarray
    some: np.ndarray
    base: np.ndarray
    scores: np.ndarray


class SearchEngine:
    """Answers searches over the index in `index_dir`; cheap to query, costly to open."""

    def __init__(self, index_dir: Path, today: dt.date | None = None):
        self.index_dir = Path(index_dir)
        self.today = today or dt.date.today()
        self._lock = threading.RLock()
        self._open()

    def _open(self) -> None:
        self._generation = current_generation(self.index_dir)
        index = open_index(self.index_dir)
        self._searcher = index.searcher()
        self._documents = StoredDocuments(self._searcher)
        reader = self._searcher.reader()
        self._lexicon = Lexicon(reader, f.SPELL)
        self._builder = QueryBuilder(index.schema, self._lexicon)
        self._cache = fc.FacetCache(reader)
        self._ids = [v or "" for v in fc.read_column(reader, f.ID_FIELD, self._cache.size)]
        self._tie_rank = _tie_ranks(fc.read_column(reader, f.SOURCE, self._cache.size),
                                    self._ids)
        self._docnum = {doc_id: n for n, doc_id in enumerate(self._ids)
                        if doc_id and self._cache.alive[n]}
        titles = [(v or b"").decode("utf-8") for v in
                  fc.read_column(reader, f.TITLE_COLUMN, self._cache.size)]
        self._titles = [(fold(t), t, i) for t, i, alive in
                        zip(titles, self._ids, self._cache.alive) if alive and t]
        # Built by the first completion, per audience (staff or not).
        self._title_index: dict[bool, TitleIndex] = {}
        self._present: dict[bool, dict[str, set[str]]] = {}
        self._term_finders: dict[str, TermFinder] = {}  # by body field, for snippets
        self._scorer = VectorScorer(self._searcher, self._cache.size)
        self._rerank_weights = self._rerank_weight_vector()

    @property
    def generation(self) -> Path | None:
        """The index generation this engine reads."""
        return self._generation

    def warm(self) -> int:
        """Read ahead the postings of the commonest words (see VectorScorer.warm), the typo
        dictionary, the snippet tables and the concept vocabularies: servers do it before a
        new index generation takes its first search."""
        with self._lock:
            prepare_snippets()
            prepare_concepts()
            self._lexicon.words_by_initial()
            self._lexicon.joined_terms(f.COMPOUND)
            terms = self._lexicon.list_terms([*self._builder.text_fields, f.COMPOUND])
            return self._scorer.warm(terms)

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def document_count(self) -> int:
        return int(self._cache.alive.sum())

    # --- search ---------------------------------------------------------------------------

    # Every public method takes `staff`: False (the default) sees public documents only, in
    # results, counts, corrections, completions, neighbours and pages alike.

    def search(self, request: SearchRequest, staff: bool = False) -> SearchResult:
        with self._lock:
            return self._search(request, self._cache.visible(staff))

    def _search(self, request: SearchRequest, visible: np.ndarray) -> SearchResult:
        parsed = parse_query(request.query)
        request = _with_query_filters(request, parsed)
        suggestion, words = None, None
        if not parsed.is_empty:
            parsed, replacements = with_corrections(parsed,
                                                    lambda word: self._correct(word, visible))
            words = self._match_words(parsed, visible)
            if replacements:
                suggestion = _replace_words(request.query, replacements)
        selections = {name: self._cache.selection_mask(name, getattr(request, attr))
                      for name, attr in (("country", "countries"), ("sector", "sectors"),
                                         ("type", "types"), ("language", "languages"))}
        dates = self._cache.date_mask(request.date_from, request.date_to)
        base = words.base if words else visible.copy()
        final = _filtered(base, (*selections.values(), dates))
        if words is not None and not final.any():
            # Nothing meets every word within the filters: fall back to what meets some.
            base = words.some
            final = _filtered(base, (*selections.values(), dates))
        counts = fc.disjunctive_counts(self._cache, base, selections, dates,
                                       _single_year(request) is not None) \
            if request.with_facets else {}
        ordered = self._order(final, words, request)
        start = (request.page - 1) * request.page_size
        page = ordered[start:start + request.page_size]
        terms = _terms_by_field(words.query if words else None) if request.with_snippets \
            else None
        hits = tuple(self._hit(docnum, score, terms) for docnum, score in page)
        total = int(final.sum())
        return SearchResult(request=request, total=total, hits=hits,
                            facets=self._facets(counts, request), suggestion=suggestion,
                            matched_all=int((final & words.all).sum()) if words else total)

    def _match_words(self, parsed: ParsedQuery, visible: np.ndarray) -> _WordMatches:
        """Which documents meet every clause, which meet some, how many each meets, and the
        relevance score of each (BM25F, re-weighted).

        Every clause is preferred; when fewer than a page of documents meet them all, those
        that meet some follow, ranked by how many they meet.
        """
        clauses = [q for q in (self._builder.clause(c) for c in parsed.must) if q is not None]
        met = np.zeros(self._cache.size, dtype=np.int32)
        scores = np.zeros(self._cache.size, dtype=np.float32)
        for clause in clauses:
            mask, clause_scores = self._scorer.evaluate(clause)
            met += mask
            scores += clause_scores
        allowed = visible.copy()
        excluded = self._builder.exclusions(parsed)
        if excluded is not None:
            allowed &= ~self._scorer.evaluate(excluded)[0]
        every = (met == len(clauses)) & allowed if clauses else np.zeros_like(allowed)
        some = (met > 0) & allowed
        base = every if every.sum() >= EXTEND_BELOW or len(clauses) < 2 else some
        query = clauses[0] if len(clauses) == 1 else wq.Or(clauses) if clauses else None
        return _WordMatches(query, met, every, some, base, scores * self._rerank_weights)

    def _correct(self, word: str, visible: np.ndarray) -> str | None:
        """The nearest word the visible documents hold, for a word they do not (none for short
        words, numbers, stop words, which the dictionary leaves out, and words they hold).
        Words only internal documents hold are neither known nor offered to the public: a
        correction must not reveal them."""
        folded = fold(word)
        if len(folded) < 4 or not folded.isalpha() or is_stop_word(folded) or \
                self._frequency(folded, visible):
            return None
        near = self._lexicon.near_words(folded, max_edits=1 if len(folded) < 8 else 2)
        found = {w: n for _, w in near[:MAX_CORRECTION_CANDIDATES]
                 if (n := self._frequency(w, visible))}
        if not found:
            return None
        # The fewest edits first (`wallone` → `wallonne`, not `wallonnes`), then the most used.
        return min(found, key=lambda w: (_typo_distance(folded, w), -found[w], w))

    def _frequency(self, word: str, visible: np.ndarray) -> int:
        """How many visible documents hold `word` (as written, folded). Counting needs the
        word's postings only when some documents are hidden from this audience."""
        total = self._lexicon.doc_frequency(f.SPELL, word)
        if not total or visible is self._cache.alive or not self._cache.has_internal:
            return total
        ids, _ = self._scorer.postings(f.SPELL, word)
        return int(visible[ids].sum())

    def _order(self, final: np.ndarray, words: _WordMatches | None, request: SearchRequest):
        """(docnum, score) of the selected documents in the requested order, as far as the
        requested page."""
        selected = np.flatnonzero(final)
        wanted = request.page * request.page_size
        if request.sort != "relevance" or words is None or words.query is None:
            # By date (newest first unless asked otherwise); undated documents last.
            days = self._cache.day[selected]
            keys = np.where(days == fc.NO_DATE, np.iinfo(np.int64).max,
                            days if request.sort == "oldest" else -days)
            ties = self._tie_rank[selected]
            return [(int(d), 0.0) for d in selected[np.lexsort((ties, keys))][:wanted]]
        # Documents meeting every clause first, then by how many they meet, then by score.
        scores = words.scores[selected]
        order = np.lexsort((self._tie_rank[selected], -scores, -words.met[selected]))[:wanted]
        return [(int(selected[i]), float(scores[i])) for i in order]

    def _rerank_weight_vector(self) -> np.ndarray:
        """Per document: reference sheets weigh less; recent news and missions gain up to
        +25 %, the gain halving every 4 years."""
        cache = self._cache
        weights = np.where(cache.reference, REFERENCE_WEIGHT, 1.0)
        types = cache.single["type"]
        aging = np.isin(types.of_doc, [i for i, t in enumerate(types.values) if t in AGING_TYPES])
        dated = aging & (cache.day != fc.NO_DATE)
        age_years = np.maximum(0.0, (self.today.toordinal() - cache.day) / 365.25)
        boost = 1 + RECENCY_WEIGHT * np.power(0.5, age_years / RECENCY_HALF_LIFE_YEARS)
        return (weights * np.where(dated, boost, 1.0)).astype(np.float32)

    def _hit(self, docnum: int, score: float, terms: dict[str, set[str]] | None) -> Hit:
        """A result, with a snippet around the query's terms (`terms`, by field) when given."""
        stored = self._documents[docnum]
        document = stored.metadata
        language = document["language"]
        body = f.body_field(f.text_suffix(language))
        finder = self._term_finders.get(body)
        if finder is None:
            finder = self._term_finders[body] = TermFinder(self._builder.schema[body].analyzer)
        return Hit(
            id=stored.id, source=stored.source, title=document["title"],
            date=_date(document.get("date")), type=document["type"], language=language,
            countries=tuple(document["countries"]), sectors=tuple(document["sectors"]),
            score=round(float(score), 4),
            snippet=snippet(stored.text, (terms or {}).get(body, set()), finder,
                            document.get("summary") or ""),
            summary=document.get("summary") or "",
            event_start=_date(document.get("event_start")),
            event_end=_date(document.get("event_end")),
            reference=bool(document.get("reference")),
        )

    def _facets(self, counts: dict[str, dict[str, int]], request: SearchRequest):
        chosen = {"country": request.countries, "sector": request.sectors,
                  "type": request.types, "language": request.languages,
                  "year": _selected_years(request),
                  "month": _selected_months(request)}
        out, locale = {}, request.locale
        for name, found in counts.items():
            selected = chosen.get(name, ())
            values = dict(found)
            for value in selected:
                values.setdefault(value, 0)  # a selected value never disappears
            items = [FacetValue(v, facet_label(name, v, locale), c, v in selected)
                     for v, c in values.items()]
            if name in ("year", "month"):
                items.sort(key=lambda fv: fv.value, reverse=True)
            else:
                items.sort(key=lambda fv: (-fv.count, fv.label))
            out[name] = tuple(items)
        return out

    def country_fact_sheets(self, country: str,
                            staff: bool = False) -> tuple[Hit | None, Hit | None]:
        """The newest fact sheet of the agency's mainly about `country` (its first country),
        and the newest reference sheet about it. Found with the facet arrays: going through
        a country's fact sheets a page at a time took 0.3 s for the busiest countries at
        100,000 documents."""
        with self._lock:
            cache = self._cache
            sheets = cache.visible(staff) & cache.selection_mask("type", ("factsheet",)) & \
                cache.selection_mask("country", (country,))
            agency = sheets & ~cache.reference & cache.first_value_mask("country", country)
            newest = SearchRequest(sort="newest", page_size=1)
            found = [self._order(mask, None, newest) for mask in (agency, sheets & cache.reference)]
            return tuple(self._hit(first[0][0], 0.0, None) if first else None
                         for first in found)

    # --- documents, neighbours, completion --------------------------------------------------

    def document(self, doc_id: str, staff: bool = False) -> dict | None:
        """The whole document as JSON-ready data, or None for an unknown id (or one this
        audience may not see: the same answer, so nobody learns it exists)."""
        with self._lock:
            docnum = self._visible_docnum(doc_id, staff)
            if docnum is None:
                return None
            stored = self._documents[docnum]
            return {**stored.metadata, "id": doc_id, "text": stored.text}

    def more_like_this(self, doc_id: str, limit: int = 5, staff: bool = False) -> list[Hit]:
        """Documents like this one: by its key terms, then by shared countries and sectors."""
        with self._lock:
            docnum = self._visible_docnum(doc_id, staff)
            if docnum is None:
                return []
            visible = self._cache.visible(staff)
            found = self._sharing_key_terms(docnum, visible, limit)
            # Enough to fill the list whatever it already holds, and this document.
            for other in self._sharing_concepts(docnum, visible, 2 * limit + 1):
                if len(found) >= limit:
                    break
                if other not in found and other != docnum:
                    found.append(other)
            return [self._hit(d, 0.0, None) for d in found[:limit]]

    def _sharing_key_terms(self, docnum: int, visible: np.ndarray, limit: int) -> list[int]:
        """The `limit` documents best matching the key terms of `docnum`'s text, best first.

        Whoosh's `more_like` query (see similar), evaluated as arrays like every search:
        Whoosh's own walk of its matchers cost over 100 ms a document page at 10,000
        documents."""
        stored = self._documents[docnum]
        body = f.body_field(f.text_suffix(stored.metadata["language"]))
        terms = key_terms(self._searcher.reader(), self._lexicon, body, stored.text,
                          KEY_TERMS)
        query = wq.Or([wq.Term(body, word, boost=weight) for word, weight in terms])
        matched, scores = self._scorer.evaluate(query)
        matched = matched & visible
        matched[docnum] = False
        candidates = np.flatnonzero(matched)
        best = np.lexsort((candidates, -scores[candidates]))[:limit]  # ties: Whoosh's order
        return [int(d) for d in candidates[best]]

    def _sharing_concepts(self, docnum: int, visible: np.ndarray, wanted: int) -> list[int]:
        """The `wanted` documents sharing the most countries and sectors with `docnum`, the
        newest first among equals. Each value's documents are a remembered selection mask: a
        document page summed them over every (document, value) pair, 50 ms at 100,000
        documents."""
        cache = self._cache
        shared = np.zeros(cache.size, dtype=np.int32)
        for name, facet in cache.multi.items():
            for value in facet.values_of(np.array([docnum])):
                shared += cache.selection_mask(name, (facet.values[value],))
        shared[~visible] = 0
        candidates = np.flatnonzero(shared)
        order = np.lexsort((-cache.day[candidates], -shared[candidates]))[:wanted]
        return candidates[order].tolist()

    def suggest(self, prefix: str, locale: str = "en", limit: int = 8,
                staff: bool = False) -> list[Suggestion]:
        """Completions of `prefix`: concept names in any language, then document titles."""
        with self._lock:
            if staff not in self._title_index:
                visible = self._cache.visible(staff)
                self._title_index[staff] = TitleIndex(
                    [t for t in self._titles if visible[self._docnum[t[2]]]])
                self._present[staff] = {name: set(self._cache.counts(name, visible))
                                        for name in ("country", "sector")}
            return complete(prefix, locale, limit, self._present[staff],
                            self._title_index[staff])

    def _visible_docnum(self, doc_id: str, staff: bool) -> int | None:
        docnum = self._docnum.get(doc_id)
        if docnum is None or not self._cache.visible(staff)[docnum]:
            return None
        return docnum


def _filtered(base: np.ndarray, masks) -> np.ndarray:
    final = base.copy()
    for mask in masks:
        if mask is not None:
            final &= mask
    return final


def _terms_by_field(query) -> dict[str, set[str]]:
    """field → the terms `query` looks for in it."""
    terms: dict[str, set[str]] = {}
    for field_name, text in (query.iter_all_terms() if query else ()):
        terms.setdefault(field_name, set()).add(
            text.decode("utf-8") if isinstance(text, bytes) else text)
    return terms


def _typo_distance(typed: str, word: str) -> float:
    """Edit distance where a missing or extra doubled letter (`wallone`, `adresse`) counts
    half: the commonest typo in French and Dutch."""
    shorter, longer = sorted((typed, word), key=len)
    if len(longer) == len(shorter) + 1 and any(
            longer[i] == longer[i - 1] and longer[:i] + longer[i + 1:] == shorter
            for i in range(1, len(longer))):
        return 0.5
    return float(OSA.distance(typed, word))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _with_query_filters(request: SearchRequest, parsed: ParsedQuery) -> SearchRequest:
    """Field prefixes typed in the query (`country:JP`) join the request's selections."""
    if not parsed.filters:
        return request
    merged = {attr: tuple(dict.fromkeys((*getattr(request, attr), *parsed.filters.get(name, ()))))
              for name, attr in (("country", "countries"), ("sector", "sectors"),
                                 ("type", "types"), ("language", "languages"))}
    return replace(request, **merged)


def _single_year(request: SearchRequest) -> int | None:
    """The year the date range covers exactly, if it is one calendar year."""
    start, end = request.date_from, request.date_to
    if start and end and start.year == end.year and (start.month, start.day) == (1, 1) \
            and (end.month, end.day) == (12, 31):
        return start.year
    return None


def _selected_years(request: SearchRequest) -> tuple[str, ...]:
    year = _single_year(request)
    return (str(year),) if year else ()


def _selected_months(request: SearchRequest) -> tuple[str, ...]:
    """The month the date range covers exactly, as `YYYYMM`."""
    start, end = request.date_from, request.date_to
    if start and end and (start.year, start.month) == (end.year, end.month) and start.day == 1 \
            and (end + dt.timedelta(days=1)).day == 1:
        return (f"{start.year}{start.month:02d}",)
    return ()


def _replace_words(text: str, replacements: dict[str, str]) -> str:
    """The query as typed with each corrected word replaced."""
    return re.sub(r"[\w'’\-.&]+", lambda m: replacements.get(m.group(0), m.group(0)), text)


def _tie_ranks(sources: list, ids: list[str]) -> np.ndarray:
    """Each document's place in (source path, id) order, in which documents that rank equal
    are listed: by document number, they moved whenever one was indexed again, and a bulk
    build numbers documents in the order its worker processes finish."""
    order = sorted(range(len(ids)), key=lambda n: (sources[n] or "", ids[n]))
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[order] = np.arange(len(ids))
    return ranks
