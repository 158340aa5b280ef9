"""RawDocument → Document: decide every field a reader could not read explicitly.

Explicit metadata always wins; otherwise each field is inferred from the title and text, with
the title weighing more than the body and the start of the body more than its end.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from kbsearch import config
from kbsearch.ingest import dates
from kbsearch.ingest.langid import DetectedLanguage, detect_language, detect_languages
from kbsearch.model import Document, RawDocument
from kbsearch.vocab import countries, sectors
from kbsearch.vocab.text import PhraseMatcher, Tokenized, fold

SUMMARY_CHARS = 300
# Tokens at the start of the body that count as its lead paragraph.
LEAD_TOKENS = 120
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
_COUNTRY_KIND_WEIGHT = {"name": 1.0, "demonym": 0.6, "place": 0.8}
# What CMSs put between an article's title and the site's name (never a colon: titles use it).
_TITLE_SEPARATORS = re.compile(r"(\s+[|–—»·-]\s+|\s+::\s+)")

# Cue phrases per type (folded). Title hits count TITLE_WEIGHT, body hits 1.
_TYPE_CUES = {
    "event": (
        "aura lieu", "se tiendra", "se deroulera", "auront lieu", "inscrivez-vous", "inscrivez vous",
        "inscription", "inscriptions", "participez", "rejoignez", "salon", "foire", "webinaire",
        "webinar", "seminaire", "rencontres b2b", "pavillon", "date limite", "programme",
        "register", "registration", "join us", "will take place", "will be held", "trade fair",
        "trade show", "exhibition", "fair", "beurs", "inschrijven", "inschrijving",
        "schrijf je in", "vindt plaats", "zal plaatsvinden", "messe", "anmeldung", "anmelden",
        "melden sie sich", "findet", "veranstaltung", "workshop", "conference", "save the date",
        "appel a participation", "b2b meetings", "matchmaking", "seminar", "symposium",
        "journee d'information", "atelier", "infotag", "info session", "information session",
        "networking", "infosessie", "informatiesessie", "netwerkevent", "studiedag",
        "セミナー", "商談会", "展示会", "見本市", "開催"),
    "mission": (
        "mission economique", "mission commerciale", "mission princiere",
        "mission multisectorielle", "mission sectorielle", "mission", "missions",
        "handelsmissie", "economische missie", "prinselijke missie", "missie",
        "wirtschaftsmission", "delegationsreise", "handelsmission", "trade mission",
        "economic mission", "princely mission", "ミッション", "使節団", "訪問団",
        "voyage d'affaires", "voyage economique", "visite d'etat", "visite officielle",
        "delegation economique", "delegation commerciale", "delegation d'entreprises",
        "handelsreis", "zakenreis", "staatsbezoek", "economische delegatie",
        "handelsdelegatie", "staatsbesuch", "wirtschaftsdelegation", "unternehmerreise",
        "unternehmerdelegation", "business trip", "state visit", "trade delegation",
        "business delegation", "economic delegation"),
    "factsheet": (
        "fiche pays", "country profile", "country fact sheet", "landenfiche", "landenprofiel",
        "landerprofil", "landerbericht", "chiffres cles", "key figures", "kerncijfers",
        "eckdaten", "pib par habitant", "gdp per capita"),
}
# Words in breadcrumbs, URLs, og:type or JSON-LD @type that name the type outright.
_TYPE_HINTS = {
    "event": ("event", "events", "evenement", "evenements", "agenda", "evenementen",
              "veranstaltung", "veranstaltungen", "webinar", "webinaire", "salons"),
    "mission": ("mission", "missions", "missie", "missies", "delegationsreise"),
    "factsheet": ("fiche-pays", "fiches-pays", "country-profile", "landenfiche", "factsheet"),
    "news": ("actualite", "actualites", "news", "nieuws", "aktuelles", "nachrichten", "presse",
             "communiques", "persberichten"),
}
# Phrases that show an event is still to come: registration, the future tense.
_UPCOMING = ("inscri*", "register", "registration", "aanmeld*", "inschrij*", "anmeld*",
             "aura lieu", "se tiendra", "will take place", "vindt plaats", "findet",
             "参加登録", "申し込み", "お申込み", "登録締切")
# Phrases that show a mission has happened: it is a report, not an announcement.
_PAST = ("s'est deroulee", "s'est tenue", "a reuni", "ont participe", "a conduit", "a mene",
         "a rencontre", "ont rencontre", "took place", "was held", "met with", "visited",
         "vond plaats", "bezocht", "ontmoette", "fand statt", "besuchte", "traf")


def extract_all(raws: list[tuple[RawDocument, str]]) -> list[Document]:
    """`extract(raw, content_hash)` for each pair, the languages detected all at once (see
    `detect_languages`)."""
    detected = iter(detect_languages([(_language_sample(raw), raw.declared_language)
                                      for raw, _ in raws if not raw.language]))
    return [extract(raw, content_hash, None if raw.language else next(detected))
            for raw, content_hash in raws]


def extract(raw: RawDocument, content_hash: str = "",
            detected: DetectedLanguage | None = None) -> Document:
    """Decide every field of the Document; never raises on any RawDocument. `detected` is
    the language detected from `raw`, if it was (see `extract_all`)."""
    title = choose_title(raw)
    text = raw.text
    if raw.language:
        language, confidence = raw.language, 1.0
    else:
        detected = detected or detect_language(_language_sample(raw), raw.declared_language)
        language, confidence = detected.code, detected.confidence
    # A fact sheet's text is full of historical dates; only its metadata dates it.
    is_factsheet = raw.type == "factsheet" or bool(raw.key_figures)
    published = raw.date or dates.publication_date(
        list(raw.date_candidates), list(raw.datelines), "" if is_factsheet else text)
    event_start, event_end = dates.event_dates(raw.event_start, raw.event_end, text, published)
    # Tokenised once for the many vocabularies and cue lists that read them.
    title_words, text_words = Tokenized.of(title), Tokenized.of(text)
    doc_type = raw.type or infer_type(raw, title_words, text_words, published, event_start)
    if doc_type not in ("event", "mission") and not raw.event_start:
        event_start = event_end = None
    return Document(
        source=raw.source, format=raw.format, title=title, text=text,
        language=language, language_confidence=confidence, date=published, type=doc_type,
        countries=raw.countries or infer_countries(title_words, text_words),
        sectors=raw.sectors or infer_sectors(title_words, text_words),
        summary=raw.summary or summarise(raw.description or "", text, title),
        event_start=event_start, event_end=event_end, companies=raw.companies,
        key_figures=raw.key_figures, reference=raw.reference, internal=raw.internal,
        content_hash=content_hash,
        declared_language=raw.declared_language,
    )


def _language_sample(raw: RawDocument) -> str:
    """What language detection reads: the title, then the text."""
    return f"{choose_title(raw)}\n{raw.text}"


def choose_title(raw: RawDocument) -> str:
    """Explicit title, else the main heading, else a page title without the site's name."""
    for explicit in (raw.title, raw.heading):
        if explicit and len(explicit.strip()) >= 3:
            return _shorten(explicit, 300)
    for candidate in raw.title_candidates:
        cleaned = _strip_site_name(candidate)
        if len(cleaned) >= 3:
            return _shorten(cleaned, 300)
    first_line = next((line.strip() for line in raw.text.splitlines() if line.strip()), "")
    return _shorten(first_line, 120) or raw.source


