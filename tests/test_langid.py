"""Language detection repeats, reports a confidence, and does not guess on short text."""

import random

import numpy as np

from kbsearch.ingest.langid import _model, _rank_all, detect_language, detect_languages
from kbsearch.vocab.languages import normalise_code

DUTCH = ("De Waalse bedrijven trokken vorige week naar Marokko voor een handelsmissie. "
         "Ze ontmoetten er partners uit de voedingsindustrie en de logistiek, en bezochten "
         "de haven van Tanger Med. Volgend jaar volgt een nieuwe missie naar Casablanca.")
JAPANESE = "ワロン地域の企業が名古屋で日本の自動車メーカーと提携を発表しました。"


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
    assert detect_language(JAPANESE).code == "ja"


def test_language_codes_are_normalised_to_iso_639_1():
    assert normalise_code("fr-BE") == "fr"
    assert normalise_code("zh_CN") == "zh"
    assert normalise_code("français") is None


def test_web_addresses_and_emails_say_nothing_about_the_language():
    addresses = "\n".join([
        "https://www.example.com/the-business-and-trade-mission-news-and-events-for-the-world",
        "contact.the.business.team@export-and-investment-agency-news-for-the-world.com",
        "www.trade-and-business-news-for-the-english-speaking-world.com/latest-events"])
    assert detect_language(addresses).code == "und"
    assert detect_language(addresses, declared="de").code == "de"
    assert detect_language(f"{addresses}\n{DUTCH}", declared="fr").code == "nl"


TEXTS = [
    DUTCH,
    "Mission économique au Maroc : 25 entreprises wallonnes à Casablanca, du 3 au 7 mars 2025.",
    "Die wallonische Agrar- und Lebensmittelindustrie präsentiert sich auf der Anuga in Köln.",
    JAPANESE,
    "Переговоры с казахстанскими партнёрами — энергетика, логистика; δοκιμή ελληνικά",
    "x", "", "\udc80 surrogate-escaped byte, a URL http://example.be/a?b=1 and emoji 🚀🚀",
]


def _random_texts(count: int) -> list[str]:
    rnd = random.Random(5)
    alphabet = "abcdeéèàçnopqrstuvwxyzäöüß .,'-0123456789日本語кирилл\u0627\u0644"
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 300)))
            for _ in range(count)]


def test_features_are_counted_exactly_as_py3langid_counts_them():
    identifier, counter = _model()
    for text in TEXTS + _random_texts(200):
        assert np.array_equal(counter.vectors([text])[0], identifier.instance2fv(text)), text


def test_texts_counted_together_are_each_counted_as_alone():
    """No feature spans two texts of a batch: each row is its own text's counts."""
    identifier, counter = _model()
    texts = TEXTS + _random_texts(100)
    counted = counter.vectors(texts)
    assert counted.shape == (len(texts), counter.size)
    for text, row in zip(texts, counted):
        assert np.array_equal(row, identifier.instance2fv(text)), text
    assert counter.vectors([]).shape == (0, counter.size)


def test_languages_detected_together_are_those_detected_one_by_one():
    pairs = [(text, declared) for text in TEXTS + _random_texts(40)
             for declared in (None, "fr", "de-CH")]
    assert detect_languages(pairs) == [detect_language(text, declared)
                                       for text, declared in pairs]
    assert detect_languages([]) == []


def test_languages_are_ranked_with_py3langids_probabilities():
    identifier, _ = _model()
    for text in TEXTS[:5] + _random_texts(50):
        expected = {normalise_code(language): round(float(probability), 3)
                    for language, probability in identifier.rank(text)[:5]
                    if normalise_code(language) and probability >= 0.001}
        assert _rank_all([text]) == [expected], text
