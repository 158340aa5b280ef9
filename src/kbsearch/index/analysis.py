"""One analyzer per language: how text becomes index terms, identically at index and query time.

French: `’` becomes `'` before elided articles are dropped (`l’industrie` → `industrie`), then
accents and ligatures fold (`économie` → `economie`, `œuvre` → `oeuvre`), French stop words go
and a light stemmer merges singular and plural. Dutch and German fold and stem with Snowball;
their long words also go whole into a field where queries find words inside them, as parts of
compounds (see `compound_analyzer`). Japanese and Chinese have no spaces, so they are indexed
as overlapping character bigrams.

The schema pickles these analyzers into the index, so every class lives here, importable.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterator

from whoosh.analysis import (Filter, IDTokenizer, RegexTokenizer, StemFilter, StopFilter, Token,
                             Tokenizer)
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.fields import ID, KEYWORD, TEXT
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint
from whoosh.lang.stopwords import stoplists

from kbsearch.vocab.text import (FOLDED_WORD, fold, fold_with_offsets, fold_word, folded_words,
                                 is_cjk)

# Words, numbers, and words joined by an apostrophe (`l'industrie`, `aujourd'hui`).
WORD_PATTERN = r"\w+(?:['’]\w+)*"
_WHOLE = re.compile(r".*", re.DOTALL)
FRENCH_ELISIONS = frozenset({"l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu",
                             "puisqu", "quoiqu", "presqu", "quelqu"})
# Whoosh's French list lacks these frequent words (see WHOOSH-NOTES pitfall 5).
_FRENCH_EXTRA_STOPS = {"les", "plus", "comme", "cette", "cet", "ces", "ses", "leurs", "tout",
                       "tous", "toute", "toutes", "aussi", "entre", "sans", "sous", "chez",
                       "dont", "ainsi", "deux", "apres", "avant", "lors", "tres", "dont"}


def _folded(words) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


STOP_WORDS = {
    "fr": _folded(stoplists["fr"] | _FRENCH_EXTRA_STOPS),
    "nl": _folded(stoplists["nl"]),
    "de": _folded(stoplists["de"]),
    "en": _folded(stoplists["en"]),
}
_ANY_STOP_WORD = frozenset().union(*STOP_WORDS.values())
# The shortest word a compound field holds: shorter ones are not compounds of parts that
# queries look for (six letters or more, see search.query).
COMPOUND_MIN_LENGTH = 7


class FoldedWordTokenizer(Tokenizer):
    """The words of the text folded as a whole (`l’Économie` → `l'economie`), French elided
    articles dropped when given (→ `economie`).

    One pass instead of a tokenizer and two filters: `str.translate` folds the whole text at C
    speed, where folding word by word cost Python calls per token, and indexing is dominated by
    per-token work. Folding first also joins decomposed accents to their letters. Character
    offsets, when asked for (snippets), are mapped back to the original text.
    """

    def __init__(self, elisions: frozenset[str] = frozenset()):
        self.elisions = elisions

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldedWordTokenizer) and other.elisions == self.elisions

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text, origin = fold_with_offsets(value) if chars else (fold(value), None)
        matches = FOLDED_WORD.finditer(text) if tokenize else [_WHOLE.match(text)]
        for pos, match in enumerate(matches, start_pos):
            word = self._elided(match.group())
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
            if chars:
                start, end = match.span()
                if origin is not None:
                    start, end = origin[start], origin[end]
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token

    def words(self, value: str) -> list[str]:
        """The words of `value` as the tokens' texts, without Token objects (see
        `indexed_terms`)."""
        words = folded_words(value)
        if not self.elisions:
            return words
        return [self._elided(word) if "'" in word else word for word in words]

    def distinct_words(self, value: str) -> set[str]:
        """`set(self.words(value))`, each distinct word elided once."""
        words = set(folded_words(value))
        if not self.elisions:
            return words
        return {self._elided(word) if "'" in word else word for word in words}

    def _elided(self, word: str) -> str:
        if self.elisions and "'" in word:
            head, _, tail = word.partition("'")
            if head in self.elisions and tail:
                return tail
        return word


def french_light_stem(word: str) -> str:
    """A light French stemmer (after Savoy): plurals and feminine endings, nothing aggressive,
    so `entreprises` meets `entreprise` and `nationaux` meets `national`."""
    if len(word) < 5 or not word.isalpha():
        return word
    if word.endswith("aux"):
        return word[:-3] + "al"
    for ending in ("s", "x"):
        if word.endswith(ending):
            word = word[:-1]
            break
    for ending in ("ees", "ee", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            word = word[:-len(ending)]
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1].isalpha():
        word = word[:-1]  # `nationalle` after `e` removal → `national`
    return word


class CJKBigramFilter(Filter):
    """Runs of CJK characters → overlapping bigrams (`日本企業` → 日本 本企 企業); a lone
    character stays a unigram. Other tokens pass through folded."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        pos = 0
        for t in tokens:
            cjk, start = is_cjk(t.text), getattr(t, "startchar", None)
            for i, term in enumerate(self.terms(t.text)):
                t.text, t.pos = term, pos
                if cjk and start is not None:  # offsets of the bigram itself, for highlighting
                    t.startchar, t.endchar = start + i, start + i + len(term)
                pos += 1
                yield t

    @staticmethod
    def terms(token: str) -> list[str]:
        """What one token becomes: its bigrams if it holds CJK characters, else itself folded."""
        if not is_cjk(token):
            return [fold_word(token)]
        chars = [c for c in token if not c.isspace()]
        return ["".join(chars[i:i + 2]) for i in range(len(chars) - 1)] or chars


