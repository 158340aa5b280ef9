"""Untrusted search parameters → a valid SearchRequest, or InvalidParameter naming the culprit.

The CLI and the web read the same parameters, so both build requests here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kbsearch.errors import InvalidParameter
from kbsearch.model import SORTS, SearchRequest
from kbsearch.vocab import countries, sectors, types
from kbsearch.vocab.languages import normalise_code

# What one request may ask for: enough for any person, bounded for any script.
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
MAX_RESULT_DEPTH = 10_000  # page × size: nobody reads that far, and each page costs more
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 32
MAX_FILTER_VALUES = 50  # per facet


def parse_countries(values: Iterable[str]) -> tuple[str, ...]:
    return _each("country", values, countries.parse_country, "not a country code or name")


def parse_sectors(values: Iterable[str]) -> tuple[str, ...]:
    return _each("sector", values, sectors.parse_sector,
                 f"not a sector (one of: {', '.join(sectors.slugs())})")


def parse_types(values: Iterable[str]) -> tuple[str, ...]:
    return _each("type", values, types.parse_type, f"not a type (one of: {', '.join(types.TYPES)})")


def parse_languages(values: Iterable[str]) -> tuple[str, ...]:
    return _each("lang", values, lambda v: "und" if v.strip() == "und" else normalise_code(v),
                 "not an ISO 639-1 language code")


def _each(name: str, values: Iterable[str], parse, reason: str) -> tuple[str, ...]:
    parsed = []
    for value in values:
        parts = str(value).split(",")
        if len(parsed) + len(parts) > MAX_FILTER_VALUES:
            raise InvalidParameter(name, str(value)[:40], f"more than {MAX_FILTER_VALUES} values")
        for part in parts:
            if not part.strip():
                continue
            found = parse(part)
            if not found:
                raise InvalidParameter(name, part, reason)
            parsed.append(found)
    return tuple(dict.fromkeys(parsed))


def parse_date(name: str, value: str | None) -> dt.date | None:
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        if len(text) == 4 and text.isdigit():  # a year alone: its first or last day
            return dt.date(int(text), 1, 1) if name == "from" else dt.date(int(text), 12, 31)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(name, value, "not a date (YYYY-MM-DD or YYYY)") from None


def parse_int(name: str, value: object, default: int, low: int, high: int) -> int:
    if value is None or str(value).strip() == "":
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidParameter(name, value, "not a whole number") from None
    if not low <= number <= high:
        raise InvalidParameter(name, value, f"must be between {low} and {high}")
    return number


def parse_sort(value: str | None) -> str:
    if value is None or not value.strip():
        return "relevance"
    if value.strip() not in SORTS:
        raise InvalidParameter("sort", value, f"one of: {', '.join(SORTS)}")
    return value.strip()


def build_request(query: str = "", country: Iterable[str] = (), sector: Iterable[str] = (),
                  type: Iterable[str] = (), lang: Iterable[str] = (), date_from: str | None = None,
                  date_to: str | None = None, sort: str | None = None, page: object = None,
                  size: object = None, locale: str = "en") -> SearchRequest:
    """A SearchRequest from parameters as users give them; InvalidParameter on a bad one."""
    if len(query or "") > MAX_QUERY_CHARS:
        raise InvalidParameter("q", query[:40] + "…", f"longer than {MAX_QUERY_CHARS} characters")
    if len((query or "").split()) > MAX_QUERY_WORDS:
        raise InvalidParameter("q", query[:40] + "…", f"more than {MAX_QUERY_WORDS} words")
    start, end = parse_date("from", date_from), parse_date("to", date_to)
    if start and end and start > end:
        raise InvalidParameter("from", date_from, "is after 'to'")
    page_number = parse_int("page", page, 1, 1, MAX_PAGE)
    page_size = parse_int("size", size, 10, 1, MAX_PAGE_SIZE)
    if page_number * page_size > MAX_RESULT_DEPTH:
        raise InvalidParameter("page", page, f"page × size may not exceed {MAX_RESULT_DEPTH}")
    return SearchRequest(
        query=(query or "").strip(), countries=parse_countries(country),
        sectors=parse_sectors(sector), types=parse_types(type), languages=parse_languages(lang),
        date_from=start, date_to=end, sort=parse_sort(sort), page=page_number,
        page_size=page_size, locale=locale or "en")
