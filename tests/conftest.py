"""Shared fixtures: where the test files live, and a helper to write a file to read back.

Property tests draw the same examples on every run, so the suite passes or fails the same
way on every machine; `pytest --hypothesis-profile=explore` draws new ones on each run, to
look for bugs (a failure found so is then kept as a plain test).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("deterministic")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture
def write(tmp_path):
    """write(name, content) → path of a new file holding `content` (str or bytes)."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """The bundled corpus indexed once per test session, as `kbsearch index corpus` does."""
    from kbsearch.index.store import build_index
    index_dir = tmp_path_factory.mktemp("index")
    report = build_index([REPO / "corpus"], index_dir)
    assert report.errors == []
    return index_dir


@pytest.fixture(scope="session")
def engine(corpus_index):
    from kbsearch.search.engine import SearchEngine
    engine = SearchEngine(corpus_index)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def corpus_documents(engine):
    """Every indexed document as `document(id)` returns it, for brute-force checks."""
    from kbsearch.model import SearchRequest
    result = engine.search(SearchRequest(page_size=100, page=1))
    ids = []
    for page in range(1, result.total // 100 + 2):
        ids += [h.id for h in engine.search(SearchRequest(page_size=100, page=page)).hits]
    return {doc_id: engine.document(doc_id) for doc_id in ids}


@pytest.fixture(scope="session")
def app(corpus_index):
    from kbsearch.web.app import create_app
    from kbsearch.web.state import close_engine
    # Without the API rate limit: the suite sends far more than a visitor would.
    app = create_app({"INDEX_DIR": str(corpus_index), "TESTING": True, "TODAY": "2025-01-01",
                      "API_RATE_LIMIT": 0})
    yield app
    close_engine(app)


@pytest.fixture
def client(app):
    return app.test_client()
