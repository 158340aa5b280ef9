"""The index on disk: create, open, update incrementally, rebuild, and swap atomically.

Layout of an index folder:

    CURRENT                 the name of the generation readers should open
    gen-<stamp>/            a complete Whoosh index, plus manifest.json
    .lock                   held by the one indexing run allowed at a time

Every run writes a new generation: hard links of the previous one's files (Whoosh never changes
a segment file once written) plus the run's changes, committed, and only then named in CURRENT
by an atomic rename. A run that is killed or fails leaves CURRENT naming the previous, complete
generation, which searchers keep using meanwhile.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import shutil
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from kbsearch.errors import IndexLocked, IndexMissing
from kbsearch.index import parallel
from kbsearch.index import schema as f
from kbsearch.index.segments import TermFilingSegmentWriter
from kbsearch.ingest.files import iter_files

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
LOCK = ".lock"


@dataclass
class IndexReport:
    """What an indexing run did, file by file where it matters."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    generation: str = ""
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "deleted": self.deleted, "generation": self.generation,
                "seconds": round(self.seconds, 2),
                "errors": [{"source": s, "error": e} for s, e in self.errors]}


def document_id(root: str, source: str) -> str:
    """A short id, stable for a file under the same folder across runs."""
    return hashlib.sha1(f"{root}\0{source}".encode()).hexdigest()[:16]


def current_generation(index_dir: Path) -> Path | None:
    """The folder of the generation readers should open, or None if there is no index yet."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    path = index_dir / name
    return path if name and path.is_dir() else None


def open_index(index_dir: Path):
    """The current Whoosh index; IndexMissing (saying how to build one) when there is none
    or when it was built by another version of kbsearch."""
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexMissing(index_dir)
    # The version first: an older index may pickle analyzers this version no longer has.
    if _schema_version(generation) != f.SCHEMA_VERSION:
        raise IndexMissing(index_dir, "was built by another version of kbsearch")
    with warnings.catch_warnings():  # Whoosh leaves a damaged file open; it closes here
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return whoosh_index.open_dir(str(generation))
        except whoosh_index.EmptyIndexError:
            raise IndexMissing(index_dir) from None
        except (OSError, EOFError, ValueError, AttributeError, pickle.UnpicklingError,
                whoosh_index.IndexError) as exc:
            problem = f"is damaged ({exc.__class__.__name__})"
    raise IndexMissing(index_dir, problem)


def _read_manifest_file(generation: Path) -> dict:
    try:
        data = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _schema_version(generation: Path) -> int | None:
    return _read_manifest_file(generation).get("schema")


class _Lock:
    """An exclusive, non-blocking lock on the index folder; the OS frees it if we die."""

    def __init__(self, index_dir: Path):
        self.path = index_dir / LOCK
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "another process"
            self.handle.close()
            raise IndexLocked(self.path.parent, holder) from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()}")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        self.handle.close()


def _new_generation(index_dir: Path, previous: Path | None) -> Path:
    """A new generation folder: hard links of the previous generation's files, or empty."""
    name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    path = index_dir / name
    if previous is None:
        path.mkdir(parents=True)
        whoosh_index.create_in(str(path), f.build_schema())
    else:
        shutil.copytree(previous, path, copy_function=os.link,
                        ignore=shutil.ignore_patterns("*WRITELOCK*"))
    return path


def _publish(index_dir: Path, generation: Path, previous: Path | None) -> None:
    """Point CURRENT at `generation` atomically, then drop the generations nobody reads: all
    but the new one and the one it replaces (a searcher may still be reading that)."""
    temporary = index_dir / f".{CURRENT}.{os.getpid()}"
    temporary.write_text(generation.name, encoding="utf-8")
    os.replace(temporary, index_dir / CURRENT)
    for path in index_dir.glob("gen-*"):
        if path not in (generation, previous) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _index_here(writer: TermFilingSegmentWriter, jobs: list[parallel.FileJob]):
    """(job, Indexed) for each of a few files, indexed in this process."""
    # Imported only now: reading and extracting files needs lxml, numpy and the
    # language model, over half a second of imports that a run with nothing to read skips.
    from kbsearch.index.worker import index_files
    for start in range(0, len(jobs), parallel.BATCH_FILES):
        batch = jobs[start:start + parallel.BATCH_FILES]
        yield from zip(batch, index_files(writer, batch))


def _sources(sources: Iterable[str | Path]) -> list[tuple[Path, str, str]]:
    """(path, root, source relative to root) for every file under the given sources."""
    found = []
    for source in sources:
        given = Path(source)
        folder = given if given.is_dir() else given.parent
        root = str(folder.resolve())
        for path, _ in iter_files([given]):
            found.append((path, root, path.relative_to(folder).as_posix()))
    return found


