"""Internal documents reach signed-in staff and API token holders, and nobody else, by any
route or count."""

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.security import generate_password_hash

from kbsearch.index.store import build_index
from kbsearch.web.app import create_app
from kbsearch.web.state import close_engine

PASSWORD = "correct horse battery staple"
TOKEN = "api-token-for-tests-0123456789"
SECRET_WORD = "Zorglub"  # only internal documents hold it
PUBLIC = {
    "maroc.md": "---\ntitle: Mission au Maroc\ntype: mission\ndate: 2023-05-02\n---\n"
                "Vingt entreprises wallonnes à Casablanca pour l'agroalimentaire.\n",
    "japon.md": "---\ntitle: Salon Foodex à Tokyo\ndate: 2024-03-01\n---\n"
                "Le pavillon wallon au salon Foodex, agroalimentaire et boissons.\n",
}
INTERNAL = {
    "rapport.md": "---\ntitle: Rapport Zorglub Islande\nvisibility: internal\ntype: mission\n"
                  "date: 2024-06-01\ncompanies: [Zorglub SA]\n---\nLa société Zorglub a signé "
                  "à Reykjavik un contrat d'agroalimentaire. Mission en Islande.\n",
    "fiche.json": json.dumps({"schema": "kbsearch-factsheet/1", "country": "IS",
                              "title": "Fiche Zorglub Islande", "visibility": "internal",
                              "language": "fr", "sections": [{"heading": "Zorglub",
                                                              "text": "Islande, pêche."}]}),
    "page.html": "<html lang='fr'><head><title>Page Zorglub</title>"
                 "<meta name='visibility' content='internal'></head><body><main><h1>Zorglub "
                 "en Islande</h1><p>Une note sur l'Islande et la pêche, pour Zorglub.</p>"
                 "</main></body></html>",
    "interne/note.md": "---\ntitle: Note Zorglub\n---\nZorglub à Reykjavik, Islande.\n",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("visibility")
    kb = root / "kb"
    for name, text in {**PUBLIC, **INTERNAL}.items():
        (kb / name).parent.mkdir(parents=True, exist_ok=True)
        (kb / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KBSEARCH_INTERNAL_FOLDERS", "interne")
        report = build_index([kb], root / "index")
    assert report.added == len(PUBLIC) + len(INTERNAL) and not report.errors
    app = create_app({"INDEX_DIR": str(root / "index"), "TESTING": True,
                      "SECRET_KEY": "test-secret", "REFRESH_SECONDS": 0,
                      "STAFF_PASSWORD_HASH": generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"),
                      "API_TOKEN_HASH": generate_password_hash(TOKEN, "pbkdf2:sha256:1000")})
    yield app
    close_engine(app)


def sign_in(client, password=PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"csrf": token, "password": password, "next": "/search"})


@pytest.fixture
def staff(app):
    client = app.test_client()
    assert sign_in(client).status_code == 302
    return client


def internal_ids(staff) -> set[str]:
    hits = staff.get("/api/search?q=Zorglub&size=100").get_json()["hits"]
    assert len(hits) == len(INTERNAL)
    return {h["id"] for h in hits}


ANONYMOUS_ROUTES = [
    "/search", "/search?q=Zorglub", "/search?q=Islande", "/search?q=Zorglubb", "/search?q=zorg*",
    "/search?country=IS", "/search?q=agroalimentaire", "/search?type=mission",
    "/countries", "/countries/IS", "/missions", "/missions?country=IS", "/sectors",
    "/api/search", "/api/search?q=Zorglub", "/api/search?q=Reykjavik", "/api/search?q=Zorglubb",
    "/api/search?q=Islande&country=IS", "/api/suggest?q=zorg", "/api/suggest?q=Isl",
    "/api/suggest?q=Rapport", "/api/countries", "/api/countries/IS", "/api/missions",
    "/api/missions?country=IS",
]


@pytest.mark.parametrize("path", ANONYMOUS_ROUTES)
def test_anonymous_routes_never_mention_an_internal_document(app, path):
    body = app.test_client().get(path).get_data(as_text=True).lower()
    for typed in parse_qs(urlsplit(path).query).values():  # what the visitor typed comes back
        body = body.replace(typed[0].lower(), "")
    assert SECRET_WORD.lower() not in body
    assert "reykjavik" not in body


def test_anonymous_counts_are_those_of_public_documents_only(app):
    client = app.test_client()
    everything = client.get("/api/search").get_json()
    assert everything["total"] == len(PUBLIC)
    counts = {f: sum(v["count"] for v in values) for f, values in everything["facets"].items()}
    assert counts["type"] <= len(PUBLIC) and counts["year"] == len(PUBLIC)
    assert "IS" not in {v["value"] for v in everything["facets"]["country"]}
    assert client.get("/api/search?q=Zorglub").get_json()["total"] == 0
    assert client.get("/api/search?q=Zorglubb").get_json()["suggestion"] is None
    iceland = client.get("/api/countries/IS").get_json()  # as for any country without documents
    assert iceland["documents"] == 0 and iceland["factsheet"] is None
    assert not iceland["missions"] and not iceland["news"] and not iceland["sectors"]
    assert "IS" not in {c["code"] for c in client.get("/api/countries").get_json()["countries"]}


def test_internal_documents_are_not_found_by_id_nor_related_for_anonymous_users(app, staff):
    client = app.test_client()
    for doc_id in internal_ids(staff):
        assert client.get(f"/documents/{doc_id}").status_code == 404
        assert client.get(f"/api/documents/{doc_id}").status_code == 404
        unknown = client.get("/api/documents/0000000000000000")
        assert client.get(f"/api/documents/{doc_id}").get_json()["error"].replace(doc_id, "x") \
            == unknown.get_json()["error"].replace("0000000000000000", "x")
    for hit in client.get("/api/search?size=100").get_json()["hits"]:
        related = client.get(f"/api/documents/{hit['id']}").get_json()["related"]
        assert not {r["id"] for r in related} & internal_ids(staff)


def test_signed_in_staff_see_internal_documents_everywhere(staff):
    ids = internal_ids(staff)
    assert staff.get("/api/search").get_json()["total"] == len(PUBLIC) + len(INTERNAL)
    assert "IS" in {v["value"] for v in staff.get("/api/search").get_json()["facets"]["country"]}
    assert staff.get(f"/documents/{sorted(ids)[0]}").status_code == 200
    assert staff.get("/api/countries/IS").status_code == 200
    assert any(s["label"].startswith("Rapport Zorglub")
               for s in staff.get("/api/suggest?q=Rapport").get_json()["suggestions"])
    assert SECRET_WORD in staff.get("/missions").get_data(as_text=True)


def test_an_api_token_gives_staff_access_and_a_wrong_one_does_not(app):
    client = app.test_client()
    good = client.get("/api/search?q=Zorglub", headers={"Authorization": f"Bearer {TOKEN}"})
    assert good.get_json()["total"] == len(INTERNAL)
    bad = client.get("/api/search?q=Zorglub", headers={"Authorization": "Bearer guess"})
    assert bad.get_json()["total"] == 0


def test_sign_in_needs_the_password_and_a_csrf_token_and_sign_out_needs_one_too(app):
    client = app.test_client()
    assert sign_in(client, "wrong password").status_code == 401
    assert client.get("/api/search?q=Zorglub").get_json()["total"] == 0
    forged = client.post("/login", data={"password": PASSWORD})
    assert forged.status_code == 400
    assert client.get("/api/search?q=Zorglub").get_json()["total"] == 0
    assert sign_in(client).status_code == 302
    assert client.post("/logout").status_code == 400  # no token: still signed in
    assert client.get("/api/search?q=Zorglub").get_json()["total"] == len(INTERNAL)
    token = re.search(r'name="csrf" value="([^"]+)"',
                      client.get("/search").get_data(as_text=True)).group(1)
    assert client.post("/logout", data={"csrf": token}).status_code == 302
    assert client.get("/api/search?q=Zorglub").get_json()["total"] == 0


def test_password_guessing_is_slowed_down_per_client(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    statuses = [sign_in(client, f"guess {n}").status_code for n in range(11)]
    assert statuses == [401] * 10 + [429]
    limited = sign_in(client)  # even the right password waits
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert "sign-in requests a minute" in limited.get_data(as_text=True)
    assert sign_in(app.test_client()).status_code == 302  # other clients are not held back


def test_a_sign_in_never_redirects_to_another_site(app):
    client = app.test_client()
    page = client.get("/login?next=//evil.example/x").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf": token, "password": PASSWORD,
                                           "next": "https://evil.example/"})
    assert response.headers["Location"] == "/search"


