"""World regions a search may name (`Afrique`, `Asie`, `pays du Golfe`, `Zuidoost-Azië`), each
standing for its member countries. Names come from CLDR for its own regions and from
`data/regions.toml` for groupings CLDR lacks."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from babel import Locale

from kbsearch.vocab.countries import NAME_LOCALES
from kbsearch.vocab.text import PhraseMatcher


@functools.cache
def _table() -> dict[str, dict]:
    raw = resources.files("kbsearch.vocab").joinpath("data/regions.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


def members(region: str) -> tuple[str, ...]:
    return tuple(_table().get(region, {}).get("countries", ()))


def names(region: str) -> list[str]:
    """Every name of the region: CLDR's in each served locale, plus those listed."""
    found = list(_table()[region].get("names", []))
    if region.isdigit():
        for locale in NAME_LOCALES:
            name = Locale(locale).territories.get(region)
            if name:
                found.append(name)
    return found


@functools.cache
def matcher() -> PhraseMatcher:
    """A matcher whose `Match.concept` is the region's key."""
    return PhraseMatcher((name, region) for region in _table() for name in names(region))
