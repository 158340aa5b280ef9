"""Every setting kbsearch reads, declared once with its default, help and environment variable.

Settings come from `KBSEARCH_<NAME>` environment variables; nothing else in the code reads the
environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env_var(self) -> str:
        return f"KBSEARCH_{self.name.upper()}"


SETTINGS = {
    s.name: s
    for s in (
        Setting("home_country", "BE", "ISO code of the agency's own country: never the primary "
                "country of a report about a mission abroad"),
        Setting("max_file_mb", "20", "files larger than this many megabytes are refused"),
        Setting("workers", "2", "worker processes of `kbsearch serve`"),
        Setting("index_workers", "0", "processes that read, extract and index files in a bulk "
                "run, each into a segment of its own (0: one per core)"),
        Setting("index_nice", "10", "how far a bulk run's worker processes lower their CPU "
                "priority (0–19, as `nice`), so that searches served on the same machine come "
                "first (0: not at all)"),
        Setting("internal_folders", "", "comma-separated folders, relative to the folder "
                "indexed, whose documents only staff may see (e.g. `missions/rapports`)"),
        Setting("staff_password_hash", "", "hash of the staff password (`kbsearch hash-password`); "
                "empty: no staff sign-in"),
        Setting("api_token_hash", "", "hash of the API bearer token giving staff access "
                "(`kbsearch hash-password`); empty: none"),
        Setting("secret_key", "", "key signing staff sessions; required for staff sign-in"),
        Setting("session_minutes", "480", "a staff session expires after this many minutes"),
        Setting("api_rate_limit", "120", "API requests per minute per client address (0: no limit)"),
        Setting("index", "", "the index folder (default: kbsearch/index under the user's "
                "data folder, $XDG_DATA_HOME or ~/.local/share)"),
    )
}


def get(name: str) -> str:
    """The setting's value: its environment variable when set, else its default."""
    setting = SETTINGS[name]
    return os.environ.get(setting.env_var, setting.default)


def home_country() -> str:
    return get("home_country").strip().upper()


def max_file_bytes() -> int:
    return int(float(get("max_file_mb")) * 1024 * 1024)


def index_dir() -> Path:
    """Where the index lives unless a command names another folder."""
    explicit = get("index").strip()
    if explicit:
        return Path(explicit).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "kbsearch" / "index"
