"""Property tests: whatever bytes a file holds, reading it never crashes the batch."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbsearch.errors import IngestError
from kbsearch.ingest.pipeline import process_file
from kbsearch.ingest.readers import FORMATS, read_file

EXTENSIONS = sorted(FORMATS)
HTMLISH = st.lists(st.sampled_from([
    b"<html>", b"<body>", b"<article>", b"<p>", b"</p>", b"<nav>", b"<div class='cookie'>",
    b"<h1>", b"</div>", b"&eacute;", b"&#xD800;", b"<script>", b"<time datetime='2019-13-45'>",
    b'<meta charset="bogus-9">', b"\xe9\xe8", "Économie 12 mars 2019 ".encode(), b"\x00",
    b"---\n", b"title: [\n", b'{"country": ', b"<!--", b"]]>", b"<table><tr><td>",
]), max_size=40).map(b"".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=3000), HTMLISH), extension=st.sampled_from(EXTENSIONS))
def test_readers_raise_nothing_but_a_clear_ingest_error(tmp_path, data, extension):
    path = tmp_path / f"fuzz{extension}"
    path.write_bytes(data)
    try:
        raw = read_file(path, path.name)
    except IngestError as exc:
        assert exc.path == path.name and exc.reason
    else:
        assert isinstance(raw.text, str)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=3000), HTMLISH), extension=st.sampled_from(EXTENSIONS))
def test_processing_a_file_always_yields_a_document_or_a_reason(tmp_path, data, extension):
    path = tmp_path / f"fuzz{extension}"
    path.write_bytes(data)
    outcome = process_file(path, path.name)
    assert (outcome.document is None) != (outcome.error is None)