def test_a_staff_session_expires(app):
    client = app.test_client()
    app.config["SESSION_MINUTES"] = 0.5 / 60  # half a second
    try:
        sign_in(client)
        assert client.get("/api/search?q=Zorglub").get_json()["total"] == len(INTERNAL)
        time.sleep(0.7)
        assert client.get("/api/search?q=Zorglub").get_json()["total"] == 0
    finally:
        app.config["SESSION_MINUTES"] = 480


def test_without_settings_nobody_is_staff(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "r.md").write_text(INTERNAL["rapport.md"], encoding="utf-8")
    build_index([kb], tmp_path / "index")
    app = create_app({"INDEX_DIR": str(tmp_path / "index"), "SECRET_KEY": None,
                      "STAFF_PASSWORD_HASH": "", "API_TOKEN_HASH": ""})
    client = app.test_client()
    assert client.get("/login").status_code == 503
    assert client.get("/api/search", headers={"Authorization": "Bearer x"}).get_json()["total"] == 0
    close_engine(app)


def test_staff_sign_in_is_configured_from_the_environment(tmp_path, monkeypatch):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "r.md").write_text(INTERNAL["rapport.md"], encoding="utf-8")
    build_index([kb], tmp_path / "index")
    monkeypatch.setenv("KBSEARCH_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("KBSEARCH_STAFF_PASSWORD_HASH",
                       generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"))
    app = create_app({"INDEX_DIR": str(tmp_path / "index")})
    client = app.test_client()
    assert sign_in(client).status_code == 302
    assert client.get("/api/search?q=Zorglub").get_json()["total"] == 1
    close_engine(app)


def test_an_unknown_visibility_is_refused_by_name(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "typo.md").write_text("---\ntitle: Rapport\nvisibility: internl\n---\nTexte.\n")
    (kb / "ok.md").write_text("---\ntitle: Public\n---\nTexte.\n")
    report = build_index([kb], tmp_path / "index")
    assert report.added == 1
    assert report.errors == [("typo.md", "unknown visibility 'internl': expected 'public' or "
                                         "'internal'")]
