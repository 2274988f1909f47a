"""When a screening is, as a moderator types it: "2026-12-12 20:00" (or "8 pm") in a time zone,
and the day a film was watched ("2026-11-20")."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..features.schedule import ScheduleError, parse_time


class WhenError(ValueError):
    """A date or time that cannot be read; the message says how to write it."""


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise WhenError(f"“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-12-12.") from None


def parse_screening(text: str, zone: ZoneInfo) -> datetime:
    """The moment of "YYYY-MM-DD HH:MM" (or "YYYY-MM-DD 8 pm") in `zone`, aware."""
    day_text, _, time_text = text.strip().partition(" ")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise WhenError(
            f"“{text}” is not a screening time: write it as YYYY-MM-DD HH:MM, e.g. 2026-12-12 20:00."
        ) from None
    if not time_text.strip():
        raise WhenError(f"“{text}” has no time of day: write it as YYYY-MM-DD HH:MM, e.g. {day} 20:00.")
    try:
        return datetime.combine(day, parse_time(time_text), zone)
    except ScheduleError as exc:
        raise WhenError(str(exc)) from None