def _strip_site_name(title: str) -> str:
    """`Mission au Japon | Agence wallonne` → `Mission au Japon`: the site's name, at the end,
    and section names at the start (`WEXI - Agenda - …`) go; the title's own dashes stay."""
    pieces = _TITLE_SEPARATORS.split(title)  # text, separator, text, …
    if len(pieces) > 1 and len(pieces[-1].strip()) <= 40:
        pieces = pieces[:-2]
    while len(pieces) > 1 and len(pieces[0].strip()) <= 15:
        pieces = pieces[2:]
    return "".join(pieces).strip() or title.strip()


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def summarise(description: str, text: str, title: str) -> str:
    """The page's description, else the first paragraph of prose, cut at a sentence."""
    if description.strip():
        return _shorten(description, SUMMARY_CHARS)
    folded_title = fold(title)
    for block in (b.strip() for b in text.split("\n")):
        if len(block) >= 60 and fold(block) != folded_title:
            if len(block) <= SUMMARY_CHARS:
                return block
            sentences = re.split(r"(?<=[.!?。])\s+", block)
            summary = ""
            for sentence in sentences:
                if len(summary) + len(sentence) > SUMMARY_CHARS:
                    break
                summary = f"{summary} {sentence}".strip()
            return summary or _shorten(block, SUMMARY_CHARS)
    return _shorten(text, SUMMARY_CHARS)


