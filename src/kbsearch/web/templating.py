"""What templates may call: labels and dates in the interface language, language-switch URLs,
and our own escaped snippet HTML (the only markup that is ever marked safe)."""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date
from flask import Flask, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from kbsearch.model import Hit
from kbsearch.vocab.labels import facet_label
from kbsearch.web.i18n import LOCALE_NAMES, PARAM, UI_LOCALES


def _locale() -> str:
    return str(get_locale() or "fr")


def day(value: dt.date | str | None, style: str = "long") -> str:
    """A date as the interface language writes it (`12 mars 2024`)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return _formatted_day(value, style, _locale())


@functools.lru_cache(maxsize=16_384)
def _formatted_day(value: dt.date, style: str, locale: str) -> str:
    """Remembered: Babel reads the locale's patterns again for every date, about 80 µs, and
    a country page shows a date for each of its hundreds of documents."""
    return format_date(value, style, locale=locale)


def label(facet: str, value: str) -> str:
    return facet_label(facet, value, _locale())


def ui_url(locale: str) -> str:
    """This page in another interface language."""
    args = request.args.to_dict(flat=False)
    args[PARAM] = [locale]
    return url_for(request.endpoint or "views.search", **(request.view_args or {}), **args)


def snippet(hit: Hit | dict) -> Markup:
    """A hit's snippet: the search layer escaped the text before adding <mark>."""
    text = hit.snippet if isinstance(hit, Hit) else hit.get("snippet", "")
    return Markup(text)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(day=day)
    app.jinja_env.globals.update(label=label, ui_url=ui_url, snippet=snippet,
                                 ui_locales=UI_LOCALES, locale_names=LOCALE_NAMES,
                                 current_locale=_locale, max=max)
