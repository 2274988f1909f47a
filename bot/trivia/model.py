"""Trivia questions and packs: plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

FILMS_TOPIC = "films"  # questions generated from the curated films
CATALOGUE_TOPIC = "catalogue"  # questions generated from the catalogue's films (Wikidata)
CLUB_TOPIC = "club"  # questions about this server's ratings (/rate)
GENERATED_TOPICS = {
    FILMS_TOPIC: "Films",
    CATALOGUE_TOPIC: "The catalogue (Wikidata)",
    CLUB_TOPIC: "The club's ratings",
}


@dataclass(frozen=True)
class TriviaQuestion:
    text: str
    answers: tuple[str, ...]  # every accepted answer; the first is the one shown
    choices: tuple[str, ...] = ()  # for buttons mode: the answer and wrong ones, in the order shown
    source: str | None = None
    kind: str = "pack"  # the template of a generated question, or "pack"
    film_id: str | None = None  # the film a generated question is about

    @property
    def answer(self) -> str:
        return self.answers[0]


@dataclass(frozen=True)
class RoundConfig:
    """A pack's own settings for its rounds; None leaves the server's setting."""

    questions: int | None = None
    seconds: int | None = None
    reveal: bool | None = None
    unanswered: int | None = None


@dataclass(frozen=True)
class Pack:
    name: str  # what /trivia start topic: takes
    title: str
    questions: tuple[TriviaQuestion, ...]
    description: str = ""
    author: str = ""
    config: RoundConfig = field(default_factory=RoundConfig)
    origin: str = ""  # the file it came from


@dataclass(frozen=True)
class Attempt:
    """What to record for a member's answer to one question."""

    user_id: int
    name: str
    question: int  # index in the round
    correct: bool
    points: int
    best_streak: int


def period_start(period: str, now: datetime) -> int:
    """Unix time a leaderboard period starts (UTC): Monday 00:00 for a week, the 1st for a month."""
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "this week":
        return int((midnight - timedelta(days=midnight.weekday())).timestamp())
    if period == "this month":
        return int(midnight.replace(day=1).timestamp())
    return 0


# What the trivia state holds (bot/storage/trivia.py keeps it; bot/repositories.py says how).
PAGE_SIZE = 10


@dataclass(frozen=True)
class TriviaSettings:
    questions: int = 10
    seconds: int = 20
    mode: str = "buttons"
    reveal: bool = True
    unanswered: int = 3  # questions in a row without an answer that end a round


@dataclass(frozen=True)
class Standing:
    rank: int
    user_id: int
    name: str
    points: int
    correct: int


@dataclass(frozen=True)
class Stats:
    name: str
    points: int
    correct: int
    answered: int
    rounds_played: int
    rounds_won: int
    best_streak: int
    last_played: int | None  # unix seconds
    rank: int | None


@dataclass(frozen=True)
class RunningRound:
    id: int
    guild_id: int
    channel_id: int
    topic: str
