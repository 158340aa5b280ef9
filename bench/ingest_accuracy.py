"""Accuracy of ingestion against hand-labelled documents.

Usage: python -m bench.ingest_accuracy [LABELS_DIR] [--root DIR] [--verbose]

Each labels file is a JSON array of {source, language, date, type, countries (primary first),
sectors, body_phrases, chrome_phrases}; `source` is relative to --root (the repository). The
scores are the ones the ingestion acceptance names: language, primary country, sector F1
(micro-averaged), publication date and type accuracy, the share of body phrases kept in `text`
and the share of page-chrome phrases that leak into it.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import REPO
from kbsearch.ingest.pipeline import process_file



@dataclass
class Scores:
    documents: int = 0
    errors: list[str] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("language", "country", "date", "type"), 0))
    sector_tp: int = 0
    sector_fp: int = 0
    sector_fn: int = 0
    body_kept: int = 0
    body_total: int = 0
    chrome_leaked: int = 0
    chrome_total: int = 0
    misses: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.hits[name] / self.documents if self.documents else 0.0

    @property
    def sector_f1(self) -> float:
        precision = self.sector_tp / max(1, self.sector_tp + self.sector_fp)
        recall = self.sector_tp / max(1, self.sector_tp + self.sector_fn)
        return 2 * precision * recall / max(1e-9, precision + recall)

    @property
    def body_recall(self) -> float:
        return self.body_kept / self.body_total if self.body_total else 1.0

    @property
    def chrome_leak(self) -> float:
        return self.chrome_leaked / self.chrome_total if self.chrome_total else 0.0

    def table(self) -> dict[str, float]:
        return {"documents": self.documents, "errors": len(self.errors),
                "language": round(self.accuracy("language"), 3),
                "primary_country": round(self.accuracy("country"), 3),
                "sector_f1": round(self.sector_f1, 3), "date": round(self.accuracy("date"), 3),
                "type": round(self.accuracy("type"), 3),
                "body_phrases_kept": round(self.body_recall, 3),
                "chrome_phrases_leaked": round(self.chrome_leak, 3)}


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def load_labels(labels_dir: Path) -> list[dict]:
    labels = []
    for path in sorted(labels_dir.glob("*.json")):
        labels.extend(json.loads(path.read_text(encoding="utf-8")))
    return labels


def evaluate(labels: list[dict], root: Path = REPO) -> Scores:
    scores = Scores()
    for label in labels:
        outcome = process_file(root / label["source"], label["source"])
        doc = outcome.document
        if doc is None:
            scores.errors.append(f"{label['source']}: {outcome.error}")
            continue
        scores.documents += 1
        checks = {
            "language": doc.language == label["language"],
            "country": (doc.countries[:1] == tuple(label["countries"][:1])),
            "date": (doc.date.isoformat() if doc.date else None) == label.get("date"),
            "type": doc.type == label["type"],
        }
        for name, ok in checks.items():
            scores.hits[name] += ok
            if not ok:
                got = {"language": doc.language, "country": doc.countries, "type": doc.type,
                       "date": doc.date}[name]
                expected = label["countries"] if name == "country" else label.get(name)
                scores.misses.append(f"{label['source']}: {name} {got} ≠ {expected}")
        expected, found = set(label.get("sectors", [])), set(doc.sectors)
        scores.sector_tp += len(expected & found)
        scores.sector_fp += len(found - expected)
        scores.sector_fn += len(expected - found)
        if expected != found:
            scores.misses.append(f"{label['source']}: sectors {sorted(found)} ≠ {sorted(expected)}")
        text = _normal(doc.text)
        for phrase in label.get("body_phrases", []):
            scores.body_total += 1
            kept = _normal(phrase) in text
            scores.body_kept += kept
            if not kept:
                scores.misses.append(f"{label['source']}: body phrase lost: {phrase!r}")
        for phrase in label.get("chrome_phrases", []):
            scores.chrome_total += 1
            leaked = _normal(phrase) in text
            scores.chrome_leaked += leaked
            if leaked:
                scores.misses.append(f"{label['source']}: chrome leaked: {phrase!r}")
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(REPO / "bench" / "ingest_labels"))
    parser.add_argument("--root", default=str(REPO))
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    scores = evaluate(load_labels(Path(args.labels)), Path(args.root))
    print(json.dumps(scores.table(), indent=2))
    for line in scores.errors + (scores.misses if args.verbose else []):
        print(line)


if __name__ == "__main__":
    main()
