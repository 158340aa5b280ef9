"""Bulk indexing on every core: worker processes that each read, extract and index their share
of the files into a Whoosh segment of their own, which the run then commits with its own.

Reading, extracting and indexing a document all cost CPU in Python; done in one process, a
document never crosses a process boundary. (Before, each Document was pickled from the
extraction workers to the indexer, then again to Whoosh's segment-writer processes.) Files go
out in small batches from one queue, so a worker that draws slow files simply takes fewer.

What a worker runs is in `index.worker`. This module does not import it, nor the readers it
needs (lxml, numpy, the language model: over half a second): the run that starts the
workers has no use for them, and the workers start that much sooner.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kbsearch import config
from kbsearch.errors import IndexingFailed, InvalidParameter

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
# Files per batch handed to a worker: small enough to balance the workers, large enough that
# the queues cost nothing next to the files. A worker reads and extracts a batch's files
# together (see ingest.pipeline.process_files) and remembers their texts' words for indexing
# them (see vocab.text.REMEMBERED_TEXTS, which must hold a batch's titles and bodies).
BATCH_FILES = 32
# How long the run waits for a result before checking that its workers are still alive.
POLL_SECONDS = 1.0


def index_workers() -> int:
    """How many processes indexing may use: the setting, else one per core."""
    return int(config.get("index_workers")) or os.cpu_count() or 1


def index_niceness() -> int:
    """How far the workers lower their CPU priority.

    A bulk run takes every core it is given. At the same priority, the server's workers got
    half the CPU while a re-index ran, and searches took twice as long; at a lower one they
    come first, and the run takes the time they leave (all of it on an idle machine).
    """
    value = config.get("index_nice").strip()
    if not (value.isdecimal() and int(value) <= 19):
        raise InvalidParameter(config.SETTINGS["index_nice"].env_var, value,
                               "a whole number from 0 to 19")
    return int(value)


@dataclass(frozen=True)
class FileJob:
    """One file to index, and the id its document gets."""

    path: Path
    root: str
    source: str
    doc_id: str


@dataclass(frozen=True)
class Indexed:
    """What became of one file: the error that kept it out, else the hash of the content
    indexed (the run records it; it does not read new files a second time to hash them)."""

    error: str | None = None
    content_hash: str = ""


class ParallelIndexing:
    """Index `jobs` into new segments of the index in `generation`, on `workers` processes.

    Iterate to get (job, Indexed) for every job in order; once iteration ends, `segments`
    holds the workers' segments, to commit.
    """

    def __init__(self, generation: Path, jobs: list[FileJob], workers: int):
        niceness = index_niceness()  # refused before anything starts
        self.segments: list = []
        self._index_dir = generation.parent
        self._batches = [jobs[i:i + BATCH_FILES] for i in range(0, len(jobs), BATCH_FILES)]
        # Spawned, not forked: a fork would inherit the index lock, and children of a killed
        # indexer would keep holding it.
        context = multiprocessing.get_context("spawn")
        self._todo = context.Queue()
        self._results = context.Queue()
        for number, batch in enumerate(self._batches):
            self._todo.put((number, batch))
        self._workers = [context.Process(target=_work, daemon=True,
                                         args=(str(generation), self._todo, self._results,
                                               niceness))
                         for _ in range(min(workers, len(self._batches)))]
        for _ in self._workers:
            self._todo.put(None)
        for worker in self._workers:
            worker.start()

    def __iter__(self) -> Iterator[tuple[FileJob, Indexed]]:
        try:
            yield from self._in_order()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers; the segments of an unfinished run are left to the caller's
        cleanup (they are files in a generation that is never published)."""
        for worker in self._workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        # Batches nobody will take must not keep this process from exiting.
        self._todo.cancel_join_thread()

    def _in_order(self) -> Iterator[tuple[FileJob, Indexed]]:
        done: dict[int, list[Indexed]] = {}
        next_batch = 0
        finished = 0
        while finished < len(self._workers):
            kind, number, payload = self._next_result()
            if kind == "failed":
                raise IndexingFailed(self._index_dir, f"a worker failed:\n{payload}")
            if kind == "segment":
                finished += 1
                if payload is not None:
                    self.segments.append(payload)
                continue
            done[number] = payload
            while next_batch in done:
                yield from zip(self._batches[next_batch], done.pop(next_batch))
                next_batch += 1
        if next_batch != len(self._batches):
            raise IndexingFailed(self._index_dir,
                                 f"{len(self._batches) - next_batch} batches were not indexed")

    def _next_result(self) -> tuple:
        while True:
            # Checked at every result too: the other workers would otherwise go on with the
            # whole run before its failure showed.
            dead = [w for w in self._workers if w.exitcode not in (None, 0)]
            if dead:
                raise IndexingFailed(self._index_dir, f"a worker process died (exit code "
                                     f"{dead[0].exitcode})")
            try:
                return self._results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue


def _work(generation: str, todo, results, niceness: int) -> None:
    """The worker process's target: at its lower priority (see `index_niceness`), importing
    what it runs only once in the worker."""
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    from kbsearch.index.worker import work
    work(generation, todo, results)
