"""Posting a server's feature for a day exactly once, whatever moment the bot stops at.

The protocol, with the record in SQLite (`feature_posts`, one row per server and local date):
1. claim: write the day's row as 'claimed', with the film and a nonce derived from server and day;
2. send the message with that nonce (Discord returns the existing message instead of creating a
   second one when a nonce repeats within minutes);
3. confirm: mark the row 'sent' with the message id and move the schedule to the next day, in one
   transaction.
A stop before 1 leaves nothing: the day is posted at the next start (late, within 6 hours). A
stop between 1 and 3 leaves a claim: at the next start the channel's messages from the claim's
moment on (however many came since) are searched for the day's post (its footer names the day)
and, if found, the claim is confirmed without sending; if not, it is sent with the same nonce. A
stop after 3 leaves nothing to do. Discord refusing the post for good (the channel deleted, a
permission lost) releases the claim and pauses the schedule with the reason.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from ..repositories import FeatureStore
from . import rotation
from .model import Post, Schedule
from .schedule import LATE_LIMIT, decide, due_at, parse_time

OFFLINE_REASON = (
    f"I was offline at the scheduled time and back more than {LATE_LIMIT.seconds // 3600} hours late"
)


class Refused(Exception):
    """Discord refused the post for a reason that retrying will not fix; the message says which."""


class FeatureChannel(Protocol):
    """Where a server's features go: Discord through the cog, or a test's stand-in."""

    async def send(self, film_id: str, day: date, nonce: str) -> int:
        """Post the feature of `film_id` for `day`; returns the message id, raises Refused."""
        ...

    async def find(self, day: date, claimed: datetime) -> int | None:
        """The id of the post for `day`, claimed at `claimed`, if the channel has it."""
        ...


class Result(enum.Enum):
    SENT = "sent"
    ALREADY = "already posted"
    PAUSED = "paused"
    NOTHING = "nothing due"


@dataclass(frozen=True)
class Outcome:
    result: Result
    post: Post | None = None
    reason: str | None = None


Counted = Literal["posted", "skipped", "paused"]


def nonce_for(guild_id: int, day: date) -> str:
    """The same nonce for a server's post of a day, every time it is tried (Discord allows 25 chars)."""
    return hashlib.sha256(f"feature:{guild_id}:{day.isoformat()}".encode()).hexdigest()[:24]


def next_due(schedule: Schedule, day: date) -> int:
    return int(due_at(day, parse_time(schedule.at), ZoneInfo(schedule.zone)).timestamp())


class Poster:
    def __init__(
        self, repo: FeatureStore, films: Sequence[str], count: Callable[[Counted, int], None] | None = None
    ) -> None:
        self.repo = repo
        self.films = list(films)
        self.count = count or (lambda outcome, n: None)  # for the operator's metrics (bot/metrics.py)

    async def run_due(self, schedule: Schedule, now: datetime, channel: FeatureChannel) -> Outcome:
        """What the loop does for a due schedule: post (late within 6 hours) or skip and record why."""
        decision = decide(schedule.next_date, parse_time(schedule.at), ZoneInfo(schedule.zone), now)
        stamp = int(now.timestamp())
        if decision.skipped:
            await self.repo.skip(schedule.guild_id, decision.skipped, OFFLINE_REASON, stamp)
            self.count("skipped", len(decision.skipped))
        if decision.post is None:
            await self.repo.set_next(
                schedule.guild_id, decision.next_date, next_due(schedule, decision.next_date)
            )
            return Outcome(Result.NOTHING)
        return await self.post_day(schedule, decision.post, now, channel)

    async def post_day(
        self, schedule: Schedule, day: date, now: datetime, channel: FeatureChannel
    ) -> Outcome:
        """Post `day`'s feature unless it is already posted; see the module's protocol."""
        guild, stamp = schedule.guild_id, int(now.timestamp())
        record = await self.repo.post(guild, day)
        if record is not None and record.status == "skipped":
            await self.repo.release_skip(guild, day)  # posting by hand a day the loop had given up
            record = None
        if record is not None and record.status == "sent":
            await self.repo.confirm(guild, day, record.message_id or 0, *self._after(schedule, day), stamp)
            return Outcome(Result.ALREADY, record)
        if record is None:
            record = await self._claim(schedule, day, stamp)
        else:  # a claim left by a stop between claiming and confirming: was it sent?
            found = await channel.find(day, datetime.fromtimestamp(record.at, UTC))
            if found is not None:
                await self.repo.confirm(guild, day, found, *self._after(schedule, day), stamp)
                self.count("posted", 1)
                return Outcome(Result.SENT, await self.repo.post(guild, day))
        assert record.film_id is not None and record.nonce is not None
        try:
            message_id = await channel.send(record.film_id, day, record.nonce)
        except Refused as exc:
            await self.repo.release(guild, day)
            await self.repo.set_paused(guild, True, str(exc))
            self.count("paused", 1)
            return Outcome(Result.PAUSED, reason=str(exc))
        await self.repo.confirm(guild, day, message_id, *self._after(schedule, day), stamp)
        self.count("posted", 1)
        return Outcome(Result.SENT, await self.repo.post(guild, day))

    def choose(self, guild_id: int, day: date, queued: str | None, featured: set[str]) -> tuple[str, bool]:
        """The film for `day`: the queued one if any, else the rotation's; and whether a cycle starts."""
        if queued in self.films:
            return queued, False
        return rotation.pick(guild_id, day, self.films, featured)

    async def _claim(self, schedule: Schedule, day: date, stamp: int) -> Post:
        cycle, featured = await self.repo.rotation(schedule.guild_id)
        film, new_cycle = self.choose(schedule.guild_id, day, schedule.queued_film, featured)
        return await self.repo.claim(
            schedule.guild_id,
            day,
            film,
            cycle + 1 if new_cycle else cycle,
            schedule.channel_id,
            nonce_for(schedule.guild_id, day),
            stamp,
        )

    @staticmethod
    def _after(schedule: Schedule, day: date) -> tuple[date, int]:
        following = day + timedelta(days=1)
        return following, next_due(schedule, following)
