"""The JSON API: the same data as the pages, for other tools. Described at /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from kbsearch.errors import InvalidParameter
from kbsearch.search.request import parse_int
from kbsearch.search.serialise import facet_value_to_json, hit_to_json, result_to_json
from kbsearch.web import adapter, overviews
from kbsearch.web.i18n import select_locale
from kbsearch.web.openapi import build_spec
from kbsearch.web.state import get_engine, today

bp = Blueprint("api", __name__)
MAX_SUGGESTIONS = 20


@bp.get("/search")
def search():
    search_request = adapter.parse_search(request.args, select_locale())
    result = get_engine().search(search_request)
    facets = {name: [facet_value_to_json(value, url) for value, url in values]
              for name, values in adapter.toggle_urls(result, "api.search").items()}
    return jsonify(result_to_json(result, facets))


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    engine = get_engine()
    found = engine.document(doc_id)
    if found is None:
        abort(404, description=f"no document with id {doc_id!r}")
    related = [hit_to_json(h) for h in engine.more_like_this(doc_id, limit=5)]
    return jsonify({**found, "related": related})


@bp.get("/countries")
def countries():
    return jsonify({"countries": overviews.countries_index(get_engine(), select_locale())})


@bp.get("/countries/<code>")
def country(code: str):
    overview = overviews.country_overview(get_engine(), code, select_locale(), today())
    if overview is None:
        abort(404, description=f"no country with code {code!r}")
    return jsonify(overview)


@bp.get("/missions")
def missions():
    locale = select_locale()
    wanted = adapter.parse_search(request.args, locale)
    return jsonify(overviews.missions(get_engine(), locale, wanted.countries, wanted.sectors,
                                      wanted.page))


@bp.get("/suggest")
def suggest():
    prefix = request.args.get("q", "")
    if len(prefix) > 200:
        raise InvalidParameter("q", prefix[:20] + "…", "longer than 200 characters")
    limit = parse_int("limit", request.args.get("limit"), 8, 1, MAX_SUGGESTIONS)
    found = get_engine().suggest(prefix, select_locale(), limit)
    return jsonify({"query": prefix, "suggestions": [s.to_json() for s in found]})


@bp.get("/openapi.json")
def openapi():
    return jsonify(build_spec())
