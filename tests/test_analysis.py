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
