"""Dates in fr/nl/de/en, day first; publication told apart from copyright, deadlines, events."""

import datetime as dt
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbsearch.ingest import dates
from kbsearch.ingest.dates import event_dates, find_dates, parse_date, publication_date

D = dt.date


@pytest.mark.parametrize("written, expected", [
    ("12 mars 2019", D(2019, 3, 12)), ("1er juin 2020", D(2020, 6, 1)),
    ("3 mei 2021", D(2021, 5, 3)), ("12. März 2019", D(2019, 3, 12)),
    ("March 12, 2019", D(2019, 3, 12)), ("12th March 2019", D(2019, 3, 12)),
    ("12/03/2019", D(2019, 3, 12)), ("12.03.2019", D(2019, 3, 12)),
    ("2019-03-12T09:30:00+01:00", D(2019, 3, 12)), ("2019年3月12日", D(2019, 3, 12)),
    ("lundi 4 févr. 2013", D(2013, 2, 4)),
])
def test_written_dates_in_every_language_are_read(written, expected):
    assert parse_date(written) == expected


def test_impossible_dates_are_not_dates():
    assert parse_date("31/02/2019") is None
    assert parse_date("bientôt") is None


def test_metadata_wins_over_the_text():
    assert publication_date(["2020-01-05"], [], "Publié le 12 mars 2019") == D(2020, 1, 5)


def test_a_copyright_year_deadline_and_event_dates_are_not_the_publication_date():
    text = ("Le salon aura lieu du 12 au 15 mars 2026 à Tokyo.\n\n"
            "Inscriptions jusqu'au 15 janvier 2026.\n\n"
            "Namur, le 3 novembre 2025 — L'Agence organise un pavillon.\n\n"
            "© 2024 Agence, mise à jour le 01/01/2024")
    assert publication_date([], [], text) == D(2025, 11, 3)


def test_a_cued_publication_date_in_the_body_is_found():
    text = "Un long texte sur la mission.\n\nPublié le 12/03/2019 par la rédaction"
    assert publication_date([], [], text) == D(2019, 3, 12)


def test_a_document_with_only_event_dates_has_no_publication_date():
    assert publication_date([], [], "La foire se tiendra du 3 au 5 mai 2027.") is None


def test_event_dates_come_from_a_range_or_event_words():
    text = ("Publié le 3 novembre 2025. Inscriptions avant le 15 janvier 2026. "
            "Le salon aura lieu du 12 au 15 mars 2026.")
    assert event_dates(None, None, text) == (D(2026, 3, 12), D(2026, 3, 15))
    assert event_dates(None, None, "Die Messe findet am 4. Juni 2024 statt.") == \
        (D(2024, 6, 4), None)
    assert event_dates("2026-05-12", "2026-05-14", "du 1 au 2 mai 2020") == \
        (D(2026, 5, 12), D(2026, 5, 14))


def test_a_numeric_date_that_cannot_be_day_first_is_read_month_first():
    assert parse_date("03/25/2019") == D(2019, 3, 25)
    assert parse_date("2019/03/12") == D(2019, 3, 12)


def test_dates_anywhere_in_a_long_page_are_found_in_reading_order():
    # Only the text around four-digit years is searched: dates far apart, dates close
    # together, a range ending a page and a year glued to other digits must all still read.
    filler = "Les entreprises wallonnes exportent. " * 80
    text = (f"Publié le 3 mai 2021. {filler} Le salon a lieu du 28 septembre au 2 octobre 2026 "
            f"et le 12/03/2019, 2019-04-01. {filler} Réf. 21999年3月12日 "
            f"{filler} du 12 au 15 mars 2030")
    mentions = find_dates(text)
    assert [(m.date, m.end) for m in mentions] == [
        (D(2021, 5, 3), None), (D(2026, 9, 28), D(2026, 10, 2)), (D(2019, 3, 12), None),
        (D(2019, 4, 1), None), (D(1999, 3, 12), None), (D(2030, 3, 12), D(2030, 3, 15))]
    assert [text[m.position:m.position + 5] for m in mentions][0] == "3 mai"


# Pieces of text around dates: days, ordinals, years (one glued to other digits), month names
# in every case and abbreviation, range words, separators and spacing, prose words.
DATE_PIECES = ["3", "03", "12", "31", "1er", "12th", "2nd", "2019", "2026", "21999", "2100",
               "mars", "Mars.", "März", "sept.", "September", "mei", "janv", "en", "le", "du",
               "au", "bis", "to", "-", "–", "/", ".", ",", " ", "  ", "\n", "年", "月", "日"]


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(DATE_PIECES), max_size=24))
def test_searching_only_around_years_that_could_be_dated_finds_every_date(pieces):
    """Each date pattern looks only near years with what it needs next to them: what is
    found must be what every pattern searching the whole text finds."""
    text = "".join(pieces)
    found = dates.find_dates.__wrapped__(text)
    whole = {context: [(0, 1 << 30)] for context in dates._CONTEXT_OF.values()}
    with mock.patch.object(dates, "_around_years", lambda folded: whole):
        assert found == dates.find_dates.__wrapped__(text)
