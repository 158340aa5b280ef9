"""HTML page → article text and page metadata, with the page chrome left out.

A CMS page wraps one article in menus, breadcrumbs, cookie banners, share buttons, sidebars,
"related articles" blocks and footers. Indexing those would make every page match every menu
word, so this module keeps only the article: headings, paragraphs, lists and tables. It is the
only module that imports BeautifulSoup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import lxml.html
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.builder import ParserRejectedMarkup
from lxml import etree

from kbsearch.ingest.decode import decode

# Elements that never hold article text.
_NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button",
               "select", "input", "textarea", "canvas", "object", "embed", "nav", "aside",
               "dialog", "menu", "link", "meta")
# Landmark roles of page chrome.
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                 "alertdialog", "menu", "menubar", "toolbar"}
# Words in a class or id that mark page chrome (`block-menu`, `cookie-banner`, `share-links`).
_CHROME_WORDS = {
    "cookie", "cookies", "consent", "gdpr", "rgpd", "share", "sharing", "sharer", "social",
    "socials", "breadcrumb", "breadcrumbs", "ariane", "related", "similar", "newsletter",
    "subscribe", "sidebar", "skip", "skiplink", "skiplinks", "menu", "nav", "navbar",
    "navigation", "topbar", "masthead", "popup", "modal", "advert", "advertisement", "ads",
    "sponsor", "comments", "pagination", "pager", "toolbar", "footer", "header", "offcanvas",
    "sitemap", "langswitcher", "search", "searchform",
    "widget", "widgets", "teaser", "teasers", "promo", "tags", "tagcloud", "rss",
    # French and Dutch class names of older CMS templates
    "partage", "partager", "pied", "piedpage", "bandeau", "entete", "colgauche", "coldroite",
    "imprimer", "delen", "kruimelpad", "voettekst",
}
# Stems that mark chrome even inside a longer class or id (`cookiewarning`, `mainsidebar`).
_CHROME_STEMS = ("cookie", "consent", "breadcrumb", "newsletter", "sidebar", "navbar",
                 "footer", "social", "skiplink")
# Word pairs marking "see also" blocks in the agency's four languages.
_CHROME_PAIRS = ({"lire", "aussi"}, {"voir", "aussi"}, {"lees", "ook"}, {"see", "also"},
                 {"read", "also"}, {"read", "more"}, {"more", "news"}, {"auch", "interessieren"},
                 {"colonne", "droite"}, {"colonne", "gauche"}, {"col", "droite"},
                 {"col", "gauche"})
# A block of these, at the end of the text, is the site's footer (copyright line, address).
_COPYRIGHT = re.compile(r"©|\(c\) ?\d{4}|copyright|tous droits r|all rights reserved|"
                        r"alle rechten|alle rechte", re.IGNORECASE)
# Headings that introduce page chrome rather than article content.
_CHROME_HEADINGS = re.compile(
    r"^\W*(à lire aussi|a lire aussi|lire aussi|voir aussi|à voir aussi|articles? similaires|"
    r"articles? liés|sur le même (sujet|thème)|dans la même rubrique|autres actualités|"
    r"dernières actualités|partager( cet article| cette page)?|suivez-nous|"
    r"related( articles| news| posts| stories)?|read also|see also|you may also like|"
    r"more news|latest news|share( this)?( article| page)?|follow us|"
    r"lees ook|gerelateerde (artikels|artikelen|berichten)|meer nieuws|ander nieuws|delen|"
    r"volg ons|das könnte sie auch interessieren|ähnliche artikel|weitere (artikel|meldungen|"
    r"nachrichten)|mehr zum thema|verwandte artikel|teilen|folgen sie uns)\W*$",
    re.IGNORECASE)
# How breadcrumbs announce themselves when their markup does not.
_BREADCRUMB_LEAD = re.compile(r"^\W*(vous [eê]tes ici|u bent hier|sie sind hier|you are here)\b",
                              re.IGNORECASE)
_BLOCK = {"p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4",
          "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot",
          "tr", "td", "th", "caption", "blockquote", "pre", "figure", "figcaption", "address",
          "hr", "br", "details", "summary", "center"}
# Elements whose text a reader never sees as such: code, templates, ruby annotations.
_NOT_READ = {"script", "style", "template", "rt", "rp"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements judged by their share of linked text.
_LINK_BLOCKS = {"ul", "ol", "div", "table", "section", "p", "td"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_CLASS_WORDS = re.compile(r"[a-z]+")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "date",
              "dc.date", "dc.date.issued", "dcterms.date", "dcterms.issued", "dcterms.created",
              "pubdate", "publishdate", "publish-date", "publication_date", "sailthru.date",
              "parsely-pub-date", "article.published")
_DATELINE_WORDS = {"date", "dateline", "published", "pubdate", "byline", "submitted", "posted",
                   "meta", "created", "datum", "publication"}
_TYPE_META = ("og:type", "article:section", "article:tag")


@dataclass
class HtmlPage:
    """What a page says about itself, as strings; interpretation is extraction's job."""

    text: str
    lang: str | None = None
    heading: str | None = None  # the article's <h1>
    titles: list[str] = field(default_factory=list)  # og:title, <title>
    description: str | None = None
    published: list[str] = field(default_factory=list)
    datelines: list[str] = field(default_factory=list)
    event_start: str | None = None
    event_end: str | None = None
    type_hints: list[str] = field(default_factory=list)
    visibility: str | None = None  # <meta name="visibility">


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes, if any."""
    found = _CHARSET.search(data[:4096])
    return found.group(1).decode("ascii", "replace") if found else None


def parse_html(data: bytes) -> HtmlPage:
    """Read one page. Raises ValueError when the bytes hold no parsable HTML at all."""
    markup = decode(data, declared_charset(data))
    try:
        soup = BeautifulSoup(markup, "lxml")
    except (ParserRejectedMarkup, AssertionError, RecursionError) as exc:
        raise ValueError(f"HTML could not be parsed ({exc.__class__.__name__})") from exc
    page = HtmlPage(text="")
    _read_metadata(soup, page)
    _read_json_ld(soup, page)
    prose = sum(len(p.get_text(" ", strip=True)) for p in soup.find_all("p"))
    _drop_chrome(soup)
    root = _main_content(soup)
    text = "\n\n".join(_blocks(root))
    if len(text) < 500 and prose >= 1500 and len(text) < 0.15 * prose:
        # The class heuristics removed the article itself (a wrapper named `with-sidebar`):
        # read the page again, keeping to what elements and roles alone say is chrome.
        soup = BeautifulSoup(markup, "lxml")
        _prune(soup.find("html") or soup, _is_structural_chrome)
        root = _main_content(soup)
        text = "\n\n".join(_blocks(root))
    _read_datelines(root, page)
    # The article's heading; some CMSs print it in a title block above the article.
    page.heading = next(iter(_headings_text(root, "h1") or _headings_text(soup, "h1")), None)
    page.text = text
    return page


def fragment_text(markup: str) -> str:
    """The text of trusted markup (rendered Markdown): blocks kept, nothing dropped as chrome.

    Walks lxml's own tree, which libxml2 builds in C: with nothing to judge as chrome there
    is no need for BeautifulSoup's, whose building cost more than rendering the Markdown.
    The blocks are those `_blocks` finds in BeautifulSoup's tree of the same markup.
    """
    try:
        root = lxml.html.document_fromstring(markup.encode("utf-8"),
                                             lxml.html.HTMLParser(encoding="utf-8"))
    except etree.ParserError:  # nothing but whitespace or comments
        return ""
    collected = _BlockCollector()
    # libxml2 makes what follows a closing </html> a second root: the document's top level.
    top = [*root.itersiblings(preceding=True), root, *root.itersiblings()]
    stack: list[tuple[etree._Element, bool]] = [(node, True) for node in reversed(top)]
    while stack:
        node, entering = stack.pop()
        if entering and isinstance(node.tag, str):
            if node.tag in _BLOCK:
                collected.end_block()
            stack.append((node, False))
            if node.tag not in _NOT_READ:
                collected.add(node.text)
                stack.extend((child, True) for child in reversed(node))
            continue
        if node.tag in _BLOCK:
            collected.end_block()
        collected.add(node.tail)  # a comment's or instruction's tail is text, itself not
    return "\n\n".join(collected.blocks())


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    """Every <meta> value by its lower-cased property, name, itemprop or http-equiv; the first
    one wins, as browsers and crawlers read them."""
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        value = tag.get("content")
        if not isinstance(value, str) or not value.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = tag.get(attr)
            if isinstance(key, str):
                found.setdefault(key.strip().lower(), _clean(value))
    return found


def _read_metadata(soup: BeautifulSoup, page: HtmlPage) -> None:
    meta = _meta_tags(soup)
    html = soup.find("html")
    if isinstance(html, Tag):
        lang = html.get("lang") or html.get("xml:lang")
        page.lang = lang.strip() if isinstance(lang, str) and lang.strip() else None
    page.lang = page.lang or meta.get("content-language")
    title = soup.find("title")
    page.titles.extend(t for t in (meta.get("og:title"),
                                   _clean(title.get_text()) if title else None) if t)
    page.description = meta.get("og:description") or meta.get("description")
    page.visibility = meta.get("visibility")
    page.published.extend(meta[k] for k in _DATE_META if k in meta)
    page.type_hints.extend(meta[k] for k in _TYPE_META if k in meta)
    canonical = soup.find("link", rel="canonical")
    url = meta.get("og:url") or (canonical.get("href") if isinstance(canonical, Tag) else None)
    if isinstance(url, str):
        page.type_hints.append(url)
    for crumb in soup.find_all(_is_breadcrumb):
        page.type_hints.append(_clean(crumb.get_text(" ")))


def _is_publication_marker(tag: Tag) -> bool:
    """A <time> that says it is the publication date, by itemprop, pubdate or class."""
    words = _class_words(tag)
    return (tag.get("itemprop") in ("datePublished", "dateCreated") or tag.has_attr("pubdate")
            or bool(words & {"published", "publication", "pubdate", "posted", "created",
                             "submitted", "publish"}))


def _read_json_ld(soup: BeautifulSoup, page: HtmlPage) -> None:
    for script in soup.find_all("script", type=re.compile("ld\\+json", re.IGNORECASE)):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            continue
        for node in _json_nodes(data):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            page.type_hints.extend(str(k) for k in kinds if isinstance(k, str))
            for key in ("datePublished", "dateCreated"):
                if isinstance(node.get(key), str):
                    page.published.insert(0, node[key])
            if isinstance(node.get("startDate"), str) and not page.event_start:
                page.event_start = node["startDate"]
                page.event_end = node.get("endDate") if isinstance(node.get("endDate"), str) \
                    else None


def _json_nodes(data: object, depth: int = 0):
    """Every dict in a JSON-LD tree (including @graph lists), depth-limited."""
    if depth > 8:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _json_nodes(value, depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _json_nodes(item, depth + 1)


def _class_words(tag: Tag) -> set[str]:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    ident = tag.get("id") or ""
    label = tag.get("aria-label") or ""
    # BEM names: `article-header__meta` is judged by its element (`meta`), `nav--open` by its
    # block (`nav`): the part that says what this element is.
    classes = [c.rsplit("__", 1)[-1].split("--", 1)[0] for c in classes]
    raw = " ".join([*classes, ident if isinstance(ident, str) else "",
                    label if isinstance(label, str) else ""])
    # camelCase → camel case, so `shareButtons` yields `share`.
    raw = re.sub(r"([a-z])([A-Z])", r"\1 \2", raw).lower()
    return set(_CLASS_WORDS.findall(raw))


def _is_breadcrumb(tag: Tag) -> bool:
    words = _class_words(tag)
    return bool(words & {"breadcrumb", "breadcrumbs", "ariane"})


def _is_hidden(tag: Tag) -> bool:
    style = tag.get("style")
    return (tag.has_attr("hidden") or tag.get("aria-hidden") == "true"
            or (isinstance(style, str) and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden",
                                                     style, re.IGNORECASE) is not None))


def _is_structural_chrome(tag: Tag) -> bool:
    """Page chrome by element, landmark role or hidden state alone."""
    if tag.name in ("body", "head"):
        return False
    if tag.name in _NEVER_TEXT or _is_hidden(tag):
        return True
    role = tag.get("role")
    if isinstance(role, str) and role.lower() in _CHROME_ROLES:
        return True
    if tag.name == "header":
        # A page's header is chrome; an article's own header holds its title, byline and date.
        return not tag.find("h1") and tag.find_parent("article") is None
    return tag.name == "footer"


def _is_chrome(tag: Tag) -> bool:
    """Page chrome by element, role, hidden state or class/id words."""
    if tag.name in ("body", "head"):
        return False
    if _is_structural_chrome(tag):
        return True
    words = _class_words(tag)
    if words & _CHROME_WORDS or any(pair <= words for pair in _CHROME_PAIRS) or \
            any(stem in word for word in words for stem in _CHROME_STEMS):
        # A wrapper of the whole article (`page-with-sidebar`) is not chrome itself.
        return not tag.find(["h1", "article", "main"])
    return False


@dataclass
class _Stats:
    """Text measures of one element's subtree, computed once per pass (pages can be deep)."""

    text: int = 0
    linked: int = 0
    links: int = 0
    tags: int = 0
    separated: bool = False  # holds a breadcrumb separator (› > » / |) outside its links


