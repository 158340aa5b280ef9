"""Searching the bundled corpus as users do: across languages, with facets that tell the truth."""

import datetime as dt
import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbsearch.index.store import build_index
from kbsearch.model import SearchRequest
from kbsearch.search.engine import SearchEngine
from kbsearch.search.request import build_request


def sources(result):
    return [h.source for h in result.hits]


def test_an_english_query_finds_the_french_japan_mission(engine):
    result = engine.search(SearchRequest(query="car industry Japan"))
    assert "missions/2017-japon-mission-princiere.html" in sources(result)[:5]


def test_an_accentless_misspelled_french_query_finds_japan_and_suggests_a_spelling(engine):
    result = engine.search(SearchRequest(query="economie wallone japon"))
    assert result.suggestion == "economie wallonne japon"
    assert any("JP" in h.countries for h in result.hits[:3])


def test_a_staff_query_finds_the_2019_morocco_mission_first(engine):
    result = engine.search(SearchRequest(query="mission maroc 2019"))
    assert result.hits[0].source == "missions/2019-maroc-mission-economique.html"


@pytest.mark.parametrize("query", ["Fahrzeugbau", "autosector", "constructeurs automobiles"])
def test_sector_words_in_any_language_find_documents_tagged_with_the_sector(engine, query):
    result = engine.search(SearchRequest(query=query))
    assert result.total > 0
    assert all("automotive" in h.sectors for h in result.hits[:3])


def test_phrases_and_exclusions(engine):
    with_china = engine.search(SearchRequest(query='"mission princière"'))
    without = engine.search(SearchRequest(query='"mission princière" -Chine'))
    assert without.total < with_china.total
    assert not any(re.search(r"\bchine\b", engine.document(h.id)["text"], re.I)
                   for h in without.hits)


def test_documents_with_every_word_come_before_those_with_some(engine):
    result = engine.search(SearchRequest(query="Nagakute Waterloo", page_size=20))
    assert result.matched_all >= 1
    full = [h for h in result.hits[:result.matched_all]]
    assert all("nagakute" in engine.document(h.id)["text"].lower() and
               "waterloo" in engine.document(h.id)["text"].lower() for h in full)


def test_when_no_document_has_every_word_those_with_some_are_shown(engine):
    result = engine.search(SearchRequest(query="Nagakute xylophoneqz"))
    assert result.matched_all == 0 and result.relaxed
    assert result.total >= 1
    assert "nagakute" in engine.document(result.hits[0].id)["text"].lower()


def test_filters_that_leave_no_full_match_fall_back_to_partial_matches(engine):
    result = engine.search(build_request("mission économique", lang=["de"]))
    assert result.total >= 1 and all(h.language == "de" for h in result.hits)


@pytest.mark.parametrize("text", ['"', '"unbalanced', "OR", "- -- OR AND", "country:", ":", "*",
                                  "((", "sector:nothing", "日本", "😀", "a" * 5000, "\x00"])
def test_no_query_text_ever_raises(engine, text):
    engine.search(SearchRequest(query=text[:1000]))


def test_field_prefixes_in_the_query_become_selected_filters(engine):
    result = engine.search(SearchRequest(query="country:JP type:mission"))
    assert result.total >= 1
    assert all(h.type == "mission" and "JP" in h.countries for h in result.hits)
    assert any(v.value == "JP" and v.selected for v in result.facets["country"])


def brute_force(documents, request):
    """What the facet counts must be, from the stored documents alone."""
    def ok(doc, skip=None):
        checks = {
            "country": not request.countries or set(doc["countries"]) & set(request.countries),
            "sector": not request.sectors or set(doc["sectors"]) & set(request.sectors),
            "type": not request.types or doc["type"] in request.types,
            "language": not request.languages or doc["language"] in request.languages,
            "dates": not request.date_from or request.date_from.isoformat()
            <= (_meaningful_day(doc) or "") <= request.date_to.isoformat(),
        }
        return all(v for k, v in checks.items() if k != skip)

    counts = {}
    for facet, key in (("country", "countries"), ("sector", "sectors"), ("type", "type"),
                       ("language", "language")):
        tally = Counter()
        for doc in documents:
            if ok(doc, skip=facet):
                values = doc[key] if isinstance(doc[key], list) else [doc[key]]
                tally.update(values)
        counts[facet] = dict(tally)
    # Periods count every selection and the dates of when missions and events take place;
    # years ignore the date range, months (shown under one year) keep it.
    counts["year"] = dict(Counter(_meaningful_day(doc)[:4] for doc in documents
                                  if ok(doc, skip="dates") and _meaningful_day(doc)))
    if request.date_from:
        counts["month"] = dict(Counter(_meaningful_day(doc)[:7].replace("-", "")
                                       for doc in documents if ok(doc)))
    total = sum(1 for doc in documents if ok(doc))
    return counts, total