def language_analyzer(language: str):
    """The analyzer of one language's title and body fields."""
    elisions = FRENCH_ELISIONS if language == "fr" else frozenset()
    base = FoldedWordTokenizer(elisions) | StopFilter(stoplist=STOP_WORDS[language], lang=None, minsize=1)
    if language == "fr":
        return base | StemFilter(french_light_stem, cachesize=50_000)
    return base | StemFilter(lang=language, cachesize=50_000)


def cjk_analyzer():
    return RegexTokenizer(WORD_PATTERN) | CJKBigramFilter()


def generic_analyzer():
    """Languages without their own fields: folded words, no stemming, no stop words."""
    return FoldedWordTokenizer()


def compound_analyzer():
    """The long words of Dutch and German, whole: queries look for a word inside them (see
    search.lexicon), so that a part (`Lebensmittel`) finds its compounds. Whole words, not
    the 4-grams indexed before: a sixth of the postings, and a word matches only inside
    one word, not in grams scattered over several."""
    return FoldedWordTokenizer() | StopFilter(stoplist=None, minsize=COMPOUND_MIN_LENGTH,
                                             renumber=False)


class LettersOnlyFilter(Filter):
    """Keeps the words made of letters only: no numbers, and no word still holding an
    apostrophe."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.text.isalpha():
                yield t


def spelling_analyzer():
    """The words typo correction may offer or must know: as written (folded), French elided
    articles dropped (`l'exportation` counts as `exportation`), of letters only (it corrects
    words of letters only, and never offers `l'usine` for `lusine` nor a number), of three
    letters or more (it corrects words of four letters or more, so it never offers a shorter
    one), and no stop word of any language (it never corrects them nor offers them). Half
    the postings of every word."""
    return (FoldedWordTokenizer(FRENCH_ELISIONS)
            | StopFilter(stoplist=_ANY_STOP_WORD, minsize=3, renumber=False)
            | LettersOnlyFilter())


def is_stop_word(word: str) -> bool:
    """A stop word in any language with its own analyzer: a query word that would otherwise
    demand, in the other languages' fields, a word the documents never index."""
    return fold(word) in _ANY_STOP_WORD


# A word list's positions: the first of positions that run on one by one, or each word's.
WordPositions = int | list[int]


