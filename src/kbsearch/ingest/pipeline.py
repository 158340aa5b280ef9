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
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kbsearch import config
from kbsearch.errors import IngestError
from kbsearch.ingest.extract import extract
from kbsearch.ingest.readers import read_file
from kbsearch.model import Document

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
# Files read and extracted per window ahead of the index writer (see process_files).
READ_AHEAD_FILES = 256
PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Files a knowledge-base folder holds about itself rather than as content.
_NOT_CONTENT = {"readme", "license", "licence", "changelog", "copying"}


@dataclass(frozen=True)
class Outcome:
    """What became of one file: `document` when it was read, else `error`."""

    source: str
    document: Document | None = None
    error: str | None = None


def iter_files(sources: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """(path, source as shown) for each file given, and each content file under each folder.

    Hidden files and a folder's README/LICENSE are skipped when walking; a file named
    explicitly is always processed.
    """
    for source in sources:
        root = Path(source)
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                relative = path.relative_to(root)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if path.stem.lower() in _NOT_CONTENT:
                    continue
                yield path, str(path)
        else:
            yield root, str(source)


def process_file(path: Path, source: str) -> Outcome:
    """Read and extract one file; never raises for a bad file."""
    try:
        raw = read_file(path, source)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return Outcome(source, document=extract(raw, content_hash=digest))
    except IngestError as exc:
        return Outcome(source, error=exc.reason)
    except OSError as exc:
        return Outcome(source, error=f"cannot be read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 — one odd file must not stop a batch of thousands
        return Outcome(source, error=f"could not be processed ({exc.__class__.__name__}: {exc})")


def warm_up() -> None:
    """Build the vocabularies and language profiles when a worker process starts, rather
    than in the middle of its first file."""
    from kbsearch.ingest.langid import detect_language
    from kbsearch.vocab import countries, sectors
    countries.matcher()
    sectors.matcher()
    detect_language("Les entreprises wallonnes exportent vers le Japon et le Maroc.")


def _process_pair(pair: tuple[Path, str]) -> Outcome:
    return process_file(*pair)


def index_workers() -> int:
    """How many processes indexing may use: the setting, else every core."""
    cores = os.cpu_count() or 1
    return min(cores, int(config.get("index_workers")) or cores)


def process_files(pairs: list[tuple[Path, str]]) -> Iterator[Outcome]:
    """process_file over many (path, source) pairs, in order, on every core when it pays."""
    workers = index_workers()
    if workers < 2 or len(pairs) < PARALLEL_FROM:
        yield from map(_process_pair, pairs)
        return
    # Spawned, not forked: a fork would inherit the index lock, and children of a killed
    # indexer would keep holding it.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=warm_up) as pool:
        # Window by window, the next one queued while this one is handed on: the workers
        # stay busy, and they never run more than two windows ahead of the caller. A pool
        # given every file at once keeps every result it has not yet handed on, and the
        # index writer is the slower side: at 100,000 files that was most of the indexer's
        # memory.
        pending: deque = deque()
        for start in range(0, len(pairs), READ_AHEAD_FILES):
            window = pairs[start:start + READ_AHEAD_FILES]
            pending.append(pool.imap(_process_pair, window, chunksize=8))
            if len(pending) == 2:
                yield from pending.popleft()
        while pending:
            yield from pending.popleft()


def process(sources: Iterable[str | Path]) -> Iterator[Outcome]:
    """An Outcome for every file under `sources`; a missing source is an error outcome too."""
    for path, source in iter_files(sources):
        if not path.exists():
            yield Outcome(source, error="no such file or directory")
            continue
        yield process_file(path, source)


def die_with_parent() -> None:
    """Make this worker process end when the indexing run that started it does.

    Spawned workers blocked on their job queue (Whoosh's segment writers among them) would
    otherwise outlive an indexer that was killed, forever. Linux only; elsewhere a no-op.
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
