"""The pages and the JSON API through the WSGI app, as a browser or another tool calls them."""

import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from kbsearch.web.openapi import build_spec

SPEC = build_spec()


def validates(body, schema_name):
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": SPEC["components"]}
    errors = list(Draft202012Validator(schema).iter_errors(body))
    assert not errors, errors[0].message
    return body


def api(client, path, status=200, **params):
    response = client.get(f"/api/{path}?{urlencode(params, doseq=True)}")
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def test_the_openapi_document_is_valid_and_served(client):
    validate_spec(SPEC)
    assert client.get("/api/openapi.json").get_json() == SPEC


@pytest.mark.parametrize("params", [
    {"q": "car industry japan", "country": "JP"},
    {"q": "mission maroc 2019"},
    {"q": "", "sector": ["automotive", "agrifood"], "type": "mission", "sort": "newest"},
    {"q": "economie wallone japon", "ui": "nl"},
    {"from": "2017", "to": "2017", "size": 5, "page": 2},
])
def test_search_responses_match_the_openapi_document(client, params):
    validates(api(client, "search", **params), "SearchResponse")


def test_the_cross_lingual_query_returns_french_documents_about_japan(client):
    body = api(client, "search", q="car industry japan", country="JP")
    assert any(h["language"] == "fr" for h in body["hits"])
    assert all("JP" in h["countries"] for h in body["hits"])


def test_every_facet_count_matches_what_clicking_it_shows(client):
    body = api(client, "search", q="mission", sector="automotive")
    for name in ("country", "type", "language", "sector"):
        for value in body["facets"][name][:4]:
            followed = client.get(value["toggle_url"]).get_json()
            if value["selected"]:
                continue
            expected = value["count"]
            if name in ("country", "type", "language") and not any(
                    v["selected"] for v in body["facets"][name]):
                assert followed["total"] == expected, (name, value["value"])


def test_each_toggle_url_switches_its_own_value_and_keeps_the_rest(client):
    from urllib.parse import parse_qs, urlsplit
    asked = {"q": "mission & co économie", "country": ["JP", "MA"], "sector": "automotive",
             "sort": "newest", "page": "2", "size": "5"}
    body = client.get("/api/search", query_string=asked).get_json()
    params = {"country": "country", "sector": "sector", "type": "type", "language": "lang"}
    for name, param in params.items():
        for value in body["facets"][name]:
            url = urlsplit(value["toggle_url"])
            got = parse_qs(url.query)
            assert url.path == "/api/search"
            before = asked[param] if isinstance(asked.get(param), list) else \
                [asked[param]] if param in asked else []
            expected = [v for v in before if v != value["value"]] if value["selected"] \
                else [*before, value["value"]]
            assert got.get(param, []) == expected, (name, value["value"])
            assert "page" not in got
            for other in ("q", "sort", "size", *(p for p in params.values() if p != param)):
                kept = asked.get(other, [])
                assert got.get(other, []) == (kept if isinstance(kept, list) else [kept])


def test_other_endpoints_match_the_openapi_document(client):
    hit = api(client, "search", q="Nagakute")["hits"][0]
    validates(api(client, f"documents/{hit['id']}"), "Document")
    validates(api(client, "countries"), "CountryList")
    validates(api(client, "countries/JP"), "CountryOverview")
    validates(api(client, "missions", country="MA"), "Missions")
    validates(api(client, "suggest", q="jap"), "Suggestions")


@pytest.mark.parametrize("param, value", [
    ("page", "0"), ("page", "two"), ("size", "1000"), ("sort", "random"), ("from", "yesterday"),
    ("to", "2019-13-45"), ("country", "Atlantis"), ("type", "blog"), ("lang", "klingon"),
])
def test_a_bad_parameter_is_a_400_naming_it(client, param, value):
    body = validates(api(client, "search", status=400, **{param: value}), "Error")
    assert body["parameter"] == ("lang" if param == "lang" else param)
    page = client.get(f"/search?{param}={value}")
    assert page.status_code == 400 and param in page.get_data(as_text=True)


