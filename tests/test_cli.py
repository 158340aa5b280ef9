"""`kbsearch inspect` as a user runs it: JSON per file, errors by name, the batch goes on."""

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from kbsearch.cli import main
from tests.conftest import FIXTURES

FIELDS = {"source", "title", "language", "language_confidence", "date", "type", "countries",
          "sectors", "summary", "text", "error"}


def test_inspect_json_reports_every_file_and_keeps_going_past_bad_ones(write):
    good = write("kb/mission.md", "---\ntitle: Mission au Maroc\ndate: 2019-03-12\n---\n"
                                  "Vingt entreprises wallonnes à Casablanca pour l'agroalimentaire.")
    bad = write("kb/broken.json", "{not json")
    result = CliRunner().invoke(main, ["inspect", "--json", str(good.parent),
                                       str(FIXTURES / "pages" / "cms-article.html")])
    assert result.exit_code == 1  # some file failed…
    items = json.loads(result.stdout)
    assert len(items) == 3  # …and every file is reported
    by_source = {item["source"]: item for item in items}
    assert all(FIELDS <= set(item) for item in items)
    assert by_source[str(bad)]["error"].startswith("invalid JSON")
    mission = by_source[str(good)]
    assert mission["error"] is None
    assert (mission["date"], mission["countries"][0], mission["language"]) == \
        ("2019-03-12", "MA", "fr")
    page = by_source[str(FIXTURES / "pages" / "cms-article.html")]
    assert page["title"] == "Mission économique au Maroc" and "cookies" not in page["text"]


def test_inspect_summary_counts_by_language_type_country_and_sector():
    result = CliRunner().invoke(main, ["inspect", "--summary", str(FIXTURES / "pages")])
    assert result.exit_code == 0
    for heading in ("Language", "Type", "Country", "Sector"):
        assert heading in result.stdout
    assert "MA Morocco" in result.stdout


def test_inspect_without_files_is_a_usage_error():
    result = CliRunner().invoke(main, ["inspect"])
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_serve_logs_each_request_with_its_status_size_and_time(corpus_index):
    from bench.http_load import free_port
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kbsearch.cli", "serve", "--index",
                               str(corpus_index), "--port", str(port), "--workers", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=japon") as r:
                    size = len(r.read())
                break
            except OSError:
                time.sleep(0.1)
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/documents/nothing")
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0].splitlines()
    assert f'127.0.0.1 "GET /api/search?q=japon HTTP/1.1" 200 {size} ' in "\n".join(log)
    assert re.search(r'^127\.0\.0\.1 "GET /api/documents/nothing HTTP/1\.1" 404 \d+ \d+ms$',
                     "\n".join(log), re.MULTILINE)
