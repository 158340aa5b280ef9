"""The pages in a real browser (Debian's Chromium, headless, driven by Playwright) against the
real server (`kbsearch serve`, gunicorn): what a user clicks, and an axe-core audit."""

from __future__ import annotations

import os
import shutil

import pytest

from bench.http_load import running_server

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = os.environ.get("KBSEARCH_CHROMIUM") or shutil.which("chromium") or \
    shutil.which("chromium-browser")
if not CHROMIUM:
    message = ("BROWSER TESTS SKIPPED: no Chromium found (install Debian's `chromium`, or set "
               "KBSEARCH_CHROMIUM); `make test` installs it when it can")
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests. {message}", pytrace=False)
    pytest.skip(message, allow_module_level=True)
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="module")
def server(corpus_index):
    with running_server(corpus_index, workers=2) as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-BE", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def result_count(page) -> int:
    return int(page.locator("#result-count").inner_text().split()[0])


def test_search_tick_facets_see_chips_remove_them_and_page(server, page):
    page.goto(server)
    page.get_by_label("Rechercher dans la base de connaissances").fill("mission Japon")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?**")
    titles = page.locator(".hit-title").all_inner_texts()
    assert any("Mission princière au Japon" in t for t in titles[:3])
    before = result_count(page)

    automotive = page.locator("#facet-sector label", has_text="Automobile")
    expected = int(automotive.locator(".count").inner_text().strip("()"))
    automotive.click()
    page.wait_for_url("**sector=automotive**")
    assert result_count(page) == expected < before
    assert page.locator(".chip", has_text="Automobile").is_visible()

    japan = page.locator("#facet-country label", has_text="Japon").first
    expected = int(japan.locator(".count").inner_text().strip("()"))
    japan.click()
    page.wait_for_url("**country=JP**")
    assert result_count(page) == expected
    assert page.locator("#facet-country input[value=JP]").is_checked()

    page.locator(".chip", has_text="Automobile").click()
    page.wait_for_load_state()
    assert "sector=" not in page.url
    assert page.locator(".chip", has_text="Japon").is_visible()

    page.goto(f"{server}/search?q=export")
    first = page.locator(".hit-title").first.inner_text()
    page.get_by_role("link", name="Suivant").click()
    page.wait_for_url("**page=2**")
    assert page.locator(".hit-title").first.inner_text() != first


def test_open_a_document_then_its_country(server, page):
    page.goto(f"{server}/search?q=Nagakute")
    title = page.locator(".hit-title a").first.inner_text()
    page.locator(".hit-title a").first.click()
    assert page.locator("h1").inner_text() == title
    assert page.get_by_text("Documents liés").is_visible()
    page.locator(".meta a", has_text="Japon").click()
    page.wait_for_url("**/countries/JP")
    assert page.locator("h1").inner_text() == "Japon"
    assert page.get_by_role("heading", name="Chiffres clés").is_visible()
    assert page.get_by_text("2017").first.is_visible()


def test_switch_the_interface_language(server, page):
    page.goto(f"{server}/search?q=mission")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("link", name="Zoeken").is_visible()
    assert page.locator("#facet-type label", has_text="Missie").is_visible()
    page.get_by_role("link", name="Landen").click()  # the choice is kept
    assert page.locator("html").get_attribute("lang") == "nl"


def test_keyboard_completion_adds_a_country_filter(server, page):
    page.goto(server)
    page.keyboard.press("Tab")
    assert page.locator(".skip-link").evaluate("e => e === document.activeElement")
    box = page.locator("#q")
    box.focus()
    box.type("Marok")
    page.locator("#q-suggestions li").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**country=MA**")
    assert page.locator(".chip", has_text="Maroc").is_visible()


def test_filters_work_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False, locale="en")
    page = context.new_page()
    page.goto(f"{server}/search?q=mission")
    page.locator("#facet-type label", has_text="Mission").click()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**type=mission**")
    assert page.locator(".chip", has_text="Mission").is_visible()
    assert set(page.locator(".badge").all_inner_texts()) == {"Mission"}
    context.close()


@pytest.mark.parametrize("path", ["/search?q=mission+Japon&sector=automotive", "/countries",
                                  "/countries/JP", "/missions", "/sectors",
                                  "/search?q=zzzqqq", "/search?q=Nagakute&ui=en"])
def test_pages_have_no_serious_accessibility_violations(server, page, path):
    from axe_playwright_python.sync_playwright import Axe
    page.goto(server + path)
    violations = Axe().run(page).response["violations"]
    serious = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_a_document_page_has_no_serious_accessibility_violations(server, page):
    from axe_playwright_python.sync_playwright import Axe
    page.goto(f"{server}/search?q=Nagakute")
    page.locator(".hit-title a").first.click()
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []


HOSTILE = {
    "salon.md": "---\ntitle: Salon <img src=x onerror=alert(1)> Tokyo\nsummary: "
                "'\"><script>alert(2)</script>'\ncompanies: ['<svg onload=alert(3)>']\n"
                "type: mission\n---\nLe salon Zanzibar <script>alert(4)</script> "
                "<a href=\"javascript:alert(5)\">lien</a> <b onclick=alert(6)>gras</b>.\n",
    "page.html": "<html><head><title>Zanzibar <script>alert(7)</script></title></head><body>"
                 "<main><h1 onmouseover=alert(8)>Zanzibar page</h1><p>Texte sur Zanzibar "
                 "<img src=x onerror=alert(9)> et <iframe src=javascript:alert(10)></iframe>."
                 "</p></main></body></html>",
}


def test_hostile_documents_show_as_text_and_no_script_runs(tmp_path, browser):
    from kbsearch.index.store import build_index
    kb = tmp_path / "kb"
    kb.mkdir()
    for name, text in HOSTILE.items():
        (kb / name).write_text(text, encoding="utf-8")
    assert not build_index([kb], tmp_path / "index").errors
    context = browser.new_context(locale="fr-BE")
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    with running_server(tmp_path / "index", workers=1) as (base, _):
        page.goto(f"{base}/search?q=Zanzibar")
        titles = " ".join(page.locator(".hit-title").all_inner_texts())
        assert "Salon <img src=x onerror=alert(1)> Tokyo" in titles  # shown as text
        for link in page.locator(".hit-title a").all():
            link.click()
            page.wait_for_load_state()
            page.mouse.move(200, 200)
            page.go_back()
        page.goto(f"{base}/missions")
        page.goto(f"{base}/api/search?q=Zanzibar")
        assert page.evaluate("document.querySelectorAll('script, img, svg, iframe').length") == 0
    context.close()
    assert dialogs == [] and errors == []
