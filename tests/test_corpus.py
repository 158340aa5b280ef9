"""The bundled corpus is what `make run` serves: it must cover what the agency publishes, and
ingestion must read it as a person would (scored against hand-written labels)."""

from collections import Counter

import pytest

from bench.ingest_accuracy import evaluate, load_labels
from kbsearch.ingest.pipeline import process
from kbsearch.vocab import sectors
from tests.conftest import REPO

CORPUS = REPO / "corpus"


@pytest.fixture(scope="module")
def documents():
    outcomes = list(process([CORPUS]))
    assert [o.error for o in outcomes if o.error] == []
    return [o.document for o in outcomes]


@pytest.fixture(scope="module")
def agency(documents):
    return [d for d in documents if not d.reference]


def test_the_agency_documents_are_mostly_french_with_every_other_language(agency):
    languages = Counter(d.language for d in agency)
    assert len(agency) >= 100
    assert languages["fr"] / len(agency) >= 0.6
    assert languages["ja"] >= 2
    assert all(languages[code] >= 3 for code in ("nl", "de", "en"))


def test_the_agency_documents_cover_every_type_format_sector_and_many_countries(agency):
    assert set(Counter(d.type for d in agency)) == {"news", "mission", "event", "factsheet"}
    assert {d.format for d in agency} == {"html", "markdown", "text", "json"}
    assert set(sectors.slugs()) <= {s for d in agency for s in d.sectors}
    assert len({c for d in agency for c in d.countries}) >= 30
    years = {d.date.year for d in agency if d.date}
    assert min(years) <= 2012 and max(years) >= 2026


def test_there_are_french_fact_sheets_for_at_least_twenty_markets(agency):
    sheets = [d for d in agency if d.type == "factsheet" and d.language == "fr"]
    assert len({d.countries[0] for d in sheets}) >= 20
    assert all(d.key_figures for d in sheets)


def test_every_factbook_country_has_an_english_reference_fact_sheet(documents):
    reference = [d for d in documents if d.reference]
    assert len(reference) >= 240
    assert all(d.language == "en" and d.type == "factsheet" and d.key_figures
               for d in reference)
    assert "JP" in {d.countries[0] for d in reference}


def test_the_2017_japan_mission_is_there_and_read_right(agency):
    found = [d for d in agency if d.type == "mission" and d.countries[:1] == ("JP",)
             and d.date and d.date.year == 2017]
    assert len(found) == 1
    mission = found[0]
    for name in ("Nagakute", "Waterloo", "Aichi", "ULB", "EVS", "Intopix", "Depthen",
                 "AGC Glass Europe", "Gosselies", "paralympiques"):
        assert name.lower() in mission.text.lower()
    assert {"automotive", "audiovisual"} <= set(mission.sectors)


def test_ingestion_meets_the_accuracy_targets_on_the_labelled_corpus():
    scores = evaluate(load_labels(REPO / "bench" / "ingest_labels"), REPO)
    assert scores.errors == []
    assert scores.documents >= 100
    assert scores.accuracy("language") >= 0.95
    assert scores.accuracy("country") >= 0.85
    assert scores.sector_f1 >= 0.70
    assert scores.accuracy("date") >= 0.85
    assert scores.accuracy("type") >= 0.85
    assert scores.body_recall >= 0.98
    assert scores.chrome_leak <= 0.02
