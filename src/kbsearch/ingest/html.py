"""HTML page → article text and page metadata, with the page chrome left out.

A CMS page wraps one article in menus, breadcrumbs, cookie banners, share buttons, sidebars,
"related articles" blocks and footers. Indexing those would make every page match every menu
word, so this module keeps only the article: headings, paragraphs, lists and tables.

Pages are parsed by libxml2 through lxml, which builds the tree in C, and the rules below walk
that tree. (They walked BeautifulSoup's before, whose tree is built in Python: reading a page
took two to four times as long, with the same text and metadata on every page compared.)
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

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
_CAMEL_CASE = re.compile(r"([a-z])([A-Z])")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "date",
              "dc.date", "dc.date.issued", "dcterms.date", "dcterms.issued", "dcterms.created",
              "pubdate", "publishdate", "publish-date", "publication_date", "sailthru.date",
              "parsely-pub-date", "article.published")
_DATELINE_WORDS = {"date", "dateline", "published", "pubdate", "byline", "submitted", "posted",
                   "meta", "created", "datum", "publication"}
_TYPE_META = ("og:type", "article:section", "article:tag")
_JSON_LD = re.compile("ld\\+json", re.IGNORECASE)
# Names of our own: the node holding a whole page, and what stays where an element is removed.
_DOCUMENT, _REMOVED = "kbsearch-document", "kbsearch-removed"
_ANONYMOUS = "kbsearch-element"  # an element whose name lxml cannot hold
# How deep libxml2 builds a tree (it drops deeper elements): a page this deep is read again.
_TREE_DEPTH = 254


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
    page = HtmlPage(text="")
    document = _parse(markup)
    json_ld = [script.text or "" for script in _find_all(document, "script")
               if _JSON_LD.search(script.get("type") or "")]
    _silence_unread_text(document)
    _read_metadata(document, page)
    _read_json_ld(json_ld, page)
    prose = sum(len(_text(p, " ", strip=True)) for p in _find_all(document, "p"))
    _drop_chrome(document)
    root = _main_content(document)
    text = "\n\n".join(_blocks(root))
    if len(text) < 500 and prose >= 1500 and len(text) < 0.15 * prose:
        # The class heuristics removed the article itself (a wrapper named `with-sidebar`):
        # read the page again, keeping to what elements and roles alone say is chrome.
        document = _parse(markup)
        _silence_unread_text(document)
        _prune(_html_or(document), _is_structural_chrome)
        root = _main_content(document)
        text = "\n\n".join(_blocks(root))
    _read_datelines(root, page)
    # The article's heading; some CMSs print it in a title block above the article.
    page.heading = next(iter(_headings_text(root, "h1") or _headings_text(document, "h1")), None)
    page.text = text
    return page


def fragment_text(markup: str) -> str:
    """The text of trusted markup (rendered Markdown): blocks kept, nothing dropped as chrome."""
    try:
        return "\n\n".join(_blocks(_parse(markup)))
    except ValueError:  # nothing but white space or comments
        return ""


def _parse(markup: str) -> etree._Element:
    """The page as one tree under a document node of our own: libxml2 makes what follows a
    closing </html> a root of its own, and comments before <html> siblings of it."""
    # lxml.etree's parser, not lxml.html's: that one asks a Python class lookup for every
    # element it hands out (a tenth of reading a page), for HtmlElement methods no rule uses.
    parser = etree.HTMLParser(recover=True)
    root = _parsed(parser, markup)
    # libxml2 builds trees only so deep and drops what lies deeper; parse events have no such
    # limit. (Only markup with that many tags can be that deep: most pages have far fewer.)
    if root is not None and markup.count("<") >= _TREE_DEPTH and \
            root.xpath(f"boolean(//*[count(ancestor::*) >= {_TREE_DEPTH}])"):
        return _parsed(etree.HTMLParser(target=_EventTree(), recover=True), markup)
    document = parser.makeelement(_DOCUMENT)
    if root is not None:  # None: not one element (a doctype, stray end tags)
        document.extend([*reversed(list(root.itersiblings(preceding=True))), root,
                         *root.itersiblings()])
    return document


def _parsed(parser: etree.HTMLParser, markup: str):
    try:
        parser.feed(markup)
        return parser.close()
    except (etree.ParserError, UnicodeDecodeError, LookupError) as exc:
        raise ValueError(f"HTML could not be parsed ({exc})") from exc


class _EventTree:
    """A parser target that builds the page under a document node from parse events, for
    pages deeper than libxml2's trees go. Names lxml cannot hold are left out: a tag such
    as `o:p` becomes an anonymous element, attributes such as `:class` or `@click` (which
    no rule here reads) are dropped."""

    def __init__(self) -> None:
        self.document = etree.Element(_DOCUMENT)
        self._open = [self.document]
        self._last: etree._Element | None = None  # whose tail text goes to (else the text)

    def start(self, tag: str, attrib: dict) -> None:
        try:
            node = etree.SubElement(self._open[-1], tag)
        except ValueError:
            node = etree.SubElement(self._open[-1], _ANONYMOUS)
        for name, value in attrib.items():
            try:
                node.set(name, value)
            except ValueError:
                continue
        self._open.append(node)
        self._last = None

    def end(self, tag: str) -> None:
        self._last = self._open.pop()

    def data(self, text: str) -> None:
        if self._last is None:
            self._open[-1].text = (self._open[-1].text or "") + text
        else:
            self._last.tail = (self._last.tail or "") + text

    def comment(self, text: str) -> None:
        self._last = etree.Comment(text)
        self._open[-1].append(self._last)

    def close(self) -> etree._Element:
        return self.document


def _silence_unread_text(document: etree._Element) -> None:
    """Empty the text of code, templates and ruby annotations, which no reader sees as text,
    before the rules measure text. The elements stay: the rules still count them and find
    headings inside them, as they did on BeautifulSoup's tree."""
    for unread in _find_all(document, *_NOT_READ):
        unread.text = None
        for inside in unread.iterdescendants():
            inside.text = inside.tail = None


