"""Extraction decides every field; explicit metadata always wins over inference."""

import datetime as dt
from pathlib import Path

from kbsearch.ingest import extract as extract_module
from kbsearch.ingest.extract import extract
from kbsearch.ingest.pipeline import process_file, process_files
from kbsearch.model import RawDocument

REPO = Path(__file__).resolve().parent.parent

MISSION = """Du 9 au 14 octobre 2017, une délégation de trente entreprises wallonnes s'est rendue
au Japon, à Tokyo puis à Nagoya. La mission économique a réuni des constructeurs automobiles
et des équipementiers, ainsi que des sociétés de l'audiovisuel. Les entreprises belges ont
rencontré leurs partenaires nippons. La Belgique et la Wallonie y ont présenté leur savoir-faire.
La délégation belge a signé deux protocoles d'accord. Les Japonais ont salué l'industrie
automobile wallonne. Publié le 20 octobre 2017."""


def raw(**fields):
    defaults = {"source": "x.txt", "format": "text", "text": MISSION}
    return RawDocument(**{**defaults, **fields})


def test_a_mission_report_is_recognised_with_its_country_sectors_and_date():
    doc = extract(raw(title="Mission économique au Japon"))
    assert doc.type == "mission"
    assert doc.countries[0] == "JP"
    assert "BE" not in doc.countries  # the agency's home country is not what it is about
    assert "automotive" in doc.sectors
    assert doc.date == dt.date(2017, 10, 20)
    assert doc.language == "fr" and doc.language_confidence > 0.9


def test_explicit_metadata_wins_over_inference():
    doc = extract(raw(title="T", type="news", countries=("MA",), sectors=("wood",),
                      language="nl", date=dt.date(2020, 1, 1), summary="S"))
    assert (doc.type, doc.countries, doc.sectors, doc.language, doc.date, doc.summary) == \
        ("news", ("MA",), ("wood",), "nl", dt.date(2020, 1, 1), "S")


def test_the_home_country_is_primary_when_no_foreign_country_is_named():
    doc = extract(raw(title="Salon à Liège", text="Les entreprises wallonnes se retrouvent à "
                                                  "Liège et à Namur pour un salon en Belgique."))
    assert doc.countries == ("BE",)


def test_the_home_country_is_a_setting(monkeypatch):
    monkeypatch.setenv("KBSEARCH_HOME_COUNTRY", "JP")
    doc = extract(raw(title="Mission économique au Japon"))
    assert doc.countries[0] == "BE"


def test_an_event_announcement_gets_its_own_dates_apart_from_publication():
    text = ("Namur, le 3 novembre 2025 — L'Agence organise un pavillon wallon au salon "
            "Foodex. Le salon aura lieu du 10 au 13 mars 2026 à Tokyo. Inscrivez-vous avant "
            "le 15 janvier 2026.")
    doc = extract(raw(title="Foodex Japan 2026 : pavillon wallon", text=text))
    assert doc.type == "event"
    assert doc.date == dt.date(2025, 11, 3)
    assert (doc.event_start, doc.event_end) == (dt.date(2026, 3, 10), dt.date(2026, 3, 13))


def test_the_site_name_is_stripped_from_a_page_title():
    doc = extract(raw(title=None, title_candidates=("Mission au Chili | Agence wallonne",)))
    assert doc.title == "Mission au Chili"


def test_a_summary_is_the_first_paragraph_of_prose_within_limits():
    doc = extract(raw(title="Titre"))
    assert doc.summary.startswith("Du 9 au 14 octobre 2017")
    assert len(doc.summary) <= 301


def test_files_extracted_together_are_each_extracted_as_alone():
    files = sorted(p for p in (REPO / "corpus").rglob("*") if p.is_file())[::8]
    files.append(REPO / "corpus" / "missing.html")
    together = process_files([(path, path.name) for path in files])
    assert together == [process_file(path, path.name) for path in files]
    assert sum(outcome.document is not None for outcome in together) >= 30
    assert together[-1].error == "cannot be read: No such file or directory"


def test_a_document_whose_extraction_fails_fails_alone_and_by_name(monkeypatch):
    """Extraction never raises on purpose; should it on some document all the same, the
    others extracted with it are kept."""
    files = sorted((REPO / "corpus" / "news" / "fr").iterdir())[:5]

    def failing(raw, *args):
        if raw.source == files[2].name:
            raise RuntimeError("an unforeseen page")
        return extract(raw, *args)

    monkeypatch.setattr(extract_module, "extract", failing)
    outcomes = process_files([(path, path.name) for path in files])
    assert [o.source for o in outcomes] == [path.name for path in files]
    assert outcomes[2].error == "could not be processed (RuntimeError: an unforeseen page)"
    assert all(o.document is not None for n, o in enumerate(outcomes) if n != 2)
