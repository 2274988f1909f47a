"""What a day's feature post says: the film, two of its sourced facts, a prompt to discuss it (an
open question that claims no fact about it), the name of its discussion thread, and the server's
average rating when its members rated the film. Only curated
films are featured: the catalogue's have no synopsis or facts to show."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ..club.model import FilmRatings
from ..facts.model import Fact, Film
from ..qa.catalog import FilmRef

FACTS_SHOWN = 2

PROMPTS = (
    "Have you seen {title}? Which moment stayed with you longest?",
    "If you could show a friend one scene of {title}, which would it be, and why?",
    "What does {title} do that a film made today would not?",
    "Who is the character in {title} you understood best, and who the least?",
    "How did {title} change for you on a second viewing, or what would you look for on one?",
    "What is {title} really about, in one sentence? Disagree with the sentence above yours.",
    "Which film would you pair with {title} for a double bill, and why?",
)


@dataclass(frozen=True)
class FeaturePost:
    film: Film
    day: date
    facts: tuple[Fact, ...]
    prompt: str
    thread: str  # the discussion thread's name
    club: FilmRatings | None = None  # the server's ratings of the film, if members rated it


def post_of(film: Film, day: date, club: FilmRatings | None = None) -> FeaturePost:
    """The same post for a film and day every time (a retry, a preview), but for the club's ratings."""
    prompt = random.Random(f"{film.id}:{day.isoformat()}").choice(PROMPTS).format(title=film.title)
    facts = tuple(film.facts[:FACTS_SHOWN])
    return FeaturePost(film, day, facts, prompt, f"{film.label}: discussion", club)


def featurable(ref: FilmRef) -> bool:
    return ref.curated