def _html_or(document: etree._Element) -> etree._Element:
    """The <html> element, else the whole document."""
    html = _find(document, "html")
    return document if html is None else html


def _is_element(node) -> bool:
    """An element still in the page: not a comment or instruction, nor a removed element."""
    return isinstance(node.tag, str) and node.tag != _REMOVED


def _find_all(scope: etree._Element, *names: str) -> list[etree._Element]:
    """The elements below `scope` (not itself), in document order, of any of `names` or all."""
    if names:
        return list(scope.iterdescendants(*names))
    return [node for node in scope.iterdescendants(etree.Element) if node.tag != _REMOVED]


def _find(scope: etree._Element, *names: str) -> etree._Element | None:
    return next(scope.iterdescendants(*names), None)


def _text(node: etree._Element, separator: str = "", strip: bool = False) -> str:
    """The text of the element, its pieces (between tags and comments) joined by
    `separator`, each stripped and the empty ones left out when `strip` is set."""
    pieces = node.itertext()
    if strip:
        return separator.join(piece.strip() for piece in pieces if piece.strip())
    return separator.join(pieces)


def _remove(node: etree._Element) -> None:
    """Take the element and everything in it out of the page. An empty marker stays in its
    place, so that the text before it and the text after it remain two pieces, joined with
    a separator where text is joined, not run together into one word."""
    if node.getparent() is None:
        return
    node.clear(keep_tail=True)
    node.tag = _REMOVED


def _meta_tags(document: etree._Element) -> dict[str, str]:
    """Every <meta> value by its lower-cased property, name, itemprop or http-equiv; the first
    one wins, as browsers and crawlers read them."""
    found: dict[str, str] = {}
    for tag in _find_all(document, "meta"):
        value = tag.get("content")
        if not isinstance(value, str) or not value.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = tag.get(attr)
            if isinstance(key, str):
                found.setdefault(key.strip().lower(), _clean(value))
    return found


