"""What the benchmark scripts share: where the repository is, the indexing command, and how
results go into bench/README.md."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def index_command(corpus: Path, index_dir: Path, rebuild: bool = False) -> list[str]:
    """`kbsearch index` as a child process runs it."""
    return [sys.executable, "-m", "kbsearch.cli", "index", str(corpus), "--index",
            str(index_dir)] + (["--rebuild"] if rebuild else [])


def replace_block(readme: Path, start: str, end: str, block: str, heading: str) -> None:
    """Put `block` between the `start` and `end` markers of the README (appended under
    `heading` the first time)."""
    block = f"{start}\n{block}\n{end}"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if start in text and end in text:
        text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + f"\n\n{heading}\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
