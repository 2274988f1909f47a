"""Trivia about the club itself: which of these films did this server's members rate highest?"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from .model import TriviaQuestion

CHOICES = 4
SOURCE = "this server's ratings (/club ratings)"


@dataclass(frozen=True)
class Rated:
    label: str  # "Stalker (1979)": what the choices show
    title: str  # "Stalker": accepted typed too
    average: float


def club_questions(rated: Sequence[Rated], count: int, rng: random.Random) -> list[TriviaQuestion]:
    """Up to `count` different questions, each of up to four rated films of which one has the
    highest average (a tie at the top asks nothing)."""
    asked: set[frozenset[str]] = set()
    questions: list[TriviaQuestion] = []
    for _ in range(count * 20):
        if len(questions) == count or len(rated) < 2:
            break
        films = rng.sample(list(rated), min(CHOICES, len(rated)))
        best, second = sorted(films, key=lambda r: -r.average)[:2]
        if best.average == second.average or (key := frozenset(r.label for r in films)) in asked:
            continue
        asked.add(key)
        labels = tuple(r.label for r in films)
        listed = f"{', '.join(labels[:-1])} or {labels[-1]}"
        text = f"Which of these did this server's members rate highest: {listed}?"
        questions.append(TriviaQuestion(text, (best.label, best.title), labels, SOURCE, "club", None))
    return questions
