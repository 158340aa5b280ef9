"""Bytes → text, for files whose declared encoding may be missing or wrong.

UTF-8 is tried first because valid non-ASCII UTF-8 is almost never an accident, so a page that
declares iso-8859-1 but was saved as UTF-8 (a common CMS bug) still reads right. Binary content
is refused rather than indexed as garbage.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# Control characters other than tab, newline, carriage return and form feed mark binary data.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_LATIN1_ALIASES = {"iso8859-1", "cp1252", "ascii"}


class UndecodableError(ValueError):
    """The bytes are not text in any encoding kbsearch can recognise."""


def looks_binary(data: bytes) -> bool:
    """True for NUL bytes or a high share of control characters in the first 8 KiB."""
    sample = data[:8192]
    if any(sample.startswith(bom) for bom, _ in _BOMS[1:]):
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))  # counted in C
    return controls > max(2, len(sample) // 100)


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode `data`, preferring a BOM, then UTF-8, then the declared charset, then a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = None
        if name in _LATIN1_ALIASES:
            # Browsers read "iso-8859-1" as windows-1252, whose curly quotes CMSs really emit.
            return data.decode("cp1252", errors="replace")
        if name:
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                pass
    guess = from_bytes(data[:200_000]).best()
    if guess is not None and guess.encoding:
        return data.decode(guess.encoding, errors="replace")
    raise UndecodableError("not valid UTF-8 and no other text encoding fits")
