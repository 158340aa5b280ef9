"""The `kbsearch` command line. Thin: parses arguments, calls the layers below, prints."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import TYPE_CHECKING

import click

from pathlib import Path

from kbsearch import __version__, config
from kbsearch.errors import InvalidParameter, KbsearchError
from kbsearch.index.store import build_index
from kbsearch.search.request import build_request
from kbsearch.search.serialise import result_to_json
from kbsearch.vocab import countries, sectors

if TYPE_CHECKING:
    from kbsearch.ingest.pipeline import Outcome


INDEX_OPTION = click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), default=None,
    help="Index folder (default: $KBSEARCH_INDEX, else ~/.local/share/kbsearch/index).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kbsearch")
def main() -> None:
    """Multilingual search over the agency's knowledge base."""


def _inspect_json(outcome: Outcome) -> dict:
    if outcome.document is None:
        return {"source": outcome.source, "title": None, "language": None,
                "language_confidence": None, "date": None, "type": None, "countries": [],
                "sectors": [], "summary": None, "text": None, "error": outcome.error}
    data = outcome.document.to_json()
    data["error"] = None
    return data


def _print_document(outcome: Outcome) -> None:
    if outcome.document is None:
        click.secho(f"✗ {outcome.source}: {outcome.error}", fg="red", err=True)
        return
    doc = outcome.document
    click.secho(f"{doc.source}", bold=True)
    click.echo(f"  {doc.title}")
    click.echo(f"  {doc.type} · {doc.language} ({doc.language_confidence:.2f}) · "
               f"{doc.date or 'no date'} · countries: {', '.join(doc.countries) or '-'} · "
               f"sectors: {', '.join(doc.sectors) or '-'}")


