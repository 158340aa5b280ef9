"""The benchmark: generate corpora, index them, measure, and write the table into README.md.

    python -m bench                       # 10,000 and 100,000 documents (long)
    python -m bench --sizes 10000         # one size (other sizes measured before in the same
                                          # --work folder stay in the table)
    python -m bench --quick               # 1,000 documents, short runs: a smoke test

Corpora and indexes are kept under --work (default .bench/) and reused when present.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench import http_load, latency
from bench.generate import generate
from bench.harness import REPO, index_command, replace_block
from bench.workload import workload
from kbsearch.search.engine import SearchEngine

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def run_indexer(corpus: Path, index_dir: Path, rebuild: bool) -> dict:
    """One `kbsearch index` run in a child process: wall time, peak RSS and its report."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(index_command(corpus, index_dir, rebuild) + ["--json"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_rss_mb": max(peak, before) / 1024,
            "report": json.loads(done.stdout)}


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def measure(size: int, work_dir: Path, queries: int, http_seconds: int) -> dict:
    corpus = work_dir / f"corpus-{size}"
    if not corpus.exists():
        generate(corpus, size)
    index_dir = work_dir / f"index-{size}"
    build = run_indexer(corpus, index_dir, rebuild=True)
    noop = run_indexer(corpus, index_dir, rebuild=False)
    generation = index_dir / (index_dir / "CURRENT").read_text().strip()
    work = workload(queries)
    started = time.perf_counter()
    engine = SearchEngine(index_dir)
    engine.warm()  # as a server worker does before its first request
    results = {
        "size": size, "documents": engine.document_count,
        "open_seconds": time.perf_counter() - started,
        "index_seconds": build["seconds"], "docs_per_second": size / build["seconds"],
        "indexer_peak_rss_mb": build["peak_rss_mb"], "noop_seconds": noop["seconds"],
        "index_mb": disk_mb(generation), "latency": latency.kbsearch_latencies(engine, work),
        "stock_groupedby": latency.stock_groupedby(engine, work),
    }
    fts = latency.build_fts(work_dir / f"fts-{size}.sqlite", engine)
    results["sqlite_fts5"] = latency.fts_latency(fts, work)
    engine.close()
    try:
        with http_load.running_server(index_dir) as (base, server):
            paths = http_load.search_paths(work)
            results["http"] = {clients: http_load.wrk(base, paths, clients, http_seconds)
                               for clients in (1, 4, 16)}
            results["worker_peak_rss_mb"] = http_load.worker_peak_rss_mb(server)
    except RuntimeError as exc:
        results["http"] = {"skipped": str(exc)}
    return results


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.machine())
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, Python "
            f"{platform.python_version()}, {dt.date.today().isoformat()}")


def _page_p95(r: dict) -> float:
    return max(r["latency"][f"search page, {n}"]["p95"]
               for n in ("0 selections", "1 selection", "2 selections"))


def _http16_p95(r: dict) -> float | None:
    http = r["http"].get(16) or r["http"].get("16")
    return http["p95"] if http else None


# What the performance issue asks for: (label, value of a run, 10k target, 100k target, at
# least rather than at most).
TARGETS = [
    ("search page, 0–2 selections, p95 ms", _page_p95, 20, 150, False),
    ("plain top-10, p95 ms", lambda r: r["latency"]["plain top-10"]["p95"], 10, 90, False),
    ("country + dates, newest first, p95 ms",
     lambda r: r["latency"]["country + dates, newest first"]["p95"], 15, 120, False),
    ("10 highlighted snippets, p95 ms",
     lambda r: r["latency"]["10 highlighted snippets"]["p95"], 20, 100, False),
    ("`/api/search` + facets at 16 clients, p95 ms", _http16_p95, 60, 300, False),
    ("ingest + extract + index, docs/s", lambda r: r["docs_per_second"], 300, 300, True),
    ("no-op re-index, s", lambda r: r["noop_seconds"], 2, 15, False),
    ("serving worker peak RSS, MB", lambda r: r.get("worker_peak_rss_mb"), 150, 400, False),
]


