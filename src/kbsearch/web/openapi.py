"""The OpenAPI 3.1 description of the JSON API; the tests validate real responses against it."""

from __future__ import annotations

from kbsearch import __version__
from kbsearch.model import DOCUMENT_TYPES, SORTS
from kbsearch.search.request import (MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, MAX_QUERY_WORDS,
                                     MAX_RESULT_DEPTH)

DATE = {"type": ["string", "null"], "format": "date"}
STRINGS = {"type": "array", "items": {"type": "string"}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str] | None = None, open_: bool = False) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": open_}


_HIT = {
    "id": {"type": "string"}, "source": {"type": "string"}, "title": {"type": "string"},
    "date": DATE, "type": {"enum": list(DOCUMENT_TYPES)}, "language": {"type": "string"},
    "countries": STRINGS, "sectors": STRINGS, "score": {"type": "number"},
    "snippet": {"type": "string", "description": "HTML: escaped text with <mark> around matches"},
    "summary": {"type": "string"}, "event_start": DATE, "event_end": DATE,
    "reference": {"type": "boolean", "description": "a World Factbook reference sheet"},
}
_KEY_FIGURES = {"type": "array", "items": _object({"label": {"type": "string"},
                                                   "value": {"type": "string"}})}
_FACET_VALUE = {"value": {"type": "string"}, "label": {"type": "string"},
                "count": {"type": "integer", "minimum": 0}, "selected": {"type": "boolean"}}


def _year_groups(item: str) -> dict:
    return {"type": "array", "items": _object({"year": {"type": ["integer", "null"]},
                                               "items": {"type": "array", "items": _ref(item)}})}


SCHEMAS = {
    "Error": _object({"error": {"type": "string"}, "status": {"type": "integer"},
                      "parameter": {"type": "string"}}, required=["error", "status"]),
    "Hit": _object(_HIT),
    "FacetValue": _object({**_FACET_VALUE, "toggle_url": {"type": "string"}}),
    "FacetCount": _object(_FACET_VALUE),
    "SearchResponse": _object({
        "total": {"type": "integer"}, "page": {"type": "integer"}, "size": {"type": "integer"},
        "matched_all": {"type": "integer",
                        "description": "how many of total have every word of the query"},
        "hits": {"type": "array", "items": _ref("Hit")},
        "facets": _object({name: {"type": "array", "items": _ref("FacetValue")}
                           for name in ("country", "sector", "type", "language", "year",
                                        "month")},
                          required=["country", "sector", "type", "language", "year"]),
        "suggestion": {"type": ["string", "null"]},
    }),
    "Document": _object({
        "id": {"type": "string"}, "source": {"type": "string"}, "format": {"type": "string"},
        "title": {"type": "string"}, "text": {"type": "string"},
        "language": {"type": "string"}, "language_confidence": {"type": "number"},
        "declared_language": {"type": ["string", "null"]}, "date": DATE,
        "type": {"enum": list(DOCUMENT_TYPES)}, "countries": STRINGS, "sectors": STRINGS,
        "summary": {"type": "string"}, "event_start": DATE, "event_end": DATE,
        "companies": STRINGS, "key_figures": _KEY_FIGURES, "reference": {"type": "boolean"},
        "internal": {"type": "boolean", "description": "staff only (only staff ever see it true)"},
        "content_hash": {"type": "string"},
        "related": {"type": "array", "items": _ref("Hit")},
    }),
    "CountryList": _object({"countries": {"type": "array", "items": _object(
        {"code": {"type": "string"}, "name": {"type": "string"},
         "count": {"type": "integer"}, "initial": {"type": "string"}})}}),
    "Sheet": _object({**_HIT, "key_figures": _KEY_FIGURES}),
    "MissionItem": _object({**_HIT, "companies": STRINGS, "destination": STRINGS}),
    "CountryOverview": _object({
        "code": {"type": "string"}, "name": {"type": "string"},
        "documents": {"type": "integer"},
        "factsheet": {"oneOf": [_ref("Sheet"), {"type": "null"}],
                      "description": "the agency's own fact sheet, if any"},
        "reference": {"oneOf": [_ref("Sheet"), {"type": "null"}],
                      "description": "the World Factbook reference sheet"},
        "news": {"type": "array", "items": _ref("Hit")},
        "missions": {**_year_groups("Hit"), "description": "the latest ones"},
        "missions_total": {"type": "integer", "description": "all the country's missions"},
        "events": {"type": "array", "items": _ref("Hit"), "description": "upcoming"},
        "sectors": {"type": "array", "items": _ref("FacetCount")},
    }),
    "Missions": _object({
        "total": {"type": "integer"}, "page": {"type": "integer"},
        "pages": {"type": "integer"}, "years": _year_groups("MissionItem"),
        "facets": _object({"country": {"type": "array", "items": _ref("FacetCount")},
                           "sector": {"type": "array", "items": _ref("FacetCount")}}),
    }),
    "Suggestions": _object({"query": {"type": "string"}, "suggestions": {
        "type": "array", "items": _object({"kind": {"enum": ["country", "sector", "title"]},
                                           "value": {"type": "string"},
                                           "label": {"type": "string"},
                                           "matched": {"type": "string"}})}}),
}


