"""The key terms of a text: what "documents like this one" searches for.

Whoosh's `more_like` takes a document's key terms (Bo1 model, weights not normalised) and runs
them as an Or query. Its `key_terms_from_text` reads the term table twice for each of a
document's few hundred words (about 20 ms a document page at 10,000 documents); here the same
terms and weights come from the lexicon's remembered frequencies.
"""

from __future__ import annotations

from collections import Counter

from whoosh.classify import Bo1Model

from kbsearch.search.lexicon import Lexicon


def key_terms(reader, lexicon: Lexicon, field_name: str, text: str,
              number: int) -> list[tuple[str, float]]:
    """The `number` terms of `text` in `field_name` that most set it apart from the
    collection, with their weights, as Whoosh's `key_terms_from_text(…, normalize=False)`."""
    field = reader.schema[field_name]
    weights: Counter[str] = Counter()
    for term, _, weight, _ in field.index(text):
        weights[field.from_bytes(term)] += weight
    model = Bo1Model(reader.doc_count_all(), reader.field_length(field_name))
    total = sum(weights.values())
    scored = [(model.score(weight, found, total), word) for word, weight in weights.items()
              if (found := lexicon.frequency(field_name, word))]
    if not scored:
        return []
    best = max(score for score, _ in scored)
    scored.sort(key=lambda sw: (-sw[0], sw[1]))
    return [(word, score / best) for score, word in scored[:number]]