def _print_summary(outcomes: list[Outcome]) -> None:
    docs = [o.document for o in outcomes if o.document]
    errors = [o for o in outcomes if o.error]
    click.secho(f"{len(docs)} documents read, {len(errors)} files with errors", bold=True)
    tallies = {
        "Language": Counter(d.language for d in docs),
        "Type": Counter(d.type for d in docs),
        "Country": Counter(f"{c} {countries.name(c, 'en')}" for d in docs for c in d.countries),
        "Sector": Counter(sectors.label(s, "en") for d in docs for s in d.sectors),
        "Year": Counter(str(d.date.year) if d.date else "undated" for d in docs),
    }
    for heading, tally in tallies.items():
        click.secho(f"\n{heading} ({len(tally)})", bold=True)
        for value, count in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"  {count:5d}  {value}")
    for outcome in errors:
        click.secho(f"✗ {outcome.source}: {outcome.error}", fg="red", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array, an object per file.")
@click.option("--summary", is_flag=True, help="Print counts by language, type, country, sector.")
def inspect(files: tuple[str, ...], as_json: bool, summary: bool) -> None:
    """Read FILES (files or folders) and show the metadata extracted, without indexing.

    Exits with status 1 when any file could not be read; every other file is still shown.
    """
    from kbsearch.ingest.pipeline import process  # the readers' imports, for this command only
    outcomes = []
    for outcome in process(files):
        outcomes.append(outcome)
        if not as_json and not summary:
            _print_document(outcome)
    if as_json:
        json.dump([_inspect_json(o) for o in outcomes], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif summary:
        _print_summary(outcomes)
    if any(o.error for o in outcomes):
        sys.exit(1)


@main.command("index")
@click.argument("sources", nargs=-1, required=True)
@INDEX_OPTION
@click.option("--rebuild", is_flag=True, help="Build from scratch instead of updating.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def index_command(sources: tuple[str, ...], index_dir: Path | None, rebuild: bool,
                  as_json: bool) -> None:
    """Index SOURCES (files or folders): only changed files are read again.

    Files that cannot be read are reported by name and reason; the rest is indexed, and the
    exit status is 1. The previous index stays searchable until the new one is complete.
    """
    target = index_dir or config.index_dir()
    bar = None
    if sys.stderr.isatty() and not as_json:
        bar = click.progressbar(length=1, label="Indexing", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.length = total
        bar.update(done - bar.pos)

    try:
        report = build_index(sources, target, rebuild=rebuild,
                             progress=progress if bar else None)
    except KbsearchError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if bar:
            bar.render_finish()
    if as_json:
        click.echo(json.dumps({**report.to_json(), "index": str(target)}, ensure_ascii=False))
    else:
        click.echo(f"{target}: {report.added} added, {report.updated} updated, "
                   f"{report.unchanged} unchanged, {report.deleted} deleted, "
                   f"{len(report.errors)} errors ({report.seconds:.1f} s)")
        for source, error in report.errors:
            click.secho(f"✗ {source}: {error}", fg="red", err=True)
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("query", default="")
@click.option("--country", multiple=True, help="ISO code or name; repeat for several (OR).")
@click.option("--sector", multiple=True, help="Sector slug or name; repeatable.")
@click.option("--type", "doc_type", multiple=True, help="news, mission, event or factsheet.")
@click.option("--lang", multiple=True, help="Document language (ISO 639-1); repeatable.")
@click.option("--from", "date_from", help="From this date (YYYY-MM-DD or YYYY), inclusive.")
@click.option("--to", "date_to", help="Up to this date (YYYY-MM-DD or YYYY), inclusive.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance")
@click.option("--limit", default=10, show_default=True, help="Hits per page.")
@click.option("--page", default=1, show_default=True)
@click.option("--locale", default="en", show_default=True, help="Language of facet labels.")
@click.option("--staff", is_flag=True, help="Include internal documents (staff only).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@INDEX_OPTION
def search(query: str, country, sector, doc_type, lang, date_from, date_to, sort, limit, page,
           locale, staff: bool, as_json: bool, index_dir: Path | None) -> None:
    """Search the index for QUERY (words, "phrases", -exclusions, OR, country:JP…)."""
    try:
        request = build_request(query, country, sector, doc_type, lang, date_from, date_to,
                                sort, page, limit, locale)
    except InvalidParameter as exc:
        raise click.BadParameter(exc.reason, param_hint=f"--{exc.name}") from None
    from kbsearch.search.engine import SearchEngine  # not needed by the other commands
    try:
        engine = SearchEngine(index_dir or config.index_dir())
    except KbsearchError as exc:
        raise click.ClickException(str(exc)) from None
    with engine:
        result = engine.search(request, staff=staff)
    if as_json:
        click.echo(json.dumps(result_to_json(result), ensure_ascii=False, indent=2))
        return
    _print_result(result)


def _print_result(result) -> None:
    if result.suggestion:
        click.secho(f"Did you mean: {result.suggestion}?", fg="yellow")
    first = (result.request.page - 1) * result.request.page_size
    click.secho(f"{result.total} documents" + (" (not every word found)" if result.relaxed
                                              else ""), bold=True)
    for rank, hit in enumerate(result.hits, first + 1):
        click.secho(f"{rank:3d}. {hit.title}", bold=True)
        click.echo(f"     {hit.type} · {hit.language} · {hit.date or 'no date'} · "
                   f"{', '.join(hit.countries) or '-'} · {', '.join(hit.sectors) or '-'}")
        click.echo(f"     {hit.source}")
    for name, values in result.facets.items():
        shown = ", ".join(f"{'[x] ' if v.selected else ''}{v.label} ({v.count})"
                          for v in values[:8])
        click.echo(f"{name}: {shown}")


@main.command()
@INDEX_OPTION
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=lambda: int(config.get("workers")), type=click.IntRange(1, 64),
              help="Worker processes (default: $KBSEARCH_WORKERS, else 2).")
def serve(index_dir: Path | None, host: str, port: int, workers: int) -> None:
    """Serve the search pages and the JSON API on a production WSGI server."""
    from kbsearch.index.store import open_index
    from kbsearch.web.server import serve as run_server
    target = index_dir or config.index_dir()
    try:
        open_index(target)
    except KbsearchError as exc:
        raise click.ClickException(str(exc)) from None
    click.secho(f"kbsearch is serving {target} at http://{host}:{port}/", bold=True)
    run_server(str(target), host, port, workers)


@main.command("hash-password")
def hash_password() -> None:
    """Hash a staff password or an API token for the settings
    (KBSEARCH_STAFF_PASSWORD_HASH, KBSEARCH_API_TOKEN_HASH)."""
    from werkzeug.security import generate_password_hash
    secret = click.prompt("Password or token", hide_input=True, confirmation_prompt=True)
    if len(secret) < 12:
        raise click.BadParameter("use at least 12 characters")
    click.echo(generate_password_hash(secret))


if __name__ == "__main__":
    main()
