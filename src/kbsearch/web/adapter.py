"""HTTP parameters ⇄ SearchRequest: reading them (InvalidParameter names a bad one), and the
URLs that toggle a facet value, remove a filter chip or change page, for pages and the API."""

from __future__ import annotations

import calendar
import functools
import datetime as dt
from dataclasses import dataclass, replace
from urllib.parse import quote_plus

from babel.dates import format_date
from flask import url_for
from werkzeug.datastructures import MultiDict

from kbsearch.model import SearchRequest, SearchResult
from kbsearch.search.request import build_request
from kbsearch.vocab.labels import facet_label

# Request attribute of each multi-valued facet, and its URL parameter.
FACET_PARAMS = {"country": ("countries", "country"), "sector": ("sectors", "sector"),
                "type": ("types", "type"), "language": ("languages", "lang")}
DEFAULT_SIZE = 10
# The order params() writes parameters in; others (`extra`) follow in the order given.
_PARAM_ORDER = {name: i for i, name in enumerate(
    ("q", *(name for _, name in FACET_PARAMS.values()), "from", "to", "sort", "page", "size"))}


def parse_search(args: MultiDict, locale: str) -> SearchRequest:
    """The search a URL asks for; InvalidParameter when a parameter is wrong."""
    return build_request(args.get("q", ""), args.getlist("country"), args.getlist("sector"),
                         args.getlist("type"), args.getlist("lang"), args.get("from"),
                         args.get("to"), args.get("sort"), args.get("page"), args.get("size"),
                         locale)


def params(request: SearchRequest) -> dict:
    """The URL parameters that reproduce `request` (defaults left out)."""
    out: dict = {}
    if request.query:
        out["q"] = request.query
    for attr, name in FACET_PARAMS.values():
        if getattr(request, attr):
            out[name] = list(getattr(request, attr))
    if request.date_from:
        out["from"] = request.date_from.isoformat()
    if request.date_to:
        out["to"] = request.date_to.isoformat()
    if request.sort != "relevance":
        out["sort"] = request.sort
    if request.page != 1:
        out["page"] = request.page
    if request.page_size != DEFAULT_SIZE:
        out["size"] = request.page_size
    return out


def url(endpoint: str, request: SearchRequest, **extra) -> str:
    return _with_query(url_for(endpoint), request, extra)


def _with_query(path: str, request: SearchRequest, extra: dict) -> str:
    """`path` with the request (and `extra`) as its query string."""
    return _with_params(path, {**params(request), **extra})


def _with_params(path: str, values: dict) -> str:
    """`path?…` as `urlencode(values, doseq=True)` writes it, from remembered pairs: a result
    page has a URL for each of about a hundred facet values, and url_for, then urlencode,
    cost a third of an API request."""
    query = "&".join(pair for name, given in values.items() for pair in _pairs(name, given))
    return f"{path}?{query}" if query else path


def _pairs(name: str, given) -> list[str]:
    """`name=value` for a value, or for each value of a list."""
    return [_pair(name, value) for value in
            (given if isinstance(given, (list, tuple)) else (given,))]


@functools.lru_cache(maxsize=4096)
def _pair(name: str, value: object) -> str:
    return f"{quote_plus(name)}={quote_plus(str(value))}"


def toggled(request: SearchRequest, facet: str, value: str) -> SearchRequest:
    """The request with `value` of `facet` switched on or off, back on page 1."""
    if facet in ("year", "month"):
        return _toggled_period(request, facet, value)
    attr, _ = FACET_PARAMS[facet]
    current = getattr(request, attr)
    values = tuple(v for v in current if v != value) if value in current else (*current, value)
    return replace(request, **{attr: values}, page=1)


def _toggled_period(request: SearchRequest, facet: str, value: str) -> SearchRequest:
    start, end = _toggled_dates(request, facet, value)
    return replace(request, date_from=start, date_to=end, page=1)


def _toggled_dates(request: SearchRequest, facet: str, value: str) -> tuple:
    """(from, to) once the year or month `value` is switched: chosen, or back to the whole
    year (a month) or to no dates (a year) when it already was."""
    year = int(value[:4])
    if facet == "year":
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        month = int(value[4:6])
        start = dt.date(year, month, 1)
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
    if (request.date_from, request.date_to) == (start, end):
        return (dt.date(year, 1, 1), dt.date(year, 12, 31)) if facet == "month" else (None, None)
    return start, end