def _text_stats(root: Tag) -> dict[int, _Stats]:
    """id(tag) → _Stats for every tag under `root`, in one iterative post-order pass."""
    stats: dict[int, _Stats] = {}
    stack: list[tuple[Tag, bool]] = [(root, True)]
    while stack:
        tag, entering = stack.pop()
        if entering:
            stack.append((tag, False))
            stack.extend((c, True) for c in tag.contents if isinstance(c, Tag))
            continue
        own = _Stats(links=int(tag.name == "a"))
        for child in tag.contents:
            if isinstance(child, Tag):
                sub = stats[id(child)]
                own.text += sub.text
                own.linked += sub.linked
                own.links += sub.links
                own.tags += sub.tags + 1
                own.separated = own.separated or sub.separated
            elif type(child) is NavigableString:
                own.text += len(child.strip())
                own.separated = own.separated or any(c in child for c in "›>»/|")
        if tag.name == "a":
            own.linked = own.text
        stats[id(tag)] = own
    return stats


def _prune(root: Tag, is_unwanted) -> None:
    """Remove every element `is_unwanted` flags, without looking inside removed ones."""
    unwanted: list[Tag] = []
    stack = [c for c in root.contents if isinstance(c, Tag)]
    while stack:
        tag = stack.pop()
        if is_unwanted(tag):
            unwanted.append(tag)
        else:
            stack.extend(c for c in tag.contents if isinstance(c, Tag))
    for tag in unwanted:
        tag.extract()


