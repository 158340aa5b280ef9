"""py3langid's feature vector, counted with numpy instead of its per-byte Python loop.

py3langid's model scores the byte n-grams (1 to 4 bytes) of a text. It finds them with an
Aho-Corasick automaton stepped one byte at a time in Python: about half a millisecond for a
1,000-character sample, the largest single cost of extracting a document. The automaton only
ever counts every occurrence of every feature, so the same counts come from walking its trie
from every byte of the text at once, one byte deeper per step, each step one numpy gather.

The model ships the automaton, not the feature strings; they are read back from it: the
shortest path from the start state to a state spells that state's string, and a feature is the
string of the shallowest state that outputs it.
"""

from __future__ import annotations

import numpy as np
from py3langid.langid import LanguageIdentifier

_BYTES = 256


class FeatureCounter:
    """Counts a text's features exactly as `LanguageIdentifier.instance2fv` does."""

    def __init__(self, identifier: LanguageIdentifier):
        self.size = identifier.nb_numfeats
        moves = np.asarray(identifier.tk_nextmove, dtype=np.int64).reshape(-1, _BYTES)
        depth = _state_depths(moves)
        # The trie inside the automaton: the moves that lengthen a state's string by one byte.
        # Every other move, and every move from the added dead state, leads to the dead state.
        dead = len(moves)
        # State numbers fit 16 bits: the table is 5 MB instead of 10.
        if dead > np.iinfo(np.int16).max:
            raise ValueError("py3langid's model has more states than 16 bits can number")
        lengthens = depth[moves] == depth[:, None] + 1
        self._trie = np.vstack([np.where(lengthens, moves, dead),
                                np.full((1, _BYTES), dead)]).ravel().astype(np.int16)
        # A feature's own state is the shallowest state that outputs it.
        own_state = np.full(self.size, -1)
        for state, features in identifier.tk_output.items():
            for feature in features:
                if own_state[feature] < 0 or depth[state] < depth[own_state[feature]]:
                    own_state[feature] = state
        self._feature_of_state = np.full(dead + 1, -1, dtype=np.int32)
        self._feature_of_state[own_state] = np.arange(self.size)
        self._longest = int(depth[own_state].max())

    def vectors(self, texts: list[str]) -> np.ndarray:
        """How many times each feature occurs in each text (a row per text), as py3langid
        counts them: the trie is walked from every byte of all the texts at once, one byte
        deeper at a time, and a walk stops at the end of its own text.

        All at once because the tables are large (5 MB of trie, 3 MB of model) and a
        document's other work pushes them out of the CPU's caches: one text at a time, a
        page took four times as long in an indexing run as in a loop of pages alone."""
        encoded = [text.encode("utf8", errors="surrogatepass") for text in texts]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.int32)
        owner = np.repeat(np.arange(len(texts)), lengths)  # which text each byte is of
        left = np.repeat(np.cumsum(lengths), lengths) - np.arange(data.size)  # bytes to its end
        states = np.zeros(data.size, dtype=np.int16)
        found = [np.zeros(0, dtype=np.int64)]
        for depth in range(min(self._longest, data.size)):
            states = self._trie[(states[:data.size - depth].astype(np.int32) << 8)
                                | data[depth:]]
            features = self._feature_of_state[states]
            within = (features >= 0) & (left[:data.size - depth] > depth)
            found.append(owner[:data.size - depth][within] * self.size + features[within])
        counts = np.bincount(np.concatenate(found), minlength=len(texts) * self.size)
        return counts.reshape(len(texts), self.size)


def _state_depths(moves: np.ndarray) -> np.ndarray:
    """The length of every automaton state's string: its distance from the start state."""
    depth = np.full(len(moves), -1, dtype=np.int64)
    depth[0] = 0
    frontier = np.array([0])
    while frontier.size:
        seen = np.zeros(len(moves), dtype=bool)
        seen[moves[frontier]] = True
        reached = np.flatnonzero(seen & (depth < 0))
        depth[reached] = depth[frontier[0]] + 1
        frontier = reached
    return depth
