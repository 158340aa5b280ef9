"""What an indexing process does with files: read and extract each one and add its document to
the process's segment writer. Bulk runs do it in worker processes (see index.parallel), small
runs in their own process."""

from __future__ import annotations

import traceback

from whoosh import index as whoosh_index

from kbsearch.index.fields import document_fields
from kbsearch.index.parallel import FileJob, Indexed
from kbsearch.index.segments import TermFilingSegmentWriter
from kbsearch.ingest.pipeline import Outcome, die_with_parent, process_files, warm_up


def index_files(writer: TermFilingSegmentWriter, jobs: list[FileJob]) -> list[Indexed]:
    """Add the files' documents with `writer`, in order; they are read and extracted
    together (see `process_files`)."""
    return [_added(writer, job, outcome) for job, outcome in
            zip(jobs, process_files([(job.path, job.source) for job in jobs]))]


def _added(writer: TermFilingSegmentWriter, job: FileJob, outcome: Outcome) -> Indexed:
    if outcome.document is None:
        return Indexed(error=outcome.error or "unreadable")
    writer.add_document(**document_fields(outcome.document, job.doc_id, job.root, job.source))
    return Indexed(content_hash=outcome.document.content_hash)


def work(generation: str, todo, results) -> None:
    """A worker: index batches until told to stop, then finish its segment and send it."""
    die_with_parent()
    try:
        warm_up()
        writer = TermFilingSegmentWriter(whoosh_index.open_dir(generation), _lk=False,
                                         compound=False)
        while (batch := todo.get()) is not None:
            number, jobs = batch
            results.put(("files", number, index_files(writer, jobs)))
        if writer.doc_count():
            results.put(("segment", None, writer._finalize_segment()))
        else:
            writer._close_segment()
            results.put(("segment", None, None))
    except BaseException:  # noqa: BLE001 — the run must hear why, whatever it was
        results.put(("failed", None, traceback.format_exc()))
