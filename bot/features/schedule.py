"""When a daily feature is due: wall-clock times in a server's zone, right across DST changes.

A time that a spring-forward skips (02:30 on the night clocks jump from 02:00 to 03:00) is due
at the first valid minute after it (03:00); a time that a fall-back repeats is due once, at its
first occurrence.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

LATE_LIMIT = timedelta(hours=6)  # a post missed by more than this is skipped for the day
_TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


class ScheduleError(ValueError):
    """A time or zone a moderator typed is not valid; the message says how to write it."""


def parse_time(text: str) -> time:
    match = _TIME.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ScheduleError(
            f"{text!r} is not a time of day: write it as HH:MM on a 24-hour clock, e.g. 18:30."
        )
    return time(int(match[1]), int(match[2]))


def parse_zone(name: str) -> zoneinfo.ZoneInfo:
    if name.strip() in zone_names():
        return zoneinfo.ZoneInfo(name.strip())
    raise ScheduleError(
        f"{name!r} is not a time zone I know: use an IANA name such as Europe/Moscow or America/New_York."
    )


@functools.cache
def zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def local_date(moment: datetime, zone: zoneinfo.ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def due_at(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """The UTC instant of `at` on `day` in `zone`."""
    wall = datetime.combine(day, at)
    for minutes in range(0, 24 * 60):  # a gap lasts an hour at most in practice
        candidate = (wall + timedelta(minutes=minutes)).replace(tzinfo=zone, fold=0)
        instant = candidate.astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == candidate.replace(tzinfo=None):
            return instant  # this wall time exists: the first one at or after `at`
    raise AssertionError(f"no valid time on {day} in {zone}")


def first_date(now: datetime, at: time, zone: zoneinfo.ZoneInfo) -> date:
    """The local date of the first post of a new schedule: today if its time is still ahead."""
    today = local_date(now, zone)
    return today if due_at(today, at, zone) > now else today + timedelta(days=1)


@dataclass(frozen=True)
class Decision:
    """What to do about a schedule at `now`."""

    post: date | None  # the local date to post for now, or None
    skipped: list[date]  # dates whose post was missed by more than LATE_LIMIT
    next_date: date  # the first date still to post after these


def decide(next_date: date, at: time, zone: zoneinfo.ZoneInfo, now: datetime) -> Decision:
    """Post late within LATE_LIMIT of the due time; skip (and record) any day missed by more."""
    skipped = []
    day = next_date
    while due_at(day, at, zone) <= now:
        if now - due_at(day, at, zone) <= LATE_LIMIT:
            return Decision(day, skipped, day)
        skipped.append(day)
        day += timedelta(days=1)
    return Decision(None, skipped, day)
