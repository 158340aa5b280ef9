"""The data of the browsing pages — countries, a country, missions, sectors — as JSON-ready
dicts, built from ordinary searches. The HTML pages and the API show the same data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

from kbsearch.model import SearchRequest
from kbsearch.search.serialise import facet_value_to_json, hit_to_json
from kbsearch.vocab import countries as country_vocab
from kbsearch.vocab import sectors as sector_vocab
from kbsearch.vocab.labels import facet_label
from kbsearch.vocab.text import fold
from kbsearch.web.state import EngineView

LATEST_NEWS = 5
UPCOMING_EVENTS = 10
# A country page lists its latest missions and links to all of them; the missions page shows
# them a page at a time. (At 100,000 documents a country can have thousands: listing them all
# took seconds a page.)
COUNTRY_MISSIONS = 20
MISSIONS_PAGE = 100


def countries_index(engine: EngineView, locale: str) -> list[dict]:
    """Every country with documents, A to Z in the interface language."""
    result = engine.search(SearchRequest(page_size=1, locale=locale, with_snippets=False))
    found = [{"code": v.value, "name": v.label, "count": v.count,
              "initial": fold(v.label)[:1].upper()} for v in result.facets["country"]]
    return sorted(found, key=lambda c: fold(c["name"]))


def country_overview(engine: EngineView, code: str, locale: str,
                     today: dt.date) -> dict | None:
    """A country's figures beside its news, missions, upcoming events and sector mix; None for
    a code that is no country."""
    code = code.upper()
    if code not in country_vocab.codes():
        return None
    everything = engine.search(SearchRequest(countries=(code,), locale=locale, page_size=1,
                                             with_snippets=False))
    plain = {"locale": locale, "with_facets": False, "with_snippets": False}
    agency, reference = (hit_to_json(h) if h else None for h in engine.country_fact_sheets(code))
    news = engine.search(SearchRequest(countries=(code,), types=("news",), sort="newest",
                                       page_size=LATEST_NEWS, **plain))
    missions = engine.search(SearchRequest(countries=(code,), types=("mission",),
                                           sort="newest", page_size=COUNTRY_MISSIONS, **plain))
    events = engine.search(SearchRequest(countries=(code,), types=("event",), date_from=today,
                                         sort="oldest", page_size=UPCOMING_EVENTS, **plain))
    return {
        "code": code,
        "name": country_vocab.name(code, locale),
        "documents": everything.total,
        "factsheet": _sheet(engine, agency),
        "reference": _sheet(engine, reference),
        "news": [hit_to_json(h) for h in news.hits],
        "missions": by_year([hit_to_json(h) for h in missions.hits]),
        "missions_total": missions.total,
        "events": [hit_to_json(h) for h in events.hits],
        "sectors": [facet_value_to_json(v) for v in everything.facets["sector"]],
    }


def _sheet(engine: EngineView, hit: dict | None) -> dict | None:
    if hit is None:
        return None
    document = engine.document(hit["id"]) or {}
    return {**hit, "key_figures": document.get("key_figures", [])}


def when(hit: dict) -> str | None:
    """A mission's or event's own date, else its publication date."""
    return hit.get("event_start") or hit.get("date")


def by_year(hits: list[dict]) -> list[dict]:
    """[{year, items}] newest year first; undated items last under year null."""
    years: dict[int | None, list[dict]] = defaultdict(list)
    for hit in hits:
        day = when(hit)
        years[int(day[:4]) if day else None].append(hit)
    ordered = sorted((y for y in years if y is not None), reverse=True)
    return [{"year": y, "items": sorted(years[y], key=lambda h: when(h) or "", reverse=True)}
            for y in ordered] + ([{"year": None, "items": years[None]}] if None in years else [])


def missions(engine: EngineView, locale: str, countries: tuple[str, ...] = (),
             sectors: tuple[str, ...] = (), page: int = 1) -> dict:
    """One page of the missions, newest first, by year, with their destination, dates,
    sectors and companies; their number, and the country and sector facets to narrow them."""
    request = SearchRequest(types=("mission",), countries=countries, sectors=sectors,
                            sort="newest", locale=locale, with_snippets=False)
    found = engine.search(replace(request, page=page, page_size=MISSIONS_PAGE))
    hits = [hit_to_json(h) for h in found.hits]
    for hit in hits:
        hit["companies"] = (engine.document(hit["id"]) or {}).get("companies", [])
        hit["destination"] = [facet_label("country", c, locale) for c in hit["countries"]]
    return {"total": found.total, "page": page,
            "pages": max(1, -(-found.total // MISSIONS_PAGE)), "years": by_year(hits),
            "facets": {name: [facet_value_to_json(v) for v in found.facets[name]]
                       for name in ("country", "sector")}}


def sectors_index(engine: EngineView, locale: str) -> list[dict]:
    """Every sector with its document count, in the interface language."""
    result = engine.search(SearchRequest(page_size=1, locale=locale, with_snippets=False))
    counts = {v.value: v.count for v in result.facets["sector"]}
    return [{"slug": s, "name": sector_vocab.label(s, locale), "count": counts.get(s, 0)}
            for s in sector_vocab.slugs()]
