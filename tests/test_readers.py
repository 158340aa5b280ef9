"""Each format yields a RawDocument; a file that cannot be read says so by name and reason."""

import pytest

from kbsearch.errors import IngestError
from kbsearch.ingest.readers import read_file
from tests.conftest import FIXTURES


def read(path):
    return read_file(path, str(path))


def test_front_matter_values_are_read_and_normalised(write):
    raw = read(write("a.md", "---\ntitle: Mission au Maroc\ndate: 2019-03-12\ntype: Mission\n"
                             "countries: Maroc, BE\nsectors: [agroalimentaire, logistics]\n"
                             "language: fr\nsummary: Court.\n---\n# Autre titre\n\nLe corps.\n"))
    assert raw.title == "Mission au Maroc"
    assert raw.date.isoformat() == "2019-03-12"
    assert raw.type == "mission"
    assert raw.countries == ("MA", "BE")
    assert raw.sectors == ("agrifood", "logistics")
    assert (raw.language, raw.summary) == ("fr", "Court.")
    assert "Le corps." in raw.text


def test_markdown_without_front_matter_is_all_body(write):
    raw = read(write("b.md", "# Salon à Tokyo\n\nUn **salon** avec [lien](http://x) et\n\n- un\n"
                             "- deux\n"))
    assert raw.title is None and raw.heading == "Salon à Tokyo"
    assert "Un salon avec lien et" in raw.text
    assert "**" not in raw.text and "http://x" not in raw.text


def test_markdown_blocks_and_raw_html_read_as_a_reader_sees_them(write):
    raw = read(write("c.md", "Intro &amp; suite<!-- note interne -->, fin.\n\n"
                             "| Pays | Part |\n|---|---|\n| Japon | 12 % |\n\n"
                             "<script>var x = 1;</script>\n\n"
                             "<div>Bloc <ruby>東京<rt>とうきょう</rt></ruby> brut</div>\n\n"
                             "</html>\n\nAprès la fin.\n"))
    assert raw.text.split("\n\n") == ["Intro & suite, fin.", "Pays", "Part", "Japon", "12 %",
                                        "Bloc 東京 brut", "Après la fin."]


def test_malformed_front_matter_is_reported_with_its_line(write):
    with pytest.raises(IngestError, match=r"malformed front matter at line \d+"):
        read(write("c.md", "---\ntitle: [unclosed\ndate: 2019\n---\nBody\n"))


def test_plain_text_first_non_empty_line_is_the_title(write):
    raw = read(write("d.txt", "\n\n  Mission en Inde  \nLe corps du texte.\nSuite.\n"))
    assert raw.title == "Mission en Inde"
    assert raw.text == "Le corps du texte.\nSuite."


def test_a_kbsearch_fact_sheet_is_read(write):
    raw = read(write("e.json", '{"schema": "kbsearch.factsheet/1", "country": "Japon", '
                               '"language": "fr", "key_figures": [{"label": "Population", '
                               '"value": "124 millions"}], "sections": [{"heading": "Économie",'
                               ' "text": "Troisième économie mondiale."}]}'))
    assert (raw.type, raw.countries, raw.language) == ("factsheet", ("JP",), "fr")
    assert raw.key_figures[0].label == "Population"
    assert "Population : 124 millions" in raw.text and "Troisième économie" in raw.text


def test_a_fact_sheet_without_a_country_is_refused(write):
    with pytest.raises(IngestError, match="without a known country"):
        read(write("f.json", '{"schema": "kbsearch.factsheet/1", "country": "Atlantis"}'))


def test_a_world_factbook_file_becomes_an_english_reference_fact_sheet():
    raw = read(FIXTURES / "factbook-ja.json")
    assert raw.countries == ("JP",) and raw.language == "en" and raw.reference
    figures = {f.label: f.value for f in raw.key_figures}
    assert figures["Capital"] == "Tokyo"
    assert figures["Population"].startswith("123,201,945")
    assert "2024" in figures["GDP (official exchange rate)"]  # the latest year, not the oldest
    assert "<" not in raw.text  # Factbook HTML fragments are stripped


def test_a_factbook_entry_that_is_not_a_country_is_reported():
    with pytest.raises(IngestError, match="not a country"):
        read(FIXTURES / "factbook-ocean.json")


@pytest.mark.parametrize("name, content, reason", [
    ("empty.html", b"", "empty file"),
    ("blank.txt", b"  \n\t\n", "empty file"),
    ("separator.txt", b"\x1c\n", "empty file"),  # white space to str.strip, not to bytes
    ("nbsp.txt", "\u00a0\u2003\n".encode(), "empty file"),
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("doc.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
    ("x.json", b'{"broken": ', "invalid JSON"),
    ("y.json", b'[1, 2, 3]', "unknown JSON document"),
    ("z.html", b"<html><body><script>var a;</script></body></html>", "no readable text"),
])
def test_bad_files_raise_a_clear_reason(write, name, content, reason):
    with pytest.raises(IngestError, match=reason):
        read(write(name, content))


def test_an_oversized_file_is_refused(write, monkeypatch):
    monkeypatch.setenv("KBSEARCH_MAX_FILE_MB", "0.001")
    with pytest.raises(IngestError, match="file too large"):
        read(write("big.txt", "Titre\n" + "mot " * 1000))


def test_a_directory_named_like_a_document_is_reported(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(IngestError, match="is a directory"):
        read(tmp_path / "folder.txt")


def test_a_dangling_link_is_reported(tmp_path):
    (tmp_path / "link.md").symlink_to(tmp_path / "gone.md")
    with pytest.raises(IngestError, match="cannot be read"):
        read(tmp_path / "link.md")


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(IngestError, match="cannot be read"):
        read(tmp_path / "absent.txt")