def _meaningful_day(doc):
    if doc["type"] in ("event", "mission") and doc["event_start"]:
        return doc["event_start"]
    return doc["date"]


@pytest.mark.parametrize("selection", [
    {},
    {"country": ["JP"]},
    {"sector": ["automotive", "agrifood"]},
    {"country": ["JP", "MA"], "type": ["mission", "news"]},
    {"sector": ["energy"], "lang": ["fr"], "type": ["news", "mission", "event"]},
    {"country": ["JP"], "from": "2017-01-01", "to": "2017-12-31"},
])
def test_facet_counts_equal_brute_force_counts(engine, corpus_documents, selection):
    request = build_request("", selection.get("country", ()), selection.get("sector", ()),
                            selection.get("type", ()), selection.get("lang", ()),
                            selection.get("from"), selection.get("to"))
    result = engine.search(request)
    expected, total = brute_force(corpus_documents.values(), request)
    assert set(expected) == set(result.facets)
    assert result.total == total
    for facet, counts in expected.items():
        shown = {v.value: v.count for v in result.facets[facet] if v.count}
        assert shown == counts, facet


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 11), unique=True, max_size=12), max_size=40),
       st.data())
def test_multi_valued_counts_equal_each_documents_values_counted(held, data):
    """Documents holding more values than the counting table is wide are counted in full."""
    from kbsearch.search import facets as fc
    pairs = [(doc, value) for doc, values in enumerate(held) for value in values]
    facet = fc._MultiValued([f"v{i}" for i in range(12)],
                            np.array([doc for doc, _ in pairs], dtype=np.int32),
                            np.array([value for _, value in pairs], dtype=np.int32), len(held))
    assert facet.table.shape[1] <= fc.TABLE_VALUES
    docs = sorted(data.draw(st.sets(st.integers(0, max(0, len(held) - 1)))) if held else [])
    expected = Counter(value for doc in docs for value in held[doc])
    assert facet.totals(np.array(docs, dtype=np.int64)).tolist() == \
        [expected[i] for i in range(12)]


def test_a_countrys_fact_sheets_are_the_newest_of_each_origin(engine, corpus_documents):
    sheets = [d for d in corpus_documents.values() if d["type"] == "factsheet"]
    countries = {code for sheet in sheets for code in sheet["countries"]}
    assert len(countries) > 10
    for code in sorted(countries):
        about = [d for d in sheets if code in d["countries"]]
        agency = [d for d in about if not d["reference"] and d["countries"][0] == code]
        reference = [d for d in about if d["reference"]]
        found = engine.country_fact_sheets(code)
        for hit, candidates in zip(found, (agency, reference)):
            if not candidates:
                assert hit is None, code
                continue
            newest = max(d["date"] or "" for d in candidates)
            assert hit.id in {d["id"] for d in candidates}, code
            assert (hit.date.isoformat() if hit.date else "") == newest, code
    # Both kinds of answer occur: countries with and without sheets of each origin.
    answers = [engine.country_fact_sheets(code) for code in countries]
    assert {(agency is None, reference is None) for agency, reference in answers} >= \
        {(False, False), (True, False)}