def _read_metadata(document: etree._Element, page: HtmlPage) -> None:
    meta = _meta_tags(document)
    html = _find(document, "html")
    if html is not None:
        lang = html.get("lang") or html.get("xml:lang")
        page.lang = lang.strip() if isinstance(lang, str) and lang.strip() else None
    page.lang = page.lang or meta.get("content-language")
    title = _find(document, "title")
    page.titles.extend(t for t in (meta.get("og:title"),
                                   _clean(_text(title)) if title is not None else None) if t)
    page.description = meta.get("og:description") or meta.get("description")
    page.visibility = meta.get("visibility")
    page.published.extend(meta[k] for k in _DATE_META if k in meta)
    page.type_hints.extend(meta[k] for k in _TYPE_META if k in meta)
    canonical = next((link for link in _find_all(document, "link")
                      if "canonical" in (link.get("rel") or "").split()), None)
    url = meta.get("og:url") or (canonical.get("href") if canonical is not None else None)
    if isinstance(url, str):
        page.type_hints.append(url)
    for crumb in _find_all(document):
        if _is_breadcrumb(crumb):
            page.type_hints.append(_clean(_text(crumb, " ")))


def _is_publication_marker(tag: etree._Element) -> bool:
    """A <time> that says it is the publication date, by itemprop, pubdate or class."""
    words = _class_words(tag)
    return (tag.get("itemprop") in ("datePublished", "dateCreated") or "pubdate" in tag.attrib
            or bool(words & {"published", "publication", "pubdate", "posted", "created",
                             "submitted", "publish"}))


def _read_json_ld(scripts: list[str], page: HtmlPage) -> None:
    """Types and dates from the page's JSON-LD `scripts`."""
    for script in scripts:
        try:
            data = json.loads(script)
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


def _class_words(tag: etree._Element) -> frozenset[str]:
    """The words of an element's classes, id and label, which say what it is."""
    return _name_words(tag.get("class") or "", tag.get("id") or "", tag.get("aria-label") or "")


@functools.lru_cache(maxsize=8192)
def _name_words(classes: str, ident: str, label: str) -> frozenset[str]:
    """Remembered: a site's pages share their class names, and every element is asked
    several times (chrome, breadcrumb, dateline)."""
    # BEM names: `article-header__meta` is judged by its element (`meta`), `nav--open` by its
    # block (`nav`): the part that says what this element is.
    parts = [c.rsplit("__", 1)[-1].split("--", 1)[0] for c in classes.split()]
    raw = " ".join([*parts, ident, label])
    # camelCase → camel case, so `shareButtons` yields `share`.
    raw = _CAMEL_CASE.sub(r"\1 \2", raw).lower()
    return frozenset(_CLASS_WORDS.findall(raw))


def _is_breadcrumb(tag: etree._Element) -> bool:
    words = _class_words(tag)
    return bool(words & {"breadcrumb", "breadcrumbs", "ariane"})


def _is_hidden(tag: etree._Element) -> bool:
    style = tag.get("style")
    return ("hidden" in tag.attrib or tag.get("aria-hidden") == "true"
            or (isinstance(style, str) and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden",
                                                     style, re.IGNORECASE) is not None))


def _is_structural_chrome(tag: etree._Element) -> bool:
    """Page chrome by element, landmark role or hidden state alone."""
    if tag.tag in ("body", "head"):
        return False
    if tag.tag in _NEVER_TEXT or _is_hidden(tag):
        return True
    role = tag.get("role")
    if isinstance(role, str) and role.lower() in _CHROME_ROLES:
        return True
    if tag.tag == "header":
        # A page's header is chrome; an article's own header holds its title, byline and date.
        return _find(tag, "h1") is None and next(tag.iterancestors("article"), None) is None
    return tag.tag == "footer"


def _is_chrome(tag: etree._Element) -> bool:
    """Page chrome by element, role, hidden state or class/id words."""
    if tag.tag in ("body", "head"):
        return False
    if _is_structural_chrome(tag):
        return True
    words = _class_words(tag)
    if words & _CHROME_WORDS or any(pair <= words for pair in _CHROME_PAIRS) or \
            any(stem in word for word in words for stem in _CHROME_STEMS):
        # A wrapper of the whole article (`page-with-sidebar`) is not chrome itself.
        return _find(tag, "h1", "article", "main") is None
    return False


