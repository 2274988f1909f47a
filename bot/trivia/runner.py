"""One trivia round played to its end in one channel: each question opened, answers taken until
time is up (or everyone has answered), the reveal, a pause, and the summary. Every answer is
committed before it is acknowledged, and the reveal waits for those being written.

Discord is behind `RoundChannel` (cogs/trivia.py renders and sends) and time behind `Clock`, so
the tests play rounds quickly; this module knows nothing of discord.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.repositories import TriviaStore
from bot.storage import StorageUnavailable

from .game import Mode, Reveal, Round, Verdict
from .model import Attempt

log = logging.getLogger(__name__)

END_ATTEMPTS = 3


class Clock(Protocol):
    """The time a round is played in."""

    def monotonic(self) -> float: ...

    def now(self) -> datetime: ...

    async def sleep(self, seconds: float) -> None: ...

    async def wait(self, event: asyncio.Event, timeout: float) -> None:
        """Until `event` is set or `timeout` seconds have passed."""
        ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def wait(self, event: asyncio.Event, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)


@dataclass
class Pacing:
    pause: float = 3.0  # clock seconds between a reveal and the next question
    progress_every: float = 2.0  # at most one progress edit per question this often
    retry_wait: float = 1.0  # real seconds before trying a failed write or request again, doubling


class ChannelFailing(Exception):
    """Discord kept failing the round's messages, tried again; the message says how."""


class ChannelGone(Exception):
    """The round's channel was deleted, or the bot may no longer post in it."""


class RoundChannel(Protocol):
    """Where a round is shown. `ask` and `reveal` try again through Discord's blips and raise
    ChannelFailing when that was not enough; they and `progress` raise ChannelGone for a channel
    that is gone."""

    async def ask(self, game: Round, nonce: str, closes_at: datetime) -> None:
        """Post the open question."""

    async def progress(self, game: Round, closes_at: datetime) -> None:
        """Show the open question again (answers so far, when it closes); one try, failing quietly."""

    async def reveal(self, game: Round, reveal: Reveal) -> None:
        """Show the closed question with its answer."""

    async def close(self, game: Round) -> None:
        """A round that ends early leaves no question that looks open (one try, failing quietly)."""

    async def summary(self, game: Round, title: str, ending: str, nonce: str) -> None:
        """Post the round's summary (failing quietly: the round is over)."""


Counted = Callable[[int, int], None]  # answers recorded, points awarded


