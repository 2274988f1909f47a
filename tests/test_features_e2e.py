"""End to end: moderators schedule the daily feature in the sandbox; the clock is moved by hand."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.sandbox import Sandbox, model
from bot.sandbox.demo import Demo
from bot.sandbox.harness import bot_on_sandbox
from bot.sandbox.messages import Message
from bot.sandbox.model import CREATE_PUBLIC_THREADS, EMBED_LINKS, SEND_MESSAGES, Channel, Overwrite
from tests.conftest import Running

MOSCOW = ZoneInfo("Europe/Moscow")


@dataclass
class Clock:
    """The cog's clock, moved by the test; moving it wakes the feature loop."""

    running: Running
    now: datetime

    def attach(self) -> None:
        cog: Any = self.running.bot.get_cog("Daily feature")
        cog.now = lambda: self.now
        model.wall_clock = lambda: self.now.timestamp()  # the sandbox's ids and times follow it
        cog.reschedule()

    async def advance(self, delta: timedelta) -> None:
        """Move the clock, and wait until the loop has done what became due."""
        self.now += delta
        self.attach()
        cog: Any = self.running.bot.get_cog("Daily feature")
        await asyncio.wait_for(cog.idle.wait(), 10)


@pytest.fixture(autouse=True)
def real_sandbox_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandbox's real clock again after each test (a Clock moves it)."""
    monkeypatch.setattr(model, "wall_clock", model.wall_clock)


def features(sandbox: Sandbox, channel: Channel) -> list[Message]:
    return [
        m
        for m in sandbox.channel_messages(channel)
        if m.author.bot and m.embeds and m.embeds[0]["title"].startswith("Classic of the day")
    ]


def posts_to(sandbox: Sandbox, channel: Channel) -> int:
    return sum(
        1 for r in sandbox.requests if r.method == "POST" and r.path == f"/channels/{channel.id}/messages"
    )


def morning(hour: int, minute: int = 0) -> datetime:
    """A moment of today's date (so the rotation's dates are near real ones), in Moscow."""
    today = datetime.now(MOSCOW).date() + timedelta(days=1)
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=MOSCOW).astimezone(UTC)


async def schedule(running: Running, clock: Clock, channel: Channel, at: str = "09:00") -> str:
    clock.attach()
    reply = await running.sandbox.slash(
        running.demo.general,
        running.demo.you,
        "feature schedule",
        channel=channel,
        time=at,
        timezone="Europe/Moscow",
    )
    return reply.reply.content


async def wait_until(sandbox: Sandbox, condition: Callable[[], bool]) -> None:
    await sandbox.wait_for(condition, timeout=10)


