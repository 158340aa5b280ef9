"""The benchmark harness runs end to end in its quick mode (timings are never asserted)."""

import json
import subprocess
import sys

from tests.conftest import REPO


def test_the_quick_benchmark_measures_everything_and_writes_its_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Measurements\n\nprose that must survive\n")
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--work",
                           str(tmp_path / "work"), "--readme", str(readme)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    text = readme.read_text()
    assert "prose that must survive" in text
    for row in ("docs/s", "no-op re-index", "indexer peak RSS", "index on disk",
                "plain top-10", "search page, 2 selections", "country + dates",
                "highlighted snippets", "suggest", "stock `groupedby`", "SQLite FTS5",
                "16 clients", "serving worker peak RSS"):
        assert row in text, row
    results = json.loads((tmp_path / "work" / "results.json").read_text())
    assert results[0]["documents"] == 1000
