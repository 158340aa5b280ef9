"""Where the files that ship beside the code are: at the repository root in a checkout, inside
the package (`kbsearch/_bundled/`) in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """`templates` or `corpus`, wherever this installation keeps it."""
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name
