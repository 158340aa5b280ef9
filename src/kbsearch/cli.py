"""The `kbsearch` command line. Thin: parses arguments, calls the layers below, prints."""

from __future__ import annotations

import json
import sys
from collections import Counter

import click

from kbsearch import __version__
from kbsearch.ingest.pipeline import Outcome, process
from kbsearch.vocab import countries, sectors


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
