"""Copy the World Factbook's country files into corpus/reference/, keeping only what kbsearch reads.

Usage: python scripts/trim_factbook.py ../shared/data/factbook corpus/reference

The output stays in the Factbook's own JSON layout and file names (so the same reader ingests the
full and the trimmed files), with the latest year of each yearly value. Entries that are
not countries (oceans, the world, uninhabited territories without an ISO code) are left out.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from kbsearch.ingest import factbook

_YEAR = re.compile(r"((?:19|20)\d\d)\D*$")
_IDENTITY = (("Government", "Country name"), ("Communications", "Internet country code"))


def _latest_only(entry: dict) -> dict:
    """A field with only its latest yearly value (and its non-yearly sub-fields)."""
    yearly = {k: int(m.group(1)) for k in entry if (m := _YEAR.search(k))}
    if not yearly:
        return entry
    newest = max(yearly, key=yearly.get)
    return {k: v for k, v in entry.items() if k not in yearly or k == newest}


def trim(payload: dict) -> dict:
    wanted = [(section, field) for _, section, field, *_ in
              (*factbook.KEY_FIGURES, *factbook.NARRATIVE)] + list(_IDENTITY)
    out: dict[str, dict] = {}
    for section, field in wanted:
        entry = payload.get(section, {}).get(field)
        if isinstance(entry, dict):
            out.setdefault(section, {})[field] = _latest_only(entry)
    return out


def main(source: str, target: str) -> None:
    target_dir = Path(target)
    target_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in sorted(Path(source).glob("*/*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(payload, dict) or not factbook.is_factbook(payload):
            continue
        code = factbook.country_code(payload)
        if code is None:
            continue
        out = target_dir / path.name  # the Factbook's own code: Gaza and West Bank share PS
        out.write_text(json.dumps(trim(payload), ensure_ascii=False, indent=1) + "\n",
                       encoding="utf-8")
        written += 1
    print(f"{written} reference fact sheets written to {target_dir}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
