"""Language codes as kbsearch keeps them: ISO 639-1, whatever form a page, a file or a query
gives them in."""

from __future__ import annotations

import re


def normalise_code(code: str | None) -> str | None:
    """`fr-BE`, `FR`, `fr_FR`, `zh-cn` → ISO 639-1 (`fr`, `zh`); anything else → None."""
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip().lower())[0]
    return primary if re.fullmatch(r"[a-z]{2}", primary) else None
