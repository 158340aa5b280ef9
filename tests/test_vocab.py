"""Countries and sectors are recognised by their names in any language."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbsearch.vocab import countries, sectors


def concepts(matcher, text):
    return [m.concept.split(":")[-1] for m in matcher.find(text)]


@pytest.mark.parametrize("text, code", [
    ("au Japon", "JP"), ("in Japan", "JP"), ("nach Japan", "JP"), ("日本の企業", "JP"),
    ("les entreprises nippones", "JP"), ("Japanse partners", "JP"), ("à Tokyo", "JP"),
    ("in Casablanca", "MA"), ("Marokkaanse bedrijven", "MA"), ("au Maroc", "MA"),
    ("en Côte d'Ivoire", "CI"), ("in der Elfenbeinküste", "CI"), ("aux États-Unis", "US"),
    ("en Corée du Sud", "KR"), ("Myanmar", "MM"), ("Burma", "MM"),
])
def test_countries_are_found_by_name_demonym_or_city(text, code):
    assert concepts(countries.matcher(), text) == [code]


def test_guinea_is_not_found_inside_equatorial_guinea():
    assert concepts(countries.matcher(), "en Guinée équatoriale") == ["GQ"]


def test_a_common_word_is_not_a_country():
    assert concepts(countries.matcher(), "une réunion de travail") == []


def test_country_names_are_localised():
    assert countries.name("JP", "fr") == "Japon"
    assert countries.name("JP", "nl") == "Japan"
    assert countries.name("MA", "de") == "Marokko"
    assert countries.parse_country("Japon") == "JP"
    assert countries.parse_country("jp") == "JP"
    assert countries.parse_country("Atlantis") is None


@pytest.mark.parametrize("text, slug", [
    ("l'industrie automobile", "automotive"), ("les constructeurs automobiles", "automotive"),
    ("de autosector", "automotive"), ("der Fahrzeugbau", "automotive"),
    ("car makers", "automotive"), ("Nutzfahrzeugbau", "automotive"),
    ("l'agroalimentaire", "agrifood"), ("de voedingsindustrie", "agrifood"),
    ("Luft- und Raumfahrt", "aerospace"), ("biotech", "life-sciences"),
])
def test_sectors_are_found_by_synonyms_in_every_language(text, slug):
    assert slug in concepts(sectors.matcher(), text)


def test_the_taxonomy_has_its_sixteen_sectors_with_labels_in_four_languages():
    assert sectors.slugs() == (
        "agrifood", "automotive", "aerospace", "audiovisual", "life-sciences", "chemicals",
        "construction", "digital", "energy", "materials", "mechanical", "logistics", "textiles",
        "environment", "wood", "beverages")
    for slug in sectors.slugs():
        for locale in ("fr", "nl", "de", "en"):
            assert sectors.label(slug, locale)
    assert sectors.parse_sector("Fahrzeugbau") == "automotive"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_folding_a_text_folds_each_of_its_characters(text):
    """The ASCII shortcut in `fold` gives what folding character by character gives."""
    from kbsearch.vocab.text import _FOLD_TABLE, fold
    assert fold(text) == "".join(c.translate(_FOLD_TABLE) for c in text)
    assert fold("Économie L’ŒUVRE `Straße`") == "economie l'oeuvre 'strasse'"


def test_ascii_folds_as_the_table_says():
    from kbsearch.vocab.text import _FOLD_TABLE, fold
    assert all(fold(chr(c)) == chr(c).translate(_FOLD_TABLE) for c in range(128))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_folded_offsets_point_at_the_character_each_came_from(text):
    from kbsearch.vocab.text import fold, fold_with_offsets
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    if offsets is None:
        assert all(len(fold(c)) == 1 for c in text)
        return
    assert len(offsets) == len(folded) + 1 and offsets[-1] == len(text)
    assert offsets == sorted(offsets)
    for i, origin in enumerate(offsets[:-1]):
        assert folded[i] in fold(text[origin])


# Terms of one word and several, whose first words also start sentences (`la`, `le`), and
# wildcard terms (see PhraseMatcher); no two wildcard terms can meet the same word.
MATCHER_TERMS = [("la paz", "BO"), ("la haye", "NL"), ("le caire", "EG"), ("pays bas", "NL"),
                 ("pays de galles", "GB"), ("japon", "JP"), ("logistique", "logistics"),
                 ("mission", "mission"), ("mission economique", "economic"),
                 ("inscri*", "upcoming"), ("*ique", "ique")]
MATCHER_WORDS = ["la", "le", "paz", "haye", "caire", "pays", "bas", "de", "galles", "japon",
                 "logistique", "inscription", "inscrire", "physique", "mission", "economique",
                 "et", "the"]


def _reference_matches(words: list[str]) -> list[tuple[str, int]]:
    """The longest term at each word, left to right, an exact term before a wildcard one of
    the same length: what PhraseMatcher.find must find, found by trying every term."""
    def meets(pattern: str, word: str) -> bool:
        if pattern.startswith("*"):
            return word.endswith(pattern[1:])
        return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern
    found, i = [], 0
    while i < len(words):
        best = None
        for term, concept in MATCHER_TERMS:
            parts = term.split()
            if all(meets(p, w) for p, w in zip(parts, words[i:i + len(parts)])) and \
                    i + len(parts) <= len(words):
                rank = (len(parts), "*" not in term)
                best = max(best or (rank, concept), (rank, concept), key=lambda b: b[0])
        if best:
            found.append((best[1], i))
            i += best[0][0]
        else:
            i += 1
    return found


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(MATCHER_WORDS), max_size=30))
def test_a_phrase_matcher_finds_the_longest_term_at_each_word(words):
    from kbsearch.vocab.text import PhraseMatcher
    matcher = PhraseMatcher(MATCHER_TERMS)
    assert [(m.concept, m.start) for m in matcher.find(" ".join(words))] == \
        _reference_matches(words)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"aé Œß1_-'’.", "l'", "_x", "日本", "\x00", "e\u0301"]),
                max_size=30).map("".join))
def test_tokens_are_the_words_a_pattern_finds_apostrophes_and_underscores_separating(text):
    """Tokens are split from the folded words by string operations: they must be what the
    pattern of word characters finds in the folded text."""
    import re

    from kbsearch.vocab.text import fold, tokens
    assert tokens(text) == re.findall(r"\w+", fold(text).replace("_", " "))


def test_a_phrase_matcher_of_short_wildcard_terms_only_finds_them():
    """Wildcard terms too short to bucket (`*ab`) are tried at every word, also in a matcher
    that holds no other wildcard term."""
    from kbsearch.vocab.text import PhraseMatcher
    matcher = PhraseMatcher([("*ab", "suffix"), ("in*", "prefix"), ("agro", "exact")])
    assert [(m.concept, m.start) for m in matcher.find("grab agro inside lab")] == \
        [("suffix", 0), ("exact", 1), ("prefix", 2), ("suffix", 3)]
