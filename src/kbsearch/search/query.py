"""User query text → a Whoosh query over every language field, with concepts recognised.

The query language is lenient: words, `"phrases"`, `-exclusions`, `OR` and field prefixes
(`country:JP`, `sector:automotive`, `type:mission`, `lang:nl`) — and nothing a user types ever
raises: an unbalanced quote or a stray operator degrades to plain words.

Words that name a country, a region, a sector, a document type or a year in any language
(`Japan`, `Japon`, `Tokyo`, `Afrique`, `car industry`, `Fahrzeugbau`, `mission`, `2019`) may be
met either by the words themselves or by documents tagged with the concept, so an English query
finds French documents. Words the index does not know get their nearest known word as an alternative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from whoosh import query as wq

from kbsearch import config
from kbsearch.index import schema as f
from kbsearch.index.analysis import is_stop_word
from kbsearch.vocab import countries, regions, sectors, types
from kbsearch.vocab.languages import normalise_code
from kbsearch.vocab.text import fold, is_cjk, tokens

CONCEPT_BOOST = 5.0
REGION = "region"  # a pseudo-field: a region concept stands for its member countries
CORRECTION_BOOST = 0.7
COMPOUND_BOOST = 0.5
# Query words this long are looked for inside compounds, in at most this many of them (those
# most documents hold).
COMPOUND_PART_MIN_LENGTH = 6
MAX_COMPOUNDS = 200
# Field prefixes users may type, in the interface languages, and the facet each selects.
PREFIXES = {
    "country": "country", "pays": "country", "land": "country",
    "sector": "sector", "secteur": "sector", "sektor": "sector", "sector_": "sector",
    "type": "type", "typ": "type",
    "lang": "language", "language": "language", "langue": "language", "taal": "language",
    "sprache": "language",
}
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_YEAR = re.compile(r"^(19[9]\d|20\d\d|2100)$")


@dataclass(frozen=True)
class Text:
    """Words to find in the text; all of them, or as a phrase."""

    words: tuple[str, ...]
    phrase: bool = False
    boost: float = 1.0


@dataclass(frozen=True)
class Concept:
    """A concept field value (country code, sector slug, type, year)."""

    field: str
    value: str


@dataclass
class Clause:
    """Alternatives, any of which satisfies the clause."""

    alternatives: list[Text | Concept]

    @property
    def words(self) -> list[str]:
        return [w for a in self.alternatives if isinstance(a, Text) for w in a.words]


@dataclass
class ParsedQuery:
    must: list[Clause] = field(default_factory=list)
    exclude: list[Clause] = field(default_factory=list)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.must


# --- parsing (pure text; never raises) ------------------------------------------------------

def parse_query(text: str) -> ParsedQuery:
    """Read what the user typed into clauses, exclusions and facet filters."""
    text = (text or "")[:1000]
    if text.count('"') % 2:
        text = text[::-1].replace('"', " ", 1)[::-1]  # the unbalanced quote is a plain space
    parsed = ParsedQuery()
    items: list[tuple[str, Clause | None]] = []  # ("clause"|"or"|"not", clause)
    for m in _TOKEN.finditer(text):
        negated, phrase, token = m.group(1), m.group(2), m.group(3)
        if phrase is not None:
            words = tuple(_words(phrase))
            if words:
                items.append(("not" if negated else "clause",
                              Clause([Text(words, phrase=len(words) > 1)])))
            continue
        if token == "OR":
            items.append(("or", None))
            continue
        if _read_prefix(token, parsed.filters):
            continue
        negated = token.startswith("-") and len(token) > 1
        words = tuple(_words(token[1:] if negated else token))
        for word in words:
            items.append(("not" if negated else "clause", Clause([Text((word,))])))
    _combine(items, parsed)
    parsed.must = recognise_concepts(parsed.must)
    content = [c for c in parsed.must if not _is_stop_clause(c)]
    parsed.must = content or parsed.must  # a query of stop words only still searches them
    return parsed


def _is_stop_clause(clause: Clause) -> bool:
    alternatives = clause.alternatives
    return len(alternatives) == 1 and isinstance(alternatives[0], Text) \
        and not alternatives[0].phrase and all(is_stop_word(w) for w in alternatives[0].words)


def _words(text: str) -> list[str]:
    """Word-like pieces of user text, punctuation stripped (`Côte-d'Ivoire` stays whole)."""
    return [w for w in re.findall(r"[\w][\w'’\-.&]*[\w]|\w", text)]


def _read_prefix(token: str, filters: dict[str, tuple[str, ...]]) -> bool:
    """`country:JP` → a filter; False when the token is not a known, valid prefix."""
    name, sep, value = token.partition(":")
    facet = PREFIXES.get(name.lower()) if sep else None
    if not facet or not value:
        return False
    parsed = {"country": countries.parse_country, "sector": sectors.parse_sector,
              "type": types.parse_type, "language": normalise_code}[facet](value)
    if not parsed:
        return False
    filters[facet] = tuple(dict.fromkeys((*filters.get(facet, ()), parsed)))
    return True


def _combine(items: list[tuple[str, Clause | None]], parsed: ParsedQuery) -> None:
    """Join `a OR b` into one clause; stray operators are dropped."""
    pending_or = False
    for kind, clause in items:
        if kind == "or":
            pending_or = bool(parsed.must)
        elif kind == "not":
            parsed.exclude.append(clause)
            pending_or = False
        elif pending_or:
            parsed.must[-1].alternatives.extend(clause.alternatives)
            pending_or = False
        else:
            parsed.must.append(clause)


def prepare_concepts() -> None:
    """Build the vocabularies query words are matched against (country, sector and region
    names in every language, from Babel's data: about half a second), so that no search
    waits for them: servers call it while warming."""
    countries.matcher()
    sectors.matcher()
    regions.matcher()


def recognise_concepts(clauses: list[Clause]) -> list[Clause]:
    """Single-word clauses that name a concept, alone or together (`car industry`), become
    one clause met by those words or by the concept's tag."""
    plain = [i for i, c in enumerate(clauses)
             if len(c.alternatives) == 1 and isinstance(c.alternatives[0], Text)
             and not c.alternatives[0].phrase]
    words = [clauses[i].alternatives[0].words[0] for i in plain]
    spans = _concept_spans(words)
    result: list[Clause] = []
    consumed: set[int] = set()
    for start, length, concept in spans:
        members = plain[start:start + length]
        if consumed & set(members):
            continue
        consumed.update(members)
        clauses[members[0]] = Clause([Text(tuple(words[start:start + length])), concept])
        consumed.discard(members[0])
        for member in members[1:]:
            clauses[member] = None
    result = [c for c in clauses if c is not None]
    return result


def _concept_spans(words: list[str]) -> list[tuple[int, int, Concept]]:
    """(first word, word count, concept) for each concept named among `words`."""
    spans: list[tuple[int, int, Concept]] = []
    owner: list[int] = []
    for i, word in enumerate(words):
        owner.extend([i] * max(1, len(tokens(word))))
    # Latin-script words are matched together (`car industry`); CJK words one by one, since
    # CJK matches are located by character, not by word.
    flat = " ".join(w if not is_cjk(w) else "_" for w in words)
    for match in countries.matcher().find(flat):
        spans.extend(_country_span(match.concept, _span(match.start, match.term, owner)))
    for match in sectors.matcher().find(flat):
        spans.append((*_span(match.start, match.term, owner), Concept(f.SECTOR, match.concept)))
    for match in regions.matcher().find(flat):
        spans.append((*_span(match.start, match.term, owner), Concept(REGION, match.concept)))
    for i, word in enumerate(words):
        if is_cjk(word):
            for match in countries.matcher().find(word):
                spans.extend(_country_span(match.concept, (i, 1)))
            for match in sectors.matcher().find(word):
                spans.append((i, 1, Concept(f.SECTOR, match.concept)))
        doc_type = types.parse_type(word)
        if doc_type:
            spans.append((i, 1, Concept(f.TYPE, doc_type)))
        if _YEAR.match(word):
            spans.append((i, 1, Concept(f.YEAR, word)))
    return sorted(spans, key=lambda s: (s[0], -s[1]))


def _country_span(concept: str, span: tuple[int, int]) -> list[tuple[int, int, Concept]]:
    """The country concept of a match, unless it is no country or the agency's own: documents
    are not tagged with the home country when they are about going abroad."""
    kind, code = concept.split(":")
    if kind == countries.NOT_A_COUNTRY or code == config.home_country():
        return []
    return [(*span, Concept(f.COUNTRY, code))]


def _span(token_start: int, term: str, owner: list[int]) -> tuple[int, int]:
    """(first word, word count) of a match starting at token `token_start`."""
    length = max(1, len(tokens(term.replace("*", ""))))
    first = owner[min(token_start, len(owner) - 1)]
    last = owner[min(token_start + length - 1, len(owner) - 1)]
    return first, last - first + 1


# Analyses of query words remembered per builder (a searcher's life); when full, it starts over.
REMEMBERED_ANALYSES = 100_000
# Each correction searches the dictionary for near words: a query may ask for this many.
MAX_CORRECTED_WORDS = 6


def with_corrections(parsed: ParsedQuery, correct) -> tuple[ParsedQuery, dict[str, str]]:
    """Each unknown word (up to MAX_CORRECTED_WORDS) gets its nearest known word as an
    alternative.

    `correct(word)` returns a replacement or None. Returns the new query and the replacements
    made (for "did you mean").
    """
    asked: dict[str, str | None] = {}

    def bounded(word: str) -> str | None:
        if word not in asked and len(asked) < MAX_CORRECTED_WORDS:
            asked[word] = correct(word)
        return asked.get(word)

    replacements: dict[str, str] = {}
    clauses = []
    for clause in parsed.must:
        extra: list[Text] = []
        for alternative in clause.alternatives:
            if isinstance(alternative, Text) and not alternative.phrase:
                fixed = [replacements.setdefault(w, r) if (r := bounded(w)) else w
                         for w in alternative.words]
                if tuple(fixed) != alternative.words:
                    extra.append(Text(tuple(fixed), boost=CORRECTION_BOOST))
        clauses.append(Clause(clause.alternatives + extra))
    if replacements:
        # A corrected word may name a concept the typo hid (`japn` → `japan`).
        for i, clause in enumerate(clauses):
            if len(clause.alternatives) == 2 and isinstance(clause.alternatives[1], Text) \
                    and len(clause.alternatives[1].words) == 1:
                found = recognise_concepts([Clause([replace(clause.alternatives[1], boost=1.0)])])
                concepts = [a for a in found[0].alternatives if isinstance(a, Concept)]
                clauses[i] = Clause(clause.alternatives + concepts)
    return ParsedQuery(clauses, parsed.exclude, parsed.filters), replacements


# --- building Whoosh queries ----------------------------------------------------------------

class QueryBuilder:
    """Builds Whoosh queries with each field's own analyzer, as the index was built.

    With a lexicon (see lexicon.Lexicon), terms the index does not hold are left out before
    Whoosh sees them: a word is looked up in a dozen fields, and most hold none of it, so the
    queries Whoosh evaluates stay small (same results, a fraction of the matchers).
    """

    def __init__(self, schema, lexicon=None):
        self.schema = schema
        self.lexicon = lexicon
        self._analysed: dict[tuple[str, str], tuple[str, ...]] = {}
        self._texts: dict[Text, wq.Query | None] = {}
        self.text_fields = [name for suffix in f.TEXT_SUFFIXES
                            for name in (f.title_field(suffix), f.body_field(suffix))]

    def _known(self, field_name: str, terms: list[str]) -> bool:
        """Every term is in the index (or there is no lexicon to ask)."""
        return self.lexicon is None or all(self.lexicon.doc_frequency(field_name, t)
                                          for t in terms)

    def analyse(self, field_name: str, text: str) -> list[str]:
        """The terms `text` becomes in a field; remembered, since every query word is
        analysed for a dozen fields and people search the same words again."""
        key = (field_name, text)
        terms = self._analysed.get(key)
        if terms is None:
            if len(self._analysed) >= REMEMBERED_ANALYSES:
                self._analysed.clear()
            analyzer = self.schema[field_name].analyzer
            terms = self._analysed[key] = tuple(t.text for t in analyzer(text, mode="query"))
        return list(terms)

    def text(self, alternative: Text) -> wq.Query | None:
        """The query of words in every text field that holds them; remembered like analyses
        (the lexicon cannot change under a builder, and evaluating never changes a query):
        a word's query asks the lexicon about a dozen fields."""
        if alternative in self._texts:
            return self._texts[alternative]
        if len(self._texts) >= REMEMBERED_ANALYSES:
            self._texts.clear()
        query = self._texts[alternative] = self._text(alternative)
        return query

    def _text(self, alternative: Text) -> wq.Query | None:
        per_field = []
        for name in self.text_fields:
            if alternative.phrase:
                terms = self.analyse(name, " ".join(alternative.words))
                if not terms or not self._known(name, terms):
                    continue
                per_field.append(wq.Phrase(name, terms) if len(terms) > 1 else
                                 wq.Term(name, terms[0]))
                continue
            words = [self.analyse(name, w) for w in alternative.words]
            if words and all(words) and self._known(name, [t for w in words for t in w]):
                parts = [wq.And([wq.Term(name, t) for t in w]) if len(w) > 1 else
                         wq.Term(name, w[0]) for w in words]
                per_field.append(parts[0] if len(parts) == 1 else wq.And(parts))
        compound = self._compound(alternative)
        if compound is not None:
            per_field.append(compound)
        if not per_field:
            # Words the index never saw still count as a clause (nothing meets it); only
            # words that every analyzer drops (stop words) leave no clause at all.
            analysed = any(self.analyse(name, " ".join(alternative.words))
                           for name in self.text_fields)
            return wq.NullQuery if analysed else None
        # Boosts are given when building: Whoosh's with_boost deep-copies the whole query.
        return wq.Or(per_field, boost=alternative.boost)

    def _compound(self, alternative: Text) -> wq.Query | None:
        """Long words also match inside the long words of Dutch and German documents: a part
        (`Lebensmittel`) finds its compounds (`Lebensmittelindustrie`)."""
        if alternative.phrase or self.lexicon is None or not alternative.words or \
                any(len(w) < COMPOUND_PART_MIN_LENGTH for w in alternative.words):
            return None
        found = [self.lexicon.containing(f.COMPOUND, fold(word), MAX_COMPOUNDS)
                 for word in alternative.words]
        if not all(found):
            return None
        # Whoosh ignores the boost of a compound query of one part: the part carries it.
        boost = COMPOUND_BOOST if len(found) == 1 else 1.0
        parts = [wq.Term(f.COMPOUND, compounds[0], boost=boost) if len(compounds) == 1 else
                 wq.Or([wq.Term(f.COMPOUND, compound) for compound in compounds], boost=boost)
                 for compounds in found]
        return parts[0] if len(parts) == 1 else wq.And(parts, boost=COMPOUND_BOOST)

    def concept(self, concept: Concept) -> wq.Query:
        if concept.field == REGION:
            codes = [c for c in regions.members(concept.value) if self._known(f.COUNTRY, [c])]
            return wq.Or([wq.Term(f.COUNTRY, code) for code in codes], boost=CONCEPT_BOOST)
        if concept.field == f.YEAR:
            year = int(concept.value)
            return wq.NumericRange(f.YEAR, year, year, boost=CONCEPT_BOOST)
        return wq.Term(concept.field, concept.value, boost=CONCEPT_BOOST)

    def clause(self, clause: Clause) -> wq.Query | None:
        parts = [self.concept(a) if isinstance(a, Concept) else self.text(a)
                 for a in clause.alternatives]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def exclusions(self, parsed: ParsedQuery) -> wq.Query | None:
        """What `-word` and `-"phrase"` exclude, or None."""
        excluded = [q for q in (self.clause(c) for c in parsed.exclude) if q is not None]
        return wq.Or(excluded) if excluded else None
