"""Phrases (titles, names, characters) found in a question's words, and how they are chosen."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Mention(Generic[T]):
    start: int  # token span [start, end) in the question
    end: int
    phrase: tuple[str, ...]
    typos: int
    payloads: Sequence[T]

    @property
    def size(self) -> int:
        """Letters matched: longer phrases are stronger evidence."""
        return sum(map(len, self.phrase))

    @property
    def strength(self) -> int:
        """Size, less for typos: an exact "Solaris" beats "Solyaris" read with one typo."""
        return self.size - 3 * self.typos


class Phrases(Protocol[T]):
    """Known phrases that a question's words may spell out (matchers.StoredPhrases)."""

    def find(self, words: list[str], near: list[dict[str, int]]) -> list[Mention[T]]: ...


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
