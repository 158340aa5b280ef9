"""Per-process state of the web app: the search engine each worker opens once, and today.

A newer index generation (written by `kbsearch index` meanwhile) is opened and warmed by a
background thread while requests keep using the current one; the next request switches over.
Opening and warming a 100,000-document index takes seconds, which no request should wait for.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

from flask import Flask, current_app

from kbsearch.errors import KbsearchError
from kbsearch.index.store import current_generation
from kbsearch.model import Hit, SearchRequest, SearchResult
from kbsearch.search.completion import Suggestion
from kbsearch.search.engine import SearchEngine
from kbsearch.web.auth import is_staff

log = logging.getLogger(__name__)


class EngineHolder:
    """The engine requests use, and the newer one a background thread prepares."""

    def __init__(self, index_dir: Path, today: dt.date, refresh_seconds: float):
        self.index_dir = index_dir
        self.today = today
        self.refresh_seconds = refresh_seconds
        self.engine = SearchEngine(index_dir, today=today)
        self.engine.warm()
        self._next: SearchEngine | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        if refresh_seconds > 0:
            threading.Thread(target=self._watch, name="kbsearch-refresh", daemon=True).start()

    def current(self) -> SearchEngine:
        """The engine for this request: the newer one if it is ready. The old one is closed
        here, in the request thread, so no search is using it."""
        with self._lock:
            fresher, self._next = self._next, None
        if fresher is not None:
            self.engine.close()
            self.engine = fresher
        return self.engine

    def _watch(self) -> None:
        while not self._stop.wait(self.refresh_seconds):
            with self._lock:
                pending = self._next
            known = (pending or self.engine).generation
            if current_generation(self.index_dir) in (known, None):
                continue
            try:
                fresher = SearchEngine(self.index_dir, today=self.today)
                fresher.warm()
            except (KbsearchError, OSError) as exc:  # keep serving the current index
                log.warning("not switching to the new index generation: %s", exc)
                continue
            with self._lock:
                if self._stop.is_set():  # closed meanwhile: nobody will take it
                    replaced = fresher
                else:
                    replaced, self._next = self._next, fresher
            if replaced is not None:
                replaced.close()

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            pending, self._next = self._next, None
        if pending is not None:
            pending.close()
        self.engine.close()


class EngineView:
    """The engine as the current visitor may see it: pages and API routes ask this, so none
    of them can forget whether internal documents are allowed."""

    def __init__(self, engine: SearchEngine, staff: bool):
        self._engine = engine
        self.staff = staff

    def search(self, request: SearchRequest) -> SearchResult:
        return self._engine.search(request, staff=self.staff)

    def document(self, doc_id: str) -> dict | None:
        return self._engine.document(doc_id, staff=self.staff)

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        return self._engine.more_like_this(doc_id, limit, staff=self.staff)

    def country_fact_sheets(self, country: str) -> tuple[Hit | None, Hit | None]:
        return self._engine.country_fact_sheets(country, staff=self.staff)

    def suggest(self, prefix: str, locale: str = "en", limit: int = 8) -> list[Suggestion]:
        return self._engine.suggest(prefix, locale, limit, staff=self.staff)


def open_engine() -> EngineHolder:
    """This process's engine holder, opening the engine on first use (within an app context:
    servers call it before the first request)."""
    state = current_app.extensions.setdefault("kbsearch", {})
    holder = state.get("holder")
    if holder is None:
        holder = state["holder"] = EngineHolder(Path(current_app.config["INDEX_DIR"]), today(),
                                                current_app.config["REFRESH_SECONDS"])
    return holder


def get_engine() -> EngineView:
    """This process's engine as the current visitor may see it."""
    return EngineView(open_engine().current(), is_staff())


def close_engine(app: Flask) -> None:
    """Close the app's engine, for hosts that drop an app but keep the process (tests);
    a server worker keeps its engine until it exits."""
    holder = app.extensions.get("kbsearch", {}).pop("holder", None)
    if holder is not None:
        holder.close()


def today() -> dt.date:
    fixed = current_app.config.get("TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
