"""How text becomes index terms: the same words whatever the accents, apostrophes or case."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    from kbsearch.search.snippets import TermFinder, snippet
    text = ("Introduction. " * 30 + "Agroalimentaire et Plan Maroc Vert : <b>la mission</b> "
            "au Maroc a réuni l'agroalimentaire wallon. " + "Suite. " * 40)
    shown = snippet(text, {"maroc", "agroalimentair"}, TermFinder(language_analyzer("fr")), "résumé")
    assert shown.count("<mark>Maroc</mark>") == 2
    assert "<mark>Agroalimentaire</mark>" in shown and "l'<mark>agroalimentaire</mark>" in shown
    assert "&lt;b&gt;la mission&lt;/b&gt;" in shown
    assert snippet(text, {"absent"}, TermFinder(language_analyzer("fr")), "<résumé>") == "&lt;résumé&gt;"


def test_japanese_snippets_mark_the_matched_characters_only():
    from kbsearch.index.analysis import cjk_analyzer
    from kbsearch.search.snippets import TermFinder, snippet
    shown = snippet("ワロン地域と日本の経済関係", {"日本"}, TermFinder(cjk_analyzer()), "")
    assert shown == "ワロン地域と<mark>日本</mark>の経済関係"


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_snippet_term_finder_agrees_with_the_full_analyzer(corpus_documents, engine, language):
    from kbsearch.search.snippets import TermFinder
    analyzer = language_analyzer(language)
    texts = [engine._searcher.stored_fields(engine._docnum[d["id"]])["content"]
             for d in corpus_documents.values() if d["language"] == language][:5]
    assert texts
    for text in texts:
        every = [(t.endchar, t.text) for t in analyzer(text, chars=True)]
        terms = {term for _, term in every[::3]}
        expected = [(end, term) for end, term in every if term in terms]
        # The same words and terms; a marked word may leave out its elided article (l').
        assert [(end, term) for _, end, term in TermFinder(analyzer).spans(text, terms)] \
            == expected


# Letters as texts write them: accented, capital, ligatures, accents written as a letter and a
# combining accent, every kind of apostrophe, and Japanese with its punctuation.
SPELLINGS = [*"aAeEéÉèœŒßcÇçoOuÜülLdDtsx0ﬁ’'`ʼ-", "e\u0301", "E\u0301", "u\u0308",
             *"日本企業とのワロン、。"]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.lists(st.sampled_from(SPELLINGS), min_size=1, max_size=9).map("".join),
                     min_size=1, max_size=12),
       language=st.sampled_from(["fr", "nl", "de", "en", "ja"]), every=st.integers(1, 3))
def test_snippet_term_finder_agrees_with_the_full_analyzer_on_any_spelling(words, language,
                                                                           every):
    """Accents, capitals, ligatures, decomposed accents, every kind of apostrophe, Japanese:
    the finder looks for words in the original text and must find what the analyzer finds."""
    from kbsearch.index.analysis import cjk_analyzer
    from kbsearch.search.snippets import TermFinder
    analyzer = cjk_analyzer() if language == "ja" else language_analyzer(language)
    text = " ".join(words)
    found = [(t.endchar, t.text) for t in analyzer(text, chars=True)]
    terms = {term for _, term in found[::every]}
    expected = [(end, term) for end, term in found if term in terms]
    assert [(end, term) for _, end, term in TermFinder(analyzer).spans(text, terms)] \
        == expected


WORDS = ["le", "Les", "de", "l’", "d'", "the", "und", "het", "économie", "Entreprises",
         "nationaux", "Lebensmittelindustrie", "autosector", "aujourd'hui", "2024", "œuvre"]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.one_of(st.sampled_from(WORDS),
                                st.lists(st.sampled_from(SPELLINGS), min_size=1,
                                         max_size=9).map("".join)), max_size=20),
       separator=st.sampled_from([" ", "\n", ", ", "-"]))
def test_every_text_field_indexes_word_lists_exactly_as_whoosh_indexes_tokens(words, separator):
    """Indexing computes terms on word lists (WordText), not Token streams: the terms, their
    frequencies, weights and positions must be Whoosh's own, stop words and elisions between
    them included."""
    from whoosh.fields import TEXT

    from kbsearch.index.analysis import WordSet, WordText
    from kbsearch.index.schema import build_schema
    text = separator.join(words)
    fields = [field for _, field in build_schema().items() if isinstance(field, WordText)]
    assert len(fields) == 14  # titles and bodies of four languages, CJK, others; compound, spell
    for field in fields:
        assert sorted(field.index(text)) == sorted(TEXT.index(field, text))
    # The spelling and compound fields take a title and a body apart: the words of both.
    title, body = separator.join(words[:2]), separator.join(words[2:])
    for field in fields:
        if isinstance(field, WordSet):
            assert sorted(field.index((title, body))) == \
                sorted(TEXT.index(field, f"{title}\n{body}"))


@settings(max_examples=200, deadline=None)
@given(codes=st.lists(st.sampled_from(["BE", "JP", "jp", " MA", "MA ", "", " ", "agri-food",
                                       "Côte", "なし"]), max_size=6),
       separator=st.sampled_from([",", ", ", ",,"]))
def test_identifier_and_code_fields_index_exactly_as_whoosh_indexes_tokens(codes, separator):
    """Identifiers and comma-separated codes are indexed without Whoosh's token stream: the
    terms, frequencies and weights must be Whoosh's own."""
    from whoosh.fields import FieldType

    from kbsearch.index.analysis import CommaKeywords, Identifier
    from kbsearch.index.schema import build_schema
    value = separator.join(codes)
    fields = [field for _, field in build_schema().items()
              if isinstance(field, (Identifier, CommaKeywords))]
    assert len(fields) == 7  # id, type, language, origin, visibility, country, sector
    for field in fields:
        assert sorted(field.index(value)) == sorted(FieldType.index(field, value))
