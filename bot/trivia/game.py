"""One trivia round as a state machine: questions open and close, members answer, points accrue.

No Discord and no clock here: every call takes `now` (seconds, any monotonic origin), so the
rules are testable without waiting.

Scoring: a right answer earns `BASE_POINTS` plus up to `SPEED_POINTS` more the faster it came,
`points = 50 + round(50 * (1 - elapsed / seconds))`: 100 at once, 75 halfway, 50 at the buzzer.
In buttons mode everyone may answer each question once; in typed mode the first right answer
wins the question and members may keep guessing until then.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field

from .matching import AnswerMatcher
from .model import Attempt, TriviaQuestion

BASE_POINTS = 50
SPEED_POINTS = 50


def points_for(elapsed: float, seconds: float) -> int:
    """Points for a right answer given `elapsed` seconds into a question of `seconds`."""
    fraction = min(max(elapsed / seconds, 0.0), 1.0)
    return BASE_POINTS + round(SPEED_POINTS * (1 - fraction))


class Mode(enum.StrEnum):
    BUTTONS = "buttons"
    TYPED = "typed"


class Verdict(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"
    ALREADY = "already answered"
    CLOSED = "closed"


@dataclass
class Player:
    user_id: int
    name: str
    points: int = 0
    correct: int = 0
    streak: int = 0
    best_streak: int = 0
    fastest: float | None = None  # seconds, the quickest right answer of the round


@dataclass(frozen=True)
class Reveal:
    question: TriviaQuestion
    number: int  # 1-based
    right: list[Player]  # who got it, fastest first
    answered: int  # how many members answered
    unrecorded: list[Attempt]  # typed mode's wrong guesses, to record now


@dataclass
class Round:
    id: int
    starter_id: int
    topic: str
    mode: Mode
    questions: list[TriviaQuestion]
    seconds: int
    reveal: bool = True
    unanswered_limit: int = 3
    index: int = -1
    is_open: bool = False
    stopped: bool = False
    opened_at: float = 0.0
    unanswered_run: int = 0
    players: dict[int, Player] = field(default_factory=dict)
    _answers: dict[int, tuple[bool, float]] = field(default_factory=dict)  # this question's
    _names: dict[int, str] = field(default_factory=dict)
    _matcher: AnswerMatcher | None = None
    _expected: frozenset[int] = frozenset()  # who played before this question

    @property
    def question(self) -> TriviaQuestion:
        return self.questions[self.index]

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def answered(self) -> int:
        return len(self._answers)

    @property
    def everyone_answered(self) -> bool:
        """Whether each member who played an earlier question of the round has answered this one."""
        return bool(self._expected) and self._expected <= self._answers.keys()

    @property
    def finished(self) -> bool:
        return (
            self.stopped
            or self.index + 1 >= len(self.questions)
            or self.unanswered_run >= self.unanswered_limit
        )

    @property
    def ending(self) -> bool:
        """No question is to come or open: only the round's last messages are left to post."""
        return self.stopped or (self.finished and not self.is_open)

    def open_next(self, now: float) -> TriviaQuestion:
        if self.finished or self.is_open:
            raise RuntimeError("the round has no next question to open")
        self.index += 1
        self.is_open, self.opened_at = True, now
        self._expected = frozenset(self.players)
        self._answers = {}
        self._matcher = AnswerMatcher(self.question.answers) if self.mode is Mode.TYPED else None
        return self.question

    def choose(self, user_id: int, name: str, choice: str, now: float) -> tuple[Verdict, Attempt | None]:
        """A button press (buttons mode): one answer per member per question."""
        if not self.is_open:
            return Verdict.CLOSED, None
        if user_id in self._answers:
            return Verdict.ALREADY, None
        return self._record(user_id, name, choice == self.question.answer, now)

    def guess(self, user_id: int, name: str, text: str, now: float) -> tuple[Verdict, Attempt | None]:
        """A typed message (typed mode): the first right answer closes the question and is returned
        to be recorded at once; wrong guesses are recorded in one batch when the question closes."""
        if not self.is_open or self._matcher is None:
            return Verdict.CLOSED, None
        if self._matcher.matches(text):
            verdict, attempt = self._record(user_id, name, True, now)
            self.is_open = False
            return verdict, attempt
        if user_id not in self._answers:
            self._record(user_id, name, False, now)
        return Verdict.WRONG, None

    def _record(self, user_id: int, name: str, correct: bool, now: float) -> tuple[Verdict, Attempt]:
        player = self.players.setdefault(user_id, Player(user_id, name))
        player.name = name
        elapsed = now - self.opened_at
        self._answers[user_id] = (correct, elapsed)
        self._names[user_id] = name
        points = 0
        if correct:
            points = points_for(elapsed, self.seconds)
            player.points += points
            player.correct += 1
            player.streak += 1
            player.best_streak = max(player.best_streak, player.streak)
            player.fastest = elapsed if player.fastest is None else min(player.fastest, elapsed)
        verdict = Verdict.RIGHT if correct else Verdict.WRONG
        return verdict, Attempt(user_id, name, self.index, correct, points, player.best_streak)

    def snapshot(self, user_id: int) -> tuple[Player | None, tuple[bool, float] | None]:
        """A member's state before an answer, to take the answer back if its record fails."""
        player = self.players.get(user_id)
        return (dataclasses.replace(player) if player else None), self._answers.get(user_id)

    def withdraw(self, user_id: int, before: tuple[Player | None, tuple[bool, float] | None]) -> None:
        """Take back an answer that could not be recorded: as if it had not been given."""
        player, answer = before
        if player is None:
            self.players.pop(user_id, None)
        else:
            self.players[user_id] = player
        if answer is None:
            self._answers.pop(user_id, None)
        else:
            self._answers[user_id] = answer

    def forget(self, user_id: int) -> None:
        """Drop a member from the round (they asked to be forgotten): nothing of theirs is recorded."""
        self.players.pop(user_id, None)
        self._answers.pop(user_id, None)
        self._names.pop(user_id, None)
        self._expected -= {user_id}

    def close(self) -> Reveal:
        """Close the current question (time is up, or it was won or stopped)."""
        self.is_open = False
        right_ids = [u for u, (correct, _) in sorted(self._answers.items(), key=lambda a: a[1][1]) if correct]
        for player in self.players.values():
            if player.user_id not in right_ids:
                player.streak = 0  # a streak is right answers in a row: a miss or a skip ends it
        self.unanswered_run = 0 if self._answers else self.unanswered_run + 1
        unrecorded = []
        if self.mode is Mode.TYPED:
            unrecorded = [
                Attempt(u, self._names[u], self.index, False, 0, self.players[u].best_streak)
                for u, (correct, _) in self._answers.items()
                if not correct
            ]
        right = [self.players[u] for u in right_ids]
        return Reveal(self.question, self.number, right, len(self._answers), unrecorded)

    def standings(self) -> list[Player]:
        """The round's ranking: points, then the quickest right answer."""
        return sorted(
            self.players.values(),
            key=lambda p: (-p.points, p.fastest if p.fastest is not None else float("inf"), p.name),
        )

    def winners(self) -> list[Player]:
        ranking = self.standings()
        if not ranking or ranking[0].points == 0:
            return []
        return [p for p in ranking if p.points == ranking[0].points]
