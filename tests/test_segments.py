"""The term-filing segment writer writes the index Whoosh's own writer writes."""

import random
import tempfile
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from kbsearch.index import schema as f
from kbsearch.index.fields import document_fields
from kbsearch.index import segments
from kbsearch.index.segments import TermFilingSegmentWriter, TermPostingPool
from kbsearch.ingest.pipeline import process
from tests.conftest import REPO


def _build(folder: Path, documents: list[dict], writer_of) -> Path:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), f.build_schema())
    writer = writer_of(ix)
    for fields in documents:
        writer.add_document(**fields)
    writer.commit()
    return folder


def _terms_and_postings(folder: Path) -> dict[tuple, tuple]:
    """Every term's statistics and postings (document, weight, value), as Whoosh reads them."""
    found = {}
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        for field, text in reader.all_terms():
            info = reader.term_info(field, text)
            matcher, postings = reader.postings(field, text), []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            found[field, text] = (info.weight(), info.doc_frequency(), info.min_length(),
                                  info.max_length(), info.max_weight(), postings)
    return found


def _postings_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.suffix == ".pst")


def test_the_bundled_corpus_gets_whooshs_terms_and_postings_even_when_runs_spill(tmp_path):
    documents = [document_fields(o.document, str(n), "root", o.source)
                 for n, o in enumerate(process([REPO / "corpus"])) if o.document]
    assert len(documents) > 300
    whoosh = _build(tmp_path / "whoosh", documents, lambda ix: ix.writer(compound=False))
    filed = _build(tmp_path / "filed", documents,
                   lambda ix: TermFilingSegmentWriter(ix, compound=False))
    # 1 MB holds about 11,000 postings: the corpus spills a dozen runs to disk.
    spilled = _build(tmp_path / "spilled", documents,
                     lambda ix: TermFilingSegmentWriter(ix, compound=False, limitmb=1))
    expected = _terms_and_postings(whoosh)
    assert len(expected) > 10_000
    assert _terms_and_postings(filed) == expected
    assert _terms_and_postings(spilled) == expected
    # Blocks pickled with protocol 4 instead of Whoosh's 2 (see segments.BLOCK_PICKLE_PROTOCOL).
    assert _postings_bytes(filed) < 0.8 * _postings_bytes(whoosh)
    with whoosh_index.open_dir(str(whoosh)).reader() as a, \
            whoosh_index.open_dir(str(spilled)).reader() as b:
        assert list(a.all_stored_fields()) == list(b.all_stored_fields())
        for field in (f.body_field("fr"), f.SPELL, f.COUNTRY):
            assert [a.doc_field_length(n, field) for n in range(a.doc_count_all())] == \
                [b.doc_field_length(n, field) for n in range(b.doc_count_all())]


def test_the_pool_gives_postings_sorted_by_field_term_and_document_in_any_arrival_order(
        monkeypatch):
    monkeypatch.setattr(segments, "POSTINGS_PER_RECORD", 40)  # runs read back in pieces
    rng = random.Random(3)
    # The spelling field's postings are filed bare (document numbers alone).
    postings = [("body", term, doc, float(doc % 3), bytes([doc % 7])) if field == "body" else
                ("spell", term, doc, 1.0, b"")
                for doc in range(3000)
                for field, term in [(rng.choice(["body", "spell"]),
                                     rng.choice([b"a", b"b", b"ca", b"d"]))]]
    late = postings[2000:]
    rng.shuffle(late)  # most in document order, the rest not
    postings[2000:] = late
    with tempfile.TemporaryDirectory() as folder:
        pool = TermPostingPool(FileStorage(folder), bare_fields=frozenset({"spell"}))
        # About 500 postings per run (bare ones count less): five runs spilled to merge.
        pool.limit = 500 * (segments.BYTES_PER_POSTING + segments.BYTES_PER_BARE_POSTING) // 2
        for posting in postings:
            pool.add(posting)
        assert len(pool.runs) == 5
        assert list(pool.iter_postings()) == sorted(postings)
        pool.cleanup()
        assert not list(Path(folder).iterdir())
