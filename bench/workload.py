"""The benchmark's queries: seeded samples of the words and concepts users type."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from bench.generate import MARKETS, sentence_pools
from kbsearch.vocab import sectors

STOP = {"dans", "pour", "avec", "leur", "leurs", "entre", "cette", "sont", "plus", "mais",
        "also", "with", "that", "from", "this", "their", "voor", "naar", "door", "zijn",
        "werden", "eine", "einer", "nach", "sich", "wurde", "auch"}


@dataclass(frozen=True)
class Workload:
    queries: list[str]      # 1 to 3 words, as typed
    prefixes: list[str]     # what people type before completion kicks in
    countries: list[str]    # for 1 and 2 facet selections and the country filter
    sectors: list[str]


def workload(count: int, seed: int = 7) -> Workload:
    rng = random.Random(seed)
    words = sorted({w for sentences in sentence_pools().values() for s in sentences
                    for w in re.findall(r"[^\W\d_]{5,}", s) if w.lower() not in STOP})
    queries = [" ".join(rng.sample(words, rng.choice((1, 1, 2, 2, 3)))) for _ in range(count)]
    prefixes = [w[:rng.randint(3, 5)] for w in rng.sample(words, count)]
    return Workload(queries, prefixes, [rng.choice(MARKETS[:15]) for _ in range(count)],
                    [rng.choice(sectors.slugs()) for _ in range(count)])
