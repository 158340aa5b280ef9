"""Publication and event dates, from metadata first and then from the text, in fr/nl/de/en.

Numeric dates are read day first (`12/03/2019` is 12 March), as Belgians write them. A date is
only a publication date when nothing says otherwise: a copyright line, a registration deadline
and an event's own dates are told apart by the words around them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from babel.dates import get_month_names

from kbsearch.vocab.text import fold

MONTH_LOCALES = ("fr", "nl", "de", "en")
_MIN_YEAR, _MAX_YEAR = 1990, 2100
# How far before a date its cue words are looked for, in characters.
_CONTEXT = 70

_PUBLICATION_CUES = re.compile(
    r"(publie|mis en ligne|mise en ligne|date de publication|communique|posted|published|"
    r"gepubliceerd|geplaatst|gepost|veroffentlicht|erschienen|publiziert|stand:|"
    r"press release|persbericht|pressemitteilung)\W*(le|on|op|am)?\W*$")
_UPDATE_CUES = re.compile(r"(mis a jour|mise a jour|actualise|updated|last modified|bijgewerkt|"
                          r"aktualisiert|geandert)\W*(le|on|op|am)?\W*$")
_COPYRIGHT_CUES = re.compile(r"(©|\(c\)|copyright|tous droits|all rights|alle rechten)")
_DEADLINE_CUES = re.compile(
    r"(inscri\w*|enregistr\w*|date limite|deadline|avant le|au plus tard|jusqu.au|cloture|"
    r"register\w*|registration|apply|sign up|before|no later than|until|by$|"
    r"uiterlijk|inschrij\w*|aanmeld\w*|tot en met|voor$|anmeld\w*|anmeldeschluss|"
    r"spatestens|bis zum|bis$|frist)\W*(le|on|op|am|the)?\W*$")
_EVENT_CUES = re.compile(
    r"(aura lieu|se tiendra|se deroulera|auront lieu|a lieu|rendez-vous|quand|dates\W*:|"
    r"takes place|will take place|will be held|is held|when\W*:|"
    r"vindt plaats|vinden plaats|zal plaatsvinden|wanneer\W*:|datum\W*:|"
    r"findet|finden|wann\W*:|termin\W*:|日時|開催日|会期)[^.]*$")


# Where a year could start (overlapping: `21999` holds 2199 and 1999), and how far a date
# reaches before its year (`28 septembre au 30 novembre 2026`, with room for odd spacing) and
# after it (`2026年3月12日`).
_YEAR_STARTS = re.compile(r"(?=(?:19|20|21)\d\d)")
_BEFORE_YEAR, _AFTER_YEAR = 120, 40
# What each pattern has right next to its year (see `_year_contexts`): a month name or a day
# and white space before it (`mars 2026`, `12th, 2026`), a separator before it (`12/03/2026`),
# a separator and a digit after it (`2026-03-12`), or 年 after it.
_CONTEXT_OF = {"day_range": "written", "month_range": "written", "day_month_year": "written",
               "month_day_year": "written", "iso": "then_digits", "year_first": "then_digits",
               "numeric": "after_digits", "japanese": "kanji"}
_SEPARATOR_BEFORE = ("/", ".", "-")
_THEN_DIGITS = re.compile(r"[-/.]\d")
_KANJI = re.compile(r"\s*年")


@dataclass(frozen=True)
class DateMention:
    """A full date found in text; `end` is set for ranges such as `du 12 au 15 mars 2026`."""

    date: dt.date
    end: dt.date | None
    position: int
    context: str  # folded text just before the mention

    @property
    def is_range(self) -> bool:
        return self.end is not None


@functools.cache
def _month_numbers() -> dict[str, int]:
    months: dict[str, int] = {}
    for locale in MONTH_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    months[fold(name).rstrip(".")] = number
    months.update({"maerz": 3, "janner": 1, "sept": 9})  # common spellings CLDR lacks
    return months


@functools.cache
def _patterns() -> dict[str, re.Pattern]:
    month = "|".join(sorted((re.escape(m) for m in _month_numbers()), key=len, reverse=True))
    day = r"(?P<day>[0-3]?\d)(?:er|e|eme|st|nd|rd|th|\.)?"
    year = r"(?P<year>(?:19|20|21)\d\d)"
    to = r"\s*(?:au|a|et|-|–|—|tot|en|bis|to|and|till|until|/)\s*"
    return {
        # 12 - 15 mars 2026, du 3 au 5 mai 2021, vom 12. bis 15. März 2026
        "day_range": re.compile(
            rf"\b(?P<day1>[0-3]?\d)(?:er|e|st|nd|rd|th|\.)?{to}{day}\s+(?P<month>{month})\.?\s+"
            rf"{year}\b"),
        # 28 février au 3 mars 2026
        "month_range": re.compile(
            rf"\b(?P<day1>[0-3]?\d)(?:er|e|st|nd|rd|th|\.)?\s+(?P<month1>{month})\.?{to}{day}\s+"
            rf"(?P<month>{month})\.?\s+{year}\b"),
        # 12 mars 2019, 3 mei 2021, 12. März 2019, 1er juin 2020, 12th March 2019
        "day_month_year": re.compile(rf"\b{day}\s+(?P<month>{month})\.?,?\s+{year}\b"),
        # March 12, 2019
        "month_day_year": re.compile(
            rf"\b(?P<month>{month})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{year}\b"),
        # 2019-03-12
        "iso": re.compile(
            r"\b(?P<year>(?:19|20|21)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),
        # 2019/03/12
        "year_first": re.compile(
            r"\b(?P<year>(?:19|20|21)\d\d)[/.](?P<month>[01]?\d)[/.](?P<day>[0-3]?\d)(?!\d)"),
        # 12/03/2019, 12.03.2019, 12-03-2019: day first
        "numeric": re.compile(
            r"\b(?P<day>[0-3]?\d)[/.-](?P<month>[0-3]?\d)[/.-](?P<year>(?:19|20|21)\d\d)\b"),
        # 2019年3月12日
        "japanese": re.compile(r"(?P<year>(?:19|20|21)\d\d)\s*年\s*(?P<month>[01]?\d)\s*月\s*"
                               r"(?P<day>[0-3]?\d)\s*日"),
    }


def _build(year: str, month: str | int, day: str) -> dt.date | None:
    number = month if isinstance(month, int) else (
        int(month) if month.isdigit() else _month_numbers().get(month.rstrip(".")))
    try:
        value = dt.date(int(year), int(number or 0), int(day))
    except (ValueError, TypeError):
        return None
    return value if _MIN_YEAR <= value.year <= _MAX_YEAR else None


@functools.lru_cache(maxsize=8)
def find_dates(text: str) -> tuple[DateMention, ...]:
    """Every full date in `text`, in reading order; overlapping matches keep the longest.

    Remembered for the last few texts: the publication and the event date both read the
    same body.
    """
    folded = fold(text)
    found: list[tuple[int, int, DateMention]] = []
    taken: list[tuple[int, int]] = []
    windows = _around_years(folded)
    for kind, pattern in _patterns().items():
        for start, end in windows.get(_CONTEXT_OF[kind], ()):
            for m in pattern.finditer(folded, start, end):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                mention = _mention(kind, m, folded)
                if mention:
                    taken.append((m.start(), m.end()))
                    found.append((m.start(), m.end(), mention))
    return tuple(mention for _, _, mention in sorted(found, key=lambda f: f[0]))


def _around_years(folded: str) -> dict[str, list[tuple[int, int]]]:
    """The stretches of text that can hold a date, by what their years have next to them
    (see _CONTEXT_OF): every pattern has a four-digit year, so each pattern searches only
    around the years with what it needs next to them (each pattern scanning a whole page cost
    more than everything else in dating it; most years in prose, `en 2019`, are no date's).
    Stretches that touch are joined, so no date is cut."""
    windows: dict[str, list[tuple[int, int]]] = {}
    for year in _YEAR_STARTS.finditer(folded):
        start, end = max(0, year.start() - _BEFORE_YEAR), year.start() + 4 + _AFTER_YEAR
        for context in _year_contexts(folded, year.start()):
            found = windows.setdefault(context, [])
            if found and start <= found[-1][1]:
                found[-1] = (found[-1][0], end)
            else:
                found.append((start, end))
    return windows


def _year_contexts(folded: str, year: int) -> list[str]:
    """What the year starting at `year` has next to it that some patterns need there."""
    contexts = []
    if _THEN_DIGITS.match(folded, year + 4):
        contexts.append("then_digits")
    if _KANJI.match(folded, year + 4):
        contexts.append("kanji")
    if folded[year - 1:year] in _SEPARATOR_BEFORE:
        contexts.append("after_digits")
    word = _word_before(folded[max(0, year - _BEFORE_YEAR):year])
    if word and (word in _month_numbers() or word[-1].isdigit() or
                 (word[-2:] in ("st", "nd", "rd", "th") and word[-3:-2].isdigit())):
        contexts.append("written")
    return contexts


def _word_before(head: str) -> str:
    """The word that `(\\w+)\\.?,?\\s+$` finds at the end of `head`, else "": read backwards,
    since searching for it from the start tries every position (40 µs a year)."""
    end = len(head.rstrip())
    if end == len(head):
        return ""  # no white space before the year
    if head[end - 1:end] == ",":
        end -= 1
    if head[end - 1:end] == ".":
        end -= 1
    start = end
    while start and (head[start - 1].isalnum() or head[start - 1] == "_"):
        start -= 1
    return head[start:end]


def _mention(kind: str, m: re.Match, folded: str) -> DateMention | None:
    groups = m.groupdict()
    end = None
    if kind == "day_range":
        start = _build(groups["year"], groups["month"], groups["day1"])
        end = _build(groups["year"], groups["month"], groups["day"])
    elif kind == "month_range":
        start = _build(groups["year"], groups["month1"], groups["day1"])
        end = _build(groups["year"], groups["month"], groups["day"])
    elif kind == "numeric":
        # Day first, as Belgians write; `03/25/2019` can only be American, month first.
        start = _build(groups["year"], groups["month"], groups["day"]) or \
            _build(groups["year"], groups["day"], groups["month"])
    else:
        start = _build(groups["year"], groups["month"], groups["day"])
    if start is None or (end is not None and end < start):
        return None
    context = folded[max(0, m.start() - _CONTEXT):m.start()]
    return DateMention(start, end, m.start(), context)


def parse_date(value: object) -> dt.date | None:
    """A date from metadata: a date object, ISO text (with or without time) or a written date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    mentions = find_dates(value.strip()[:200])
    return mentions[0].date if mentions else None


def is_excluded_from_publication(mention: DateMention) -> bool:
    """Copyright lines, deadlines and an event's own dates are not publication dates."""
    context = mention.context
    return bool(mention.is_range or _COPYRIGHT_CUES.search(context[-30:])
                or _DEADLINE_CUES.search(context[-40:]) or _EVENT_CUES.search(context))


def _is_dateline(mention: DateMention, text: str) -> bool:
    """`Namur, le 3 mai 2021` or a cue such as `Publié le` right before the date."""
    if _PUBLICATION_CUES.search(mention.context):
        return True
    line_start = mention.context.rfind("\n") + 1
    before = mention.context[line_start:]
    return bool(re.fullmatch(r"\s*[\w' -]{2,40},\s*(le|den|on|op)?\s*", before))


def publication_date(metadata: list[object], datelines: list[str], text: str,
                     head_chars: int = 400) -> dt.date | None:
    """The publication date: metadata, then a dateline, then a cued or leading date in the text.

    Without any of those, the latest date in the text that is not excluded: reports are written
    after what they report.
    """
    for value in metadata:
        found = parse_date(value)
        if found:
            return found
    for line in datelines:
        # A byline's own label (`Date :`) is not an event cue.
        line = re.sub(r"^\W*(dates?|datum|le|on|op|am)\W*:?\s*", "", line, flags=re.I)
        mentions = [m for m in find_dates(line) if not is_excluded_from_publication(m)]
        # `Mis à jour le 20/06 | Publié le 12/06`: the cued publication date, else not the update.
        mentions.sort(key=lambda m: (not _PUBLICATION_CUES.search(m.context),
                                     bool(_UPDATE_CUES.search(m.context[-30:]))))
        if mentions:
            return mentions[0].date
    mentions = find_dates(text)
    for mention in mentions:
        if _is_dateline(mention, text) and not mention.is_range:
            return mention.date
    candidates = [m for m in mentions if not is_excluded_from_publication(m)]
    head = [m for m in candidates if m.position < head_chars]
    if head:
        return head[0].date
    return max((m.date for m in candidates), default=None)


def event_dates(start: object, end: object, text: str, published: dt.date | None = None
                ) -> tuple[dt.date | None, dt.date | None]:
    """When an event takes place: explicit metadata, else a range or an event-cued date, else
    the first date that is neither the publication date nor a deadline."""
    explicit_start, explicit_end = parse_date(start), parse_date(end)
    if explicit_start:
        return explicit_start, explicit_end if explicit_end and explicit_end >= explicit_start \
            else None
    mentions = find_dates(text)
    for mention in mentions:
        if mention.is_range or _EVENT_CUES.search(mention.context):
            return mention.date, mention.end
    for mention in mentions:
        if not (_DEADLINE_CUES.search(mention.context[-40:]) or _is_dateline(mention, text)
                or _COPYRIGHT_CUES.search(mention.context[-30:]) or mention.date == published):
            return mention.date, None
    return None, None
