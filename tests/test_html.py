"""The HTML reader keeps the article and drops the page chrome a CMS wraps around it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kbsearch.ingest.html import parse_html
from tests.conftest import FIXTURES

PAGE = (FIXTURES / "pages" / "cms-article.html").read_bytes()


def test_article_headings_paragraphs_lists_and_tables_are_kept():
    text = parse_html(PAGE).text
    for phrase in ("vingt entreprises wallonnes ont rencontré leurs partenaires marocains",
                   "Agroalimentaire et logistique",
                   "Visite du port de Tanger Med et de sa zone logistique",
                   "Douze sociétés familiales du Hainaut",
                   "Les sociétés de l’agroalimentaire ont signé trois contrats"):
        assert phrase in text


def test_menus_banners_share_buttons_sidebars_and_footer_are_dropped():
    text = parse_html(PAGE).text
    for chrome in ("Aller au contenu principal", "Nous utilisons des cookies", "Contactez nos",
                   "Fil d'Ariane", "Partager sur LinkedIn", "Nouveau bureau ouvert à Dakar",
                   "À lire aussi", "Recevez chaque mois", "Place Sainctelette", "© 2024",
                   "dataLayer", "position:fixed"):
        assert chrome not in text


def test_page_metadata_is_read():
    page = parse_html(PAGE)
    assert page.lang == "fr"
    assert page.heading == "Mission économique au Maroc"
    assert page.published[0].startswith("2019-03-14")
    assert "Casablanca et Rabat" in page.description
    assert any("Missions" in hint for hint in page.type_hints)  # from the breadcrumbs


def test_a_related_articles_block_introduced_by_a_heading_is_dropped_inside_the_article():
    page = parse_html("""<html><body><article><h1>Titre de l'article</h1>
        <p>Un paragraphe assez long pour être le corps de l'article et rien d'autre, vraiment,
        avec des mots en nombre suffisant pour dépasser la limite de deux cents caractères que
        le lecteur utilise pour choisir le contenu principal de la page.</p>
        <h3>Articles similaires</h3><ul><li>Autre article sur la Chine</li>
        <li>Encore un autre sur l'Inde</li></ul></article></body></html>""".encode())
    assert "Un paragraphe assez long" in page.text
    assert "Autre article sur la Chine" not in page.text


def test_json_ld_dates_and_time_elements_are_read():
    page = parse_html(b"""<html><head><script type="application/ld+json">
        {"@context": "https://schema.org", "@graph": [{"@type": "Event",
         "startDate": "2026-03-12", "endDate": "2026-03-15", "datePublished": "2025-11-03"}]}
        </script></head><body><h1>Salon</h1><p>Texte</p></body></html>""")
    assert page.published[0] == "2025-11-03"
    assert (page.event_start, page.event_end) == ("2026-03-12", "2026-03-15")
    assert "Event" in page.type_hints


def test_a_page_saved_as_utf8_but_declaring_latin1_reads_correctly():
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Économie wallonne à Liège</p></body></html>'
    assert "Économie wallonne à Liège" in parse_html(html.encode("utf-8")).text


def test_a_windows_1252_page_declaring_utf8_reads_correctly():
    html = '<html><head><meta charset="utf-8"></head><body><p>L’économie à Liège</p></body></html>'
    assert "L’économie à Liège" in parse_html(html.encode("cp1252")).text


def test_broken_markup_and_entities_survive():
    page = parse_html(b"<html><body><div><p>Caf&eacute; &amp; chocolat<p>Deuxi&egrave;me "
                      b"<b>paragraphe<div>sans fin")
    assert "Café & chocolat" in page.text
    assert "Deuxième paragraphe" in page.text


def test_hidden_elements_are_not_text():
    page = parse_html(b'<html><body><p>Visible</p><div hidden>Invisible</div>'
                      b'<p style="display: none">Cache</p></body></html>')
    assert "Visible" in page.text
    assert "Invisible" not in page.text and "Cache" not in page.text


def test_an_article_inside_a_wrapper_with_a_chrome_like_class_is_not_lost():
    prose = "<p>" + "Les entreprises wallonnes exportent des machines vers le Chili. " * 8 + "</p>"
    page = parse_html(f"""<html><body><nav><a href="/">Accueil</a></nav>
        <div class="layout-with-sidebar"><h2>Un titre sans h1</h2>{prose * 4}</div>
        <footer>© 2024 Agence</footer></body></html>""".encode())
    assert "exportent des machines vers le Chili" in page.text
    assert "Accueil" not in page.text and "© 2024" not in page.text


def test_a_deeply_nested_page_is_read_completely():
    page = parse_html(b"<html><body>" + b"<div>" * 3000 + b"<p>Texte profond</p>"
                      + b"</div>" * 3000 + b"</body></html>")
    assert page.text == "Texte profond"


def test_a_deep_page_with_framework_attributes_and_prefixed_tags_is_read_completely():
    # Deeper than libxml2 builds trees, with names its trees take but lxml's API refuses.
    opening = b'<div :class="{open: x}" @click="toggle" x-on:keyup="k"><o:p>'
    page = parse_html(b"<html><body><h1>Titre</h1>" + opening * 400 + b"<p>Texte profond</p>"
                      + b"</o:p></div>" * 400 + b"<p>Fin</p></body></html>")
    assert page.text == "Titre\n\nTexte profond\n\nFin"
    assert page.heading == "Titre"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab é") + [
    "\t", "\n", "\r", "\f", "\v", "\xa0", "\u2000", "\u200a", "\u200b", "\u202f", "\u205f",
    "\u3000", "\x1c", "\x1f", "\x85", "\u1680", "\u2028", "\u2029"]), max_size=16))
def test_blocks_collapse_white_space_as_the_pattern_says(text):
    """Blocks are cleaned at C speed when `str.split` agrees with the white-space pattern:
    the result must be the pattern's."""
    from kbsearch.ingest.html import _SPACES, _clean
    assert _clean(text) == _SPACES.sub(" ", text.replace("\n", " ")).strip()