def test_unknown_ids_and_codes_are_404(client):
    validates(api(client, "documents/no-such-id", status=404), "Error")
    validates(api(client, "countries/XX", status=404), "Error")
    assert client.get("/documents/no-such-id").status_code == 404
    assert client.get("/countries/XX").status_code == 404


PARAMS = st.sampled_from(["q", "country", "sector", "type", "lang", "from", "to", "sort", "page",
                          "size", "ui", "limit"])
VALUES = st.one_of(st.text(max_size=30), st.sampled_from(
    ["JP", "automotive", "mission", "fr", "2019", "2019-02-30", "-1", "0", "99999", "newest",
     "<script>", "%00", "'", '"', "日本", "x" * 5000, "a " * 40, "\x00é", "../../etc"]))
ROUTES = st.sampled_from(["/", "/search", "/countries", "/countries/JP", "/missions", "/sectors",
                          "/api/search", "/api/countries", "/api/countries/FR", "/api/missions",
                          "/api/suggest", "/documents/x", "/api/documents/x", "/login",
                          "/api/openapi.json", "/countries/<b>", "/documents/%00"])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=ROUTES, params=st.lists(st.tuples(PARAMS, VALUES), max_size=5))
def test_no_route_ever_answers_500(client, route, params):
    response = client.get(f"{route}?{urlencode(params)}")
    assert response.status_code in (200, 400, 404, 503)  # 503: staff sign-in not configured
    assert "Traceback" not in response.get_data(as_text=True)


# What an HTTP header can carry at all (no line breaks or other control characters).
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(["/login", "/logout", "/api/search", "/search"]),
       form=st.lists(st.tuples(st.sampled_from(["csrf", "password", "next", "q"]), VALUES),
                     max_size=4),
       authorization=st.one_of(st.none(), HEADER_TEXT, HEADER_TEXT.map("Bearer {}".format)))
