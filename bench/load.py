"""Load test: a mixed workload against the real server for minutes, with a full re-index of the
same index in the middle; zero errors expected.

    python -m bench.load [--size 10000] [--seconds 300] [--clients 16]

The workload cycles through search API calls with 0–2 facet selections, search pages, document
pages, country pages and completions. wrk runs in equal slices so the figures while the
re-index runs (and after the server switched to the new generation) show apart. The table goes
into bench/README.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import http_load
from bench.generate import generate
from bench.harness import REPO, index_command, replace_block
from bench.workload import Workload, workload
from kbsearch.model import SearchRequest
from kbsearch.search.engine import SearchEngine

START, END = "<!-- load:start -->", "<!-- load:end -->"


def mixed_paths(index_dir: Path, work: Workload) -> list[str]:
    """Every kind of request the site serves, interleaved."""
    with SearchEngine(index_dir) as engine:
        everything = engine.search(SearchRequest(page_size=100))
        doc_ids = [h.id for h in everything.hits]
        codes = [v.value for v in everything.facets["country"]][:40]
    searches = http_load.search_paths(work)
    kinds = [
        searches,
        [f"/search?{urlencode({'q': q})}" for q in work.queries],
        [f"/documents/{doc_id}" for doc_id in doc_ids],
        [f"/countries/{code}" for code in codes],
        [f"/api/suggest?{urlencode({'q': p})}" for p in work.prefixes],
    ]
    return [kinds[i % len(kinds)][(i // len(kinds)) % len(kinds[i % len(kinds)])]
            for i in range(5 * max(len(k) for k in kinds))]


def run(size: int, seconds: int, clients: int, slices: int, work_dir: Path) -> list[dict]:
    corpus, index_dir = work_dir / f"corpus-{size}", work_dir / f"index-{size}"
    if not corpus.exists():
        generate(corpus, size)
    # Up to date first (a no-op when it is; rebuilt when another version wrote it).
    subprocess.run(index_command(corpus, index_dir), check=True, capture_output=True)
    paths = mixed_paths(index_dir, workload(200))
    rows, reindex = [], None
    before = (index_dir / "CURRENT").read_text()
    with http_load.running_server(index_dir) as (base, _):
        for number in range(slices):
            if number == slices // 3:
                reindex = subprocess.Popen(index_command(corpus, index_dir, rebuild=True),
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            running = reindex is not None and reindex.poll() is None
            result = http_load.wrk(base, paths, clients, seconds // slices)
            result["slice"] = number + 1
            result["reindexing"] = running or (reindex is not None and reindex.poll() is None)
            result["generation"] = "new" if (index_dir / "CURRENT").read_text() != before \
                else "old"
            rows.append(result)
            print(table_row(result), flush=True)
    if reindex is not None and reindex.wait() != 0:
        raise RuntimeError("the re-index in the middle of the load test failed")
    return rows


def table_row(r: dict) -> str:
    state = "re-indexing" if r["reindexing"] else f"{r['generation']} index"
    return (f"| {r['slice']} | {state} | {r['throughput']:.0f} | {r['p50']:.0f} / "
            f"{r['p95']:.0f} / {r['p99']:.0f} | {r['requests']} | {r['errors']} |")


def report(rows: list[dict], command: str, clients: int) -> str:
    requests = sum(r["requests"] for r in rows)
    seconds = sum(r["seconds"] for r in rows)
    lines = [f"Measured by `{command}`: {clients} clients, {seconds:.0f} s in {len(rows)} "
             f"slices, a full re-index (`--rebuild`) started at slice {len(rows) // 3 + 1}.",
             "", "| slice | server state | req/s | p50 / p95 / p99 ms | requests | errors |",
             "|---|---|---|---|---|---|", *map(table_row, rows), "",
             f"Total: {requests} requests, {requests / seconds:.0f} req/s, "
             f"{sum(r['errors'] for r in rows)} errors; worst slice p95 "
             f"{max(r['p95'] for r in rows):.0f} ms, p99 {max(r['p99'] for r in rows):.0f} ms."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--slices", type=int, default=10)
    parser.add_argument("--work", type=Path, default=REPO / ".bench")
    parser.add_argument("--readme", type=Path, default=REPO / "bench" / "README.md")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    rows = run(args.size, args.seconds, args.clients, args.slices, args.work)
    text = report(rows, "python -m bench.load " + " ".join(sys.argv[1:]), args.clients)
    replace_block(args.readme, START, END, text, "## Load test with a re-index")
    print(text)
    print(f"({time.monotonic() - started:.0f} s in all)")
    if any(r["errors"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
