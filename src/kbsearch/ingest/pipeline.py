"""Sources (files and folders) → one outcome per file: a Document or the reason it failed.

One bad file never stops a batch: every failure is kept with its path and reason, and every
other file is still processed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kbsearch.errors import IngestError
from kbsearch.ingest.extract import extract_all
from kbsearch.ingest.files import iter_files
from kbsearch.ingest.readers import read_content
from kbsearch.model import Document, RawDocument

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class Outcome:
    """What became of one file: `document` when it was read, else `error`."""

    source: str
    document: Document | None = None
    error: str | None = None


def process_file(path: Path, source: str) -> Outcome:
    """Read and extract one file; never raises for a bad file."""
    return process_files([(path, source)])[0]


def process_files(files: Sequence[tuple[Path, str]]) -> list[Outcome]:
    """An Outcome for each (path, source), the files read one by one and their documents
    extracted together (see `extract_all`); never raises for a bad file."""
    outcomes: list[Outcome | None] = []
    places: list[int] = []  # where each file read goes in `outcomes`
    read: list[tuple[str, RawDocument, str]] = []
    for path, source in files:
        try:
            raw, data = read_content(path, source)
        except Exception as exc:  # noqa: BLE001 — one odd file must not stop a batch
            outcomes.append(_failed(source, exc))
            continue
        places.append(len(outcomes))
        read.append((source, raw, hashlib.sha256(data).hexdigest()))
        outcomes.append(None)
    for place, outcome in zip(places, _extracted(read)):
        outcomes[place] = outcome
    return outcomes


def _extracted(read: list[tuple[str, RawDocument, str]]) -> list[Outcome]:
    """An Outcome for each (source, raw document, content hash), extracted together; should
    that fail, each on its own, so that only the odd document fails."""
    try:
        documents = extract_all([(raw, content_hash) for _, raw, content_hash in read])
    except Exception as exc:  # noqa: BLE001 — one odd file must not stop a batch of thousands
        if len(read) == 1:
            return [_failed(read[0][0], exc)]
        return [outcome for item in read for outcome in _extracted([item])]
    return [Outcome(source, document=document)
            for (source, _, _), document in zip(read, documents)]


def _failed(source: str, exc: Exception) -> Outcome:
    """Why a file could not be read or extracted, as its Outcome says it."""
    if isinstance(exc, IngestError):
        return Outcome(source, error=exc.reason)
    if isinstance(exc, OSError):
        return Outcome(source, error=f"cannot be read: {exc.strerror or exc}")
    return Outcome(source, error=f"could not be processed ({exc.__class__.__name__}: {exc})")


def warm_up() -> None:
    """Build the vocabularies and language profiles when a worker process starts, rather
    than in the middle of its first file."""
    from kbsearch.ingest.langid import detect_language
    from kbsearch.vocab import countries, sectors
    countries.matcher()
    sectors.matcher()
    detect_language("Les entreprises wallonnes exportent vers le Japon et le Maroc.")


def process(sources: Iterable[str | Path]) -> Iterator[Outcome]:
    """An Outcome for every file under `sources`; a missing source is an error outcome too."""
    for path, source in iter_files(sources):
        if not path.exists():
            yield Outcome(source, error="no such file or directory")
            continue
        yield process_file(path, source)


def die_with_parent() -> None:
    """Make this worker process end when the indexing run that started it does.

    Spawned workers blocked on their job queue would otherwise outlive an indexer that was
    killed, forever. Linux only; elsewhere a no-op.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # orphaned already: it died before we asked
        os._exit(1)


# A spawned worker imports this module (through the indexer's main module) while it starts,
# when its process name is already its own and not yet "MainProcess"'s.
if multiprocessing.current_process().name != "MainProcess":
    die_with_parent()
