"""Document language detection: repeatable, with a confidence, and honest about short texts.

py3langid's model (naive Bayes over byte n-grams) gives the same answer for the same text every
time; langdetect, used before, sampled n-grams at random in Python and cost five times as much,
with the same answers on both labelled sets and on 1,500 generated documents. Its n-grams are
counted here with numpy (see `langfeatures`), with the same ranking, in about 0.2 ms a page
when an indexing run detects a batch of pages at once (see `detect_languages`).
A text too short or too mixed to judge falls back to the language the file declares, else
`und`, rather than a guess.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from kbsearch.ingest.langfeatures import FeatureCounter
from kbsearch.vocab.languages import normalise_code
from kbsearch.vocab.text import count_cjk

UNDETERMINED = "und"
# Below this many letters a detector's answers are not worth reporting.
MIN_LETTERS = 40
# A declared language is only overruled by a text of a few sentences at least.
MIN_LETTERS_TO_OVERRULE = 150
# Below this probability a detected language is not trusted.
MIN_CONFIDENCE = 0.80
# Texts longer than this are cut: the start of a document is as telling as all of it, and the
# cost of detection grows with the text. 600 characters gave the same language as 1,000 on
# all 3,128 documents of the bench, bundled and held-out corpora, in 70 % of the time.
MAX_CHARS = 600
# Runs of anything but letters: what is left once they are removed is the letters.
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_URLS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


@dataclass(frozen=True)
class DetectedLanguage:
    code: str
    confidence: float


@functools.cache
def _model() -> tuple[LanguageIdentifier, FeatureCounter]:
    """py3langid's model, loaded once (its own `rank`, which `_rank` reproduces, normalises
    probabilities to sum to one), and its features' counter."""
    identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    return identifier, FeatureCounter(identifier)


def detect_language(text: str, declared: str | None = None) -> DetectedLanguage:
    """The language of `text`, with the model's probability as confidence.

    A text long and clear enough overrules its declaration (a Dutch article on a page that says
    `lang="fr"` is Dutch); a short or uncertain one defers to the declaration, else is `und`.
    """
    return detect_languages([(text, declared)])[0]


def detect_languages(texts: Sequence[tuple[str, str | None]]) -> list[DetectedLanguage]:
    """`detect_language(text, declared)` for each pair, the texts' features counted in one
    pass (see `FeatureCounter.vectors`): a batch of pages took a third of the time."""
    samples = [_sample(text) for text, _ in texts]
    judged = [sample for sample, letters in samples if letters >= MIN_LETTERS // 4]
    rankings = iter(_rank_all(judged))
    return [_decide(next(rankings) if letters >= MIN_LETTERS // 4 else {}, letters,
                    normalise_code(declared))
            for (_, letters), (_, declared) in zip(samples, texts)]


def _sample(text: str) -> tuple[str, int]:
    """The start of `text` that detection reads, and how many letters it holds."""
    # URLs are dropped from a stretch somewhat longer than the sample, not the whole text,
    # and only from one that has any: most have none, and the pattern costs more than the
    # rest of detection.
    head = text[:4 * MAX_CHARS]
    if "@" in head or "://" in head or "www." in head:
        head = _URLS.sub(" ", head)
    sample = head[:MAX_CHARS]
    return sample, len(_NOT_LETTERS.sub("", sample)) + 3 * count_cjk(sample)


def _decide(ranked: dict[str, float], letters: int, declared: str | None) -> DetectedLanguage:
    """The language of a sample of `letters` letters that the model ranked as `ranked`, in a
    file declaring `declared` (see `detect_language` for the rules)."""
    best = max(ranked.items(), key=lambda kv: kv[1], default=None)
    if declared:
        if best and best[0] != declared and letters >= MIN_LETTERS_TO_OVERRULE \
                and best[1] >= MIN_CONFIDENCE:
            return DetectedLanguage(*best)
        return DetectedLanguage(declared, ranked.get(declared, 0.0))
    if best and letters >= MIN_LETTERS and best[1] >= MIN_CONFIDENCE:
        return DetectedLanguage(*best)
    return DetectedLanguage(UNDETERMINED, 0.0)


def _rank_all(samples: list[str]) -> list[dict[str, float]]:
    """For each sample, ISO 639-1 code → probability of the five likeliest languages, as
    py3langid's `rank` gives them. Only the features a text has enter the product with the
    model's table."""
    identifier, counter = _model()
    return [_ranked(identifier, counts) for counts in counter.vectors(samples)]


def _ranked(identifier: LanguageIdentifier, counts: np.ndarray) -> dict[str, float]:
    present = np.flatnonzero(counts)
    log_probabilities = counts[present] @ identifier.nb_ptc[present] + identifier.nb_pc
    # Normalised as py3langid's `norm_probs` does, as a softmax: its formula builds a table of
    # exponentials, one per pair of languages, and costs twenty times as much.
    all_probabilities = np.exp(log_probabilities - log_probabilities.max())
    all_probabilities /= all_probabilities.sum()
    probabilities: dict[str, float] = {}
    for best in np.argsort(-all_probabilities, kind="stable")[:5]:
        code = normalise_code(identifier.nb_classes[best])
        if code and all_probabilities[best] >= 0.001:
            probabilities[code] = round(float(all_probabilities[best]), 3)
    return probabilities