def _drop_chrome(soup: BeautifulSoup) -> None:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    root = soup.find("html") or soup
    _prune(root, _is_chrome)
    stats = _text_stats(root)
    short = [tag for tag in root.find_all([*_HEADINGS, "strong", "b", "p", "span", "div", "dt"])
             if stats[id(tag)].text < 150 and stats[id(tag)].tags < 8]
    for tag in short:
        text = _clean(tag.get_text(" "))
        if _BREADCRUMB_LEAD.match(text):
            tag.extract()
        elif len(text) < 100 and _CHROME_HEADINGS.match(text):
            _drop_block_introduced_by(tag, stats)
    stats = _text_stats(root)
    _prune(root, lambda tag: tag.name in _LINK_BLOCKS and _is_link_list(stats[id(tag)])
           and not tag.find(["time", "h1"]))


def _drop_block_introduced_by(heading: Tag, stats: dict[int, _Stats]) -> None:
    """Remove a "see also" heading with the links that follow it."""
    container = heading.parent
    if isinstance(container, Tag) and container.name not in ("body", "html", "article", "main") \
            and stats.get(id(container), _Stats()).text < 1500 and not container.find("h1"):
        container.extract()
        return
    for sibling in list(heading.find_next_siblings()):
        if sibling.name in _HEADINGS:
            break
        sibling.extract()
    heading.extract()


