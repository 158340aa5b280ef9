"""Display names of facet values in an interface locale: countries, sectors, types, languages
and months. CLDR (Babel) supplies every name it knows; the taxonomy data supplies the rest."""

from __future__ import annotations

import datetime as dt
import functools

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from kbsearch.vocab import countries, sectors, types


@functools.cache
def _locale(code: str) -> Locale:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return Locale("en")


def language_name(code: str, locale: str = "en") -> str:
    if code == "und":
        return {"fr": "indéterminée", "nl": "onbepaald", "de": "unbestimmt"}.get(
            _locale(locale).language, "undetermined")
    return _locale(locale).languages.get(code) or code


def month_name(yearmonth: int, locale: str = "en") -> str:
    """`201903` → `mars 2019` in French, `March 2019` in English."""
    day = dt.date(yearmonth // 100, yearmonth % 100, 1)
    return format_date(day, "LLLL y", locale=_locale(locale))


@functools.lru_cache(maxsize=16_384)
def facet_label(facet: str, value: str, locale: str = "en") -> str:
    """The label of one facet value in `locale` (remembered: a search labels a hundred)."""
    if facet == "country":
        return countries.name(value, _locale(locale).language)
    if facet == "sector":
        return sectors.label(value, _locale(locale).language)
    if facet == "type":
        return types.label(value, _locale(locale).language)
    if facet == "language":
        return language_name(value, locale)
    if facet == "month":
        return month_name(int(value), locale)
    return value