def test_no_post_or_header_ever_answers_500(client, route, form, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post(route, data=dict(form), headers=headers)
    assert response.status_code in (400, 405, 429, 503)  # 429: sign-in attempts are limited
    assert "Traceback" not in response.get_data(as_text=True)
    assert client.get(route, headers=headers).status_code in (200, 405, 503)


def test_the_search_page_shows_results_facets_chips_and_the_count(client):
    html = client.get("/search?q=mission+Japon&sector=automotive&ui=fr").get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Mission princière au Japon" in html
    assert 'role="status"' in html
    assert re.search(r'<a class="chip" href="[^"]*"[^>]*>Automobile', html)
    assert "Effacer tous les filtres" in html
    assert 'name="sector" value="automotive"' in html and "checked" in html


def test_the_empty_state_helps(client):
    html = client.get("/search?q=zzzqqqxxx&country=JP&ui=en").get_data(as_text=True)
    empty_state = html[html.index('class="empty"'):]
    assert "No document matches" in empty_state
    assert "clear all filters" in empty_state and "Check the spelling" in empty_state


def test_the_interface_language_follows_the_browser_then_the_choice(client):
    dutch = client.get("/", headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"})
    assert '<html lang="nl">' in dutch.get_data(as_text=True)
    assert "Zoeken" in dutch.get_data(as_text=True)
    german = client.get("/?ui=de", headers={"Accept-Language": "nl"})
    assert '<html lang="de">' in german.get_data(as_text=True)
    assert "ui=de" in german.headers.get("Set-Cookie", "")
    again = client.get("/countries", headers={"Accept-Language": "nl"})
    assert '<html lang="de">' in again.get_data(as_text=True)  # the cookie keeps the choice
    assert "Länder" in again.get_data(as_text=True)
    assert '<html lang="fr">' in client.get("/?ui=fr", headers={"Accept-Language": "xx"}).get_data(as_text=True)


def test_the_interface_language_translates_labels_and_never_filters(client):
    french = api(client, "search", q="mission", ui="fr")
    dutch = api(client, "search", q="mission", ui="nl")
    assert french["total"] == dutch["total"]
    assert {v["label"] for v in french["facets"]["country"]} >= {"Japon", "Maroc"}
    assert {v["label"] for v in dutch["facets"]["country"]} >= {"Japan", "Marokko"}
    assert {v["label"] for v in dutch["facets"]["type"]} >= {"Missie"}


def test_the_country_page_shows_figures_news_missions_events_and_sectors(client):
    html = client.get("/countries/JP?ui=fr").get_data(as_text=True)
    assert "Japon" in html and "Chiffres clés" in html
    assert "250 M€" in html          # the agency's fact sheet
    assert "World Factbook" in html  # the reference sheet
    assert "2017" in html and "Mission princière au Japon" in html
    overview = api(client, "countries/JP")
    assert overview["factsheet"]["key_figures"] and overview["reference"]["key_figures"]
    assert [g["year"] for g in overview["missions"]] == sorted(
        [g["year"] for g in overview["missions"]], reverse=True)
    assert all((e["event_start"] or e["date"]) >= "2025-01-01" for e in overview["events"])


def test_the_countries_index_is_a_to_z_in_the_interface_language(client):
    french = [c["name"] for c in api(client, "countries", ui="fr")["countries"]]
    assert "Japon" in french and "Allemagne" in french
    assert french.index("Allemagne") < french.index("Japon")
    assert "Japan" in [c["name"] for c in api(client, "countries", ui="de")["countries"]]


def test_missions_are_a_timeline_filterable_by_country_and_sector(client):
    morocco = api(client, "missions", country="MA")
    years = [g["year"] for g in morocco["years"]]
    assert years == sorted(years, reverse=True) and {2014, 2019} <= set(years)
    assert all("MA" in m["countries"] for g in morocco["years"] for m in g["items"])
    html = client.get("/missions?country=MA&ui=fr").get_data(as_text=True)
    assert "Maroc" in html and "2019" in html


def test_missions_come_a_page_at_a_time_newest_first(client, monkeypatch):
    from kbsearch.web import overviews
    everything = api(client, "missions")
    monkeypatch.setattr(overviews, "MISSIONS_PAGE", 2)
    pages = [api(client, "missions", page=n) for n in range(1, everything["total"] // 2 + 2)]
    assert {p["pages"] for p in pages} == {-(-everything["total"] // 2)}
    listed = [m["id"] for p in pages for g in p["years"] for m in g["items"]]
    assert listed == [m["id"] for g in everything["years"] for m in g["items"]]
    monkeypatch.setattr(overviews, "MISSIONS_PAGE", 1)
    html = client.get("/missions?country=MA&ui=en").get_data(as_text=True)
    assert 'href="/missions?page=2&amp;country=MA" rel="next"' in html  # filters kept


def test_a_country_page_lists_its_latest_missions_and_links_to_all(client, monkeypatch):
    from kbsearch.web import overviews
    every = api(client, "missions", country="MA")
    monkeypatch.setattr(overviews, "COUNTRY_MISSIONS", 1)
    overview = api(client, "countries/MA")
    latest = [m["id"] for g in overview["missions"] for m in g["items"]]
    assert latest == [every["years"][0]["items"][0]["id"]]
    assert overview["missions_total"] == every["total"] > 1
    html = client.get("/countries/MA?ui=en").get_data(as_text=True)
    assert f'<a href="/missions?country=MA">All · {every["total"]} missions</a>' in html


def test_the_sectors_index_links_each_sector_to_its_search(client):
    sectors = client.get("/sectors?ui=en").get_data(as_text=True)
    assert sectors.count('href="/search?sector=') == 16


def test_the_document_page_shows_text_metadata_source_and_related(client):
    hit = api(client, "search", q="Nagakute")["hits"][0]
    html = client.get(f"/documents/{hit['id']}?ui=en").get_data(as_text=True)
    assert "Nagakute" in html and hit["source"] in html
    assert "Related documents" in html


def test_dates_are_written_in_the_interface_language(client):
    hit = api(client, "search", q="Nagakute")["hits"][0]
    year, month, day = (int(part) for part in hit["date"].split("-"))
    months = {"en": ["January", "February", "March", "April", "May", "June", "July",
                     "August", "September", "October", "November", "December"],
              "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                     "septembre", "octobre", "novembre", "décembre"],
              "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli",
                     "augustus", "september", "oktober", "november", "december"]}
    for locale, names in months.items():
        html = client.get(f"/documents/{hit['id']}?ui={locale}").get_data(as_text=True)
        written = f"{names[month - 1]} {day}, {year}" if locale == "en" else \
            f"{day} {names[month - 1]} {year}"
        assert written in html, locale


def test_document_text_is_escaped(corpus_index, tmp_path):
    from kbsearch.index.store import build_index
    from kbsearch.web.app import create_app
    from kbsearch.web.state import close_engine
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "x.md").write_text("---\ntitle: Salon <img src=x onerror=alert(1)>\n---\n"
                                 "Texte <script>alert(2)</script> sur le Japon.\n")
    build_index([folder], tmp_path / "index")
    app = create_app({"INDEX_DIR": str(tmp_path / "index")})
    client = app.test_client()
    html = client.get("/search?q=Japon").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    hit = client.get("/api/search?q=Japon").get_json()["hits"][0]
    page = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
    assert "<script>alert(2)" not in page
    close_engine(app)


def test_the_compiled_translations_match_their_sources():
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po
    from tests.conftest import REPO
    base = REPO / "src" / "kbsearch" / "web" / "translations"
    for locale in ("fr", "nl", "de"):
        with open(base / locale / "LC_MESSAGES" / "messages.po", "rb") as po, \
                open(base / locale / "LC_MESSAGES" / "messages.mo", "rb") as mo:
            source, compiled = read_po(po), read_mo(mo)
        def entries(catalog):
            return {_hashable(m.id): _hashable(m.string) for m in catalog if m.id}
        assert entries(source) == entries(compiled)
        assert all(m.string for m in source if m.id), f"untranslated messages in {locale}"


def _hashable(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


@pytest.mark.parametrize("path", ["/", "/search?q=Japon", "/documents/x", "/api/search",
                                  "/api/openapi.json", "/static/app.css"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    headers = response.headers
    response.close()
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client):
    for path in ("/search?q=mission&from=2015", "/countries/JP", "/missions", "/sectors"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert not re.search(r"\sstyle=|\son[a-z]+=", html), path


@pytest.mark.parametrize("params, parameter", [
    ({"q": "x" * 50_000}, "q"), ({"q": " ".join(["mot"] * 40)}, "q"),
    ({"page": "200", "size": "100"}, "page"), ({"country": ",".join(["JP"] * 60)}, "country"),
    ({"size": "1000"}, "size")])
def test_oversized_requests_are_a_400_naming_the_parameter(client, params, parameter):
    response = client.get(f"/api/search?{urlencode(params)}")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == parameter
    assert client.get(f"/search?{urlencode(params)}").status_code == 400


def test_the_api_is_rate_limited_per_client_with_a_retry_after(corpus_index):
    from kbsearch.web.app import create_app
    from kbsearch.web.state import close_engine
    app = create_app({"INDEX_DIR": str(corpus_index), "API_RATE_LIMIT": 5, "TODAY": "2025-01-01"})
    client = app.test_client()
    assert client.get("/search").status_code == 200  # the engine is open: requests are quick
    statuses = [client.get("/api/suggest?q=ja").status_code for _ in range(8)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429] * 3
    limited = client.get("/api/suggest?q=ja")
    assert int(limited.headers["Retry-After"]) >= 1 and "requests a minute" in \
        limited.get_json()["error"]
    other = client.get("/api/suggest?q=ja", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 200  # another client is not held back
    assert client.get("/search?q=Japon").status_code == 200  # pages are not limited
    close_engine(app)
