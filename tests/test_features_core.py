"""Daily features without Discord: due times across DST, the rotation, and the exactly-once record."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.features.posting import OFFLINE_REASON, Poster, Refused, Result, next_due
from bot.features.rotation import pick
from bot.features.schedule import ScheduleError, decide, due_at, first_date, parse_time, parse_zone
from bot.storage import SQLiteDatabase
from bot.storage.features import FeatureRepository

NEW_YORK, SYDNEY, MOSCOW = (
    ZoneInfo("America/New_York"),
    ZoneInfo("Australia/Sydney"),
    ZoneInfo("Europe/Moscow"),
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        (NEW_YORK, date(2026, 10, 31), time(9, 0), utc(2026, 10, 31, 13, 0)),  # EDT, UTC-4
        (NEW_YORK, date(2026, 11, 2), time(9, 0), utc(2026, 11, 2, 14, 0)),  # EST, UTC-5
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 0)),  # skipped: 03:00 EDT
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # repeated: the first, EDT
        (SYDNEY, date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16, 0)),  # skipped: 03:00 AEDT
        (SYDNEY, date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),  # repeated: the first, AEDT
        (SYDNEY, date(2026, 7, 1), time(20, 0), utc(2026, 7, 1, 10, 0)),  # AEST, UTC+10
        (MOSCOW, date(2026, 6, 1), time(9, 0), utc(2026, 6, 1, 6, 0)),  # UTC+3 all year since 2014
        (MOSCOW, date(2010, 3, 28), time(2, 30), utc(2010, 3, 27, 23, 0)),  # 2010's skipped hour: 03:00 MSD
        (MOSCOW, date(2010, 10, 31), time(2, 30), utc(2010, 10, 30, 22, 30)),  # 2010's repeated hour: MSD
    ],
)
def test_due_times_across_daylight_saving(zone: ZoneInfo, day: date, at: time, expected: datetime) -> None:
    assert due_at(day, at, zone) == expected


def test_a_repeated_hour_posts_once() -> None:
    at = time(1, 30)
    first = due_at(date(2026, 11, 1), at, NEW_YORK)
    decision = decide(date(2026, 11, 1), at, NEW_YORK, first)
    assert decision.post == date(2026, 11, 1)
    # After posting, the next date is the 2nd: the second 01:30 of the 1st (an hour later) is not due.
    second_occurrence = first + timedelta(hours=1)
    assert decide(date(2026, 11, 2), at, NEW_YORK, second_occurrence).post is None


def test_late_posts_and_skipped_days() -> None:
    at = time(9, 0)
    due = due_at(date(2026, 11, 26), at, MOSCOW)
    assert decide(date(2026, 11, 26), at, MOSCOW, due - timedelta(seconds=1)).post is None
    assert decide(date(2026, 11, 26), at, MOSCOW, due + timedelta(hours=5, minutes=59)).post == date(
        2026, 11, 26
    )
    late = decide(date(2026, 11, 26), at, MOSCOW, due + timedelta(hours=6, minutes=1))
    assert late.post is None and late.skipped == [date(2026, 11, 26)] and late.next_date == date(2026, 11, 27)
    # Down for three days, back an hour after the fourth day's time: three skipped, the fourth posted.
    back = decide(date(2026, 11, 26), at, MOSCOW, due + timedelta(days=3, hours=1))
    assert back.skipped == [date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28)]
    assert back.post == date(2026, 11, 29)


def test_first_date_and_parsing() -> None:
    now = utc(2026, 11, 26, 5, 0)  # 08:00 in Moscow
    assert first_date(now, time(9, 0), MOSCOW) == date(2026, 11, 26)
    assert first_date(now, time(7, 0), MOSCOW) == date(2026, 11, 27)
    assert parse_time("9:05") == time(9, 5) and parse_time("18.30") == time(18, 30)
    twelve_hour = {"9am": time(9), "9:30 pm": time(21, 30), "12am": time(0), "12 PM": time(12)}
    assert {text: parse_time(text) for text in twelve_hour} == twelve_hour
    assert parse_time("6.45 p.m.") == time(18, 45) and parse_time(" 07:15AM ") == time(7, 15)
    for bad in ("25:00", "9", "noon", "12:60", "13pm", "0am", "9 xm", "21:00 pm"):
        with pytest.raises(ScheduleError, match="HH:MM"):
            parse_time(bad)
    assert parse_zone("Australia/Sydney") == SYDNEY and parse_zone("europe/moscow") == MOSCOW
    cities = {"moscow": "Europe/Moscow", "New York": "America/New_York", "são paulo": "America/Sao_Paulo"}
    assert {city: parse_zone(city).key for city in cities} == cities
    # Two names, one zone (a link): the city is still one zone.
    assert parse_zone("istanbul").key == "Europe/Istanbul"
    assert parse_zone("buenos aires").key == "America/Argentina/Buenos_Aires"
    for unknown in ("Atlantis", "Moscow, Russia", ""):
        with pytest.raises(ScheduleError, match="Europe/Moscow"):
            parse_zone(unknown)


def test_rotation_never_repeats_until_exhausted_and_is_reproducible() -> None:
    films = [f"film-{i}" for i in range(7)]
    featured: list[str] = []
    day = date(2026, 1, 1)
    for _ in films:
        film, new_cycle = pick(42, day, films, featured)
        assert film not in featured and not new_cycle
        featured.append(film)
        day += timedelta(days=1)
    assert sorted(featured) == films
    again, new_cycle = pick(42, day, films, featured)
    assert new_cycle and again in films
    assert pick(42, date(2026, 5, 5), films, ["film-1"]) == pick(42, date(2026, 5, 5), films, ["film-1"])
    orders = {tuple(pick(guild, date(2026, 5, 5), films, [])[0] for guild in range(20))}
    assert len(set(next(iter(orders)))) > 1  # servers do not all get the same film


class Crash(Exception):
    """The bot process stopping at this point."""


@dataclass
class ChannelStandIn:
    """A channel as Discord keeps it: messages by id, a nonce repeated within minutes returns the
    existing message. `crash` stops the bot just before or just after sending."""

    messages: dict[int, tuple[str, date, str]] = field(default_factory=dict)  # id -> film, day, nonce
    crash: str | None = None
    refuse: str | None = None
    searchable: bool = True

    async def send(self, film_id: str, day: date, nonce: str) -> int:
        if self.crash == "before send":
            raise Crash
        if self.refuse:
            raise Refused(self.refuse)
        existing = next((i for i, m in self.messages.items() if m[2] == nonce), None)
        message_id = existing or len(self.messages) + 1
        self.messages[message_id] = (film_id, day, nonce)
        if self.crash == "after send":
            raise Crash
        return message_id

    async def find(self, day: date, claimed: datetime) -> int | None:
        if not self.searchable:
            return None
        return next((i for i, m in self.messages.items() if m[1] == day), None)


FILMS = ["stalker-1979", "solaris-1972", "mirror-1975"]
GUILD = 7


async def open_poster(path: Path) -> tuple[SQLiteDatabase, FeatureRepository, Poster]:
    db = await SQLiteDatabase.open(path)
    repo = FeatureRepository(db)
    return db, repo, Poster(repo, FILMS)


@pytest.mark.parametrize("searchable", [True, False])  # found in the channel, or deduplicated by nonce
@pytest.mark.parametrize("crash", [None, "before send", "after send", "after confirm"])
async def test_exactly_once_whatever_step_the_bot_stops_at(
    tmp_path: Path, crash: str | None, searchable: bool
) -> None:
    day = date(2026, 11, 26)
    now = due_at(day, time(9, 0), MOSCOW) + timedelta(seconds=5)
    channel = ChannelStandIn(crash=crash if crash != "after confirm" else None, searchable=searchable)
    db, repo, poster = await open_poster(tmp_path / "f.db")
    await repo.save_schedule(GUILD, 100, "09:00", "Europe/Moscow", day, int(now.timestamp()) - 5)
    schedule = await repo.schedule(GUILD)
    assert schedule is not None
    with contextlib.suppress(Crash):
        await poster.run_due(schedule, now, channel)
    await db.close()  # the process is gone; a new one starts on the same file

    channel.crash = None
    db, repo, poster = await open_poster(tmp_path / "f.db")
    restarted = now + timedelta(minutes=2)
    for schedule in await repo.due(int(restarted.timestamp())):
        await poster.run_due(schedule, restarted, channel)
    assert len(channel.messages) == 1
    record = await repo.post(GUILD, day)
    assert record is not None and record.status == "sent" and record.message_id in channel.messages
    schedule = await repo.schedule(GUILD)
    assert schedule is not None and schedule.next_date == date(2026, 11, 27)
    assert await repo.due(int(restarted.timestamp())) == []  # nothing more to post today
    await db.close()


async def test_refused_post_pauses_and_missed_days_are_recorded(tmp_path: Path) -> None:
    day = date(2026, 11, 26)
    db, repo, poster = await open_poster(tmp_path / "f.db")
    due = due_at(day, time(9, 0), MOSCOW)
    await repo.save_schedule(GUILD, 100, "09:00", "Europe/Moscow", day, int(due.timestamp()))
    schedule = await repo.schedule(GUILD)
    assert schedule is not None
    outcome = await poster.run_due(schedule, due, ChannelStandIn(refuse="Missing Permissions in #classics"))
    assert outcome.result is Result.PAUSED
    paused = await repo.schedule(GUILD)
    assert paused is not None and paused.paused and paused.pause_reason == "Missing Permissions in #classics"
    assert await repo.post(GUILD, day) is None and await repo.due(int(due.timestamp()) + 60) == []

    await repo.set_paused(GUILD, False)
    much_later = due + timedelta(days=1, hours=7)  # back after the 27th's time by more than 6 hours
    resumed = await repo.schedule(GUILD)
    assert resumed is not None
    assert (await poster.run_due(resumed, much_later, ChannelStandIn())).result is Result.NOTHING
    for missed in (day, day + timedelta(days=1)):
        record = await repo.post(GUILD, missed)
        assert record is not None and record.status == "skipped" and record.reason == OFFLINE_REASON
    after = await repo.schedule(GUILD)
    assert after is not None and after.next_date == date(2026, 11, 28)
    assert after.next_due == next_due(after, date(2026, 11, 28))
    await db.close()


async def test_rotation_through_the_record(tmp_path: Path) -> None:
    db, repo, poster = await open_poster(tmp_path / "f.db")
    day = date(2026, 1, 1)
    await repo.save_schedule(GUILD, 100, "09:00", "UTC", day, 0)
    channel = ChannelStandIn()
    films = []
    for offset in range(len(FILMS) + 1):
        current = day + timedelta(days=offset)
        schedule = await repo.schedule(GUILD)
        assert schedule is not None
        outcome = await poster.post_day(schedule, current, datetime.combine(current, time(9), UTC), channel)
        assert outcome.post is not None
        films.append(outcome.post.film_id)
    assert sorted(films[:3]) == sorted(FILMS) and films[3] in FILMS  # then a new cycle
    await db.close()