def indexed_terms(analyzer, value: str) -> tuple[list[str], WordPositions] | None:
    """The terms `analyzer` indexes for `value`, in order, with their positions, or None for
    an analyzer without this path, which indexes through Whoosh's Token stream.

    The same terms and positions as that stream, computed on lists of words instead: through
    Whoosh, every word is a Token passed along a generator per filter, and that was most of
    the indexing time. Positions are kept as a first position while they run on one by one
    (as they do unless a filter drops words without renumbering), so no step but the
    grouping by term touches them. Tests hold the two equal on random multilingual text.
    """
    if _is_cjk_analyzer(analyzer):
        tokenizer = analyzer.items[0]
        return [term for token in tokenizer.expression.findall(value)
                for term in CJKBigramFilter.terms(token)], 0
    steps = _word_list_steps(analyzer)
    if steps is None:
        return None
    tokenizer, filters = steps
    words, positions = tokenizer.words(value), 0
    for stage, step in filters:
        words, positions = step(stage, words, positions)
    return words, positions


def indexed_words(analyzer, texts: tuple[str, ...]) -> set[str] | None:
    """The distinct terms `analyzer` indexes for `texts` (None as for `indexed_terms`), each
    word filtered once: every filter here treats a word alike wherever it is."""
    steps = _word_list_steps(analyzer)
    if steps is None:
        return None
    tokenizer, filters = steps
    words = list(set().union(*map(tokenizer.distinct_words, texts)))
    for stage, step in filters:
        words, _ = step(stage, words, 0)
    return set(words)


def _is_cjk_analyzer(analyzer) -> bool:
    """Whether `analyzer` is `cjk_analyzer()`, whose terms `indexed_terms` makes itself."""
    stages = analyzer.items if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
    return len(stages) == 2 and type(stages[0]) is RegexTokenizer and not stages[0].gaps \
        and stages[0].expression.pattern == WORD_PATTERN and type(stages[1]) is CJKBigramFilter


def _word_list_steps(analyzer) -> tuple[FoldedWordTokenizer, list] | None:
    """The analyzer's tokenizer and (filter, its word-list step) pairs, if all have one."""
    stages = analyzer.items if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
    tokenizer, *filters = stages
    if type(tokenizer) is not FoldedWordTokenizer:
        return None
    steps = [(stage, _WORD_LIST_STEPS.get(type(stage))) for stage in filters]
    if any(step is None for _, step in steps):
        return None
    return tokenizer, steps


def _kept(words: list[str], positions: WordPositions,
          keep: list[bool]) -> tuple[list, WordPositions]:
    """The words `keep` flags, with their own positions."""
    if isinstance(positions, int):
        positions = range(positions, positions + len(words))
    return list(itertools.compress(words, keep)), list(itertools.compress(positions, keep))


def _stopped(stage: StopFilter, words: list[str], positions: WordPositions):
    shortest, longest, stops = stage.min, stage.max, stage.stops
    if longest is None:
        keep = [word not in stops and len(word) >= shortest for word in words]
    else:
        keep = [word not in stops and shortest <= len(word) <= longest for word in words]
    if not stage.renumber or True not in keep:
        return _kept(words, positions, keep)
    # Whoosh keeps the first kept word's position and counts on from there.
    first = keep.index(True)
    first = positions + first if isinstance(positions, int) else positions[first]
    return list(itertools.compress(words, keep)), first


def _stemmed(stage: StemFilter, words: list[str], positions: WordPositions):
    stem, ignore = stage._stem, stage.ignore  # its cached stemmer, as the filter calls it
    if ignore:
        return [word if word in ignore else stem(word) for word in words], positions
    return list(map(stem, words)), positions


def _letters_only(stage: LettersOnlyFilter, words: list[str], positions: WordPositions):
    return _kept(words, positions, list(map(str.isalpha, words)))


