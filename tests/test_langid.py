"""Language detection repeats, reports a confidence, and does not guess on short text."""

from kbsearch.ingest.langid import detect_language, normalise_code

DUTCH = ("De Waalse bedrijven trokken vorige week naar Marokko voor een handelsmissie. "
         "Ze ontmoetten er partners uit de voedingsindustrie en de logistiek, en bezochten "
         "de haven van Tanger Med. Volgend jaar volgt een nieuwe missie naar Casablanca.")


def test_the_same_text_always_gets_the_same_answer():
    answers = {detect_language("Mission au Japon avec des entreprises, Tokyo 2017")
               for _ in range(5)}
    assert len(answers) == 1


def test_a_long_dutch_text_on_a_page_declaring_french_is_dutch():
    found = detect_language(DUTCH, declared="fr")
    assert found.code == "nl"
    assert found.confidence > 0.9


def test_short_text_falls_back_to_the_declared_language_else_und():
    assert detect_language("Liège 2019", declared="fr-BE").code == "fr"
    assert detect_language("Liège 2019").code == "und"
    assert detect_language("").code == "und"


def test_japanese_is_detected():
    text = "ワロン地域の企業が名古屋で日本の自動車メーカーと提携を発表しました。"
    assert detect_language(text).code == "ja"


def test_language_codes_are_normalised_to_iso_639_1():
    assert normalise_code("fr-BE") == "fr"
    assert normalise_code("zh_CN") == "zh"
    assert normalise_code("français") is None
