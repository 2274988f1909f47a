"""The sandbox's polls, scheduled events and voice channels, through discord.py as the bot uses them.

Bad payloads go through discord.py's own HTTP client (discord.http.Route); Discord's own doings
(a poll's time running out, an event ending) and the members' votes come from the driver.
"""

import asyncio
import io
from datetime import datetime, timedelta
from typing import Any

import discord
import pytest
from discord.http import Route

from bot.config import Settings
from bot.console import Console
from bot.sandbox import ClientRefusal, Sandbox
from bot.sandbox.demo import Demo
from bot.sandbox.harness import bot_on_sandbox
from bot.sandbox.messages import Message
from bot.sandbox.model import MANAGE_EVENTS, SEND_POLLS, Overwrite, snowflake
from bot.sandbox.polls import POLL_RESULT
from tests.conftest import Running


def poll(answers: int = 2, *, text: str = "Film", question: str = "Which film?", hours: Any = 24) -> dict:
    """A poll create payload, as discord.Poll._to_dict() makes it."""
    return {
        "question": {"text": question},
        "answers": [
            {"poll_media": {"text": text if len(text) > 9 else f"{text} {i}"}} for i in range(answers)
        ],
        "duration": hours,
        "allow_multiselect": False,
        "layout_type": 1,
    }


def film_poll(*films: str, multiple: bool = False) -> discord.Poll:
    made = discord.Poll("Which film on Friday?", timedelta(hours=24), multiple=multiple)
    for film in films or ("Stalker", "Solaris", "Mirror"):
        made.add_answer(text=film)
    return made


async def send_poll(running: Running, *films: str, multiple: bool = False) -> tuple[discord.Message, Message]:
    sent = await running.bot.get_channel(running.demo.general.id).send(
        poll=film_poll(*films, multiple=multiple)
    )
    return sent, running.sandbox.messages_by_id[sent.id]


def later(hours: float = 1) -> datetime:
    return discord.utils.utcnow() + timedelta(hours=hours)


BAD_POLLS = [
    pytest.param(poll(11), id="11 answers"),
    pytest.param(poll(0), id="no answers"),
    pytest.param(poll(2, text="a" * 56), id="answer over 55"),
    pytest.param(poll(2, question="q" * 301), id="question over 300"),
    pytest.param(poll(2, hours=769), id="over 768 hours"),
    pytest.param(poll(2, hours=0), id="no hours"),
    pytest.param(poll(2, question=""), id="empty question"),
]


@pytest.mark.parametrize("bad", BAD_POLLS)
async def test_a_poll_over_discords_limits_is_refused(running: Running, bad: dict) -> None:
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=running.demo.general.id)
    with pytest.raises(discord.HTTPException) as caught:
        await running.bot.http.request(route, json={"poll": bad})
    assert (caught.value.status, caught.value.code) == (400, 50035)
    assert "poll" in caught.value.text
    assert not running.sandbox.polls(running.demo.general)


async def test_poll_limits_are_inclusive(running: Running) -> None:
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=running.demo.general.id)
    await running.bot.http.request(
        route, json={"poll": poll(10, text="a" * 55, question="q" * 300, hours=768)}
    )
    (message,) = running.sandbox.polls(running.demo.general)
    assert message.poll is not None and len(message.poll.answers) == 10


