"""The dictionary behind typo correction finds exactly the words Whoosh's own search through
its word list finds, and term look-ups agree with the index."""

import random

from kbsearch.index import schema as f
from kbsearch.index.store import open_index
from kbsearch.search.lexicon import Lexicon


def _typos(words: list[str], rng: random.Random) -> list[str]:
    """Each word with one or two random edits (swap, drop, double, replace), first letter kept."""
    typos = []
    for word in words:
        chars = list(word)
        for _ in range(rng.choice((1, 2))):
            at = rng.randrange(1, len(chars))
            edit = rng.choice(("swap", "drop", "double", "replace"))
            if edit == "swap" and at + 1 < len(chars):
                chars[at], chars[at + 1] = chars[at + 1], chars[at]
            elif edit == "drop" and len(chars) > 2:
                del chars[at]
            elif edit == "double":
                chars.insert(at, chars[at])
            else:
                chars[at] = rng.choice("aeioustnr")
        typos.append("".join(chars))
    return typos


def test_near_words_are_those_whoosh_finds_within_the_same_edits(corpus_index):
    rng = random.Random(5)
    with open_index(corpus_index).searcher() as searcher:
        reader = searcher.reader()
        lexicon = Lexicon(reader, f.SPELL)
        words = [w for w in reader.field_terms(f.SPELL) if w.isalpha() and len(w) >= 5]
        assert len(words) > 1000
        sample = rng.sample(words, 60)
        for typed in sample + _typos(sample, rng):
            for edits in (1, 2):
                expected = set(reader.terms_within(f.SPELL, typed, edits, prefix=1)) - {typed}
                found = lexicon.near_words(typed, edits)
                assert {w for _, w in found} == expected, (typed, edits)
                assert [e for e, _ in found] == sorted(e for e, _ in found)
                assert all(0 < e <= edits for e, _ in found)


def test_remembered_term_look_ups_agree_with_the_index(corpus_index):
    with open_index(corpus_index).searcher() as searcher:
        reader = searcher.reader()
        lexicon = Lexicon(reader, f.SPELL)
        for field, term in [(f.body_field("fr"), "japon"), (f.SPELL, "wallonne"),
                            (f.SPELL, "xylophoneqz"), (f.COUNTRY, "JP")]:
            for _ in range(2):  # the second answer comes from memory
                assert lexicon.doc_frequency(field, term) == reader.doc_frequency(field, term)
        assert lexicon.doc_frequency(f.SPELL, "wallonne") > 0
        assert lexicon.doc_frequency(f.SPELL, "xylophoneqz") == 0


def test_after_listing_the_text_fields_look_ups_still_agree_with_the_index(corpus_index):
    rng = random.Random(8)
    with open_index(corpus_index).searcher() as searcher:
        reader = searcher.reader()
        lexicon = Lexicon(reader, f.SPELL)
        fields = [f.body_field("fr"), f.title_field("fr"), f.body_field("nl"), f.COMPOUND]
        frequency = lexicon.list_terms(fields)
        present = rng.sample(sorted(frequency), 300)
        absent = [(field, text + "qz") for field, text in present]
        for field, text in present + absent + [(f.SPELL, "wallonne"), (f.COUNTRY, "JP")]:
            assert lexicon.doc_frequency(field, text) == reader.doc_frequency(field, text)
        assert all(frequency[key] == reader.doc_frequency(*key) for key in present)