def _param(name: str, description: str, schema: dict, where: str = "query") -> dict:
    param = {"name": name, "in": where, "description": description, "schema": schema,
             "required": where == "path"}
    if schema.get("type") == "array":
        param.update(style="form", explode=True)
    return param


UI = _param("ui", "interface language of labels (fr, nl, de, en)",
            {"enum": ["fr", "nl", "de", "en"]})
FILTERS = [
    _param("country", "ISO 3166 code or name; repeat for several (OR)", STRINGS),
    _param("sector", "sector slug or name; repeatable", STRINGS),
]
PAGE = _param("page", f"page number, from 1; page × size at most {MAX_RESULT_DEPTH}",
              {"type": "integer", "minimum": 1, "maximum": MAX_PAGE})
SEARCH_PARAMS = [
    _param("q", "words, \"phrases\", -exclusions, OR, country:JP … (at most "
           f"{MAX_QUERY_WORDS} words)", {"type": "string", "maxLength": MAX_QUERY_CHARS}),
    *FILTERS,
    _param("type", "document type; repeatable", STRINGS),
    _param("lang", "document language (ISO 639-1); repeatable", STRINGS),
    _param("from", "from this date (YYYY-MM-DD or YYYY), inclusive", {"type": "string"}),
    _param("to", "up to this date (YYYY-MM-DD or YYYY), inclusive", {"type": "string"}),
    _param("sort", "order of the hits", {"enum": list(SORTS)}),
    PAGE,
    _param("size", "hits per page", {"type": "integer", "minimum": 1,
                                     "maximum": MAX_PAGE_SIZE}),
    UI,
]


def _get(summary: str, schema: str, parameters: list, not_found: bool = False) -> dict:
    responses = {"200": {"description": "OK", "content": {
                     "application/json": {"schema": _ref(schema)}}},
                 "400": {"description": "a parameter is invalid; `parameter` names it",
                         "content": {"application/json": {"schema": _ref("Error")}}}}
    if not_found:
        responses["404"] = {"description": "unknown id or code",
                            "content": {"application/json": {"schema": _ref("Error")}}}
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def build_spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "kbsearch API", "version": __version__,
                 "description": "Multilingual search over the agency's knowledge base."},
        "paths": {
            "/api/search": _get("Faceted search", "SearchResponse", SEARCH_PARAMS),
            "/api/documents/{id}": _get("One document with related ones", "Document",
                                        [_param("id", "document id", {"type": "string"},
                                                "path")], not_found=True),
            "/api/countries": _get("Countries with documents, A to Z", "CountryList", [UI]),
            "/api/countries/{code}": _get(
                "A country's figures, news, missions, events and sectors", "CountryOverview",
                [_param("code", "ISO 3166 alpha-2 code", {"type": "string"}, "path"), UI],
                not_found=True),
            "/api/missions": _get("Missions by year, newest first, a page at a time",
                                  "Missions", [*FILTERS, PAGE, UI]),
            "/api/suggest": _get("Completions of what the user is typing", "Suggestions",
                                 [_param("q", "the prefix typed", {"type": "string"}),
                                  _param("limit", "how many", {"type": "integer",
                                                                "minimum": 1, "maximum": 20}),
                                  UI]),
        },
        "components": {"schemas": SCHEMAS},
    }