_WORD_LIST_STEPS = {StopFilter: _stopped, StemFilter: _stemmed, LettersOnlyFilter: _letters_only}


class WordText(TEXT):
    """A TEXT field that indexes through `indexed_terms` when its analyzer allows: the same
    (term, frequency, weight, value) items as TEXT, a few times faster."""

    def index(self, value, **kwargs):
        terms = None
        if isinstance(value, str) and not kwargs and \
                type(self.format) in (Frequency, Positions):
            terms = indexed_terms(self.analyzer, value)
        if terms is None:
            return super().index(value, **kwargs)
        return _word_values(self.format, *terms)


class WordSet(WordText):
    """A WordText field that records only which documents hold each word, not how often: for
    the spelling dictionary, which counts documents, and the compounds. Without frequencies,
    postings cost less to write and to store, and each distinct word of a text is analysed
    once.

    Its value is a text or a tuple of texts (a title and a body) whose words it holds: the
    body then splits into words once for all fields (see `folded_words`), where a title and
    body joined into one new text had to be split again."""

    def __init__(self, analyzer):
        super().__init__(analyzer=analyzer, phrase=False)
        self.format = Existence()

    def index(self, value, **kwargs):
        texts = (value,) if isinstance(value, str) else value
        words = indexed_words(self.analyzer, texts) if not kwargs else None
        if words is None:
            return super().index("\n".join(texts), **kwargs)
        boost = self.format.field_boost
        return [(word.encode("utf-8"), 1, boost, b"") for word in words]


def _word_values(form: Frequency | Positions, words: list[str],
                 positions: WordPositions) -> list[tuple]:
    """What Whoosh's format makes of the terms: per term its UTF-8 bytes, frequency, weight
    (each occurrence weighs 1, times the field's boost) and frequency or positions encoded.

    Counted and grouped at C speed: most terms occur once in a document, and their one
    position is the first; only the positions of repeated terms are gathered word by word."""
    boost = form.field_boost
    counts = Counter(words)
    if type(form) is Frequency:
        return [(word.encode("utf-8"), frequency, frequency * boost, pack_uint(frequency))
                for word, frequency in counts.items()]
    if isinstance(positions, int):
        positions = range(positions, positions + len(words))
    first = dict(zip(reversed(words), reversed(positions)))
    repeated = {word: [] for word, frequency in counts.items() if frequency > 1}
    if repeated:
        for word, position in itertools.compress(zip(words, positions),
                                                 map(repeated.__contains__, words)):
            repeated[word].append(position)
    return [(word.encode("utf-8"), frequency, frequency * boost,
             _one_position(first[word]) if frequency == 1 else form.encode(repeated[word]))
            for word, frequency in counts.items()]


class Identifier(ID):
    """An ID field whose one term, the whole value, is made without Whoosh's token stream (a
    Token passed along a generator and a set per value, for five such fields a document)."""

    def index(self, value, **kwargs):
        if kwargs or not isinstance(value, str) or type(self.analyzer) is not IDTokenizer:
            return super().index(value, **kwargs)
        return [(value.encode("utf-8"), 1, self.format.field_boost, b"")]


class CommaKeywords(KEYWORD):
    """A KEYWORD field of comma-separated codes (`BE,JP`), case kept, whose terms are made
    without Whoosh's token stream: the same terms, frequencies and weights."""

    def __init__(self, **kwargs):
        super().__init__(commas=True, lowercase=False, **kwargs)

    def index(self, value, **kwargs):
        if kwargs or not isinstance(value, str):
            return super().index(value, **kwargs)
        return _word_values(self.format, [piece.strip() for piece in value.split(",") if piece],
                            0)


@functools.lru_cache(maxsize=65_536)
def _one_position(position: int) -> bytes:
    """`Positions.encode([position])`, remembered: most terms occur once in a document, at
    one of a few thousand positions, and encoding pickles. Postings share the value: held
    once in memory, and written once per block (pickle refers back to a value it has
    written)."""
    return Positions().encode([position])
