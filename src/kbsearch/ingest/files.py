"""Which files a source (a file or a folder) stands for.

Apart from the pipeline that reads them: an indexing run lists and compares every file before
it knows whether any needs reading, and that must not wait for the readers' imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

# Files a knowledge-base folder holds about itself rather than as content.
_NOT_CONTENT = {"readme", "license", "licence", "changelog", "copying"}


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
