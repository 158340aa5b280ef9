"""Search quality on judged queries: nDCG@10 and recall@10, as the search acceptance measures.

Usage: python -m bench.search_quality [JUDGED_JSON] [--corpus DIR] [--index DIR] [--verbose]

Each judged query is {id, query, relevant: {source: grade}} with optional filters (countries,
sectors, types, languages, date_from, date_to). The corpus is indexed with `kbsearch index`
into a temporary folder unless --index names an existing index, and every query runs through
`kbsearch search --json`-equivalent code: the engine behind the command.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path

from kbsearch.index.store import build_index
from kbsearch.search.engine import SearchEngine
from kbsearch.search.request import build_request
from kbsearch.search.serialise import result_to_json

REPO = Path(__file__).resolve().parent.parent
K = 10


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    gains = [grades.get(source, 0) for source in ranked[:k]]
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 1.0


def recall(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    relevant = {s for s, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 1.0


def run(judged: list[dict], engine: SearchEngine, prefix: str = "") -> list[dict]:
    """One row per query: its scores and the sources it returned."""
    rows = []
    for item in judged:
        request = build_request(item["query"], item.get("countries", ()), item.get("sectors", ()),
                                item.get("types", ()), item.get("languages", ()),
                                item.get("date_from"), item.get("date_to"), size=K)
        ranked = [prefix + h["source"] for h in result_to_json(engine.search(request))["hits"]]
        grades = {s: g for s, g in item["relevant"].items()}
        rows.append({"id": item["id"], "query": item["query"], "ranked": ranked,
                     "grades": grades, "ndcg": ndcg(ranked, grades),
                     "recall": recall(ranked, grades)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("judged", nargs="?", default=str(REPO / "bench/queries/judged.json"))
    parser.add_argument("--corpus", default=str(REPO / "corpus"))
    parser.add_argument("--index", help="an existing index of --corpus")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    judged = json.loads(Path(args.judged).read_text(encoding="utf-8"))
    corpus = Path(args.corpus)
    prefix = f"{corpus.relative_to(REPO).as_posix()}/" if corpus.is_relative_to(REPO) else ""
    with tempfile.TemporaryDirectory() as scratch:
        index_dir = Path(args.index) if args.index else Path(scratch)
        if not args.index:
            build_index([corpus], index_dir)
        rows = run(judged, SearchEngine(index_dir), prefix)
    mean_ndcg = sum(r["ndcg"] for r in rows) / len(rows)
    mean_recall = sum(r["recall"] for r in rows) / len(rows)
    print(json.dumps({"queries": len(rows), "ndcg@10": round(mean_ndcg, 3),
                      "recall@10": round(mean_recall, 3)}))
    if args.verbose:
        for r in sorted(rows, key=lambda r: r["ndcg"]):
            print(f"{r['ndcg']:.2f} {r['recall']:.2f} {r['id']} {r['query']!r}")
            missing = [s for s in r["grades"] if s not in r["ranked"]]
            for source in missing:
                print(f"      missing ({r['grades'][source]}): {source}")
            for source in r["ranked"][:5]:
                print(f"      got ({r['grades'].get(source, 0)}): {source}")


if __name__ == "__main__":
    main()
