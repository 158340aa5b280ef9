"""Write src/kbsearch/vocab/data/regions.toml's continent memberships from the World Factbook's
region folders. Usage: python scripts/regions_from_factbook.py ../shared/data/factbook

Prints TOML tables to paste (or redirect) into regions.toml; names come from CLDR at run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kbsearch.ingest import factbook

# CLDR region code → the Factbook folders it spans.
REGIONS = {
    "002": ["africa"],
    "150": ["europe"],
    "142": ["south-asia", "east-n-southeast-asia", "central-asia", "middle-east"],
    "145": ["middle-east"],
    "034": ["south-asia"],
    "143": ["central-asia"],
    "019": ["north-america", "central-america-n-caribbean", "south-america"],
    "005": ["south-america"],
    "009": ["australia-oceania"],
}


def members(root: Path, folders: list[str]) -> list[str]:
    codes = set()
    for folder in folders:
        for path in (root / folder).glob("*.json"):
            payload = json.loads(path.read_text(encoding="utf-8"))
            code = factbook.country_code(payload) if factbook.is_factbook(payload) else None
            if code:
                codes.add(code)
    return sorted(codes)


def main(root: str) -> None:
    for region, folders in REGIONS.items():
        print(f'["{region}"]')
        print(f"countries = {json.dumps(members(Path(root), folders))}\n")


if __name__ == "__main__":
    main(sys.argv[1])