@dataclass
class Play:
    """A round running in one channel."""

    round: Round
    title: str
    guild_id: int
    channel_id: int
    starter_name: str
    channel: RoundChannel
    store: TriviaStore
    clock: Clock = field(default_factory=SystemClock)
    pacing: Pacing = field(default_factory=Pacing)
    count: Counted = lambda answers, points: None
    wake: asyncio.Event = field(default_factory=asyncio.Event)  # the question closed early
    deadline: float = 0.0  # clock time the open question closes
    writes: int = 0  # answers being recorded: the reveal waits for them
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    nonce: str = field(default_factory=lambda: secrets.token_hex(6))  # of the round's messages
    over: asyncio.Event = field(default_factory=asyncio.Event)  # run() has returned

    def __post_init__(self) -> None:
        self.settled.set()

    def unix(self) -> int:
        return int(self.clock.now().timestamp())

    def stop(self) -> None:
        self.round.stopped = True
        self.wake.set()

    async def run(self) -> None:
        """Play every question, then record the end and post the summary."""
        try:
            await self._run()
        finally:
            self.over.set()

    async def _run(self) -> None:
        game = self.round
        try:
            status, ending = await self._play()
        except ChannelFailing as exc:
            log.warning("trivia round %s: Discord kept failing (%s)", game.id, exc)
            status, ending = "stopped", f"Ended early: Discord kept failing my messages ({exc})."
            await self.channel.close(game)
        except ChannelGone as exc:
            log.warning("trivia round %s stopped: %s", game.id, exc)
            await self.end("stopped", [])
            return
        except Exception:
            log.exception("trivia round %s failed", game.id)
            status, ending = "stopped", "Ended early: something went wrong on my side."
            await self.channel.close(game)
        if not await self.end(status, [p.user_id for p in game.winners()]):
            ending += " I could not save who won this round (its points are saved): it is not counted as won."
        await self.channel.summary(game, self.title, ending, f"{self.nonce}:end")

    async def end(self, status: str, winners: list[int]) -> bool:
        """Record the round's end, trying again for a while if the database cannot be written."""
        for attempt in range(END_ATTEMPTS):
            try:
                await self.store.end_round(self.round.id, status, winners, self.unix())
                return True
            except StorageUnavailable as exc:
                log.warning(
                    "round %s: could not record its end (%s); attempt %d", self.round.id, exc, attempt + 1
                )
                await asyncio.sleep(self.pacing.retry_wait * 2**attempt)
        return False  # left 'running': the next start closes it as interrupted

    async def _play(self) -> tuple[str, str]:
        """Play the round's questions; its status and how it ended."""
        game = self.round
        while not game.finished:
            await self._question()
            if not game.finished:
                await self.clock.sleep(self.pacing.pause)
        if game.stopped:
            return "stopped", "Stopped with /trivia stop."
        if game.unanswered_run >= game.unanswered_limit:
            return "finished", f"Ended after {game.unanswered_run} questions in a row without an answer."
        return "finished", "All questions played."

    async def _question(self) -> None:
        game, clock = self.round, self.clock
        duration = game.seconds
        self.wake.clear()
        game.open_next(clock.monotonic())
        asked = clock.monotonic()
        closes_at = clock.now() + timedelta(seconds=duration)
        await self.channel.ask(game, f"{self.nonce}:{game.index}", closes_at)
        self.deadline = clock.monotonic() + duration
        if self.deadline - asked - duration > 1.0:  # held up (a rate limit, a retry): show the real time
            closes_at = clock.now() + timedelta(seconds=duration)
            await self.channel.progress(game, closes_at)
        shown = 0
        while True:
            while game.is_open and not game.stopped:
                if game.mode is Mode.BUTTONS and game.everyone_answered:
                    break  # nobody left to wait for
                remaining = self.deadline - clock.monotonic()
                if remaining <= 0:
                    break
                await clock.wait(self.wake, min(remaining, self.pacing.progress_every))
                if game.is_open and not game.stopped and game.answered != shown:
                    shown = game.answered  # progress: an edit, never a new message
                    await self.channel.progress(game, closes_at)
            # No answer is taken now; the reveal waits for those being written, and tells only
            # what was recorded (a typed win whose record failed reopens the question).
            game.is_open = False
            await self.settled.wait()
            if not game.is_open:
                break
        reveal = game.close()
        try:  # wrong typed guesses: no points, but they count as played
            await self.store.record_answers(game.id, self.guild_id, reveal.unrecorded, self.unix())
            self.count(len(reveal.unrecorded), 0)
        except StorageUnavailable as exc:
            log.warning("round %s: %d wrong guesses not recorded: %s", game.id, len(reveal.unrecorded), exc)
        await self.channel.reveal(game, reveal)

    # -- answers -------------------------------------------------------------------------------

    async def choose(self, user_id: int, name: str, choice: int) -> Verdict:
        """A click on one of the open question's choices, recorded before the verdict is returned
        (StorageUnavailable if it could not be: then it does not count)."""
        game = self.round
        before = game.snapshot(user_id)
        verdict, attempt = game.choose(user_id, name, game.question.choices[choice], self.clock.monotonic())
        if attempt is None:  # closed, or already answered
            return verdict
        try:
            await self.record(attempt)
        except StorageUnavailable:
            game.withdraw(user_id, before)
            raise
        if game.everyone_answered:
            self.wake.set()
        return verdict

    async def guess(self, user_id: int, name: str, text: str) -> None:
        """A typed answer; the right one is recorded before the question closes (StorageUnavailable
        if it could not be: the question stays open if there is time left)."""
        game = self.round
        before = game.snapshot(user_id)
        verdict, attempt = game.guess(user_id, name, text, self.clock.monotonic())
        if attempt is not None:
            try:
                await self.record(attempt)
            except StorageUnavailable:
                game.withdraw(user_id, before)
                game.is_open = self.clock.monotonic() < self.deadline and not game.stopped
                raise
        if verdict is Verdict.RIGHT:
            self.wake.set()

    async def record(self, attempt: Attempt) -> None:
        """Record an answer; while it is being written, the question's reveal waits."""
        self.writes += 1
        self.settled.clear()
        try:
            await self.store.record_answer(self.round.id, self.guild_id, attempt, self.unix())
            self.count(1, attempt.points)
        finally:
            self.writes -= 1
            if not self.writes:
                self.settled.set()
