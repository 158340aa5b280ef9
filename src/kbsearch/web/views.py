"""The HTML pages: thin routes that read parameters, ask the engine, render a template."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, render_template, request

from kbsearch.web import adapter, overviews
from kbsearch.web.i18n import select_locale
from kbsearch.web.state import get_engine, today

bp = Blueprint("views", __name__)
SORTS = ("relevance", "newest", "oldest")
PAGES_AROUND = 2


@bp.get("/")
@bp.get("/search")
def search():
    search_request = adapter.parse_search(request.args, select_locale())
    result = get_engine().search(search_request)
    last_page = max(1, -(-result.total // search_request.page_size))
    pages = range(max(1, search_request.page - PAGES_AROUND),
                  min(last_page, search_request.page + PAGES_AROUND) + 1)
    endpoint = "views.search"
    return render_template(
        "search.html", result=result, request_=search_request,
        toggles=adapter.toggle_urls(result, endpoint),
        chips=adapter.chips(search_request, endpoint),
        clear_url=adapter.url(endpoint, adapter.cleared(search_request)),
        page_urls={p: adapter.page_url(search_request, p, endpoint) for p in
                   {*pages, 1, last_page, max(1, search_request.page - 1),
                    min(last_page, search_request.page + 1)}},
        pages=pages, last_page=last_page,
        suggestion_url=adapter.url(endpoint, replace(search_request, query=result.suggestion,
                                                     page=1)) if result.suggestion else None,
        sorts=SORTS, year_max=max((v.count for v in result.facets["year"]), default=1),
    )


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    engine = get_engine()
    found = engine.document(doc_id)
    if found is None:
        abort(404, description="no such document")
    return render_template("document.html", doc=found,
                           related=engine.more_like_this(doc_id, limit=5))


@bp.get("/countries")
def countries():
    return render_template("countries.html",
                           countries=overviews.countries_index(get_engine(), select_locale()))


@bp.get("/countries/<code>")
def country(code: str):
    overview = overviews.country_overview(get_engine(), code, select_locale(), today())
    if overview is None:
        abort(404, description="no such country")
    return render_template("country.html", country=overview)


@bp.get("/missions")
def missions():
    locale = select_locale()
    wanted = adapter.parse_search(request.args, locale)
    data = overviews.missions(get_engine(), locale, wanted.countries, wanted.sectors,
                              wanted.page)
    return render_template("missions.html", data=data, request_=wanted)


@bp.get("/sectors")
def sectors():
    return render_template("sectors.html",
                           sectors=overviews.sectors_index(get_engine(), select_locale()))
