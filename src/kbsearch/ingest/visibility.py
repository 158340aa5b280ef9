"""Who may see a document: everyone (public) or the agency's staff only (internal).

A file says so itself (`visibility: internal` in front matter, a `"visibility"` key in a JSON
fact sheet, `<meta name="visibility" content="internal">` in a page), or lies under a folder
the `internal_folders` setting names. An unknown value is refused rather than guessed: a typo
must not publish a mission report.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from kbsearch import config
from kbsearch.errors import IngestError

PUBLIC_VALUES = {"public", "publique", "publiek", "öffentlich"}
INTERNAL_VALUES = {"internal", "interne", "intern", "staff", "private", "privé"}


def parse_visibility(value: object, source: str) -> bool | None:
    """True for internal, False for public, None when the file does not say."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().lower()
    if text in INTERNAL_VALUES:
        return True
    if text in PUBLIC_VALUES:
        return False
    raise IngestError(source, f"unknown visibility {str(value)[:40]!r}: "
                              f"expected 'public' or 'internal'")


def in_internal_folder(source: str) -> bool:
    """The file (a path relative to the folder indexed) lies under an internal folder."""
    folders = [PurePosixPath(f.strip().strip("/")) for f in config.get("internal_folders").split(",")
               if f.strip().strip("/")]
    path = PurePosixPath(source)
    return any(path.is_relative_to(folder) for folder in folders)
