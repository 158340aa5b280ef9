"""The array evaluation of queries gives Whoosh's own matches and scores."""

import numpy as np
import pytest
from whoosh import query as wq

from kbsearch.search.query import parse_query
from kbsearch.search.vectors import VectorScorer


@pytest.mark.parametrize("text", ["mission Japon", "car industry Japan", "agroalimentaire Afrique",
                                  "mission maroc 2019", '"mission princière" Chine',
                                  "Fahrzeugbau OR autosector", "economie wallone japon"])
def test_vector_scores_equal_whoosh_scores(engine, text):
    clauses = [engine._builder.clause(c) for c in parse_query(text).must]
    query = wq.Or([c for c in clauses if c is not None])
    mask, scores = VectorScorer(engine._searcher, engine._cache.size).evaluate(query)
    expected = {hit.docnum: hit.score for hit in engine._searcher.search(query, limit=None)}
    assert set(np.flatnonzero(mask).tolist()) == set(expected)
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-4)


def test_and_requires_every_part(engine):
    clauses = [engine._builder.clause(c) for c in parse_query("Nagakute Waterloo").must]
    mask, _ = VectorScorer(engine._searcher, engine._cache.size).evaluate(wq.And(clauses))
    expected = {hit.docnum for hit in engine._searcher.search(wq.And(clauses), limit=None)}
    assert set(np.flatnonzero(mask).tolist()) == expected and expected