def targets_table(runs: list[dict]) -> str:
    """Each target of the performance issue against the sizes it names that were measured."""
    measured = [r for r in runs if r["size"] in (10_000, 100_000)]
    if not measured:
        return ""
    lines = ["| target | " + " | ".join(f"{r['size']:,} docs" for r in measured) + " |",
             "|---|" + "---|" * len(measured)]
    for label, value, small, large, at_least in TARGETS:
        cells = []
        for r in measured:
            goal = small if r["size"] == 10_000 else large
            got = value(r)
            if got is None:
                cells.append(f"not measured (target {'≥' if at_least else '≤'} {goal})")
                continue
            met = got >= goal if at_least else got <= goal
            shown = f"{got:.1f}" if got < 10 else f"{got:.0f}"
            cells.append(f"{shown} {'met' if met else 'NOT met'} "
                         f"({'≥' if at_least else '≤'} {goal})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(runs: list[dict]) -> str:
    sizes = [r["size"] for r in runs]
    head = "| measure | " + " | ".join(f"{s:,} docs" for s in sizes) + " |"
    lines = [head, "|---|" + "---|" * len(runs)]

    def row(label: str, cell) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in runs) + " |")

    def ms(value: dict) -> str:
        return f"{value['median']:.1f} / {value['p95']:.1f}"

    row("index: full rebuild, docs/s (wall)", lambda r: f"{r['docs_per_second']:.0f} "
        f"({r['index_seconds']:.0f} s)")
    row("index: no-op re-index, s", lambda r: f"{r['noop_seconds']:.1f}")
    row("indexer peak RSS, MB", lambda r: f"{r['indexer_peak_rss_mb']:.0f}")
    row("index on disk, MB", lambda r: f"{r['index_mb']:.0f}")
    row("searcher open + read-ahead of common postings, s",
        lambda r: f"{r['open_seconds']:.1f}" if "open_seconds" in r else "not measured")
    for name in runs[0]["latency"]:
        row(f"{name}, median / p95 ms", lambda r, n=name: ms(r["latency"][n]))
    row("baseline: Whoosh stock `groupedby`, median / p95 ms (× search page, 0 sel.)",
        lambda r: f"{ms(r['stock_groupedby'])} "
                  f"(×{r['stock_groupedby']['p95'] / r['latency']['search page, 0 selections']['p95']:.1f})")
    row("baseline: SQLite FTS5 + GROUP BY, median / p95 ms (× search page, 0 sel.)",
        lambda r: f"{ms(r['sqlite_fts5'])} "
                  f"(×{r['sqlite_fts5']['p95'] / r['latency']['search page, 0 selections']['p95']:.1f})")
    for clients in (1, 4, 16):
        row(f"`/api/search` + facets, {clients} clients: req/s, p50 / p95 / p99 ms, errors",
            lambda r, c=clients: "skipped" if "skipped" in r["http"] else
            (lambda h: f"{h['throughput']:.0f}, {h['p50']:.0f} / {h['p95']:.0f} / "
                       f"{h['p99']:.0f}, {h['errors']}")(
                r["http"].get(c) or r["http"][str(c)]))  # JSON turns the keys into text
    row("serving worker peak RSS, MB", lambda r: f"{r.get('worker_peak_rss_mb', 0):.0f}")
    return "\n".join(lines)


def write_readme(readme: Path, runs: list[dict], command: str) -> None:
    block = (f"Measured by `{command}` on {machine()}. Ratios compare p95 latencies "
             f"with kbsearch's search-page query (all facets, no selection) on the same words."
             f"\n\n{table(runs)}\n\nAgainst the targets:\n\n{targets_table(runs)}")
    replace_block(readme, START, END, block, "## Performance")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--http-seconds", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="1,000 documents, short runs")
    parser.add_argument("--work", type=Path, default=REPO / ".bench")
    parser.add_argument("--readme", type=Path, default=REPO / "bench" / "README.md")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.queries, args.http_seconds = [1000], 40, 2
    args.work.mkdir(parents=True, exist_ok=True)
    saved = args.work / "results.json"
    earlier = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else []
    runs = [measure(size, args.work, args.queries, args.http_seconds) for size in args.sizes]
    # Sizes measured by an earlier run in the same work folder stay in the table.
    runs = sorted([r for r in earlier if r["size"] not in args.sizes] + runs,
                  key=lambda r: r["size"])
    saved.write_text(json.dumps(runs, indent=1), encoding="utf-8")
    write_readme(args.readme, runs, "python -m bench " + " ".join(sys.argv[1:]))
    print(table(runs))
    print(targets_table(runs))


if __name__ == "__main__":
    main()
