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


def _postings_and_terms(folder: Path) -> dict[str, bytes]:
    # Columns differ between two runs of Whoosh's own writer; terms and postings do not.
    return {p.suffix: p.read_bytes() for p in folder.iterdir() if p.suffix in (".trm", ".pst")}


def test_the_bundled_corpus_gets_byte_identical_terms_and_postings_even_when_runs_spill(
        tmp_path):
    documents = [document_fields(o.document, str(n), "root", o.source)
                 for n, o in enumerate(process([REPO / "corpus"])) if o.document]
    assert len(documents) > 300
    whoosh = _build(tmp_path / "whoosh", documents, lambda ix: ix.writer(compound=False))
    filed = _build(tmp_path / "filed", documents,
                   lambda ix: TermFilingSegmentWriter(ix, compound=False))
    # 1 MB holds about 11,000 postings: the corpus spills a dozen runs to disk.
    spilled = _build(tmp_path / "spilled", documents,
                     lambda ix: TermFilingSegmentWriter(ix, compound=False, limitmb=1))
    expected = _postings_and_terms(whoosh)
    assert set(expected) == {".trm", ".pst"}
    assert _postings_and_terms(filed) == expected
    assert _postings_and_terms(spilled) == expected
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
    postings = [(rng.choice(["body", "spell"]), rng.choice([b"a", b"b", b"ca", b"d"]), doc,
                 float(doc % 3), bytes([doc % 7])) for doc in range(3000)]
    late = postings[2000:]
    rng.shuffle(late)  # most in document order, the rest not
    postings[2000:] = late
    with tempfile.TemporaryDirectory() as folder:
        pool = TermPostingPool(FileStorage(folder))
        pool.limit = 500  # postings per run: six runs to merge
        for posting in postings:
            pool.add(posting)
        assert len(pool.runs) == 6
        assert list(pool.iter_postings()) == sorted(postings)
        pool.cleanup()
        assert not list(Path(folder).iterdir())
