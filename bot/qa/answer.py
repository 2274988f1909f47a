"""An answer: what the bot says, what it is about, and where the fact comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import FilmRef


@dataclass(frozen=True)
class Answer:
    answered: bool
    text: str
    film: FilmRef | None = None  # the film the answer is about, if one
    source: str | None = None
    person: str | None = None  # the person the answer is about, if no one film
    heading: str | None = None  # what a list is of ("Films of 1979"), if neither
    names: tuple[str, ...] = ()  # the people the answer names, first the one "he" or "she" would be
    field: str | None = None  # the field of the film it answers (asked.FIELDS), for "and Solaris?"

    @property
    def title(self) -> str:
        """What the answer is about, for its heading; "I don't know" only when nothing is answered."""
        if self.film is not None:
            return self.film.label
        if self.person is not None:
            return self.person
        if self.heading is not None:
            return self.heading
        return "Answer" if self.answered else "I don't know"

    def as_json(self) -> dict[str, Any]:
        film = {"title": self.film.title, "year": self.film.year} if self.film else None
        return {
            "answered": self.answered,
            "text": self.text,
            "film": film,
            "source": self.source,
        }