def test_a_sheet_mentioning_a_country_second_is_not_that_countrys_sheet(tmp_path):
    sheets = {"japon.md": ("2024-05-01", "Japon, Corée"), "coree.md": ("2020-01-01", "Corée"),
              "japon-ancien.md": ("2019-01-01", "Japon")}
    (tmp_path / "kb").mkdir()
    for name, (day, countries) in sheets.items():
        (tmp_path / "kb" / name).write_text(
            f"---\ntitle: Fiche {name}\ntype: factsheet\ndate: {day}\ncountries: {countries}\n"
            f"---\nChiffres clés du pays, commerce extérieur et investissements.\n",
            encoding="utf-8")
    build_index([tmp_path / "kb"], tmp_path / "index")
    with SearchEngine(tmp_path / "index") as engine:
        assert engine.country_fact_sheets("KR")[0].source == "coree.md"
        assert engine.country_fact_sheets("JP")[0].source == "japon.md"
        assert engine.country_fact_sheets("JP")[1] is None
        assert engine.country_fact_sheets("CN") == (None, None)


def test_facet_counts_with_a_query_match_brute_force_over_its_matches(engine, corpus_documents):
    everything = build_request("mission", size=100)
    matched = [corpus_documents[h.id] for h in engine.search(everything).hits]
    request = build_request("mission", country=["JP", "MA"], sector=["agrifood"], size=100)
    result = engine.search(request)
    expected, total = brute_force(matched, request)
    assert result.total == total
    for facet, counts in expected.items():
        assert {v.value: v.count for v in result.facets[facet] if v.count} == counts


def test_a_selected_value_never_disappears(engine):
    result = engine.search(build_request("", country=["JP"], type=["factsheet"]))
    assert any(v.value == "JP" and v.selected for v in result.facets["country"])
    assert {v.value for v in result.facets["type"]} >= {"factsheet", "mission", "news"}


def test_date_range_is_inclusive_and_uses_when_missions_and_events_take_place(engine):
    result = engine.search(build_request("", type=["mission"], date_from="2017-01-01",
                                         date_to="2017-12-31", size=50))
    assert result.total >= 1
    assert all(dt.date(2017, 1, 1) <= (h.event_start or h.date) <= dt.date(2017, 12, 31)
               for h in result.hits)
    assert [v.value for v in result.facets["year"] if v.selected] == ["2017"]
    assert "month" in result.facets


def test_sorting_by_date(engine):
    newest = engine.search(build_request("", type=["news"], sort="newest", size=20))
    dates = [h.date for h in newest.hits if h.date]
    assert dates == sorted(dates, reverse=True)
    oldest = engine.search(build_request("", type=["news"], sort="oldest", size=20))
    dates = [h.date for h in oldest.hits if h.date]
    assert dates == sorted(dates)


def test_paging_walks_through_every_result_once(engine):
    seen = []
    for page in (1, 2, 3):
        seen += [h.id for h in engine.search(build_request("export", page=page, size=5)).hits]
    assert len(seen) == len(set(seen)) == 15


def test_snippets_escape_the_text_before_marking_it(engine):
    result = engine.search(SearchRequest(query="Nagakute"))
    snippet = result.hits[0].snippet
    assert "<mark>Nagakute</mark>" in snippet
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_facet_labels_follow_the_locale(engine):
    french = engine.search(build_request("", country=["JP"], locale="fr"))
    dutch = engine.search(build_request("", country=["MA"], locale="nl"))
    assert any(v.label == "Japon" for v in french.facets["country"])
    assert any(v.label == "Marokko" for v in dutch.facets["country"])


def test_more_like_this_and_document(engine):
    hit = engine.search(SearchRequest(query="Nagakute")).hits[0]
    assert engine.document(hit.id)["title"] == hit.title
    related = engine.more_like_this(hit.id)
    assert related and hit.id not in [r.id for r in related]
    assert engine.document("no-such-id") is None


def meaningful_day(doc) -> str:
    """The day a date filter and the newest-first order go by (see index.fields)."""
    if doc["type"] in ("event", "mission") and doc.get("event_start"):
        return doc["event_start"]
    return doc["date"] or ""