def build_index(sources: Iterable[str | Path], index_dir: Path, rebuild: bool = False,
                progress: Callable[[int, int], None] | None = None) -> IndexReport:
    """Index `sources` into `index_dir`: incrementally by content hash, or from scratch."""
    started = time.monotonic()
    index_dir.mkdir(parents=True, exist_ok=True)
    report = IndexReport()
    with _Lock(index_dir):
        previous = current_generation(index_dir)
        base, manifest = _base_and_manifest(previous, rebuild)
        files = _sources(sources)
        generation = _new_generation(index_dir, base)
        seen, changed = _changed_files(files, manifest, report)
        writer = TermFilingSegmentWriter(whoosh_index.open_dir(str(generation)),
                                         compound=False)
        try:
            _write_changed(writer, generation, changed, len(files) - len(changed), len(files),
                           manifest, report, progress)
            roots = {root for _, root, _ in files}
            for doc_id in [i for i, e in manifest.items() if e["root"] in roots and i not in seen]:
                writer.delete_by_term(f.ID_FIELD, doc_id)
                del manifest[doc_id]
                report.deleted += 1
            changed = report.added or report.updated or report.deleted
            if changed or base is None:
                writer.commit(optimize=False)
            else:
                writer.cancel()  # nothing changed: keep serving the current generation
        except BaseException:
            writer.cancel()
            shutil.rmtree(generation, ignore_errors=True)
            raise
        if changed or base is None:
            (generation / MANIFEST).write_text(
                json.dumps({"schema": f.SCHEMA_VERSION, "documents": manifest}),
                encoding="utf-8")
            _publish(index_dir, generation, previous)
        else:
            shutil.rmtree(generation, ignore_errors=True)
            generation = base
    report.generation = generation.name
    report.seconds = time.monotonic() - started
    return report


def _base_and_manifest(previous: Path | None, rebuild: bool) -> tuple[Path | None, dict]:
    """The generation a run updates, with id → {root, source, hash, size, mtime} of every
    document it holds; (None, {}) to build from scratch: when asked, when there is no index,
    or when another version of kbsearch built it.

    The manifest lists every document: it is read once, and not at all for a rebuild."""
    if previous is None or rebuild:
        return None, {}
    recorded = _read_manifest_file(previous)
    if recorded.get("schema") != f.SCHEMA_VERSION:
        return None, {}
    return previous, recorded.get("documents", {})


def _changed_files(files, manifest: dict, report: IndexReport):
    """(ids of every file still present, files whose content is new or changed).

    Unchanged files are counted and skipped without being parsed: those with the size and
    modification time indexed last are not even read (as make and git do); the others are
    compared by content hash, so a file merely touched or copied is not re-indexed. A file
    the index does not hold is not read here at all: indexing it records its hash.
    """
    seen: set[str] = set()
    changed: list[tuple[Path, str, str, str, dict]] = []
    for path, root, source in files:
        doc_id = document_id(root, source)
        seen.add(doc_id)  # a file unreadable this time is still not a removed file
        known = manifest.get(doc_id) or {}
        try:
            stat = path.stat()
            state = {"size": stat.st_size, "mtime": stat.st_mtime_ns}
            if not known:
                changed.append((path, root, source, doc_id, state))
                continue
            if known.get("size") == state["size"] and known.get("mtime") == state["mtime"]:
                report.unchanged += 1
                continue
            state["hash"] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            report.errors.append((source, f"cannot be read: {exc.strerror or exc}"))
            continue
        if known.get("hash") == state["hash"]:
            report.unchanged += 1
        else:
            changed.append((path, root, source, doc_id, state))
    return seen, changed


def _write_changed(writer: TermFilingSegmentWriter, generation: Path, changed, done: int,
                   total: int, manifest: dict, report: IndexReport, progress) -> None:
    """Add or update each changed file: in bulk, on every core (see index.parallel); a few,
    here. A file that fails leaves its previous version, if any, searchable."""
    if not changed:
        return
    jobs = [parallel.FileJob(path, root, source, doc_id)
            for path, root, source, doc_id, _ in changed]
    states = {doc_id: state for _, _, _, doc_id, state in changed}
    workers = parallel.index_workers()
    bulk = None
    if workers >= 2 and len(jobs) >= parallel.PARALLEL_FROM:
        bulk = parallel.ParallelIndexing(generation, jobs, workers)
    for job, indexed in bulk or _index_here(writer, jobs):
        done += 1
        if progress:
            progress(done, total)
        if indexed.error is not None:
            report.errors.append((job.source, indexed.error))
            continue
        if job.doc_id in manifest:
            writer.delete_by_term(f.ID_FIELD, job.doc_id)  # the new version is added
            report.updated += 1
        else:
            report.added += 1
        manifest[job.doc_id] = {"root": job.root, "source": job.source, **states[job.doc_id],
                                "hash": indexed.content_hash}
    if bulk:
        writer.gather(bulk.segments)