@dataclass
class _Stats:
    """Text measures of one element's subtree, computed once per pass (pages can be deep)."""

    text: int = 0
    linked: int = 0
    links: int = 0
    tags: int = 0
    separated: bool = False  # holds a breadcrumb separator (› > » / |) outside its links


def _text_stats(root: etree._Element) -> dict[etree._Element, _Stats]:
    """tag → _Stats for every tag under `root`, in one iterative post-order pass."""
    stats: dict[etree._Element, _Stats] = {}
    stack: list[tuple[etree._Element, bool]] = [(root, True)]
    while stack:
        tag, entering = stack.pop()
        if entering:
            stack.append((tag, False))
            stack.extend((c, True) for c in tag if _is_element(c))
            continue
        own = _Stats(links=int(tag.tag == "a"))
        own.text, own.separated = _own_text_measures(tag.text)
        for child in tag:
            if _is_element(child):
                sub = stats[child]
                own.text += sub.text
                own.linked += sub.linked
                own.links += sub.links
                own.tags += sub.tags + 1
                own.separated = own.separated or sub.separated
            text, separated = _own_text_measures(child.tail)
            own.text += text
            own.separated = own.separated or separated
        if tag.tag == "a":
            own.linked = own.text
        stats[tag] = own
    return stats


def _own_text_measures(piece: str | None) -> tuple[int, bool]:
    """A text piece's length without surrounding white space, and whether it holds a
    breadcrumb separator."""
    if not piece:
        return 0, False
    return len(piece.strip()), any(c in piece for c in "›>»/|")


def _prune(root: etree._Element, is_unwanted) -> None:
    """Remove every element `is_unwanted` flags, without looking inside removed ones."""
    unwanted: list[etree._Element] = []
    stack = [c for c in root if _is_element(c)]
    while stack:
        tag = stack.pop()
        if is_unwanted(tag):
            unwanted.append(tag)
        else:
            stack.extend(c for c in tag if _is_element(c))
    for tag in unwanted:
        _remove(tag)


def _drop_chrome(document: etree._Element) -> None:
    root = _html_or(document)
    _prune(root, _is_chrome)
    stats = _text_stats(root)
    short = [tag for tag in _find_all(root, *_HEADINGS, "strong", "b", "p", "span", "div", "dt")
             if stats[tag].text < 150 and stats[tag].tags < 8]
    for tag in short:
        text = _clean(_text(tag, " "))
        if _BREADCRUMB_LEAD.match(text):
            _remove(tag)
        elif len(text) < 100 and _CHROME_HEADINGS.match(text):
            _drop_block_introduced_by(tag, stats)
    stats = _text_stats(root)
    _prune(root, lambda tag: tag.tag in _LINK_BLOCKS and _is_link_list(stats[tag])
           and _find(tag, "time", "h1") is None)


def _drop_block_introduced_by(heading: etree._Element, stats: dict[etree._Element, _Stats]) -> None:
    """Remove a "see also" heading with the links that follow it."""
    container = heading.getparent()
    if container is None:
        return  # inside a part already removed
    if container.tag not in ("body", "html", "article", "main") \
            and stats.get(container, _Stats()).text < 1500 and _find(container, "h1") is None:
        _remove(container)
        return
    for sibling in [s for s in heading.itersiblings() if _is_element(s)]:
        if sibling.tag in _HEADINGS:
            break
        _remove(sibling)
    _remove(heading)


def _is_link_list(block: _Stats) -> bool:
    """A block that is mostly links (a menu, breadcrumbs, other articles), not prose."""
    if block.links < 2 or not block.text:
        return False
    if block.links == 2:  # `Accueil > Agenda`: short breadcrumbs
        return block.text < 80 and block.linked / block.text >= 0.6 and block.separated
    return block.linked / block.text >= 0.75


