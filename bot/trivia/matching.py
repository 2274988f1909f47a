"""Typed answers: compared after normalisation, with typo tolerance that grows with the answer.

"the Seven Samurai", "seven samurai!" and "Seven Samuria" all match "Seven Samurai"; numbers must
be exact (1978 is not 1979, however close the spelling).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import OSA

from ..facts.index import match_key

# Leading articles that players leave out (or add): "The Godfather", "La Strada", "Das Boot".
ARTICLES = frozenset("the a an le la les l el los las der die das il lo gli".split())
CHARACTERS_PER_TYPO = 5  # one typo (a wrong, missing, extra or swapped letter) per five letters
_DIGITS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Case, accents, scripts and punctuation folded; "&" read as "and"; a leading article dropped."""
    words = match_key(text.replace("&", " and ")).split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def typo_tolerance(answer: str) -> int:
    """How many edits a guess may be from `answer` (already normalised) and still count."""
    return len(answer.replace(" ", "")) // CHARACTERS_PER_TYPO


class AnswerMatcher:
    """Matches guesses against every accepted form of one answer."""

    def __init__(self, accepted: Iterable[str]) -> None:
        self.forms = [form for form in dict.fromkeys(normalise(a) for a in accepted) if form]

    def matches(self, guess: str) -> bool:
        guess = normalise(guess)
        if not guess:
            return False
        for form in self.forms:
            if _DIGITS.findall(form) != _DIGITS.findall(guess):
                continue  # a different number is a different answer
            limit = typo_tolerance(form)
            if OSA.distance(guess, form, score_cutoff=limit) <= limit:
                return True
        return False