async def test_a_poll_needs_send_polls(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    demo.general.overwrites.append(Overwrite(sandbox.bot_role(demo.guild).id, kind=0, deny=SEND_POLLS))
    with pytest.raises(discord.Forbidden) as forbidden:
        await send_poll(running)
    assert forbidden.value.code == 50013
    await running.bot.get_channel(demo.general.id).send("text is still fine")


async def test_a_poll_sent_through_discord_py_parses_back(running: Running) -> None:
    sent, stored = await send_poll(running, "Stalker", "Solaris")
    assert sent.poll is not None and sent.poll.question == "Which film on Friday?"
    assert [(a.id, a.text, a.vote_count) for a in sent.poll.answers] == [(1, "Stalker", 0), (2, "Solaris", 0)]
    assert sent.poll.duration == timedelta(hours=24) and not sent.poll.is_finalised()
    assert sent.poll.expires_at is not None
    assert abs((sent.poll.expires_at - sent.created_at) - timedelta(hours=24)) < timedelta(seconds=1)
    assert stored.poll is not None and stored.poll.answers == [(1, "Stalker"), (2, "Solaris")]
    route = Route("PATCH", "/channels/{c}/messages/{m}", c=running.demo.general.id, m=sent.id)
    with pytest.raises(discord.HTTPException) as caught:  # a poll cannot be changed
        await running.bot.http.request(route, json={"poll": poll(3)})
    assert (caught.value.status, caught.value.code) == (400, 520003)


async def test_votes_reach_the_bot_and_a_changed_single_choice_takes_back_the_old_one(
    running: Running,
) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    sent, stored = await send_poll(running)
    added = asyncio.create_task(bot.wait_for("raw_poll_vote_add", timeout=5))
    await sandbox.vote(stored, demo.ana, 2)
    vote = await added
    assert (vote.user_id, vote.message_id, vote.answer_id) == (demo.ana.id, sent.id, 2)

    removed = asyncio.create_task(bot.wait_for("raw_poll_vote_remove", timeout=5))
    added = asyncio.create_task(bot.wait_for("raw_poll_vote_add", timeout=5))
    await sandbox.vote(stored, demo.ana, 3)
    assert ((await removed).answer_id, (await added).answer_id) == (2, 3)
    assert stored.poll is not None and stored.poll.choices_of(demo.ana.id) == [3]
    # Without the members intent discord.py caches no member to pass to on_poll_vote_add: the raw
    # events are what the bot hears, and the counts are Discord's to tell.
    fetched = await bot.get_channel(demo.general.id).fetch_message(sent.id)
    assert fetched.poll is not None and [a.vote_count for a in fetched.poll.answers] == [0, 0, 1]

    with pytest.raises(ClientRefusal):
        await sandbox.vote(stored, demo.boris, 4)  # no such answer
    with pytest.raises(ClientRefusal):
        await sandbox.vote(stored, demo.ana, 3)  # already hers
    await sandbox.unvote(stored, demo.ana, 3)
    assert stored.poll.choices_of(demo.ana.id) == []


async def test_a_multiple_choice_poll_keeps_every_vote(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    _, stored = await send_poll(running, multiple=True)
    await sandbox.vote(stored, demo.ana, 1)
    await sandbox.vote(stored, demo.ana, 3)
    assert stored.poll is not None and stored.poll.choices_of(demo.ana.id) == [1, 3]


async def test_end_poll_finalizes_it_for_the_bot_with_the_right_counts(running: Running) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    sent, stored = await send_poll(running)
    for member, answer in ((demo.ana, 2), (demo.boris, 2), (demo.you, 1)):
        await sandbox.vote(stored, member, answer)
    edited = asyncio.create_task(bot.wait_for("raw_message_edit", timeout=5))
    result = await sandbox.end_poll(stored)
    assert (await edited).message_id == sent.id

    fetched = await bot.get_channel(demo.general.id).fetch_message(sent.id)
    assert fetched.poll is not None and fetched.poll.is_finalised()
    assert {a.text: a.vote_count for a in fetched.poll.answers} == {"Stalker": 1, "Solaris": 2, "Mirror": 0}
    # Discord's "poll result" message: discord.py parses it and marks the winner on the cached poll.
    assert result.type == POLL_RESULT and result.reference is stored
    await sandbox.wait_for(lambda: discord.utils.get(bot.cached_messages, id=result.id) is not None)
    parsed = discord.utils.get(bot.cached_messages, id=result.id)
    assert parsed is not None and parsed.type is discord.MessageType.poll_result
    cached = discord.utils.get(bot.cached_messages, id=sent.id)
    assert cached is not None and cached.poll is not None and cached.poll.victor_answer_id == 2
    with pytest.raises(ClientRefusal):
        await sandbox.vote(stored, demo.ana, 1)  # Discord's client takes no votes on an ended poll
    with pytest.raises(ClientRefusal):
        await sandbox.end_poll(stored)


async def test_the_bot_ends_its_own_poll_and_only_its_own(running: Running) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    sent, stored = await send_poll(running)
    await sandbox.vote(stored, demo.ana, 1)
    ended = await sent.end_poll()
    assert ended.poll is not None and ended.poll.is_finalised() and ended.poll.answers[0].vote_count == 1
    with pytest.raises(discord.HTTPException) as again:
        await sent.end_poll()
    assert (again.value.status, again.value.code) == (400, 520001)

    theirs = Message(snowflake(), demo.general, demo.ana.user)  # a member's own poll
    theirs.apply({"poll": poll(2)})
    await sandbox.post(theirs)
    with pytest.raises(discord.Forbidden):
        await bot.http.end_poll(demo.general.id, theirs.id)
    plain = await bot.get_channel(demo.general.id).send("no poll here")
    with pytest.raises(discord.HTTPException) as not_a_poll:
        await plain.end_poll()
    assert not_a_poll.value.code == 520006


async def test_the_voters_of_an_answer(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    sent, stored = await send_poll(running)
    await sandbox.vote(stored, demo.ana, 1)
    await sandbox.vote(stored, demo.boris, 1)
    fetched = await running.bot.get_channel(demo.general.id).fetch_message(sent.id)
    assert fetched.poll is not None
    answer = fetched.poll.get_answer(1)
    assert answer is not None
    assert {v.id async for v in answer.voters()} == {demo.ana.id, demo.boris.id}


async def test_a_poll_ends_while_the_bot_is_down_and_it_reads_the_result_after(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    async with bot_on_sandbox(sandbox, settings) as bot:
        sent = await bot.get_channel(demo.general.id).send(poll=film_poll())
    stored = sandbox.messages_by_id[sent.id]
    await sandbox.vote(stored, demo.ana, 3)  # nobody is connected to hear it
    await sandbox.end_poll(stored)
    async with bot_on_sandbox(sandbox, settings) as bot:
        fetched = await bot.get_channel(demo.general.id).fetch_message(sent.id)
    assert fetched.poll is not None and fetched.poll.is_finalised()
    assert [a.vote_count for a in fetched.poll.answers] == [0, 0, 1]


# -- voice channels and scheduled events -------------------------------------------------------


async def test_the_screening_room_is_a_voice_channel(running: Running) -> None:
    room = running.bot.get_channel(running.demo.screening_room.id)
    assert isinstance(room, discord.VoiceChannel) and room.name == "screening-room"
    assert room.guild.me.guild_permissions.manage_events  # the demo server grants it


async def test_events_in_the_screening_room_and_outside_reach_the_bot(running: Running) -> None:
    bot, demo = running.bot, running.demo
    guild = bot.get_guild(demo.guild.id)
    assert guild is not None
    created = asyncio.create_task(bot.wait_for("scheduled_event_create", timeout=5))
    screening = await guild.create_scheduled_event(
        name="Stalker", start_time=later(), channel=guild.get_channel(demo.screening_room.id)
    )
    seen = await created
    assert seen.id == screening.id and seen.entity_type is discord.EntityType.voice
    assert seen.channel_id == demo.screening_room.id and seen.creator_id == running.sandbox.bot_user.id

    created = asyncio.create_task(bot.wait_for("scheduled_event_create", timeout=5))
    outing = await guild.create_scheduled_event(
        name="Solaris at the Rex", start_time=later(), end_time=later(3), location="Rex cinema"
    )
    seen = await created
    assert seen.entity_type is discord.EntityType.external and seen.location == "Rex cinema"
    assert outing.end_time is not None and outing.status is discord.EventStatus.scheduled
    assert {e.id for e in await guild.fetch_scheduled_events()} == {screening.id, outing.id}


def event(**fields: Any) -> dict:
    start = later().isoformat()
    return {"name": "Stalker", "scheduled_start_time": start, "privacy_level": 2, **fields}


def voice(running: Running, **fields: Any) -> dict:
    return event(**{"entity_type": 2, "channel_id": str(running.demo.screening_room.id), **fields})


def external(**fields: Any) -> dict:
    base = {
        "entity_type": 3,
        "entity_metadata": {"location": "Rex"},
        "scheduled_end_time": later(3).isoformat(),
    }
    return event(**{**base, **fields})


BAD_EVENTS = [
    pytest.param(lambda r: voice(r, name="n" * 101), "name", id="name over 100"),
    pytest.param(lambda r: voice(r, name=""), "name", id="empty name"),
    pytest.param(lambda r: voice(r, description="d" * 1001), "description", id="description over 1000"),
    pytest.param(
        lambda r: voice(r, scheduled_start_time=later(-1).isoformat()),
        "scheduled_start_time",
        id="in the past",
    ),
    pytest.param(lambda r: external(entity_metadata={}), "location", id="external without a place"),
    pytest.param(
        lambda r: external(entity_metadata={"location": "x" * 101}), "location", id="place over 100"
    ),
    pytest.param(
        lambda r: external(scheduled_end_time=None), "scheduled_end_time", id="external without end"
    ),
    pytest.param(
        lambda r: external(
            scheduled_end_time=later(0.5).isoformat(), scheduled_start_time=later(1).isoformat()
        ),
        "scheduled_end_time",
        id="ends before it starts",
    ),
    pytest.param(lambda r: voice(r, channel_id=str(r.demo.general.id)), "channel_id", id="a text channel"),
    pytest.param(lambda r: event(entity_type=2), "channel_id", id="voice without a channel"),
    pytest.param(lambda r: voice(r, privacy_level=1), "privacy_level", id="public"),
]


@pytest.mark.parametrize(("make", "field"), BAD_EVENTS)
async def test_an_event_over_discords_limits_is_refused(running: Running, make: Any, field: str) -> None:
    route = Route("POST", "/guilds/{guild_id}/scheduled-events", guild_id=running.demo.guild.id)
    with pytest.raises(discord.HTTPException) as caught:
        await running.bot.http.request(route, json=make(running))
    assert (caught.value.status, caught.value.code) == (400, 50035)
    assert field in caught.value.text
    assert not running.demo.guild.scheduled_events


async def test_event_limits_are_inclusive(running: Running) -> None:
    route = Route("POST", "/guilds/{guild_id}/scheduled-events", guild_id=running.demo.guild.id)
    payload = external(name="n" * 100, description="d" * 1000, entity_metadata={"location": "x" * 100})
    await running.bot.http.request(route, json=payload)
    assert len(running.demo.guild.scheduled_events) == 1


async def test_without_manage_events_creating_an_event_is_forbidden(running: Running) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    role = sandbox.bot_role(demo.guild)
    updated = asyncio.create_task(bot.wait_for("guild_role_update", timeout=5))
    await sandbox.set_permissions(role, role.permissions & ~MANAGE_EVENTS)
    await updated
    guild = bot.get_guild(demo.guild.id)
    assert guild is not None and not guild.me.guild_permissions.manage_events  # the cache followed
    with pytest.raises(discord.Forbidden) as forbidden:
        await guild.create_scheduled_event(
            name="Stalker", start_time=later(), channel=guild.get_channel(demo.screening_room.id)
        )
    assert forbidden.value.code == 50013
    assert not demo.guild.scheduled_events


async def test_events_start_and_end_as_discord_runs_them(running: Running) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    guild = bot.get_guild(demo.guild.id)
    assert guild is not None
    made = await guild.create_scheduled_event(
        name="Stalker", start_time=later(), channel=guild.get_channel(demo.screening_room.id)
    )
    (stored,) = demo.guild.scheduled_events.values()
    updated = asyncio.create_task(bot.wait_for("scheduled_event_update", timeout=5))
    await sandbox.end_event(stored)
    _, after = await updated
    assert after.id == made.id and after.status is discord.EventStatus.completed
    with pytest.raises(discord.HTTPException) as finished:
        await made.edit(name="Stalker again")
    assert (finished.value.status, finished.value.code) == (400, 180000)

    second = await guild.create_scheduled_event(
        name="Mirror", start_time=later(), channel=guild.get_channel(demo.screening_room.id)
    )
    started = await second.start()  # the bot starts and ends its own event (PATCH status)
    assert started.status is discord.EventStatus.active
    assert (await started.end()).status is discord.EventStatus.completed
    third = await guild.create_scheduled_event(
        name="Solaris", start_time=later(), channel=guild.get_channel(demo.screening_room.id)
    )
    deleted = asyncio.create_task(bot.wait_for("scheduled_event_delete", timeout=5))
    await third.delete()
    assert (await deleted).id == third.id and third.id not in demo.guild.scheduled_events
    with pytest.raises(discord.NotFound) as unknown:
        await guild.fetch_scheduled_event(third.id)
    assert unknown.value.code == 10070


async def test_after_a_restart_the_bot_still_has_the_servers_events(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    async with bot_on_sandbox(sandbox, settings) as bot:
        guild = bot.get_guild(demo.guild.id)
        assert guild is not None
        made = await guild.create_scheduled_event(
            name="Stalker", start_time=later(), channel=guild.get_channel(demo.screening_room.id)
        )
    async with bot_on_sandbox(sandbox, settings) as bot:
        guild = bot.get_guild(demo.guild.id)
        assert guild is not None
        (known,) = guild.scheduled_events
        assert (known.id, known.name, known.channel_id) == (made.id, "Stalker", demo.screening_room.id)


async def test_the_console_votes_ends_polls_and_events(running: Running) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    out = io.StringIO()
    console = Console(sandbox, demo, out)
    await console.handle("!vote 1")
    await send_poll(running, "Stalker", "Solaris")
    await console.handle("!vote 2")
    await console.handle("!vote 3")
    await console.handle("!end-poll")
    await console.handle("!end-poll")
    await console.handle("!end-event")
    guild = bot.get_guild(demo.guild.id)
    assert guild is not None
    await guild.create_scheduled_event(
        name="Mirror", start_time=later(), channel=guild.get_channel(demo.screening_room.id)
    )
    await console.handle("!end-event")
    text = out.getvalue()
    assert "console: there is no poll in #general yet" in text
    assert (
        "poll: Which film on Friday?\n    [1] Stalker — 0 votes\n    [2] Solaris — 0 votes\n  ends " in text
    )
    assert "(@you voted for [2] Solaris)" in text
    assert "console: !vote takes an answer number from 1 to 2" in text
    assert "[2] Solaris — 1 vote\n  final results" in text
    assert "filmbot's poll 'Which film on Friday?' has ended: Solaris won with 1 of 1 votes." in text
    assert "console: the latest poll in #general has already ended" in text
    assert "console: there is no scheduled event to end" in text
    assert "event: Mirror, " in text and ", at #screening-room, scheduled" in text
    assert ", at #screening-room, completed" in text
