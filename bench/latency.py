"""In-process query latency: kbsearch, and as baselines Whoosh's stock `groupedby` faceting
and SQLite FTS5 with GROUP BY facets over the same documents and words."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import query as wq
from whoosh import sorting

from bench.workload import Workload
from kbsearch.index import schema as f
from kbsearch.model import SearchRequest
from kbsearch.search.engine import SearchEngine
from kbsearch.search.query import parse_query


def timed(function: Callable[[int], object], count: int) -> dict[str, float]:
    """median and p95 in milliseconds of `function(i)` for i in range(count), after a warm-up."""
    for i in range(min(5, count)):
        function(i)
    samples = []
    for i in range(count):
        started = time.perf_counter()
        function(i)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"median": statistics.median(samples),
            "p95": samples[min(len(samples) - 1, int(0.95 * len(samples)))]}


def kbsearch_latencies(engine: SearchEngine, work: Workload) -> dict[str, dict[str, float]]:
    n = len(work.queries)

    def page(selections: int):
        def run(i: int):
            countries = (work.countries[i],) if selections >= 1 else ()
            sectors = (work.sectors[i],) if selections >= 2 else ()
            engine.search(SearchRequest(query=work.queries[i], countries=countries,
                                        sectors=sectors))
        return run

    return {
        "plain top-10": timed(lambda i: engine.search(SearchRequest(
            query=work.queries[i], with_facets=False, with_snippets=False)), n),
        "search page, 0 selections": timed(page(0), n),
        "search page, 1 selection": timed(page(1), n),
        "search page, 2 selections": timed(page(2), n),
        "country + dates, newest first": timed(lambda i: engine.search(SearchRequest(
            query=work.queries[i], countries=(work.countries[i],),
            date_from=dt.date(2018, 1, 1), date_to=dt.date(2024, 12, 31), sort="newest",
            with_snippets=False)), n),
        "10 highlighted snippets": timed(lambda i: engine.search(SearchRequest(
            query=work.queries[i], with_facets=False)), n),
        "suggest": timed(lambda i: engine.suggest(work.prefixes[i], "fr"), n),
    }


def stock_groupedby(engine: SearchEngine, work: Workload) -> dict[str, float]:
    """The same words and facets through Whoosh's documented recipe (`groupedby`)."""
    searcher = engine._searcher  # the benchmark may look inside; the product may not
    builder = engine._builder
    facets = {"country": sorting.FieldFacet(f.COUNTRY, allow_overlap=True),
              "sector": sorting.FieldFacet(f.SECTOR, allow_overlap=True),
              "type": sorting.FieldFacet(f.TYPE), "language": sorting.FieldFacet(f.LANGUAGE),
              "year": sorting.FieldFacet(f.YEAR)}
    queries = []
    for text in work.queries:
        clauses = [builder.clause(c) for c in parse_query(text).must]
        clauses = [c for c in clauses if c is not None]
        queries.append(wq.And(clauses) if clauses else None)

    def run(i: int):
        if queries[i] is None:
            return
        results = searcher.search(queries[i], limit=10, groupedby=facets)
        for name in facets:
            results.groups(name)
        [hit.fields() for hit in results[:10]]
    return timed(run, len(queries))


def build_fts(db_path: Path, engine: SearchEngine) -> sqlite3.Connection:
    """The indexed documents in SQLite FTS5, with facet tables beside them."""
    db = sqlite3.connect(str(db_path))
    db.executescript("""
        DROP TABLE IF EXISTS docs; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS doc_country;
        DROP TABLE IF EXISTS doc_sector;
        CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61 remove_diacritics 2');
        CREATE TABLE meta(id INTEGER PRIMARY KEY, type TEXT, language TEXT, year INTEGER);
        CREATE TABLE doc_country(id INTEGER, code TEXT); CREATE TABLE doc_sector(id INTEGER, slug TEXT);
    """)
    searcher = engine._searcher
    for docnum, stored in enumerate(searcher.all_stored_fields()):
        doc = json.loads(stored[f.DOCUMENT_JSON])
        db.execute("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                   (docnum, doc["title"], stored[f.CONTENT]))
        db.execute("INSERT INTO meta VALUES (?, ?, ?, ?)",
                   (docnum, doc["type"], doc["language"], stored.get(f.YEAR)))
        db.executemany("INSERT INTO doc_country VALUES (?, ?)",
                       [(docnum, c) for c in doc["countries"]])
        db.executemany("INSERT INTO doc_sector VALUES (?, ?)",
                       [(docnum, s) for s in doc["sectors"]])
    db.executescript("CREATE INDEX dc ON doc_country(id); CREATE INDEX ds ON doc_sector(id);")
    db.commit()
    return db


def fts_latency(db: sqlite3.Connection, work: Workload) -> dict[str, float]:
    def run(i: int):
        words = " ".join(f'"{w}"' for w in work.queries[i].split())
        db.execute("CREATE TEMP TABLE IF NOT EXISTS hit(id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM hit")
        db.execute("INSERT INTO hit SELECT rowid FROM docs WHERE docs MATCH ?", (words,))
        db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10",
                   (words,)).fetchall()
        for sql in ("SELECT code, count(*) FROM doc_country JOIN hit USING(id) GROUP BY code",
                    "SELECT slug, count(*) FROM doc_sector JOIN hit USING(id) GROUP BY slug",
                    "SELECT type, count(*) FROM meta JOIN hit USING(id) GROUP BY type",
                    "SELECT language, count(*) FROM meta JOIN hit USING(id) GROUP BY language",
                    "SELECT year, count(*) FROM meta JOIN hit USING(id) GROUP BY year"):
            db.execute(sql).fetchall()
    return timed(run, len(work.queries))
