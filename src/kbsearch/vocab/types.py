"""Document types (news, mission, event, factsheet): what authors and searchers call them in
each language, and how the interface labels them."""

from __future__ import annotations

from kbsearch.vocab.text import fold

TYPES = ("news", "mission", "event", "factsheet")

# What people call each type, in the agency's languages (folded when compared).
NAMES = {
    "news": ("news", "actualite", "actualites", "nouvelle", "nouvelles", "article", "nieuws",
             "nachrichten", "nachricht", "aktuelles", "meldung"),
    "mission": ("mission", "missions", "mission economique", "trade mission", "missie",
                "missies", "handelsmissie", "wirtschaftsmission", "delegationsreise"),
    "event": ("event", "events", "evenement", "evenements", "agenda", "evenementen",
              "veranstaltung", "veranstaltungen", "webinar", "webinaire", "seminaire", "salon",
              "salons", "beurs", "messe"),
    "factsheet": ("factsheet", "fact sheet", "fiche pays", "fiches pays", "country profile",
                  "landenfiche", "landenprofiel", "landerprofil", "landerinfo"),
}
LABELS = {
    "news": {"fr": "Actualité", "nl": "Nieuws", "de": "Nachricht", "en": "News"},
    "mission": {"fr": "Mission", "nl": "Missie", "de": "Mission", "en": "Mission"},
    "event": {"fr": "Événement", "nl": "Evenement", "de": "Veranstaltung", "en": "Event"},
    "factsheet": {"fr": "Fiche pays", "nl": "Landenfiche", "de": "Länderprofil",
                  "en": "Fact sheet"},
}
_BY_NAME = {fold(name): doc_type for doc_type, names in NAMES.items() for name in names}


def parse_type(value: object) -> str | None:
    """The type a name stands for (`Mission`, `fiche pays`, `Veranstaltung`), else None."""
    if not isinstance(value, str):
        return None
    return _BY_NAME.get(fold(value).strip())


def label(doc_type: str, locale: str = "en") -> str:
    labels = LABELS.get(doc_type, {})
    return labels.get(locale.split("_")[0]) or labels.get("en") or doc_type
