"""SearchResult → the JSON shape `kbsearch search --json` and `/api/search` share."""

from __future__ import annotations

from kbsearch.model import FacetValue, Hit, SearchResult


def hit_to_json(hit: Hit) -> dict:
    return {"id": hit.id, "source": hit.source, "title": hit.title,
            "date": hit.date.isoformat() if hit.date else None, "type": hit.type,
            "language": hit.language, "countries": list(hit.countries),
            "sectors": list(hit.sectors), "score": hit.score, "snippet": hit.snippet,
            "summary": hit.summary,
            "event_start": hit.event_start.isoformat() if hit.event_start else None,
            "event_end": hit.event_end.isoformat() if hit.event_end else None,
            "reference": hit.reference}


def facet_value_to_json(value: FacetValue, toggle_url: str | None = None) -> dict:
    """`toggle_url`: the URL that switches the value on or off (the API gives one each)."""
    found = {"value": value.value, "label": value.label, "count": value.count,
             "selected": value.selected}
    if toggle_url is not None:
        found["toggle_url"] = toggle_url
    return found


def result_to_json(result: SearchResult, facets: dict | None = None) -> dict:
    """`facets`: the facets as JSON already (the API's carry toggle URLs)."""
    request = result.request
    return {
        "total": result.total,
        "page": request.page,
        "size": request.page_size,
        "hits": [hit_to_json(h) for h in result.hits],
        "facets": facets if facets is not None else {
            name: [facet_value_to_json(v) for v in values]
            for name, values in result.facets.items()},
        "suggestion": result.suggestion,
        "matched_all": result.matched_all,
    }