async def test_schedule_and_a_post_at_the_scheduled_minute(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    clock = Clock(running, morning(8, 59))
    reply = await schedule(running, clock, demo.film_club)
    assert reply.startswith(
        f"Scheduled: a classic film every day in <#{demo.film_club.id}> at 09:00 Europe/Moscow."
    )
    assert f"09:00 (Europe/Moscow) · <t:{int(morning(9).timestamp())}:F>" in reply
    await sandbox.slash(demo.general, demo.you, "feature queue", title="stalker-1979")

    await clock.advance(timedelta(seconds=59))
    assert not features(sandbox, demo.film_club)  # 08:59:59: not yet
    await clock.advance(timedelta(seconds=1))
    await wait_until(sandbox, lambda: bool(features(sandbox, demo.film_club)))
    (post,) = features(sandbox, demo.film_club)
    embed = post.embeds[0]
    assert embed["title"] == "Classic of the day: Stalker (1979)"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Original title"] == "Сталкер" and fields["Year"] == "1979"
    assert fields["Directed by"] == "Andrei Tarkovsky"
    assert fields["Starring"].startswith("Alexander Kaidanovsky, Anatoly Solonitsyn")
    assert "*Source: The Dark Dystopian" in fields["Fact 1"] and "*Source: " in fields["Fact 2"]
    assert "Stalker" in fields["Discuss"]
    await wait_until(sandbox, lambda: post.id in sandbox.channels)  # its discussion thread
    assert sandbox.channels[post.id].name == "Stalker (1979): discussion"

    await clock.advance(timedelta(minutes=5))
    await clock.advance(timedelta(hours=7))
    assert len(features(sandbox, demo.film_club)) == 1  # once a day
    status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply.embeds[0]
    values = {f["name"]: f["value"] for f in status["fields"]}
    assert values["Last post"].endswith(f"/{demo.film_club.id}/{post.id}")
    assert values["Next post"].startswith((morning(9) + timedelta(days=1)).astimezone(MOSCOW).strftime("%A"))


async def test_members_without_manage_server_are_refused(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    for command, options in (
        ("feature schedule", {"channel": demo.general, "time": "9:00", "timezone": "UTC"}),
        ("feature status", {}),
        ("feature now", {}),
    ):
        reply = (await sandbox.slash(demo.general, demo.ana, command, **options)).reply
        assert reply.ephemeral
        assert reply.content == f"Only members with the Manage Server permission can use /{command}."


async def test_bad_times_and_zones_are_explained(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    bad_time = await sandbox.slash(
        demo.general, demo.you, "feature schedule", channel=demo.general, time="25:00", timezone="UTC"
    )
    assert "write it as HH:MM on a 24-hour clock, e.g. 18:30" in bad_time.reply.content
    bad_zone = await sandbox.slash(
        demo.general, demo.you, "feature schedule", channel=demo.general, time="18:30", timezone="Moskau"
    )
    assert "use an IANA name such as Europe/Moscow or America/New_York, or a city" in bad_zone.reply.content
    zones = await sandbox.autocomplete(
        demo.general, demo.you, "feature schedule", "timezone", timezone="new_y"
    )
    assert zones[0] == {"name": "America/New_York", "value": "America/New_York"}
    none = (await sandbox.slash(demo.general, demo.you, "feature status")).reply
    assert none.content == "No daily feature is scheduled in this server. Set one with `/feature schedule`."


async def test_now_counts_as_todays_post_and_pause_resume(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    clock = Clock(running, morning(7))
    await schedule(running, clock, demo.film_club)
    now = (await sandbox.slash(demo.general, demo.you, "feature now")).reply
    assert now.content.startswith("Today's feature is posted: https://discord.com/channels/")
    again = (await sandbox.slash(demo.general, demo.you, "feature now")).reply
    assert again.content.startswith("Today's feature is already posted: ")
    await clock.advance(timedelta(hours=3))  # 10:00: today's time has passed, and it was posted
    assert len(features(sandbox, demo.film_club)) == 1

    await sandbox.slash(demo.general, demo.you, "feature pause")
    await clock.advance(timedelta(days=1))  # 10:00 the next day: paused, so nothing
    assert len(features(sandbox, demo.film_club)) == 1
    resumed = (await sandbox.slash(demo.general, demo.you, "feature resume")).reply
    assert resumed.content.startswith("The daily feature is running. Next post: ")
    await clock.advance(timedelta(days=1) - timedelta(hours=1))  # 09:00 the day after
    await wait_until(sandbox, lambda: len(features(sandbox, demo.film_club)) == 2)
    preview = (await sandbox.slash(demo.general, demo.you, "feature preview")).reply
    assert preview.ephemeral and preview.embeds[0]["title"].startswith("Classic of the day: ")


async def test_unschedule_stops_the_posts_and_keeps_the_rotation(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    clock = Clock(running, morning(8, 59))
    await schedule(running, clock, demo.film_club)
    await clock.advance(timedelta(minutes=1))
    await wait_until(sandbox, lambda: len(features(sandbox, demo.film_club)) == 1)
    (first,) = features(sandbox, demo.film_club)
    gone = (await sandbox.slash(demo.general, demo.you, "feature unschedule")).reply
    assert gone.ephemeral and gone.content.startswith("The daily feature is unscheduled.")
    await clock.advance(timedelta(days=1))  # 09:00 the next day: nothing is scheduled
    assert len(features(sandbox, demo.film_club)) == 1
    status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply
    assert status.content.startswith("No daily feature is scheduled in this server.")
    await schedule(running, clock, demo.film_club, at="09:05")  # again: the rotation is remembered
    await clock.advance(timedelta(minutes=5))
    await wait_until(sandbox, lambda: len(features(sandbox, demo.film_club)) == 2)
    second = features(sandbox, demo.film_club)[1]
    assert second.embeds[0]["title"] != first.embeds[0]["title"]  # not the film already featured
    status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply.embeds[0]
    featured = {f["name"]: f["value"] for f in status["fields"]}["Featured so far"]
    assert featured.startswith("2 posts;")  # the first, from before the unschedule, still counts


async def test_a_refused_channel_pauses_the_schedule_and_tells_the_moderators(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    clock = Clock(running, morning(8))
    await schedule(running, clock, demo.film_club)
    bot_role = next(r for r in demo.guild.roles.values() if r.name == "filmbot")
    demo.film_club.overwrites.append(Overwrite(bot_role.id, 0, deny=SEND_MESSAGES))  # no event: found on send
    await clock.advance(timedelta(hours=1))
    (told,) = [m for m in sandbox.channel_messages(demo.general) if "feature is paused" in m.content]
    assert told.content.startswith(
        f"The daily film feature is paused: I can't post in <#{demo.film_club.id}>"
    )
    status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply.embeds[0]
    values = {f["name"]: f["value"] for f in status["fields"]}
    assert values["State"] == "paused"
    assert values["Problem"] == f"I can't post in <#{demo.film_club.id}>: Missing Permissions"
    refused = posts_to(sandbox, demo.film_club)
    for _ in range(3):
        await clock.advance(timedelta(days=1))
    assert posts_to(sandbox, demo.film_club) == refused == 1  # a paused schedule sends nothing more
    assert [m for m in sandbox.channel_messages(demo.general) if "feature is paused" in m.content] == [told]


async def test_a_deleted_channel_pauses_the_schedule(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    clock = Clock(running, morning(8))
    await schedule(running, clock, demo.film_club)
    demo.film_club.deleted = True
    await clock.advance(timedelta(hours=1))
    await wait_until(
        sandbox, lambda: any("feature is paused" in m.content for m in sandbox.channel_messages(demo.general))
    )
    status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply.embeds[0]
    assert {f["name"]: f["value"] for f in status["fields"]}["Problem"] == (
        f"the channel <#{demo.film_club.id}> no longer exists"
    )


async def test_a_channel_the_bot_does_not_see_yet_is_asked_of_discord_not_taken_for_gone(
    running: Running,
) -> None:
    """After a reconnect a server may still be unavailable (or another process's): its channel is
    not in this process's cache, and only Discord's 404 or 403 would make it gone."""
    sandbox, demo = running.sandbox, running.demo
    clock = Clock(running, morning(8))
    await schedule(running, clock, demo.film_club)
    guild = running.bot.get_guild(demo.guild.id)
    assert guild is not None
    guild._channels.pop(demo.film_club.id)  # the cache no longer has it; Discord still does
    await clock.advance(timedelta(hours=1))
    await wait_until(sandbox, lambda: len(features(sandbox, demo.film_club)) == 1)
    status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply.embeds[0]
    assert "Problem" not in {f["name"] for f in status["fields"]}


async def post_and_stop_before_confirming(sandbox: Sandbox, demo: Demo, settings: Settings) -> Clock:
    """The day's post is sent at 09:00 and the process stops: its record stays 'claimed'."""
    async with bot_on_sandbox(sandbox, settings) as bot:
        running = Running(sandbox, demo, bot)
        clock = Clock(running, morning(8))
        await schedule(running, clock, demo.film_club)
        cog: Any = bot.get_cog("Daily feature")

        async def stop_before_confirming(*args: object) -> None:
            raise RuntimeError("the process stops here")

        cog.repo.confirm = stop_before_confirming
        await clock.advance(timedelta(hours=1))
        await wait_until(sandbox, lambda: len(features(sandbox, demo.film_club)) == 1)
    return clock


async def assert_posted_once(sandbox: Sandbox, demo: Demo) -> None:
    status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply.embeds[0]
    (post,) = features(sandbox, demo.film_club)
    assert {f["name"]: f["value"] for f in status["fields"]}["Last post"].endswith(f"/{post.id}")
    assert posts_to(sandbox, demo.film_club) == 1


async def test_a_restart_between_sending_and_recording_does_not_post_twice(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    clock = await post_and_stop_before_confirming(sandbox, demo, settings)
    async with bot_on_sandbox(sandbox, settings) as bot:
        clock.running = Running(sandbox, demo, bot)
        await clock.advance(timedelta(minutes=30))  # the claim is found at 09:30 and resolved
        await assert_posted_once(sandbox, demo)


async def test_a_restart_after_a_long_outage_and_many_messages_does_not_post_twice(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    """The post is found by when it was claimed, not among the last messages: 60 came after it,
    and the bot was down longer than Discord remembers a nonce."""
    clock = await post_and_stop_before_confirming(sandbox, demo, settings)
    for minute in range(60):  # the club talks on while the bot is down
        clock.now += timedelta(minutes=2)
        await sandbox.say(demo.film_club, demo.ana, f"message {minute}")
    sandbox.nonce_seconds = 0.0  # down for two hours: a nonce no longer deduplicates
    async with bot_on_sandbox(sandbox, settings) as bot:
        clock.running = Running(sandbox, demo, bot)
        await clock.advance(timedelta(minutes=1))
        await assert_posted_once(sandbox, demo)
        await clock.advance(timedelta(days=1))  # and the next day is posted as usual
        assert len(features(sandbox, demo.film_club)) == 2


async def test_a_new_zone_or_time_after_the_days_post_posts_the_next_day(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    clock = Clock(running, morning(1))
    await schedule(running, clock, demo.film_club, at="02:00")  # Moscow 02:00 is New York's 18:00
    await clock.advance(timedelta(hours=1, minutes=3))
    assert len(features(sandbox, demo.film_club)) == 1

    async def reschedule(at: datetime, zone: str) -> str:
        time = f"{at:%H:%M}"
        args = {"channel": demo.film_club, "time": time, "timezone": zone}
        return (await sandbox.slash(demo.general, demo.you, "feature schedule", **args)).reply.content

    new_york = ZoneInfo("America/New_York")
    later = (clock.now + timedelta(minutes=3)).astimezone(new_york)  # still "today" in New York
    reply = await reschedule(later, "America/New_York")
    tomorrow = later + timedelta(days=1)
    assert f"Next post: {tomorrow:%A} {tomorrow.day} {tomorrow:%B %Y, %H:%M} (America/New_York)" in reply
    await clock.advance(timedelta(hours=2))
    assert len(features(sandbox, demo.film_club)) == 1  # not a second post the same day
    # Back to Moscow, a few minutes ahead: today's post is made, so tomorrow.
    at = (clock.now + timedelta(minutes=2)).astimezone(MOSCOW)
    again = await reschedule(at, "Europe/Moscow")
    assert f"Next post: {at + timedelta(days=1):%A}" in again
    await clock.advance(timedelta(minutes=5))
    assert len(features(sandbox, demo.film_club)) == 1
    await clock.advance(timedelta(days=1))
    assert len(features(sandbox, demo.film_club)) == 2
    status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply.embeds[0]
    assert {f["name"]: f["value"] for f in status["fields"]}["Featured so far"].startswith("2 posts;")


async def test_the_status_counts_one_post_in_the_singular(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    clock = Clock(running, morning(8))
    clock.attach()
    reply = await sandbox.slash(
        demo.general, demo.you, "feature schedule", channel=demo.film_club, time="9am", timezone="moscow"
    )
    assert f"every day in <#{demo.film_club.id}> at 09:00 Europe/Moscow." in reply.reply.content
    await clock.advance(timedelta(hours=1))
    status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply.embeds[0]
    assert {f["name"]: f["value"] for f in status["fields"]}["Featured so far"].startswith("1 post;")


async def test_schedule_checks_the_bots_permissions_first(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    bot_role = next(r for r in demo.guild.roles.values() if r.name == "filmbot")
    no_embeds = sandbox.add_channel(demo.guild, "no-embeds")
    no_embeds.overwrites.append(Overwrite(bot_role.id, 0, deny=EMBED_LINKS))
    no_threads = sandbox.add_channel(demo.guild, "no-threads")
    no_threads.overwrites.append(Overwrite(bot_role.id, 0, deny=CREATE_PUBLIC_THREADS))
    async with bot_on_sandbox(sandbox, settings) as bot:
        running = Running(sandbox, demo, bot)
        clock = Clock(running, morning(8))
        refused = await schedule(running, clock, no_embeds)
        assert refused == f"I can't post in <#{no_embeds.id}>: I need the Embed Links permission there."
        assert (await sandbox.slash(demo.general, demo.you, "feature status")).reply.content.startswith(
            "No daily feature is scheduled"
        )
        accepted = await schedule(running, clock, no_threads)
        assert "I can't create threads there (Create Public Threads)" in accepted
        await clock.advance(timedelta(hours=1))
        (post,) = features(sandbox, no_threads)
        assert post.id not in sandbox.channels  # posted, without a thread

        await clock.advance(timedelta(days=1, hours=7))  # the bot "was down" past the next day's 09:00 + 6 h
        status = (await sandbox.slash(demo.general, demo.you, "feature status")).reply.embeds[0]
        values = {f["name"]: f["value"] for f in status["fields"]}
        assert values["Last day skipped"].endswith("back more than 6 hours late")
        assert len(features(sandbox, no_threads)) == 1


async def test_a_post_discord_fails_with_a_5xx_is_tried_again_ten_minutes_later_once(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox, demo = running.sandbox, running.demo
    clock = Clock(running, morning(8, 59))
    await schedule(running, clock, demo.film_club)
    sandbox.fail("POST", rf"^/channels/{demo.film_club.id}/messages$", status=503)  # not a refusal
    await clock.advance(timedelta(minutes=1))
    assert posts_to(sandbox, demo.film_club) == 1 and not features(sandbox, demo.film_club)
    assert "retrying in 10 minutes" in caplog.text
    schedule_row = await running.bot.state.features.schedule(demo.guild.id)
    assert schedule_row is not None and not schedule_row.paused
    assert schedule_row.next_due == int((morning(9) + timedelta(minutes=10)).timestamp())
    await clock.advance(timedelta(minutes=9, seconds=59))
    assert not features(sandbox, demo.film_club)
    await clock.advance(timedelta(seconds=1))
    await wait_until(sandbox, lambda: bool(features(sandbox, demo.film_club)))
    await clock.advance(timedelta(hours=2))
    assert len(features(sandbox, demo.film_club)) == 1 and posts_to(sandbox, demo.film_club) == 2


async def test_the_loop_tries_again_after_the_database_was_locked_and_posts_once(
    running: Running, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    cog: Any = bot.get_cog("Daily feature")
    monkeypatch.setattr(sys.modules[type(cog).__module__], "LOOP_RETRY", 0.3)  # of 60 s
    clock = Clock(running, morning(8, 59))
    await schedule(running, clock, demo.film_club)
    db: Any = bot.state._db
    await db.connection.execute("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(db.path, timeout=0)  # another program holds the write lock
    other.execute("BEGIN IMMEDIATE")
    try:
        await clock.advance(timedelta(minutes=1))
        assert "the daily feature loop failed; trying again in 0 s" in caplog.text
        assert posts_to(sandbox, demo.film_club) == 0
    finally:
        other.rollback()
        other.close()
    await wait_until(sandbox, lambda: bool(features(sandbox, demo.film_club)))  # the loop's own retry
    await clock.advance(timedelta(hours=2))
    assert len(features(sandbox, demo.film_club)) == 1 and posts_to(sandbox, demo.film_club) == 1
