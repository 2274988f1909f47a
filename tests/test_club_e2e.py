"""Club nights end to end: the real bot on the sandbox, whose polls and scheduled events behave as
Discord's (bot/sandbox): suggestions, a native poll that ends while the bot is down, the winner
announced and its screening event created once, ratings on /film and the daily feature."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.sandbox import ClientRefusal, Message, Sandbox
from bot.sandbox.demo import Demo
from bot.sandbox.harness import bot_on_sandbox
from bot.sandbox.model import MANAGE_EVENTS, SEND_POLLS, Channel, Member, Overwrite
from bot.storage import State, StorageUnavailable
from tests.conftest import Running
from tests.test_trivia_e2e import closed, open_question, quicken

MOSCOW = ZoneInfo("Europe/Moscow")
POLL_RESULT = 46  # the message Discord posts itself when a poll ends


@pytest.fixture(autouse=True)
def pings_nobody(sandbox: Sandbox) -> Iterator[None]:
    """Every message the bot sends in these tests, and every edit of one, pings nobody."""
    sent: list[Message] = []
    sandbox.listeners.append(lambda _, message: sent.append(message))
    yield
    bot = [m for m in sent if m.author.id == sandbox.bot_user.id]
    assert bot and not [m for m in bot if m.pings_anyone()]


def screening_day() -> datetime:
    """20:00 in Moscow ten days from now: after any poll of these tests ends, and in the future."""
    day = datetime.now(MOSCOW).date() + timedelta(days=10)
    return datetime(day.year, day.month, day.day, 20, 0, tzinfo=MOSCOW)


async def say(
    sandbox: Sandbox, where: Channel, member: Member, command: str, /, **options: object
) -> Message:
    return (await sandbox.slash(where, member, command, **options)).reply


async def suggest_three(sandbox: Sandbox, demo: Demo) -> None:
    for member, title in ((demo.ana, "solaris-1972"), (demo.boris, "stalker"), (demo.you, "solaris-1972")):
        reply = await say(sandbox, demo.general, member, "club suggest", title=title)
        assert "suggests" in reply.content and not reply.pings_anyone()


async def running_polls(sandbox: Sandbox, settings: Settings) -> list[int]:
    """The polls the bot still has something to do for, straight from its database."""
    state = await State.open(settings.database)
    try:
        return [p.message_id for p in await state.club.pending()]
    finally:
        await state.close()


def announcements(sandbox: Sandbox, poll: Message) -> list[Message]:
    return [
        m
        for m in sandbox.channel_messages(poll.channel)
        if m.reference is poll and m.author.id == sandbox.bot_user.id and m.type != POLL_RESULT
    ]


async def test_a_club_night_from_suggestions_to_the_screening_across_a_restart(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    at = screening_day()
    async with bot_on_sandbox(sandbox, settings):
        await suggest_three(sandbox, demo)
        listed = await say(sandbox, demo.general, demo.ana, "club suggestions")
        first, second = listed.embeds[0]["description"].splitlines()
        assert first == "1. **Solaris (1972)**: ana, you"  # in the order they suggested it
        assert second == "2. **Stalker (1979)**: boris"
        started = await say(
            sandbox,
            demo.general,
            demo.you,
            "club poll",
            hours=2,
            at=f"{at:%Y-%m-%d} 20:00",
            timezone="Europe/Moscow",
            channel=demo.screening_room,
        )
        poll = sandbox.polls(demo.general)[-1]
        assert poll is started and poll.poll is not None
        assert [text for _, text in poll.poll.answers] == ["Solaris (1972)", "Stalker (1979)"]
        assert poll.poll.question.endswith(f"{at:%B %Y}, 20:00 (Europe/Moscow)?")
        await sandbox.vote(poll, demo.ana, 2)
        await sandbox.vote(poll, demo.boris, 2)
        await sandbox.vote(poll, demo.you, 1)
        again = await sandbox.slash(demo.general, demo.you, "club poll")
        assert again.reply.content.startswith("The club's poll is still open: https://discord.com/channels/")

    await sandbox.end_poll(poll)  # its time runs out while the bot is down
    async with bot_on_sandbox(sandbox, settings):
        await sandbox.wait_for(lambda: len(announcements(sandbox, poll)) == 1)
    told = announcements(sandbox, poll)[0]
    assert told.content.startswith("The club picked **Stalker (1979)**, with 2 votes of 3.")
    assert told.embeds[0]["title"] == "Stalker (1979)" and not told.pings_anyone()
    (event,) = demo.guild.scheduled_events.values()
    assert event.name == "Club screening: Stalker (1979)"
    assert (event.channel_id, event.entity_type, event.start) == (demo.screening_room.id, 2, at.timestamp())
    assert "Tarkovsky" in event.description
    assert f"/events/{demo.guild.id}/{event.id}" in told.content

    async with bot_on_sandbox(sandbox, settings):  # a second start finds nothing left to do
        await sandbox.end_event(event)  # the screening happened
        await sandbox.wait_for(
            lambda: (
                "The club watched **Stalker (1979)**" in sandbox.channel_messages(demo.general)[-1].content
            )
        )
        history = await say(sandbox, demo.general, demo.ana, "club history")
        assert history.embeds[0]["description"] == f"{at.day} {at:%B %Y}: **Stalker (1979)**, not rated yet"
        refused = await say(sandbox, demo.general, demo.ana, "club suggest", title="stalker")
        assert refused.ephemeral and refused.content.startswith(
            f"The club watched Stalker (1979) on {at.day} "
        )
        left = await say(sandbox, demo.general, demo.ana, "club suggestions")
        assert left.embeds[0]["description"] == first  # Stalker's suggestion is closed
    assert len(announcements(sandbox, poll)) == 1 and len(demo.guild.scheduled_events) == 1


async def test_a_poll_ending_while_the_bot_runs_and_nobody_voted(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    await suggest_three(sandbox, demo)
    await say(sandbox, demo.general, demo.you, "club poll", hours=1)
    poll = sandbox.polls(demo.general)[-1]
    while await running.bot.state.club.poll(poll.id) is None:  # recorded just after it is sent
        await asyncio.sleep(0.01)
    await sandbox.end_poll(poll)
    await sandbox.wait_for(lambda: len(announcements(sandbox, poll)) == 1)
    assert announcements(sandbox, poll)[0].content.startswith("Nobody voted in the club's poll")
    assert demo.guild.scheduled_events == {}


async def test_ratings_from_three_members_on_film_and_in_the_next_feature(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    for member, stars in ((demo.ana, 5.0), (demo.boris, 3.5), (demo.you, 4.0)):
        rated = await say(sandbox, demo.general, member, "rate", title="stalker", stars=stars)
        assert rated.content.startswith(f"{member.name} rated **Stalker (1979)** ")
    review = await say(
        sandbox,
        demo.general,
        demo.ana,
        "rate",
        title="stalker",
        stars=4.5,
        review="**slow** @everyone <@123456789012345678>",
    )
    assert review.content == (
        "ana rated **Stalker (1979)** ★★★★½ 4.5 (was ★★★★★ 5).\n"
        "> \\*\\*slow\\*\\* @\u200beveryone <@\u200b123456789012345678>"
    )
    assert not review.pings_anyone()
    card = await say(sandbox, demo.general, demo.boris, "film", title="stalker")
    fields = {f["name"]: f["value"] for f in card.embeds[0]["fields"]}
    assert fields["Club rating"] == "4.0 of 5 from 3 ratings"  # (4.5 + 3.5 + 4) / 3

    await say(
        sandbox,
        demo.general,
        demo.you,
        "feature schedule",
        channel=demo.film_club,
        time="09:00",
        timezone="UTC",
    )
    await say(sandbox, demo.general, demo.you, "feature queue", title="stalker")
    await say(sandbox, demo.general, demo.you, "feature now")
    post = sandbox.channel_messages(demo.film_club)[-1]
    fields = {f["name"]: f["value"] for f in post.embeds[0]["fields"]}
    assert post.embeds[0]["title"] == "Classic of the day: Stalker (1979)"
    assert fields["Club rating"] == "4.0 of 5 from 3 ratings"

    one = await say(sandbox, demo.general, demo.boris, "club ratings", title="stalker")
    embed = one.embeds[0]
    assert embed["description"] == "4.0 of 5 from 3 ratings"
    assert [f["value"] for f in embed["fields"][:2]] == [
        "★★★★½ 4.5: 1 member\n★★★★ 4: 1 member\n★★★½ 3.5: 1 member",
        "★★★½ 3.5",  # boris's own
    ]
    club = await say(sandbox, demo.general, demo.boris, "club ratings")
    assert (
        club.embeds[0]["fields"][0]["value"] == "**Stalker (1979)**: 4.0 of 5 from 3 ratings · yours ★★★½ 3.5"
    )
    unrated = await say(sandbox, demo.general, demo.boris, "film", title="solaris")
    assert "Club rating" not in [f["name"] for f in unrated.embeds[0]["fields"]]


async def test_who_may_run_club_nights(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    await suggest_three(sandbox, demo)
    refused = await say(sandbox, demo.general, demo.ana, "club poll")
    assert refused.ephemeral
    assert refused.content == "Only members with the Manage Server permission can use /club poll."
    assert sandbox.polls(demo.general) == []
    watched = await say(sandbox, demo.general, demo.boris, "club watched", title="stalker")
    assert watched.content.startswith("Only members with the Manage Server permission")
    setting = await say(sandbox, demo.general, demo.ana, "club settings", clear=True)
    assert setting.content == "Only members with the Manage Server permission can change the club's settings."

    hosts = await sandbox.create_role(demo.guild, "club hosts")
    demo.ana.role_ids.append(hosts.id)
    shown = await say(sandbox, demo.general, demo.you, "club settings", role=hosts)
    assert shown.content == (
        f"Club nights are run (polls, screenings) by members with Manage Server or the <@&{hosts.id}> role."
    )
    assert not shown.pings_anyone()
    assert (await say(sandbox, demo.general, demo.ana, "club poll", hours=1)).poll is not None  # a host now
    still = await say(sandbox, demo.general, demo.boris, "club watched", title="stalker")
    assert still.content == (
        f"Only members with the Manage Server permission or the <@&{hosts.id}> role can use /club watched."
    )
    await say(sandbox, demo.general, demo.you, "club settings", clear=True)
    refused = await say(sandbox, demo.general, demo.ana, "club watched", title="stalker")
    assert refused.content.startswith("Only members with the Manage Server permission can use")
    polls = sandbox.polls(demo.general)
    while await running.bot.state.club.poll(polls[-1].id) is None:
        await asyncio.sleep(0.01)
    await sandbox.end_poll(polls[-1])
    await sandbox.wait_for(lambda: len(announcements(sandbox, polls[-1])) == 1)

    bot_role = sandbox.bot_role(demo.guild)
    await sandbox.set_permissions(bot_role, bot_role.permissions & ~MANAGE_EVENTS)
    at = screening_day()
    no_events = await say(
        sandbox, demo.general, demo.you, "club poll", at=f"{at:%Y-%m-%d} 20:00", timezone="Europe/Moscow"
    )
    assert no_events.ephemeral and no_events.content.startswith("I need the Manage Events permission")
    assert sandbox.polls(demo.general) == polls


async def test_bad_input_is_explained_and_nothing_is_kept(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    unknown = await say(sandbox, demo.general, demo.ana, "club suggest", title="**zz** @everyone")
    assert unknown.ephemeral and unknown.content.startswith(
        "I don't know a film called '\\*\\*zz\\*\\* @everyone'"
    )
    assert not unknown.pings_anyone()
    await say(sandbox, demo.general, demo.ana, "club suggest", title="stalker")
    too_few = await say(sandbox, demo.general, demo.you, "club poll")
    assert too_few.content.startswith("A poll needs at least two suggested films")
    await say(sandbox, demo.general, demo.boris, "club suggest", title="mirror")
    for at, expected in (
        ("next friday", "“next friday” is not a screening time: write it as YYYY-MM-DD HH:MM"),
        ("2026-13-01 20:00", "“2026-13-01 20:00” is not a screening time"),
        ("2026-12-24", "“2026-12-24” has no time of day"),
        ("2026-12-24 25:00", "'25:00' is not a time of day"),
        (f"{datetime.now(UTC):%Y-%m-%d} 00:00", "The screening ("),
    ):
        reply = await say(sandbox, demo.general, demo.you, "club poll", at=at, timezone="UTC")
        assert reply.ephemeral and reply.content.startswith(expected), reply.content
    place = await say(sandbox, demo.general, demo.you, "club poll", location="Kino Rodina")
    assert place.content.startswith("A place (channel or location) needs a screening time")
    future = (datetime.now(UTC) + timedelta(days=3)).date()
    later = await say(
        sandbox, demo.general, demo.you, "club watched", title="stalker", date=future.isoformat()
    )
    assert later.content.startswith("That date is still to come")
    for rating in ({"stars": 0.0}, {"stars": 5.5}, {"stars": 3.3}, {"stars": 4.0, "review": "x" * 301}):
        with pytest.raises(ClientRefusal):  # Discord's client offers the half stars, sends ≤ 300
            await say(sandbox, demo.general, demo.ana, "rate", title="stalker", **rating)
    assert sandbox.polls(demo.general) == []
    nobody = await say(sandbox, demo.general, demo.ana, "club ratings", title="stalker")
    assert nobody.embeds[0]["description"].startswith("Nobody")


async def test_forget_me_removes_my_suggestions_and_ratings(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    await say(sandbox, demo.general, demo.ana, "club suggest", title="stalker")
    await say(sandbox, demo.general, demo.boris, "club suggest", title="mirror")
    await say(sandbox, demo.general, demo.ana, "rate", title="mirror", stars=4.0, review="dreamlike")
    await say(sandbox, demo.general, demo.boris, "rate", title="mirror", stars=3.0)
    ask = await say(sandbox, demo.general, demo.ana, "forget-me")
    await sandbox.click(ask, next(b for b in ask.buttons if b["label"] == "Forget me")["custom_id"], demo.ana)
    assert ask.content == "Done: what I kept about you is deleted in 1 server."
    listed = await say(sandbox, demo.general, demo.you, "club suggestions")
    assert listed.embeds[0]["description"] == "1. **Mirror (1975)**: boris"
    ratings = await say(sandbox, demo.general, demo.you, "club ratings", title="mirror")
    assert ratings.embeds[0]["description"] == "3.0 of 5 from 1 rating"
    assert "ana" not in str(ratings.embeds)


async def test_club_reset_needs_a_moderator_and_a_confirmation(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    await say(sandbox, demo.general, demo.ana, "rate", title="mirror", stars=4.0)
    refused = await say(sandbox, demo.general, demo.ana, "club reset")
    assert refused.content == "Only members with the Manage Server permission can use /club reset."
    ask = await say(sandbox, demo.general, demo.you, "club reset")
    await sandbox.click(
        ask, next(b for b in ask.buttons if b["label"] == "Reset the club")["custom_id"], demo.you
    )
    assert ask.content == "Done: the club's records are deleted (1 row)."
    club = await say(sandbox, demo.general, demo.you, "club ratings")
    assert club.embeds[0]["description"].startswith("Nobody in this server has rated a film yet.")


async def test_a_crash_between_creating_the_event_and_recording_it_makes_no_second_event(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    at = screening_day()
    async with bot_on_sandbox(sandbox, settings) as bot:
        await suggest_three(sandbox, demo)
        await say(
            sandbox, demo.general, demo.you, "club poll", at=f"{at:%Y-%m-%d} 20:00", location="Kino «Rodina»"
        )
        poll = sandbox.polls(demo.general)[-1]
        while await bot.state.club.poll(poll.id) is None:
            await asyncio.sleep(0.01)
        await sandbox.vote(poll, demo.ana, 1)

        async def crash(*args: object) -> None:
            raise StorageUnavailable("the disk is full")

        bot.state.club.set_event = crash  # type: ignore[method-assign]
        await sandbox.end_poll(poll)
        await sandbox.wait_for(lambda: len(demo.guild.scheduled_events) == 1)
        assert announcements(sandbox, poll) == []  # nothing told before the event is recorded
    async with bot_on_sandbox(sandbox, settings):
        await sandbox.wait_for(lambda: len(announcements(sandbox, poll)) == 1)
    (event,) = demo.guild.scheduled_events.values()
    assert (event.entity_type, event.location) == (3, "Kino «Rodina»")
    assert event.start == datetime(at.year, at.month, at.day, 20, tzinfo=UTC).timestamp()  # no zone: UTC
    assert f"/events/{demo.guild.id}/{event.id}" in announcements(sandbox, poll)[0].content


async def test_a_trivia_round_about_what_the_club_rated_highest(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    none = await say(
        sandbox, demo.general, demo.ana, "trivia start", topic="club", questions=1, mode="buttons"
    )
    assert none.content.startswith("A round about the club's ratings needs at least two films")
    for title, stars in (("stalker", 5.0), ("mirror", 3.5), ("seven samurai", 4.0)):
        rated = await say(sandbox, demo.general, demo.boris, "rate", title=title, stars=stars)
        assert rated.content.startswith("boris rated **")
    quicken(running)
    await say(sandbox, demo.general, demo.ana, "trivia start", topic="club", questions=1, mode="buttons")
    question = await open_question(sandbox, demo.general, 1)
    assert "rate highest" in question.embeds[0]["description"]
    right = next(b for b in question.buttons if b["label"].endswith("Stalker (1979)"))
    answered = await sandbox.click(question, right["custom_id"], demo.ana)
    assert answered.reply.content.startswith(f"Your answer: **{right['label']}**.")
    await closed(sandbox, question)
    embed = question.embeds[0]
    assert embed["description"].count(" (19") == 3  # the three rated films, one of them right
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert (fields["Answer"], fields["Right"]) == ("Stalker (1979)", "ana (1 of 1)")
    assert embed["footer"]["text"] == "Source: this server's ratings (/club ratings)"


async def test_history_pages_with_buttons_and_averages(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    club = running.bot.state.club
    films = ["stalker-1979", "mirror-1975", "solaris-1972", "ran-1985"] * 3
    for day, film in enumerate(films, 1):
        await club.record_screening(demo.guild.id, film, date(2026, 10, day), day)
    await say(sandbox, demo.general, demo.ana, "rate", title="stalker", stars=4.0)
    await say(sandbox, demo.general, demo.boris, "rate", title="stalker", stars=2.5)
    history = await say(sandbox, demo.general, demo.ana, "club history")
    lines = history.embeds[0]["description"].splitlines()
    assert lines[0] == "12 October 2026: **Ran (1985)**, not rated yet"
    assert lines[1] == "11 October 2026: **Solaris (1972)**, not rated yet"
    assert lines[3] == "9 October 2026: **Stalker (1979)**, 3.3 of 5 from 2 ratings"
    assert len(lines) == 10 and history.embeds[0]["footer"]["text"] == "Page 1 of 2 · 12 screenings"
    previous, following = history.buttons
    assert previous["disabled"] and not following.get("disabled")
    await sandbox.click(history, following["custom_id"], demo.boris)
    assert history.embeds[0]["description"].splitlines() == [
        "2 October 2026: **Mirror (1975)**, not rated yet",
        "1 October 2026: **Stalker (1979)**, 3.3 of 5 from 2 ratings",
    ]
    assert history.buttons[1]["disabled"] and not history.buttons[0].get("disabled")


async def test_a_deleted_poll_or_one_the_bot_cannot_post_is_explained(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    await suggest_three(sandbox, demo)
    await say(sandbox, demo.general, demo.you, "club poll")
    first = sandbox.polls(demo.general)[-1]
    while await running.bot.state.club.poll(first.id) is None:
        await asyncio.sleep(0.01)
    await sandbox.delete(first)  # a moderator deletes it: Discord will never end it
    again = await say(sandbox, demo.general, demo.you, "club poll", choices=2)
    assert again.poll is not None and again is not first

    demo.film_club.overwrites.append(Overwrite(sandbox.bot_role(demo.guild).id, 0, deny=SEND_POLLS))
    await sandbox.delete(again)
    refused = await say(sandbox, demo.film_club, demo.you, "club poll")
    assert refused.ephemeral
    assert refused.content == "I need the Create Polls permission in this channel to start a poll here."


async def test_a_screening_event_that_ends_or_is_cancelled_while_the_bot_is_down(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    at = screening_day()
    events = []
    for title, other in (("stalker", "mirror"), ("solaris-1972", "ran-1985")):
        async with bot_on_sandbox(sandbox, settings) as bot:
            await say(sandbox, demo.general, demo.ana, "club suggest", title=title)
            await say(sandbox, demo.general, demo.boris, "club suggest", title=other)
            await say(
                sandbox,
                demo.general,
                demo.you,
                "club poll",
                at=f"{at:%Y-%m-%d} 20:00",
                channel=demo.screening_room,
            )
            poll = sandbox.polls(demo.general)[-1]
            while await bot.state.club.poll(poll.id) is None:
                await asyncio.sleep(0.01)
            await sandbox.vote(poll, demo.ana, 1)
            await sandbox.end_poll(poll)
            await sandbox.wait_for(lambda poll=poll: len(announcements(sandbox, poll)) == 1)
            events.append(next(e for e in demo.guild.scheduled_events.values() if e not in events))
    await sandbox.end_event(events[0])  # Stalker is watched while the bot is down
    await sandbox.cancel_event(events[1])  # and Solaris's night called off
    async with bot_on_sandbox(sandbox, settings):
        await sandbox.wait_for(
            lambda: (
                "The club watched **Stalker (1979)**" in sandbox.channel_messages(demo.general)[-1].content
            )
        )
        history = await say(sandbox, demo.general, demo.ana, "club history")
        assert history.embeds[0]["description"] == f"{at.day} {at:%B %Y}: **Stalker (1979)**, not rated yet"
        assert await running_polls(sandbox, settings) == []