def test_documents_like_one_go_on_with_those_sharing_most_countries_and_sectors(
        engine, corpus_documents):
    # Key terms are searched in the document's own language: documents in other languages
    # are related only by countries and sectors, the most shared first, then the newest.
    doc = next(d for d in corpus_documents.values()
               if d["language"] == "fr" and len(d["countries"]) + len(d["sectors"]) >= 3)
    concepts = {*doc["countries"], *doc["sectors"]}

    def shared(other):
        return len(concepts & {*other["countries"], *other["sectors"]})

    related = [corpus_documents[h.id] for h in
               engine.more_like_this(doc["id"], limit=len(corpus_documents))]
    others = [d for d in related if d["language"] != "fr"]
    expected = [d for d in corpus_documents.values() if d["language"] != "fr" and shared(d)]
    assert len(others) == len(expected) > 5
    keys = [(shared(d), meaningful_day(d)) for d in others]
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=True)
    assert all(a[1] >= b[1] for a, b in zip(keys, keys[1:]) if a[0] == b[0])


@pytest.mark.parametrize("prefix, kind, value", [("jap", "country", "JP"),
                                                  ("Marok", "country", "MA"),
                                                  ("fahrz", "sector", "automotive"),
                                                  ("agroal", "sector", "agrifood")])
def test_suggest_completes_concepts_in_any_language(engine, prefix, kind, value):
    assert (kind, value) in [(s.kind, s.value) for s in engine.suggest(prefix, "fr")]


def test_suggest_completes_titles(engine):
    titles = [s.label for s in engine.suggest("Mission princière", "fr") if s.kind == "title"]
    assert any(t.startswith("Mission princière") for t in titles)


def test_the_title_index_finds_what_a_scan_of_every_title_finds(engine):
    from kbsearch.search.completion import TitleIndex
    titles = engine._titles
    index = TitleIndex(titles)
    words = sorted({w for folded, _, _ in titles for w in folded.split()})
    prefixes = {w[:n] for w in words for n in (1, 3, 6)} | \
        {folded[:30] for folded, _, _ in titles[::5]} | {"mission princiere a", "zzz"}
    for prefix in sorted(prefixes):
        wanted = [t for t in titles
                  if t[0].startswith(prefix) or f" {prefix}" in f" {t[0]}"][:8]
        assert index.starting_with(prefix, 8) == wanted, prefix


QUERY_PIECES = st.sampled_from(['"', "-", "OR", "country:", "sector:auto", "type:", "lang:xx",
                                "Japon", "mission", "日本", "*", ":", "(", "é", "'", "’", " "])


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=80), st.lists(QUERY_PIECES, max_size=12).map("".join)))
def test_the_query_parser_and_search_never_raise_on_any_text(engine, text):
    result = engine.search(SearchRequest(query=text))
    assert result.total >= 0


