"""One reader per file format, each turning a file's bytes into the same RawDocument.

Readers report what a file says; they infer nothing. A file they cannot read raises IngestError
with a reason a person can act on; no other exception escapes `read_file`.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import yaml
from markdown_it_pyrs import MarkdownIt

from kbsearch import config
from kbsearch.errors import IngestError
from kbsearch.ingest import factbook
from kbsearch.ingest.dates import parse_date
from kbsearch.ingest.decode import UndecodableError, decode, looks_binary
from kbsearch.ingest.html import fragment_text, parse_html
from kbsearch.ingest.metadata import (as_list, parse_countries, parse_language, parse_sectors,
                                      parse_text)
from kbsearch.ingest.visibility import parse_visibility
from kbsearch.model import KeyFigure, RawDocument
from kbsearch.vocab.types import parse_type

FORMATS = {".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown",
           ".markdown": "markdown", ".txt": "text", ".text": "text", ".json": "json"}
FACTSHEET_SCHEMA = "kbsearch.factsheet/1"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def read_file(path: Path, source: str) -> RawDocument:
    """Read `path` (shown to users as `source`) with the reader its extension names."""
    return read_content(path, source)[0]


def read_content(path: Path, source: str) -> tuple[RawDocument, bytes]:
    """What `read_file` reads, with the file's bytes (which indexing hashes)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        supported = ", ".join(sorted(FORMATS))
        raise IngestError(source, f"unsupported file type '{path.suffix or '(none)'}' "
                                  f"(supported: {supported})")
    data = _read_bytes(path, source)
    try:
        return READERS[fmt](data, source), data
    except (ValueError, RecursionError) as exc:
        # Malformed content a reader gave up on, reported like any other unreadable file.
        raise IngestError(source, f"could not be read as {fmt}: {exc}") from exc


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > config.max_file_bytes():
            raise IngestError(source, f"file too large ({size / 1048576:.1f} MB; the limit is "
                                      f"{config.get('max_file_mb')} MB, KBSEARCH_MAX_FILE_MB)")
        data = path.read_bytes()
    except IngestError:
        raise
    except IsADirectoryError:
        raise IngestError(source, "is a directory, not a file") from None
    except OSError as exc:
        raise IngestError(source, f"cannot be read: {exc.strerror or exc}") from None
    if not data.strip():
        raise IngestError(source, "empty file")
    if looks_binary(data):
        raise IngestError(source, "binary content, not text")
    return data


def _decode_text(data: bytes, source: str) -> str:
    try:
        return decode(data)
    except UndecodableError as exc:
        raise IngestError(source, f"undecodable text: {exc}") from None


def read_html(data: bytes, source: str) -> RawDocument:
    try:
        page = parse_html(data)
    except UndecodableError as exc:
        raise IngestError(source, f"undecodable HTML: {exc}") from None
    if not page.text and not page.titles and not page.heading:
        raise IngestError(source, "no readable text in the page")
    return RawDocument(
        source=source, format="html", text=page.text, heading=page.heading,
        title_candidates=tuple(page.titles), date_candidates=tuple(page.published),
        datelines=tuple(page.datelines), type_hints=tuple(page.type_hints),
        declared_language=parse_language(page.lang), description=page.description,
        event_start=parse_date(page.event_start), event_end=parse_date(page.event_end),
        internal=bool(parse_visibility(page.visibility, source)),
    )


# libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents,
# several times faster than the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str, source: str) -> tuple[dict, str]:
    """YAML front matter (a mapping) and the body after it; no front matter gives `{}`."""
    found = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not found:
        return {}, text
    try:
        meta = yaml.load(found.group(1), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise IngestError(source, f"malformed front matter{where}: {problem}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise IngestError(source, "malformed front matter: expected 'key: value' lines")
    return {str(k).strip().lower(): v for k, v in meta.items()}, text[found.end():]


@functools.cache
def _markdown() -> MarkdownIt:
    """One renderer per process. markdown-it-pyrs is markdown-it (CommonMark, with tables) in
    Rust: a quarter of the time markdown-it-py (pure Python) took, with the same text on every
    Markdown file of the corpora and the held-out set. (cmark, by cmarkgfm, was as fast, but
    leaked each document's tree: 10 KB a file.) Raw HTML passes through, for `fragment_text`
    to read like any page's."""
    return MarkdownIt("commonmark").enable("table")


def _markdown_html(body: str) -> str:
    try:
        return _markdown().render(body)
    except BaseException as exc:  # a Rust panic arrives as a BaseException, not an Exception
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        raise ValueError(f"the Markdown renderer failed ({exc.__class__.__name__})") from exc


def read_markdown(data: bytes, source: str) -> RawDocument:
    meta, body = split_front_matter(_decode_text(data, source), source)
    text = fragment_text(_markdown_html(body))
    title = parse_text(meta.get("title"))
    heading = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", body, re.M)
    return RawDocument(
        source=source, format="markdown", text=text, title=title,
        heading=heading.group(1) if heading else None,
        date=parse_date(meta.get("date")), type=parse_type(meta.get("type")),
        countries=parse_countries(meta.get("countries", meta.get("country"))),
        sectors=parse_sectors(meta.get("sectors", meta.get("sector"))),
        language=parse_language(meta.get("language", meta.get("lang"))),
        summary=parse_text(meta.get("summary")) or parse_text(meta.get("description")),
        event_start=parse_date(meta.get("event_start")),
        event_end=parse_date(meta.get("event_end")),
        companies=tuple(as_list(meta.get("companies"))),
        internal=bool(parse_visibility(meta.get("visibility"), source)),
    )


def read_text(data: bytes, source: str) -> RawDocument:
    lines = _decode_text(data, source).strip().splitlines()
    if not lines:  # Unicode white space only (no-break spaces, separators): not empty bytes
        raise IngestError(source, "empty file (white space only)")
    title = lines[0].strip()
    body = "\n".join(lines[1:]).strip()
    return RawDocument(source=source, format="text", text=body, title=title)


def read_json(data: bytes, source: str) -> RawDocument:
    try:
        payload = json.loads(_decode_text(data, source))
    except ValueError as exc:
        raise IngestError(source, f"invalid JSON: {exc}") from None
    if isinstance(payload, dict) and factbook.is_factbook(payload):
        return factbook.read_factbook(payload, source)
    if isinstance(payload, dict) and (payload.get("schema") == FACTSHEET_SCHEMA
                                      or "country" in payload):
        return read_factsheet(payload, source)
    raise IngestError(source, f"unknown JSON document: expected a fact sheet "
                              f'("schema": "{FACTSHEET_SCHEMA}") or a World Factbook country file')


def read_factsheet(sheet: dict, source: str) -> RawDocument:
    """The agency's own fact sheet schema (docs/formats.md)."""
    countries = parse_countries(sheet.get("country"))
    if not countries:
        raise IngestError(source, f"fact sheet without a known country: "
                                  f"'country' is {sheet.get('country')!r}")
    figures = tuple(KeyFigure(str(f["label"]).strip(), str(f["value"]).strip())
                    for f in sheet.get("key_figures") or []
                    if isinstance(f, dict) and f.get("label") and f.get("value"))
    sections = [s for s in sheet.get("sections") or [] if isinstance(s, dict)]
    blocks = [f"{f.label} : {f.value}" for f in figures]
    for section in sections:
        blocks.extend(b for b in (parse_text(section.get("heading")),
                                  parse_text(section.get("text"))) if b)
    return RawDocument(
        source=source, format="json", text="\n\n".join(blocks),
        title=parse_text(sheet.get("title")), date=parse_date(sheet.get("date")),
        type="factsheet", countries=countries, sectors=parse_sectors(sheet.get("sectors")),
        language=parse_language(sheet.get("language")), summary=parse_text(sheet.get("summary")),
        key_figures=figures, internal=bool(parse_visibility(sheet.get("visibility"), source)),
    )


READERS = {"html": read_html, "markdown": read_markdown, "text": read_text, "json": read_json}
