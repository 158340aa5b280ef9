"""Per-process state of the web app: the search engine each worker opens once, and today."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from flask import current_app

from kbsearch.search.engine import SearchEngine


def get_engine() -> SearchEngine:
    """This process's engine, opened on first use and switched to a newer index generation
    (written by `kbsearch index` meanwhile) at most once per REFRESH_SECONDS."""
    state = current_app.extensions.setdefault("kbsearch", {})
    engine = state.get("engine")
    if engine is None:
        engine = state["engine"] = SearchEngine(Path(current_app.config["INDEX_DIR"]),
                                                today=today())
        state["checked"] = time.monotonic()
    elif time.monotonic() - state["checked"] >= current_app.config["REFRESH_SECONDS"]:
        state["checked"] = time.monotonic()
        engine.refresh()
    return engine


def close_engine(app) -> None:
    """Close the app's engine, for hosts that drop an app but keep the process (tests);
    a server worker keeps its engine until it exits."""
    engine = app.extensions.get("kbsearch", {}).pop("engine", None)
    if engine is not None:
        engine.close()


def today() -> dt.date:
    fixed = current_app.config.get("TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
