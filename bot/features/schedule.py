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

from anyascii import anyascii

from .model import Schedule

LATE_LIMIT = timedelta(hours=6)  # a post missed by more than this is skipped for the day
# 18:30, 18.30, 18h30; with am/pm also 9am, 9:30 pm, 9 p.m.
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(?:([ap])\.?\s*m\.?)?$", re.IGNORECASE)
# The areas whose zones are named for a city ("Europe/Moscow"), so that "moscow" can name one.
_AREAS = {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}


class ScheduleError(ValueError):
    """A time or zone a moderator typed is not valid; the message says how to write it."""


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip())
    hour, minute = (int(match[1]), int(match[2] or 0)) if match else (24, 0)
    if match and match[3]:  # 12-hour: 12am is midnight, 12pm noon
        hour = hour % 12 + (12 if match[3].lower() == "p" else 0) if 1 <= hour <= 12 else 24
    elif match and match[2] is None:
        hour = 24  # "9" alone: morning or evening?
    if hour > 23 or minute > 59:
        raise ScheduleError(
            f"{text!r} is not a time of day: write it as HH:MM on a 24-hour clock, e.g. 18:30, "
            "or with am/pm, e.g. 6:30 pm."
        )
    return time(hour, minute)


def parse_zone(name: str) -> zoneinfo.ZoneInfo:
    """An IANA zone by its name, in any case, or by its city ("moscow", "new york", "São Paulo")."""
    found = _zone_index().get(_key(name))
    if found is None:
        raise ScheduleError(
            f"{name!r} is not a time zone I know: use an IANA name such as Europe/Moscow or "
            "America/New_York, or a city such as Moscow."
        )
    return zoneinfo.ZoneInfo(found)


@functools.cache
def zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _key(text: str) -> str:
    return " ".join(re.split(r"[\s_-]+", anyascii(text).casefold().strip()))


@functools.cache
def _zone_index() -> dict[str, str]:
    """Every zone by its name, and by its city where that city names one zone. A few cities have
    two names that are the same zone (Asia/Istanbul links to Europe/Istanbul): the longer is kept."""
    index = {_key(name): name for name in zone_names()}
    cities: dict[str, list[str]] = {}
    for name in sorted(zone_names()):
        if name.split("/")[0] in _AREAS and "/" in name:
            cities.setdefault(_key(name.rsplit("/", 1)[1]), []).append(name)
    for city, names in cities.items():
        chosen = max(names, key=len)
        if city not in index and all(_same_offsets(chosen, other) for other in names if other != chosen):
            index[city] = chosen
    return index


def _same_offsets(a: str, b: str) -> bool:
    """Whether two zones keep the same time (checked monthly since 1970): one is a link to the other."""
    za, zb = zoneinfo.ZoneInfo(a), zoneinfo.ZoneInfo(b)
    months = (datetime(year, month, 1, tzinfo=UTC) for year in range(1970, 2038) for month in range(1, 13))
    return all(m.astimezone(za).utcoffset() == m.astimezone(zb).utcoffset() for m in months)


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


def first_date(now: datetime, at: time, zone: zoneinfo.ZoneInfo, last_post: datetime | None = None) -> date:
    """The local date of the first post of a new schedule: today if its time is still ahead, and
    the day after the server's last post (a new time or zone never posts twice in a day)."""
    today = local_date(now, zone)
    day = today if due_at(today, at, zone) > now else today + timedelta(days=1)
    if last_post is not None:
        day = max(day, local_date(last_post, zone) + timedelta(days=1))
    return day


def resumed_date(schedule: Schedule, now: datetime) -> date:
    """The next post of a schedule resumed at `now`: its own next date, or the first still ahead."""
    return max(schedule.next_date, first_date(now, parse_time(schedule.at), parse_zone(schedule.zone)))


@dataclass(frozen=True)
class Decision:
    """What to do about a schedule at `now`."""

    post: date | None  # the local date to post for now, or None
    skipped: list[date]  # dates whose post was missed by more than LATE_LIMIT
    next_date: date  # the first date still to post after these


def decide(next_date: date, at: time, zone: zoneinfo.ZoneInfo, now: datetime) -> Decision:
    """Post late within LATE_LIMIT of the due time; skip (and record) any day missed by more."""
    skipped: list[date] = []
    day = next_date
    while due_at(day, at, zone) <= now:
        if now - due_at(day, at, zone) <= LATE_LIMIT:
            return Decision(day, skipped, day)
        skipped.append(day)
        day += timedelta(days=1)
    return Decision(None, skipped, day)
