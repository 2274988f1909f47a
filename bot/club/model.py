"""What the club's state holds, and the rules that read it: which films a poll offers, and which won."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

HALVES = range(2, 11)  # a rating in half stars: 2 is one star, 10 is five
MIN_CHOICES = 2  # a poll of one film picks nothing
PAGE_SIZE = 10  # screenings a page of /club history


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    name: str
    film_id: str
    at: int  # unix milliseconds


@dataclass(frozen=True)
class Suggested:
    """A film and how many members suggest it: the order a poll offers them in."""

    film_id: str
    members: int
    names: tuple[str, ...]  # who, earliest first


@dataclass(frozen=True)
class ClubPoll:
    message_id: int
    guild_id: int
    channel_id: int
    films: tuple[str, ...]  # answer 1 is films[0]
    screening_at: int | None  # unix seconds
    zone: str | None
    place_channel: int | None
    place: str | None
    status: str  # open, decided, announced (its event still to end), done
    winner: str | None
    event_id: int | None


@dataclass(frozen=True)
class Rating:
    film_id: str
    user_id: int
    name: str
    halves: int
    review: str | None
    at: int


@dataclass(frozen=True)
class FilmRatings:
    """A film's ratings in one server: how many, their average and how they spread."""

    film_id: str
    count: int
    total_halves: int
    spread: tuple[tuple[int, int], ...] = ()  # (halves, members), five stars first; only the given

    @property
    def average(self) -> float:
        """In stars."""
        return self.total_halves / self.count / 2


@dataclass(frozen=True)
class Screening:
    film_id: str
    day: date
    ratings: FilmRatings | None


def tally(suggestions: Sequence[Suggestion]) -> list[Suggested]:
    """The suggested films, most suggested first; a tie goes to the film suggested earlier."""
    by_film: dict[str, list[Suggestion]] = {}
    for s in sorted(suggestions, key=lambda s: (s.at, s.user_id)):
        by_film.setdefault(s.film_id, []).append(s)
    ranked = sorted(by_film.values(), key=lambda group: (-len(group), group[0].at))
    return [Suggested(g[0].film_id, len(g), tuple(s.name for s in g)) for g in ranked]


def winner(films: Sequence[str], votes: Mapping[int, int]) -> str | None:
    """The film with the most votes (answer ids count from 1); a tie goes to the answer offered
    first, the more suggested. None when nobody voted."""
    best = max(range(len(films)), key=lambda i: (votes.get(i + 1, 0), -i), default=None)
    if best is None or votes.get(best + 1, 0) == 0:
        return None
    return films[best]


def screening_end(start: datetime, runtime: int | None) -> datetime:
    """When a screening event ends: the film's runtime and half an hour to talk, rounded up to a
    quarter hour; three hours when the runtime is not known."""
    if runtime is None:
        return start + timedelta(hours=3)
    quarters = -(-(runtime + 30) // 15)
    return start + timedelta(minutes=15 * quarters)
