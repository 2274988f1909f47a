"""Find known phrases (titles, names, characters) in a question's words, tolerating typos."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .words import COMMON, Vocabulary

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Mention(Generic[T]):
    start: int  # token span [start, end) in the question
    end: int
    phrase: tuple[str, ...]
    typos: int
    payloads: tuple[T, ...]

    @property
    def size(self) -> int:
        """Letters matched: longer phrases are stronger evidence."""
        return sum(map(len, self.phrase))

    @property
    def strength(self) -> int:
        """Size, less for typos: an exact "Solaris" beats "Solyaris" read with one typo."""
        return self.size - 3 * self.typos


class PhraseIndex(Generic[T]):
    """Phrases (as word tuples) to payloads, anchored on their rarest word for fast lookup."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._payloads: dict[tuple[str, ...], list[T]] = defaultdict(list)
        self._anchors: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)

    def add(self, words: list[str], payload: T) -> None:
        phrase = tuple(words)
        if phrase and payload not in self._payloads[phrase]:
            self._payloads[phrase].append(payload)

    def freeze(self) -> None:
        """Index every phrase under its rarest word; call once after the last `add`."""
        frequency = Counter(word for phrase in self._payloads for word in set(phrase))
        for phrase in self._payloads:
            self.vocabulary.add(phrase)
            position = min(
                range(len(phrase)), key=lambda i: (phrase[i] in COMMON, frequency[phrase[i]], -len(phrase[i]))
            )
            self._anchors[phrase[position]].append((phrase, position))

    def anchored(self, word: str) -> list[tuple[str, ...]]:
        """The phrases indexed under `word`."""
        return [phrase for phrase, _ in self._anchors.get(word, ())]

    def payloads(self, phrase: tuple[str, ...]) -> tuple[T, ...]:
        return tuple(self._payloads.get(phrase, ()))

    def find(self, words: list[str], near: list[dict[str, int]]) -> list[Mention[T]]:
        """Every indexed phrase that the words spell out, exactly or within the typo tolerance."""
        found: dict[tuple[int, tuple[str, ...]], Mention[T]] = {}
        for i, candidates in enumerate(near):
            for anchor, anchor_typos in candidates.items():
                for phrase, position in self._anchors.get(anchor, ()):
                    start = i - position
                    if start < 0 or start + len(phrase) > len(words):
                        continue
                    typos = anchor_typos
                    for offset, expected in enumerate(phrase):
                        if offset == position:
                            continue
                        distance = near[start + offset].get(expected)
                        if distance is None:
                            break
                        typos += distance
                    else:
                        key = (start, phrase)
                        if key not in found or found[key].typos > typos:
                            found[key] = Mention(
                                start, start + len(phrase), phrase, typos, self.payloads(phrase)
                            )
        return sorted(found.values(), key=lambda m: (-m.strength, m.typos, m.start))


def within(inner: Mention[Any], outer: Mention[Any]) -> bool:
    """Whether `inner` covers words of `outer` only, and fewer of them."""
    return outer.start <= inner.start and inner.end <= outer.end and inner.size < outer.size


def best_disjoint(mentions: list[Mention[T]]) -> list[Mention[T]]:
    """The strongest mentions that do not overlap, strongest first."""
    chosen: list[Mention[T]] = []
    for mention in mentions:  # already ordered strongest first
        if all(mention.end <= c.start or mention.start >= c.end for c in chosen):
            chosen.append(mention)
    return chosen
