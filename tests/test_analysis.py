"""How text becomes index terms: the same words whatever the accents, apostrophes or case."""

from kbsearch.index.analysis import generic_analyzer, language_analyzer


def terms(analyzer, text: str) -> list[str]:
    return [t.text for t in analyzer(text)]


def test_french_folds_elides_and_stems_typographic_and_decomposed_text_alike():
    french = language_analyzer("fr")
    assert terms(french, "L’Économie des entreprises") == ["economi", "entrepris"]
    assert terms(french, "l'economie des ENTREPRISE") == ["economi", "entrepris"]
    assert terms(french, "l'e\u0301conomie") == ["economi"]  # é written as e + accent


def test_offsets_point_into_the_original_text_when_folding_changes_lengths():
    text = "Le cœur d’Œuvre à Zürich"
    found = {t.text: text[t.startchar:t.endchar] for t in generic_analyzer()(text, chars=True)}
    assert found["coeur"] == "cœur"
    assert found["d'oeuvre"] == "d’Œuvre"
    assert found["zurich"] == "Zürich"


def test_snippets_mark_every_matched_word_shown_and_only_escaped_text():
    from kbsearch.search.snippets import snippet
    text = ("Introduction. " * 30 + "Agroalimentaire et Plan Maroc Vert : <b>la mission</b> "
            "au Maroc a réuni l'agroalimentaire wallon. " + "Suite. " * 40)
    shown = snippet(text, {"maroc", "agroalimentair"}, language_analyzer("fr"), "résumé")
    assert shown.count("<mark>Maroc</mark>") == 2
    assert "<mark>Agroalimentaire</mark>" in shown and "<mark>l'agroalimentaire</mark>" in shown
    assert "&lt;b&gt;la mission&lt;/b&gt;" in shown
    assert snippet(text, {"absent"}, language_analyzer("fr"), "<résumé>") == "&lt;résumé&gt;"


def test_japanese_snippets_mark_the_matched_characters_only():
    from kbsearch.index.analysis import cjk_analyzer
    from kbsearch.search.snippets import snippet
    shown = snippet("ワロン地域と日本の経済関係", {"日本"}, cjk_analyzer(), "")
    assert shown == "ワロン地域と<mark>日本</mark>の経済関係"
