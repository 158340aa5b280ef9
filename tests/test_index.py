"""Indexing as users run it: incremental, atomic, and never losing what was searchable."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbsearch.errors import IndexLocked, IndexMissing
from kbsearch.index.store import CURRENT, _Lock, build_index, open_index
from kbsearch.model import SearchRequest
from kbsearch.search.engine import SearchEngine
from tests.conftest import REPO


def titles(index_dir, query=""):
    engine = SearchEngine(index_dir)
    try:
        return {h.title for h in engine.search(SearchRequest(query=query, page_size=100)).hits}
    finally:
        engine.close()


@pytest.fixture
def kb(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "maroc.md").write_text("---\ntitle: Mission au Maroc\n---\nVingt entreprises "
                                     "wallonnes à Casablanca pour l'agroalimentaire.\n")
    (folder / "japon.txt").write_text("Salon à Tokyo\nLe pavillon wallon au salon Foodex.\n")
    return folder


def test_a_second_run_skips_unchanged_files_updates_changed_ones_and_deletes_removed_ones(
        kb, tmp_path):
    index_dir = tmp_path / "index"
    first = build_index([kb], index_dir)
    assert (first.added, first.updated, first.deleted) == (2, 0, 0)
    again = build_index([kb], index_dir)
    assert (again.added, again.unchanged) == (0, 2)
    (kb / "japon.txt").write_text("Salon à Osaka\nLe pavillon wallon au salon d'Osaka.\n")
    (kb / "maroc.md").unlink()
    (kb / "chine.txt").write_text("Mission en Chine\nUne délégation à Shanghai.\n")
    third = build_index([kb], index_dir)
    assert (third.added, third.updated, third.deleted, third.unchanged) == (1, 1, 1, 0)
    assert titles(index_dir) == {"Salon à Osaka", "Mission en Chine"}


def test_an_edit_of_the_same_size_is_seen_and_a_touched_file_is_not_reindexed(kb, tmp_path):
    index_dir = tmp_path / "index"
    build_index([kb], index_dir)
    japan = kb / "japon.txt"
    text = japan.read_text()
    japan.write_text(text.replace("Tokyo", "Osaka"))  # same length, new content
    report = build_index([kb], index_dir)
    assert (report.updated, report.unchanged) == (1, 1)
    assert titles(index_dir) == {"Mission au Maroc", "Salon à Osaka"}
    os.utime(kb / "maroc.md")  # touched: newer, same content
    report = build_index([kb], index_dir)
    assert (report.updated, report.unchanged) == (0, 2)


def test_a_run_with_nothing_to_read_leaves_the_readers_unloaded(kb, tmp_path):
    """An unchanged folder is re-indexed in a fraction of a second: the readers, the language
    model and numpy, over half a second of imports, are loaded only for files to read."""
    index_dir = tmp_path / "index"
    build_index([kb], index_dir)
    script = ("import json, sys\n"
              "from pathlib import Path\n"
              "import kbsearch.cli\n"
              "from kbsearch.index.store import build_index\n"
              f"report = build_index([{str(kb)!r}], Path({str(index_dir)!r}))\n"
              "heavy = [m for m in ('lxml', 'numpy', 'py3langid') if m in sys.modules]\n"
              "print(json.dumps([report.unchanged, heavy]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout) == [2, []]


def test_broken_files_are_reported_while_the_rest_is_indexed_and_nothing_is_lost(kb, tmp_path):
    index_dir = tmp_path / "index"
    build_index([kb], index_dir)
    (kb / "japon.txt").write_bytes(b"\x00\x01\x02binary")
    (kb / "empty.md").write_text("")
    report = build_index([kb], index_dir)
    assert sorted(report.errors) == [("empty.md", "empty file"),
                                     ("japon.txt", "binary content, not text")]
    # the last good version of japon.txt stays searchable
    assert titles(index_dir) == {"Mission au Maroc", "Salon à Tokyo"}


def test_sources_are_paths_relative_to_the_folder_indexed(kb, tmp_path):
    index_dir = tmp_path / "index"
    (kb / "sub").mkdir()
    (kb / "sub" / "inde.txt").write_text("Mission en Inde\nÀ Mumbai.\n")
    build_index([kb], index_dir)
    assert titles(index_dir, "Mumbai") == {"Mission en Inde"}
    engine = SearchEngine(index_dir)
    try:
        assert engine.search(SearchRequest(query="Mumbai")).hits[0].source == "sub/inde.txt"
    finally:
        engine.close()


def test_rebuild_starts_from_scratch(kb, tmp_path):
    index_dir = tmp_path / "index"
    build_index([kb], index_dir)
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Autre\nUn autre document.\n")
    report = build_index([other], index_dir, rebuild=True)
    assert report.added == 1
    assert titles(index_dir) == {"Autre"}


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc)."""
    try:
        children = [int(c) for c in
                    Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return children + [d for child in children for d in descendants(child)]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left


def test_a_killed_indexing_run_leaves_the_previous_index_searchable(tmp_path):
    index_dir = tmp_path / "index"
    build_index([REPO / "corpus" / "fiches-pays"], index_dir)
    before = titles(index_dir)
    previous = (index_dir / CURRENT).read_text()

    def index_corpus(into: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "kbsearch.cli", "index", str(REPO / "corpus"), "--index",
             str(into), "--rebuild"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # Killed at seeded random moments of a whole run (timed here, elsewhere; runs vary by a
    # fifth): while starting, reading files, writing segments, committing.
    started = time.monotonic()
    assert index_corpus(tmp_path / "timed").wait() == 0
    whole_run = time.monotonic() - started
    delays = sorted(random.Random(6).uniform(0.2, 0.75 * whole_run) for _ in range(6))
    for delay in delays:
        process = index_corpus(index_dir)
        time.sleep(delay)
        assert process.poll() is None, "the run ended before it could be killed"
        workers = descendants(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert (index_dir / CURRENT).read_text() == previous
        assert titles(index_dir) == before  # complete and searchable
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], "workers outlived the indexer"
    report = build_index([REPO / "corpus" / "fiches-pays"], index_dir)
    assert report.unchanged == len(before)  # the next run is not stuck on a stale lock


def test_searching_while_indexing_works_and_the_server_switches_without_restart(kb, tmp_path):
    import datetime as dt

    from kbsearch.web.state import EngineHolder
    index_dir = tmp_path / "index"
    build_index([kb], index_dir)
    holder = EngineHolder(index_dir, dt.date(2025, 1, 1), refresh_seconds=0.05)
    try:
        first = holder.current()
        shown = first.search(SearchRequest(query="Casablanca")).hits[0]  # read and remembered
        (kb / "chine.txt").write_text("Mission en Chine\nUne délégation à Shanghai.\n")
        (kb / "maroc.md").write_text("---\ntitle: Mission au Maroc\n---\nVingt entreprises "
                                     "wallonnes à Casablanca et à Tanger.\n")
        build_index([kb], index_dir)
        assert first.search(SearchRequest(query="Shanghai")).total == 0  # still the old one
        deadline = time.monotonic() + 10
        while holder.current() is first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert holder.current().search(SearchRequest(query="Shanghai")).total == 1
        assert holder.current().generation == index_dir / (index_dir / CURRENT).read_text()
        # An edited document shows its new text, not what the old index had shown.
        edited = holder.current().search(SearchRequest(query="Casablanca")).hits[0]
        assert "Tanger" in edited.snippet and "Tanger" not in shown.snippet
        assert "Tanger" in holder.current().document(edited.id)["text"]
    finally:
        holder.close()


def test_a_second_indexer_is_turned_away_with_a_clear_message(kb, tmp_path):
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    with _Lock(index_dir):
        with pytest.raises(IndexLocked, match="being indexed by pid"):
            build_index([kb], index_dir)


def test_a_missing_or_outdated_index_says_which_command_fixes_it(kb, tmp_path):
    with pytest.raises(IndexMissing, match="kbsearch index SOURCE"):
        open_index(tmp_path / "nothing")
    index_dir = tmp_path / "index"
    build_index([kb], index_dir)
    generation = index_dir / (index_dir / CURRENT).read_text()
    manifest = json.loads((generation / "manifest.json").read_text())
    (generation / "manifest.json").write_text(json.dumps({**manifest, "schema": 0}))
    with pytest.raises(IndexMissing, match="--rebuild"):
        open_index(index_dir)
    assert build_index([kb], index_dir).added == 2  # an outdated index is rebuilt


def test_the_index_lives_where_the_settings_say(kb, tmp_path, monkeypatch):
    from click.testing import CliRunner
    from kbsearch.cli import main
    monkeypatch.setenv("KBSEARCH_INDEX", str(tmp_path / "configured"))
    result = CliRunner().invoke(main, ["index", str(kb), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["index"] == str(tmp_path / "configured")
    found = CliRunner().invoke(main, ["search", "Casablanca", "--json"])
    assert json.loads(found.stdout)["hits"][0]["title"] == "Mission au Maroc"
    shutil.rmtree(tmp_path / "configured")


def test_a_damaged_index_says_which_command_fixes_it_and_the_server_answers_503(kb, tmp_path):
    from kbsearch.web.app import create_app
    index_dir = tmp_path / "index"
    build_index([kb], index_dir)
    generation = index_dir / (index_dir / CURRENT).read_text()
    for path in generation.glob("*.toc"):
        path.write_bytes(path.read_bytes()[:20])  # a torn write
    with pytest.raises(IndexMissing, match="damaged.*kbsearch index SOURCE.* --rebuild"):
        open_index(index_dir)
    response = create_app({"INDEX_DIR": str(index_dir)}).test_client().get("/api/search")
    assert response.status_code == 503 and "--rebuild" in response.get_json()["error"]
    report = build_index([kb], index_dir, rebuild=True)
    assert report.added == 2 and titles(index_dir) == {"Mission au Maroc", "Salon à Tokyo"}



def _news(number: int, city: str) -> str:
    return f"Mission {number} à {city}\nUne délégation de {number} entreprises wallonnes à {city}.\n"


def test_a_bulk_run_on_several_processes_adds_updates_deletes_and_reports_broken_files(
        tmp_path, monkeypatch):
    monkeypatch.setenv("KBSEARCH_INDEX_WORKERS", "2")  # even on a one-core machine
    kb, index_dir = tmp_path / "kb", tmp_path / "index"
    kb.mkdir()
    for n in range(90):
        (kb / f"news-{n:02}.txt").write_text(_news(n, "Casablanca"))
    first = build_index([kb], index_dir)
    assert (first.added, first.errors) == (90, [])
    assert len(titles(index_dir, "Casablanca")) == 90
    for n in range(60):
        (kb / f"news-{n:02}.txt").write_text(_news(n, "Osaka"))
    (kb / "news-60.txt").write_bytes(b"\x00\x01\x02binary")
    (kb / "news-61.txt").write_text("")
    for n in range(80, 90):
        (kb / f"news-{n:02}.txt").unlink()
    for n in range(62, 80):  # touched, same content: the hashes the workers recorded hold
        os.utime(kb / f"news-{n:02}.txt")
    report = build_index([kb], index_dir)
    assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 60, 10, 18)
    assert report.errors == [("news-60.txt", "binary content, not text"),
                             ("news-61.txt", "empty file")]
    assert titles(index_dir, "Osaka") == {f"Mission {n} à Osaka" for n in range(60)}
    # The broken files' last good versions stay searchable; the deleted ones are gone.
    assert titles(index_dir, "Casablanca") == {f"Mission {n} à Casablanca"
                                               for n in range(60, 80)}
    assert len(titles(index_dir)) == 80


def test_a_worker_process_that_dies_fails_the_run_and_keeps_the_previous_index(tmp_path):
    index_dir = tmp_path / "index"
    build_index([REPO / "corpus" / "fiches-pays"], index_dir)
    previous, before = (index_dir / CURRENT).read_text(), titles(index_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "kbsearch.cli", "index", str(REPO / "corpus"), "--index",
         str(index_dir), "--rebuild"], env={**os.environ, "KBSEARCH_INDEX_WORKERS": "2"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = [pid for pid in descendants(process.pid)
                   if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        if workers:
            break
        time.sleep(0.05)
    os.kill(workers[0], signal.SIGKILL)  # as the kernel's out-of-memory killer would
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "failed, the previous index is unchanged" in stderr
    assert "died" in stderr
    assert (index_dir / CURRENT).read_text() == previous
    assert titles(index_dir) == before
    assert [p.name for p in index_dir.glob("gen-*")] == [previous]  # nothing left behind


def test_a_bulk_runs_workers_give_way_to_searches_while_it_indexes_everything(tmp_path):
    index_dir = tmp_path / "index"
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    process = subprocess.Popen(
        [sys.executable, "-m", "kbsearch.cli", "index", str(REPO / "corpus"), "--index",
         str(index_dir), "--json"],
        env={**os.environ, "KBSEARCH_INDEX_WORKERS": "2", "KBSEARCH_INDEX_NICE": "7"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: dict[int, int] = {}
    while process.poll() is None:
        for pid in [process.pid, *descendants(process.pid)]:
            try:
                seen[pid] = max(seen.get(pid, ours), os.getpriority(os.PRIO_PROCESS, pid))
            except OSError:  # it has just ended
                pass
        time.sleep(0.01)
    stdout, stderr = process.communicate()
    assert process.returncode == 0, stderr
    with SearchEngine(index_dir) as engine:
        assert json.loads(stdout)["added"] == engine.document_count > 300
    assert min(7 + ours, 19) in seen.values()  # the workers, once started
    assert seen[process.pid] == ours  # the run itself only hands out files and commits


def test_a_niceness_out_of_range_is_refused_by_name_and_leaves_the_index_alone(tmp_path):
    index_dir = tmp_path / "index"
    build_index([REPO / "corpus" / "fiches-pays"], index_dir)
    previous = (index_dir / CURRENT).read_text()
    done = subprocess.run(
        [sys.executable, "-m", "kbsearch.cli", "index", str(REPO / "corpus"), "--index",
         str(index_dir)], env={**os.environ, "KBSEARCH_INDEX_WORKERS": "2",
                               "KBSEARCH_INDEX_NICE": "-5"},
        capture_output=True, text=True)
    assert done.returncode != 0
    assert "KBSEARCH_INDEX_NICE='-5': a whole number from 0 to 19" in done.stderr
    assert (index_dir / CURRENT).read_text() == previous
    assert [p.name for p in index_dir.glob("gen-*")] == [previous]


def test_a_dead_worker_stops_the_run_at_once_not_after_the_others_have_done_everything(
        tmp_path):
    from whoosh import index as whoosh_index

    from kbsearch.errors import IndexingFailed
    from kbsearch.index.parallel import FileJob, ParallelIndexing
    from kbsearch.index.schema import build_schema
    kb, generation = tmp_path / "kb", tmp_path / "index" / "gen"
    kb.mkdir()
    generation.mkdir(parents=True)
    whoosh_index.create_in(str(generation), build_schema())
    jobs = []
    for n in range(3000):  # a quarter of a minute's work at least for the surviving worker
        (kb / f"news-{n:04}.txt").write_text(_news(n, "Casablanca"))
        jobs.append(FileJob(kb / f"news-{n:04}.txt", str(kb), f"news-{n:04}.txt", str(n)))
    killed = None
    with pytest.raises(IndexingFailed, match="died"):
        for _ in ParallelIndexing(generation, jobs, workers=2):
            if killed is None:  # once the first file is indexed
                workers = [pid for pid in descendants(os.getpid())
                           if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
                os.kill(workers[0], signal.SIGKILL)
                killed = time.monotonic()
    assert time.monotonic() - killed < 5  # not after the surviving worker did the rest