def test_a_word_found_only_deep_in_a_body_is_not_corrected(engine, corpus_documents):
    """Every word the documents hold is a known word, wherever it is in them."""
    import re
    from kbsearch.vocab.text import fold
    doc = next(d for d in corpus_documents.values() if d["language"] == "fr")
    heading = fold(f"{doc['title']} {doc.get('summary') or ''}")
    text = engine._searcher.stored_fields(engine._docnum[doc["id"]])["content"]
    deep = [w for w in re.findall(r"[^\W\d_]{8,}", text[len(text) // 2:])
            if fold(w) not in heading][:5]
    assert deep
    for word in deep:
        assert engine.search(SearchRequest(query=word)).suggestion is None, word


def test_stop_words_are_never_corrected(engine):
    """Stop words are left out of the spelling dictionary; searched alone, they are still
    searched as typed, never taken for typos of the words nearest them."""
    for word in ("dans", "pour", "avec", "with", "this", "voor", "maar", "nicht", "oder"):
        assert engine.search(SearchRequest(query=word)).suggestion is None, word


def test_corrections_know_words_after_elided_articles_and_offer_only_words_of_letters(
        tmp_path):
    """The dictionary holds `exportation` where a text says `l'exportation`, so a misspelled
    `exportaton` is corrected; and it holds no `l'usine`, so `lusine` is not corrected to
    it, nor to anything with an apostrophe or a digit."""
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "fr.md").write_text(
        "---\ntitle: Commerce extérieur\nlanguage: fr\n---\nL'exportation wallonne "
        "progresse et l'usine de Herstal tourne. L'exportation vers le Japon double. "
        "Le lusin2 reste une référence.\n", encoding="utf-8")
    assert build_index([tmp_path / "kb"], tmp_path / "index").errors == []
    with SearchEngine(tmp_path / "index") as engine:
        assert engine.search(SearchRequest(query="exportaton")).suggestion == "exportation"
        offered = engine.search(SearchRequest(query="lusine")).suggestion
        assert offered is None or offered.isalpha(), offered


def test_a_dutch_or_german_compound_is_found_by_any_long_part_of_it(tmp_path):
    """`Gemeinschaft` finds `Gemeinschaftsstand`: long query words are looked for inside the
    long words of Dutch and German documents (not of French ones, which do not compound)."""
    documents = {
        "de.md": ("de", "Anuga in Köln", "Der wallonische Gemeinschaftsstand zeigt in Köln "
                  "zwölf Unternehmen. Ein Besuchermagnet."),
        "nl.md": ("nl", "Beurs in Keulen", "De Waalse handelsbetrekkingen met Keulen groeien. "
                  "Twaalf bedrijven stellen tentoon."),
        "fr.md": ("fr", "Salon à Cologne", "Le stand wallon expose à Cologne des nouveautés "
                  "extraordinaires. Douze entreprises présentes."),
    }
    (tmp_path / "kb").mkdir()
    for name, (language, title, text) in documents.items():
        (tmp_path / "kb" / name).write_text(
            f"---\ntitle: {title}\nlanguage: {language}\n---\n{text}\n", encoding="utf-8")
    assert build_index([tmp_path / "kb"], tmp_path / "index").errors == []
    with SearchEngine(tmp_path / "index") as engine:
        def found(query):
            return sources(engine.search(SearchRequest(query=query)))
        assert found("Gemeinschaft") == ["de.md"]
        assert found("schaftsstand") == ["de.md"]
        assert found("BESUCHER") == ["de.md"]
        assert found("betrekkingen") == ["nl.md"]
        assert found("Gemeinschaft Köln")[0] == "de.md"
        assert found("ordinaire") == []  # inside a French word: not a compound part
        assert found("Gemein") == ["de.md"]  # six letters: long enough
        assert found("Gemei") == []


def test_documents_of_equal_rank_keep_their_order_when_one_is_indexed_again(tmp_path):
    """Ties are listed by source path, not by when documents were indexed: re-indexing a file
    (or a bulk rebuild whose workers finish in another order) does not reorder them."""
    kb = tmp_path / "kb"
    kb.mkdir()
    page = "---\ntitle: Salon à Lyon\ndate: 2024-05-01\n---\nLes entreprises wallonnes exposent.\n"
    for name in ("c.md", "a.md", "e.md", "b.md", "d.md"):
        (kb / name).write_text(page, encoding="utf-8")

    def orders():
        with SearchEngine(tmp_path / "index") as engine:
            return [sources(engine.search(SearchRequest(query=query, sort=sort)))
                    for query, sort in (("entreprises wallonnes", "relevance"), ("", "newest"),
                                        ("entreprises", "oldest"))]

    build_index([kb], tmp_path / "index")
    assert orders() == [["a.md", "b.md", "c.md", "d.md", "e.md"]] * 3
    (kb / "a.md").write_text(page + "\n", encoding="utf-8")  # new content, the same words
    assert build_index([kb], tmp_path / "index").updated == 1
    assert orders() == [["a.md", "b.md", "c.md", "d.md", "e.md"]] * 3


def test_remembered_documents_stay_within_their_bound_and_match_the_index(engine, monkeypatch):
    """Documents shown are kept decoded, as many as REMEMBERED: memory stays bounded, and a
    document read again (remembered or read anew) is the one the index stores."""
    from kbsearch.index import schema as f
    from kbsearch.search.documents import StoredDocuments
    monkeypatch.setattr(StoredDocuments, "REMEMBERED", 3)
    documents = StoredDocuments(engine._searcher)
    for _ in range(2):
        for docnum in (0, 1, 2, 3, 4, 1, 0):
            stored = engine._searcher.stored_fields(docnum)
            assert (documents[docnum].id, documents[docnum].text) == \
                (stored[f.ID_FIELD], stored[f.CONTENT])
            assert len(documents._recent) <= 3
