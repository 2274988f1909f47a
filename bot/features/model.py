"""What the daily feature state holds: schedules, and the record of each day's post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Schedule:
    guild_id: int
    channel_id: int
    at: str  # HH:MM
    zone: str
    next_date: date
    next_due: int  # unix seconds
    paused: bool
    pause_reason: str | None
    told: bool
    queued_film: str | None


@dataclass(frozen=True)
class Post:
    guild_id: int
    day: date
    status: str  # claimed, sent, skipped
    film_id: str | None
    cycle: int
    channel_id: int | None
    nonce: str | None
    message_id: int | None
    reason: str | None
    at: int