def _is_link_list(block: _Stats) -> bool:
    """A block that is mostly links (a menu, breadcrumbs, other articles), not prose."""
    if block.links < 2 or not block.text:
        return False
    if block.links == 2:  # `Accueil > Agenda`: short breadcrumbs
        return block.text < 80 and block.linked / block.text >= 0.6 and block.separated
    return block.linked / block.text >= 0.75


def _main_content(soup: BeautifulSoup) -> Tag:
    """The article: the largest <article>, else <main>, else the body."""
    articles = [a for a in soup.find_all("article") if isinstance(a, Tag)]
    if articles:
        best = max(articles, key=lambda a: len(a.get_text(" ", strip=True)))
        if len(best.get_text(" ", strip=True)) > 200:
            return best
    for finder in (lambda: soup.find("main"), lambda: soup.find(attrs={"role": "main"}),
                   lambda: soup.find(attrs={"itemprop": "articleBody"})):
        found = finder()
        if isinstance(found, Tag) and len(found.get_text(" ", strip=True)) > 200:
            return found
    body = soup.body if isinstance(soup.body, Tag) else soup
    return _container_of_prose(body)


def _container_of_prose(body: Tag) -> Tag:
    """On a page without <article> or <main> (table or div layouts), the smallest element
    around the heading that holds most of the page's unlinked text; side columns of links and
    teasers fall outside it."""
    start = body.find("h1") or body.find("p")
    stats = _text_stats(body)

    def prose(tag: Tag) -> int:
        return stats[id(tag)].text - stats[id(tag)].linked

    total = prose(body)
    if not isinstance(start, Tag) or not total:
        return body
    node = start.parent
    while isinstance(node, Tag) and node is not body:
        if prose(node) >= 0.7 * total:
            return node
        node = node.parent
    return body