def _main_content(document: etree._Element) -> etree._Element:
    """The article: the largest <article>, else <main>, else the body."""
    articles = _find_all(document, "article")
    if articles:
        best = max(articles, key=lambda a: len(_text(a, " ", strip=True)))
        if len(_text(best, " ", strip=True)) > 200:
            return best
    for finder in (lambda: _find(document, "main"),
                   lambda: _with_attribute(document, "role", "main"),
                   lambda: _with_attribute(document, "itemprop", "articleBody")):
        found = finder()
        if found is not None and len(_text(found, " ", strip=True)) > 200:
            return found
    body = _find(document, "body")
    return _container_of_prose(document if body is None else body)


def _with_attribute(document: etree._Element, name: str, value: str) -> etree._Element | None:
    return next((tag for tag in _find_all(document) if tag.get(name) == value), None)


def _container_of_prose(body: etree._Element) -> etree._Element:
    """On a page without <article> or <main> (table or div layouts), the smallest element
    around the heading that holds most of the page's unlinked text; side columns of links and
    teasers fall outside it."""
    start = _find(body, "h1")
    start = start if start is not None else _find(body, "p")
    stats = _text_stats(body)

    def prose(tag: etree._Element) -> int:
        return stats[tag].text - stats[tag].linked

    total = prose(body)
    if start is None or not total:
        return body
    node = start.getparent()
    while node is not None and node is not body:
        if prose(node) >= 0.7 * total:
            return node
        node = node.getparent()
    return body


def _read_datelines(root: etree._Element, page: HtmlPage) -> None:
    """Dates the article marks as its own: <time> marked as publication, date-classed bylines,
    and unmarked <time> elements above the first paragraph of prose (an event's own dates sit
    in the prose below)."""
    seen_prose = False
    for tag in _find_all(root):
        if tag.tag == "p" and len(_text(tag, " ", strip=True)) > 150:
            seen_prose = True
        stamp = tag.get("datetime") if tag.tag == "time" else None
        if isinstance(stamp, str) and _is_publication_marker(tag):
            page.published.append(stamp)
        elif isinstance(stamp, str) and not seen_prose:
            page.datelines.append(stamp)
        elif _class_words(tag) & _DATELINE_WORDS:
            text = _clean(_text(tag, " "))
            if 0 < len(text) <= 120:
                page.datelines.append(text)


def _headings_text(root: etree._Element, name: str) -> list[str]:
    return [t for t in (_clean(_text(h, " ")) for h in _find_all(root, name)) if t]


def _blocks(root: etree._Element) -> list[str]:
    """The visible text as blocks: one per heading, paragraph, list item or table cell.

    Iterative, so that a page nested thousands of levels deep cannot exhaust the stack.
    """
    collected = _BlockCollector()
    # A stack of (node, entering); a block element ends a block when entered and when left,
    # and the text after an element (its tail) follows it.
    stack: list[tuple[etree._Element, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        if not entering:
            if node.tag in _BLOCK and node is not root:
                collected.end_block()
            if node is not root:
                collected.add(node.tail)
        elif not _is_element(node) or node.tag in _NOT_READ:
            collected.add(node.tail)  # what follows a comment, code or a removed element
        else:
            if node.tag in _BLOCK and node is not root:
                collected.end_block()
            stack.append((node, False))
            collected.add(node.text)
            stack.extend((child, True) for child in reversed(node))
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
    """Runs of white space (line breaks included) as one space, none at the ends."""
    if any(space in text for space in _SPLIT_DIFFERS):
        return _SPACES.sub(" ", text.replace("\n", " ")).strip()
    return " ".join(text.split())  # the same at C speed, where the regex cost 10 µs a block


# Where `str.split` and _SPACES disagree on what is white space: the characters it breaks at
# that _SPACES keeps (separators, U+2028), and U+200B, which _SPACES drops.
_SPLIT_DIFFERS = "\x1c\x1d\x1e\x1f\x85\u1680\u2028\u2029\u200b"
