"""The array evaluation of queries gives Whoosh's own matches and scores."""

import numpy as np
import pytest
from whoosh import query as wq

from kbsearch.search.query import parse_query
from tests.conftest import REPO
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


def test_a_union_of_many_rare_and_common_terms_scores_as_whoosh_does(engine):
    """Rare terms of a union are added document by document, common ones over whole arrays:
    the same matches and scores either way."""
    from kbsearch.index import schema as f
    lexicon = list(engine._searcher.lexicon(f.SPELL))
    terms = [wq.Term(f.SPELL, text.decode("utf-8"), boost=1.0 + i % 3)
             for i, text in enumerate(lexicon[::max(1, len(lexicon) // 150)])]
    terms += [wq.Term(f.body_field("fr"), "mission"), wq.Term(f.COUNTRY, "JP", boost=2.0)]
    query = wq.Or(terms)
    mask, scores = VectorScorer(engine._searcher, engine._cache.size).evaluate(query)
    expected = {hit.docnum: hit.score for hit in engine._searcher.search(query, limit=None)}
    assert len(terms) > 100 and len(expected) > 100
    assert set(np.flatnonzero(mask).tolist()) == set(expected)
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-4)


def test_and_requires_every_part(engine):
    clauses = [engine._builder.clause(c) for c in parse_query("Nagakute Waterloo").must]
    mask, _ = VectorScorer(engine._searcher, engine._cache.size).evaluate(wq.And(clauses))
    expected = {hit.docnum for hit in engine._searcher.search(wq.And(clauses), limit=None)}
    assert set(np.flatnonzero(mask).tolist()) == expected and expected


def test_block_reads_equal_whoosh_across_segments_and_deletions(tmp_path):
    """Postings read straight from the postings file give Whoosh's documents and scores in
    fields of every postings format (positions, frequencies, existence), also when an update
    left several segments and deleted documents behind."""
    import shutil

    from whoosh.formats import Existence, Frequency, Positions

    from kbsearch.index import schema as f
    from kbsearch.index.store import build_index, open_index
    from kbsearch.search.postings import PostingsReader, walk

    kb = tmp_path / "kb"
    shutil.copytree(REPO / "corpus", kb)
    index_dir = tmp_path / "index"
    build_index([kb], index_dir)
    changed = sorted(kb.rglob("*.md"))[:3]
    for path in changed[:2]:
        path.write_text(path.read_text(encoding="utf-8") + "\nMise à jour : export.\n",
                        encoding="utf-8")
    changed[2].unlink()
    build_index([kb], index_dir)

    with open_index(index_dir).searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1 and searcher.reader().has_deletions()
        reader = PostingsReader(searcher)
        fields = [name for name in (f.body_field("fr"), f.title_field("fr"), f.body_field("en"),
                                    f.COMPOUND, f.SPELL, f.COUNTRY)
                  if list(searcher.lexicon(name))]
        assert {type(searcher.schema[name].format) for name in fields} == \
            {Positions, Frequency, Existence}
        terms = [(field, text) for field in fields
                 for text in list(searcher.lexicon(field))[::20]]
        # and each field's commonest term, whose postings span several blocks
        terms += [(field, max(searcher.lexicon(field),
                              key=lambda text, field=field: searcher.doc_frequency(field, text)))
                  for field in fields]
        assert len(terms) > 300
        longest = 0
        for field, text in terms:
            text = text.decode("utf-8")
            ids, scores = reader.read(field, text)
            expected_ids, expected_scores = walk(searcher, wq.Term(field, text))
            assert ids.tolist() == expected_ids.tolist(), (field, text)
            assert scores == pytest.approx(expected_scores, rel=1e-5), (field, text)
            longest = max(longest, len(ids))
        assert longest > 2 * 128  # Whoosh's blocks hold 128 postings


def test_documents_like_one_are_whooshs_more_like_hits(engine):
    """"Documents like this one": Whoosh's `more_like` key terms, weights and hits, for
    documents of every language of the corpus."""
    from kbsearch.index import schema as f
    from kbsearch.search.similar import key_terms

    by_language: dict[str, list[int]] = {}
    for docnum in range(engine._cache.size):
        by_language.setdefault(engine._documents[docnum].metadata["language"], []).append(docnum)
    assert {"fr", "nl", "de", "en", "ja"} <= set(by_language)
    for docnum in [d for found in by_language.values() for d in found[:6]]:
        stored = engine._documents[docnum]
        body = f.body_field(f.text_suffix(stored.metadata["language"]))
        expected_terms = engine._searcher.key_terms_from_text(body, stored.text, numterms=12,
                                                              normalize=False)
        terms = key_terms(engine._searcher.reader(), engine._lexicon, body, stored.text, 12)
        assert [w for w, _ in terms] == [w for w, _ in expected_terms]
        assert [s for _, s in terms] == pytest.approx([s for _, s in expected_terms])
        expected = [hit.docnum for hit in engine._searcher.more_like(
            docnum, body, text=stored.text, top=5, numterms=12)]
        assert engine._sharing_key_terms(docnum, engine._cache.alive, 5) == expected