@dataclass(frozen=True)
class Chip:
    """An active filter shown above the results, with the URL that removes it."""

    label: str
    remove_url: str


def chips(request: SearchRequest, endpoint: str, **extra) -> list[Chip]:
    found = []
    for facet, (attr, _) in FACET_PARAMS.items():
        for value in getattr(request, attr):
            found.append(Chip(facet_label(facet, value, request.locale),
                              url(endpoint, toggled(request, facet, value), **extra)))
    if request.date_from or request.date_to:
        found.append(Chip(period_label(request),
                          url(endpoint, replace(request, date_from=None, date_to=None, page=1),
                              **extra)))
    return found


def period_label(request: SearchRequest) -> str:
    """`2019`, `mars 2019`, or `12 mars 2019 – …` for the request's date range."""
    start, end = request.date_from, request.date_to
    if start and end and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) \
            and start.year == end.year:
        return str(start.year)
    if start and end and (start.year, start.month) == (end.year, end.month) and start.day == 1 \
            and end.day == calendar.monthrange(end.year, end.month)[1]:
        return facet_label("month", f"{start.year}{start.month:02d}", request.locale)
    return " – ".join(format_date(d, "medium", locale=request.locale) if d else "…"
                      for d in (start, end))


def cleared(request: SearchRequest) -> SearchRequest:
    """The same words with every filter removed."""
    return SearchRequest(query=request.query, sort=request.sort, page_size=request.page_size,
                         locale=request.locale)


def toggle_urls(result: SearchResult, endpoint: str, **extra) -> dict[str, list[tuple]]:
    """facet → [(FacetValue, URL that toggles it)]."""
    path = url_for(endpoint)
    on_first_page = {**params(replace(result.request, page=1)), **extra}
    urls = {}
    for name, values in result.facets.items():
        if name in FACET_PARAMS:  # the same parameters with one value added or removed
            toggle = _ValueToggler(path, on_first_page, FACET_PARAMS[name][1])
        else:  # periods change dates
            toggle = _PeriodToggler(path, on_first_page, result.request, name)
        urls[name] = [(value, toggle(value.value)) for value in values]
    return urls


class _Around:
    """URLs of `values` (URL parameters in params() order) with the parameters from `first`
    to `last` replaced: what comes before and after them is encoded once, not once per URL."""

    def __init__(self, path: str, values: dict, first: str, last: str):
        self.path = path
        self.head = [pair for name, given in values.items()
                     if _param_position(name) < _param_position(first)
                     for pair in _pairs(name, given)]
        self.tail = [pair for name, given in values.items()
                     if _param_position(name) > _param_position(last)
                     for pair in _pairs(name, given)]

    def url(self, middle: list[str]) -> str:
        query = "&".join([*self.head, *middle, *self.tail])
        return f"{self.path}?{query}" if query else self.path


class _ValueToggler:
    """URLs with one value of the multi-valued `param` switched.

    Nearly every value is one to add, whose URL is the same text before and after its own
    parameter: that text is joined once, and each such URL is a concatenation."""

    def __init__(self, path: str, values: dict, param: str):
        self.around = _Around(path, values, param, param)
        self.param = param
        self.current = list(values.get(param, []))
        self.current_pairs = [_pair(param, value) for value in self.current]
        before = "&".join([*self.around.head, *self.current_pairs])
        self.before = f"{path}?{before}&" if before else f"{path}?"
        self.after = "".join(f"&{pair}" for pair in self.around.tail)

    def __call__(self, value: str) -> str:
        if value in self.current:
            return self.around.url([pair for v, pair in zip(self.current, self.current_pairs)
                                    if v != value])
        return f"{self.before}{_pair(self.param, value)}{self.after}"


class _PeriodToggler:
    """URLs with a year or a month of `facet` switched (the `from` and `to` dates)."""

    def __init__(self, path: str, values: dict, request: SearchRequest, facet: str):
        self.around = _Around(path, values, "from", "to")
        self.request = request
        self.facet = facet

    def __call__(self, value: str) -> str:
        dates = zip(("from", "to"), _toggled_dates(self.request, self.facet, value))
        return self.around.url([_pair(name, day.isoformat()) for name, day in dates if day])


def _param_position(name: str) -> int:
    return _PARAM_ORDER.get(name, len(_PARAM_ORDER))


def page_url(request: SearchRequest, page: int, endpoint: str, **extra) -> str:
    return url(endpoint, replace(request, page=page), **extra)