def _read_datelines(root: Tag, page: HtmlPage) -> None:
    """Dates the article marks as its own: <time> marked as publication, date-classed bylines,
    and unmarked <time> elements above the first paragraph of prose (an event's own dates sit
    in the prose below)."""
    seen_prose = False
    for tag in root.find_all(True):
        if tag.name == "p" and len(tag.get_text(" ", strip=True)) > 150:
            seen_prose = True
        stamp = tag.get("datetime") if tag.name == "time" else None
        if isinstance(stamp, str) and _is_publication_marker(tag):
            page.published.append(stamp)
        elif isinstance(stamp, str) and not seen_prose:
            page.datelines.append(stamp)
        elif _class_words(tag) & _DATELINE_WORDS:
            text = _clean(tag.get_text(" "))
            if 0 < len(text) <= 120:
                page.datelines.append(text)


def _headings_text(root: Tag, name: str) -> list[str]:
    return [t for t in (_clean(h.get_text(" ")) for h in root.find_all(name)) if t]


def _blocks(root: Tag) -> list[str]:
    """The visible text as blocks: one per heading, paragraph, list item or table cell.

    Iterative, so that a page nested thousands of levels deep cannot exhaust the stack.
    """
    collected = _BlockCollector()
    # A stack of (node, entering); a block element ends a block when entered and when left.
    stack: list[tuple[object, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        if not entering:
            collected.end_block()
        elif type(node) is NavigableString:
            collected.add(str(node))
        elif isinstance(node, Tag):
            is_block = node.name in _BLOCK and node is not root
            if is_block:
                collected.end_block()
                stack.append((node, False))
            stack.extend((child, True) for child in reversed(node.contents))
    return collected.blocks()


class _BlockCollector:
    """Text pieces in reading order, gathered into cleaned blocks."""

    def __init__(self) -> None:
        self._blocks: list[str] = []
        self._pieces: list[str] = []

    def add(self, piece: str | None) -> None:
        if piece:
            self._pieces.append(piece)

    def end_block(self) -> None:
        text = _clean("".join(self._pieces))
        if text:
            self._blocks.append(text)
        self._pieces.clear()

    def blocks(self) -> list[str]:
        """Every block, without the footer lines left in the content."""
        self.end_block()
        return _without_footer_lines(self._blocks)


def _without_footer_lines(blocks: list[str]) -> list[str]:
    """Drop what a footer left inside the content: the copyright line and the short lines
    around it near the end, and link rows such as `Imprimer | Envoyer | Partager`."""
    kept = [b for b in blocks if not (len(b) < 200 and b.count(" | ") >= 2)]
    for i in range(len(kept) - 1, max(-1, len(kept) - 5), -1):
        if len(kept[i]) < 300 and _COPYRIGHT.search(kept[i]):
            end = i
            while end > 0 and len(kept[end - 1]) < 120 and re.search(r" [·|–-] ", kept[end - 1]):
                end -= 1
            return kept[:end]
    return kept


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()
