"""A seeded generator of an agency-like corpus of any size, for the benchmark.

The mix follows the agency's: French-heavy (with Dutch, German, English and a little Japanese),
news, missions, events and fact sheets, countries with a Zipf-like skew towards the big export
markets, one to three sectors, dates from 2012 to 2026 leaning recent. The text is real
vocabulary: sentences drawn from the bundled corpus in the document's language, with country
and sector names woven in as authors would write them. Formats: Markdown (with full, partial or
no front matter), plain text and CMS-like HTML pages.

Usage: python -m bench.generate TARGET COUNT [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections import defaultdict
from pathlib import Path

from bench.harness import REPO
from kbsearch.ingest.pipeline import process
from kbsearch.vocab import countries, sectors

LANGUAGES = {"fr": 0.66, "nl": 0.12, "de": 0.09, "en": 0.11, "ja": 0.02}
TYPES = {"news": 0.45, "mission": 0.2, "event": 0.2, "factsheet": 0.15}
FORMATS = {"md": 0.55, "txt": 0.25, "html": 0.2}
# The agency's main markets first; the Zipf-like weights make the first ones the most frequent.
MARKETS = ["FR", "DE", "NL", "US", "CN", "JP", "MA", "GB", "IN", "CA", "DZ", "TN", "SN", "CI",
           "AE", "SA", "QA", "BR", "MX", "CL", "KR", "VN", "SG", "TR", "PL", "ES", "IT", "CH",
           "LU", "ZA", "KE", "NG", "GH", "EG", "IL", "TH", "ID", "MY", "AU", "NO", "SE", "DK",
           "CZ", "RO", "KZ", "PE", "CO", "AR", "PH", "TW"]
TITLES = {
    "fr": {"mission": "Mission économique {country} : {sector} au programme",
           "event": "Salon {sector} {year} : pavillon wallon {country}",
           "news": "{sector} : une entreprise wallonne s'impose {country}",
           "factsheet": "Fiche pays : {country} ({sector})"},
    "nl": {"mission": "Handelsmissie naar {country}: {sector} centraal",
           "event": "Beurs {year}: Waals paviljoen voor de {sector} in {country}",
           "news": "{sector}: Waals bedrijf scoort in {country}",
           "factsheet": "Landenfiche {country} ({sector})"},
    "de": {"mission": "Wirtschaftsmission nach {country}: {sector} im Fokus",
           "event": "Messe {year}: wallonischer Gemeinschaftsstand {sector} in {country}",
           "news": "{sector}: wallonisches Unternehmen punktet in {country}",
           "factsheet": "Länderprofil {country} ({sector})"},
    "en": {"mission": "Trade mission to {country}: {sector} in the spotlight",
           "event": "{sector} fair {year}: Walloon pavilion in {country}",
           "news": "{sector}: Walloon company wins in {country}",
           "factsheet": "Country profile: {country} ({sector})"},
    "ja": {"mission": "{country}経済ミッション：{sector}", "event": "{year}年{sector}展示会（{country}）",
           "news": "ワロン地域企業、{country}で{sector}分野に進出", "factsheet": "{country}国別情報（{sector}）"},
}
DATELINES = {"fr": "Publié le {d}/{m}/{y}", "nl": "Gepubliceerd op {d}-{m}-{y}",
             "de": "Veröffentlicht am {d}.{m}.{y}", "en": "Published {d}/{m}/{y}",
             "ja": "掲載日：{y}年{m}月{d}日"}
PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Agence</title>
<meta property="article:published_time" content="{iso}"></head><body>
<a class="skip-link" href="#c">Aller au contenu</a><div class="cookie-banner">Nous utilisons des cookies.</div>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/actualites">Actualités</a></li>
<li><a href="/missions">Missions</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>
<main id="c"><article><h1>{title}</h1>{body}</article>
<aside><h2>À lire aussi</h2><ul><li><a href="/a">Autre article</a></li><li><a href="/b">Encore un</a></li>
<li><a href="/c">Et un troisième</a></li></ul></aside></main><footer>© {year} Agence</footer></body></html>"""


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def sentence_pools() -> dict[str, list[str]]:
    """Sentences of the bundled corpus's agency documents, by language."""
    pools: dict[str, list[str]] = defaultdict(list)
    sources = [REPO / "corpus" / name for name in ("missions", "news", "events", "fiches-pays")]
    for outcome in process(sources):
        doc = outcome.document
        if doc is None:
            continue
        splitter = r"(?<=[。])" if doc.language == "ja" else r"(?<=[.!?])\s+"
        for sentence in re.split(splitter, doc.text.replace("\n", " ")):
            if 40 <= len(sentence) <= 400:
                pools[doc.language].append(sentence.strip())
    return pools


def _country(rng: random.Random) -> str:
    if rng.random() < 0.9:
        weights = [1 / (rank + 1) for rank in range(len(MARKETS))]
        return rng.choices(MARKETS, weights=weights)[0]
    return rng.choice(countries.codes())


def _date(rng: random.Random) -> dt.date:
    year = min(2026, 2012 + int(rng.triangular(0, 15, 13)))
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def document(rng: random.Random, pools: dict[str, list[str]]) -> tuple[str, str]:
    """(file extension, content) of one generated document."""
    lang = _weighted(rng, LANGUAGES)
    kind = _weighted(rng, TYPES)
    fmt = _weighted(rng, FORMATS)
    country_codes = [_country(rng) for _ in range(rng.choice((1, 1, 1, 2)))]
    slugs = rng.sample(sectors.slugs(), rng.choice((1, 1, 2, 3)))
    names = [countries.name(c, lang) for c in country_codes]
    labels = [sectors.label(s, lang if lang != "ja" else "en") for s in slugs]
    day = _date(rng)
    title = TITLES[lang][kind].format(country=names[0], sector=labels[0], year=day.year)
    sentences = rng.sample(pools[lang], min(len(pools[lang]), rng.randint(6, 24)))
    for name in names + labels:  # weave the concepts in, as authors mention them
        sentences.insert(rng.randrange(len(sentences) + 1), f"{name}.")
    dateline = DATELINES[lang].format(d=f"{day.day:02d}", m=f"{day.month:02d}", y=day.year)
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    if fmt == "html":
        body = f"<p class=\"date\">{dateline}</p>" + "".join(f"<p>{p}</p>" for p in paragraphs)
        return "html", PAGE.format(lang=lang, title=title, iso=day.isoformat(), body=body,
                                   year=day.year)
    text = "\n\n".join([dateline, *paragraphs])
    if fmt == "txt":
        return "txt", f"{title}\n\n{text}\n"
    front = rng.choice(("full", "partial", "none"))
    if front == "full":
        meta = (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: {day.isoformat()}\ntype: {kind}\nlanguage: {lang}\n"
                f"countries: [{', '.join(country_codes)}]\nsectors: [{', '.join(slugs)}]\n---\n")
    elif front == "partial":
        meta = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n"
    else:
        meta = f"# {title}\n\n"
    return "md", f"{meta}{text}\n"


def generate(target: Path, count: int, seed: int = 2026) -> Path:
    """Write `count` documents under `target` (1,000 per folder); returns `target`."""
    rng = random.Random(seed)
    pools = sentence_pools()
    target.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        folder = target / f"part-{number // 1000:03d}"
        folder.mkdir(exist_ok=True)
        extension, content = document(rng, pools)
        (folder / f"doc-{number:06d}.{extension}").write_text(content, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    generate(args.target, args.count, args.seed)


if __name__ == "__main__":
    main()
