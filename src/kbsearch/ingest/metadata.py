"""Explicit metadata values (front matter, JSON keys) → kbsearch's canonical values.

Authors write `type: Mission`, `countries: Japon, Maroc` or `sectors: [autosector]`; these are
read as the ISO code, slug or type they name. Values that name nothing known are dropped here
and inferred from the text instead.
"""

from __future__ import annotations

import re

from kbsearch.vocab.countries import parse_country
from kbsearch.vocab.languages import normalise_code
from kbsearch.vocab.sectors import parse_sector


def as_list(value: object) -> list[str]:
    """A YAML/JSON list, or a comma- or semicolon-separated string, as a list of strings."""
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,;]", value) if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return []


def _unique(values: list[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def parse_countries(value: object) -> tuple[str, ...]:
    return _unique([parse_country(v) for v in as_list(value)])


def parse_sectors(value: object) -> tuple[str, ...]:
    return _unique([parse_sector(v) for v in as_list(value)])


def parse_language(value: object) -> str | None:
    return normalise_code(value) if isinstance(value, str) else None


def parse_text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
