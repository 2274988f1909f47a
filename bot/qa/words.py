"""Words of a question, made comparable: folded, transliterated, with typo-tolerant lookup."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Protocol

from rapidfuzz.distance import DamerauLevenshtein

from ..text import allowed_typos, match_key

# Words that never anchor a title match on their own (they are in too many titles).
COMMON = frozenset(
    "a an the of and or in on at to for with by from is it its la le les el il lo der die das de du des "
    "et i you he she we they his her my your what who when where why how which film movie".split()
)


def tokens(text: str) -> list[str]:
    return match_key(text).split()


def stem(word: str) -> str:
    """A crude English stem, enough to meet "considered" with "consider" and "Oscars" with "Oscar"."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def deletes(word: str) -> set[str]:
    """The word less one letter, each way."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_typos(word: str, candidates: Collection[str]) -> dict[str, int]:
    """The candidates within the typo tolerance of `word` and of their own, with their distance."""
    limit = allowed_typos(word)
    found = {word: 0} if word in candidates else {}
    for candidate in candidates:
        if candidate not in found:
            distance = DamerauLevenshtein.distance(word, candidate)
            if distance <= min(limit, allowed_typos(candidate) or 0):
                found[candidate] = distance
    return found


class Words(Protocol):
    """Known words, with those within the typo tolerance of a word (Vocabulary, StoredVocabulary)."""

    def __contains__(self, word: str) -> bool: ...

    def near(self, word: str) -> dict[str, int]: ...


class Vocabulary:
    """A small set of words held in memory, with a deletion index for typo lookups (SymSpell); the
    fact store's words are in the index file (matchers.StoredVocabulary)."""

    def __init__(self) -> None:
        self._by_delete: dict[str, set[str]] = defaultdict(set)
        self._words: set[str] = set()

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            self._words.add(word)
            if allowed_typos(word):
                for deleted in deletes(word):
                    self._by_delete[deleted].add(word)

    def __contains__(self, word: str) -> bool:
        return word in self._words

    def near(self, word: str) -> dict[str, int]:
        """Known words within the typo tolerance of `word`, with their distance (0 for itself)."""
        if not allowed_typos(word):
            return {word: 0} if word in self._words else {}
        candidates = set(self._by_delete.get(word, ()))
        for deleted in deletes(word):
            if deleted in self._words:
                candidates.add(deleted)
            candidates |= self._by_delete.get(deleted, set())
        if word in self._words:
            candidates.add(word)
        return within_typos(word, candidates)


YEAR = re.compile(r"^(18[89]\d|19\d\d|20\d\d|2100)$")
