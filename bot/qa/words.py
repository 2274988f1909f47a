"""Words of a question, made comparable: folded, transliterated, with typo-tolerant lookup."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz.distance import DamerauLevenshtein

from ..facts.index import match_key

# Words that never anchor a title match on their own (they are in too many titles).
COMMON = frozenset(
    "a an the of and or in on at to for with by from is it its la le les el il lo der die das de du des "
    "et i you he she we they his her my your what who when where why how which film movie".split()
)


NEAR_CACHE = 50_000  # words whose neighbours are kept (the question words of a busy bot)


def tokens(text: str) -> list[str]:
    return match_key(text).split()


def stem(word: str) -> str:
    """A crude English stem, enough to meet "considered" with "consider" and "Oscars" with "Oscar"."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def allowed_typos(word: str) -> int:
    """Typo tolerance grows with length: none under 4 letters, one up to 7, two from 8."""
    n = len(word)
    return 0 if n < 4 or word.isdigit() else 1 if n < 8 else 2


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Vocabulary:
    """Every word of the indexed titles and names, with a deletion index for typo lookups (SymSpell)."""

    def __init__(self) -> None:
        self._by_delete: dict[str, set[str]] = defaultdict(set)
        self._words: set[str] = set()
        self._near: dict[str, dict[str, int]] = {}  # looked-up words, while the vocabulary is unchanged

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            if word in self._words:
                continue
            self._near.clear()
            self._words.add(word)
            if allowed_typos(word):
                for deleted in _deletes(word):
                    self._by_delete[deleted].add(word)

    def __contains__(self, word: str) -> bool:
        return word in self._words

    def near(self, word: str) -> dict[str, int]:
        """Known words within the typo tolerance of `word`, with their distance (0 for itself)."""
        if (cached := self._near.get(word)) is not None:
            return cached
        if len(self._near) >= NEAR_CACHE:
            self._near.clear()
        found = self._near[word] = self._lookup(word)
        return found

    def _lookup(self, word: str) -> dict[str, int]:
        found = {word: 0} if word in self._words else {}
        limit = allowed_typos(word)
        if not limit:
            return found
        candidates = set(self._by_delete.get(word, ()))
        for deleted in _deletes(word):
            if deleted in self._words:
                candidates.add(deleted)
            candidates |= self._by_delete.get(deleted, set())
        for candidate in candidates:
            if candidate not in found:
                distance = DamerauLevenshtein.distance(word, candidate)
                if distance <= min(limit, allowed_typos(candidate) or 0):
                    found[candidate] = distance
        return found


YEAR = re.compile(r"^(18[89]\d|19\d\d|20\d\d|2100)$")