def _weighted_matches(matcher, title: str | Tokenized, text: str | Tokenized):
    """(concept, weight) for every match: title, lead paragraph and rest weigh differently."""
    for match in matcher.find(title):
        yield match.concept, TITLE_WEIGHT
    for match in matcher.find(text):
        yield match.concept, LEAD_WEIGHT if match.start < LEAD_TOKENS else 1.0


def infer_countries(title: str | Tokenized, text: str | Tokenized) -> tuple[str, ...]:
    """Countries the document is about, primary first.

    The agency's home country is mentioned in nearly every document; it is primary only when
    no foreign country is, and otherwise left out so it does not swamp the country facet.
    """
    scores: Counter[str] = Counter()
    for concept, weight in _weighted_matches(countries.matcher(), title, text):
        kind, code = concept.split(":")
        if kind != countries.NOT_A_COUNTRY:
            scores[code] += weight * _COUNTRY_KIND_WEIGHT[kind]
    home = config.home_country()
    foreign = [(score, code) for code, score in scores.items() if code != home]
    if not foreign:
        return (home,) if scores.get(home, 0) >= 1 else ()
    foreign.sort(key=lambda sc: (-sc[0], sc[1]))
    top = foreign[0][0]
    return tuple(code for score, code in foreign
                 if code == foreign[0][1] or (score >= 2 and score >= 0.25 * top))


def infer_sectors(title: str | Tokenized, text: str | Tokenized) -> tuple[str, ...]:
    """Sectors the document is about: clearly present, and not a passing mention."""
    scores: Counter[str] = Counter()
    for slug, weight in _weighted_matches(sectors.matcher(), title, text):
        scores[slug] += weight
    if not scores:
        return ()
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ranked[0][1]
    chosen = [slug for slug, score in ranked if score >= 2 and score >= 0.3 * top][:4]
    return tuple(chosen or [ranked[0][0]])


@functools.cache
def _cue_matcher(kind: str) -> PhraseMatcher:
    """Cue phrases as concepts: each type's (one matcher for all types), upcoming or past."""
    if kind == "types":
        return PhraseMatcher((cue, doc_type) for doc_type, cues in _TYPE_CUES.items()
                             for cue in cues)
    return PhraseMatcher((cue, kind) for cue in {"upcoming": _UPCOMING, "past": _PAST}[kind])


def _count_cues(kind: str, text: str | Tokenized) -> Counter[str]:
    """Occurrences of each cue concept, none counted twice (`la mission economique` is one)."""
    return Counter(match.concept for match in _cue_matcher(kind).find(text))


def infer_type(raw: RawDocument, title: str | Tokenized, text: str | Tokenized, published,
               event_start) -> str:
    """news, mission, event or factsheet, from hints, cue phrases and tense.

    A section hint that names one type only (`Agenda`, `Missions`) decides. An event must be
    still to come when published (a future date, registration): a report on a past fair is news.
    """
    if raw.key_figures:
        return "factsheet"
    hint_words = set(re.findall(r"[\w-]+", fold(" ".join(raw.type_hints))))
    hinted = {t for t, words in _TYPE_HINTS.items() if hint_words & set(words)}
    if len(hinted) == 1 and "news" not in hinted:
        return hinted.pop()
    in_title, in_text = _count_cues("types", title), _count_cues("types", text)
    scores = {t: TITLE_WEIGHT * in_title[t] + in_text[t] for t in _TYPE_CUES}
    for doc_type in hinted:
        scores[doc_type] = scores.get(doc_type, 0) + 3
    upcoming = _count_cues("upcoming", text)["upcoming"] + \
        TITLE_WEIGHT * _count_cues("upcoming", title)["upcoming"]
    future_event = bool(event_start and published and event_start > published)
    scores["event"] += 2 * upcoming + 3 * future_event
    if not (upcoming or future_event):
        scores["event"] = 0
    if scores["mission"]:
        scores["mission"] += _count_cues("past", text)["past"]
    best = max(scores, key=lambda t: scores[t])
    return best if scores[best] >= 3 else "news"
