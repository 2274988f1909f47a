"""Trivia under storage faults: a point the channel is told of is in the database, or the member
is told it does not count. The faults are SQLite's own: a lock held by another connection past
the busy timeout, a read-only database (query_only), a full one (max_page_count reached)."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.app import FilmBot
from bot.config import Settings
from bot.sandbox import Sandbox
from bot.sandbox.demo import Demo
from bot.sandbox.harness import bot_on_sandbox
from tests.conftest import Running
from tests.test_trivia_e2e import STALKER, button, closed, open_question, quicken, summary

Fault = Callable[[FilmBot], Any]


@asynccontextmanager
async def locked(bot: FilmBot) -> AsyncIterator[None]:
    """Another program holds the write lock longer than the bot's busy timeout."""
    await bot.state._db.connection.execute("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(bot.state._db.path, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


@asynccontextmanager
async def read_only(bot: FilmBot) -> AsyncIterator[None]:
    await bot.state._db.connection.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        await bot.state._db.connection.execute("PRAGMA query_only = OFF")


FILLER = -1  # the user id of the rows that fill the disk


@asynccontextmanager
async def full(bot: FilmBot) -> AsyncIterator[None]:
    """No page can be added, and the answers' pages are filled up: the next answer has no room."""
    c = bot.state._db.connection
    async with c.execute("PRAGMA page_count") as cursor:
        (pages,) = await cursor.fetchone()  # type: ignore[misc]
    async with c.execute("SELECT max(id) FROM trivia_rounds") as cursor:
        (round_id,) = await cursor.fetchone()  # type: ignore[misc]
    await c.execute(f"PRAGMA max_page_count = {pages}")
    question = 1000
    try:
        while True:
            await c.execute(
                "INSERT INTO trivia_answers VALUES (?, ?, 0, ?, 0, 0, 0)", (round_id, question, FILLER)
            )
            question += 1
    except sqlite3.OperationalError as exc:
        assert "full" in str(exc)
    try:
        yield
    finally:
        await c.execute("PRAGMA max_page_count = 1073741823")
        await c.execute("DELETE FROM trivia_answers WHERE user_id = ?", (FILLER,))


FAULTS = {"locked": locked, "read-only": read_only, "full": full}


async def points_in_db(bot: FilmBot, guild_id: int) -> dict[int, int]:
    async with bot.state._db.connection.execute(
        "SELECT user_id, sum(points) FROM trivia_answers WHERE guild_id = ? GROUP BY user_id", (guild_id,)
    ) as cursor:
        return {user: points for user, points in await cursor.fetchall()}


def told(summary_embed: dict) -> dict[str, int]:
    """The points the round's summary announced, by name: "1. **ana**: 97 points ..."."""
    found = {}
    for line in summary_embed["description"].splitlines():
        if "**" in line:
            name = line.split("**")[1]
            found[name] = int(line.split("**: ")[1].split(" ")[0])
    return found


@pytest.mark.parametrize("kind", sorted(FAULTS))
async def test_a_click_during_a_storage_fault_does_not_count_and_says_so(running: Running, kind: str) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    clock = quicken(running, scale=1.0)  # 5 s: time for the fault, the refusal and the retry
    await sandbox.slash(demo.film_club, demo.you, "trivia start", topic="stalker", questions=1, seconds=5)
    message = await open_question(sandbox, demo.film_club, 1)
    question = STALKER[message.embeds[0]["description"]]
    right = button(message, question, right=True)
    async with FAULTS[kind](bot):
        refused = (await sandbox.click(message, right, demo.ana)).reply
    assert refused.ephemeral and refused.content.startswith("I could not record your answer: "), (
        refused.content
    )
    assert "It does not count; try again." in refused.content
    assert "Right" not in {f["name"] for f in message.embeds[0]["fields"]} or "ana" not in str(message.embeds)
    # The same member, once the database is writable again, answers and it counts.
    again = (await sandbox.click(message, right, demo.ana)).reply
    assert again.content.startswith("Your answer: ")
    async with FAULTS[kind](bot):
        failed = (await sandbox.click(message, right, demo.boris)).reply
    assert failed.content.startswith("I could not record your answer: ")
    clock.skip(5)
    await closed(sandbox, message)
    fields = {f["name"]: f["value"] for f in message.embeds[0]["fields"]}
    assert fields["Right"] == "ana (1 of 1)"  # boris's answer did not count, and is not shown
    announced = told(await summary(sandbox, demo.film_club))
    stored = await points_in_db(bot, demo.guild.id)
    assert announced == {"ana": stored[demo.ana.id]} and demo.boris.id not in stored


async def test_a_typed_win_that_cannot_be_recorded_reopens_the_question(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    async with bot_on_sandbox(sandbox, dataclasses.replace(settings, message_content=True)) as bot:
        running = Running(sandbox, demo, bot)
        quicken(running, scale=1.0)
        await sandbox.slash(
            demo.general, demo.you, "trivia start", topic="stalker", questions=1, seconds=10, mode="typed"
        )
        message = await open_question(sandbox, demo.general, 1)
        answer = STALKER[message.embeds[0]["description"]].answer
        async with locked(bot):
            await sandbox.say(demo.general, demo.ana, answer)
            await sandbox.wait_for(
                lambda: any(
                    "could not record ana's answer" in m.content
                    for m in sandbox.channel_messages(demo.general)
                )
            )
        notice = next(m for m in sandbox.channel_messages(demo.general) if "could not record" in m.content)
        assert "It does not count; the question is still open." in notice.content
        assert "(closed)" not in message.embeds[0]["title"]
        await sandbox.say(demo.general, demo.boris, answer)
        await closed(sandbox, message)
        assert {f["name"]: f["value"] for f in message.embeds[0]["fields"]}["Right"] == "boris (1 of 1)"
        announced = told(await summary(sandbox, demo.general))
        stored = await points_in_db(bot, demo.guild.id)
        assert announced == {"boris": stored[demo.boris.id]} and demo.ana.id not in stored


async def test_a_command_during_a_storage_fault_is_a_sentence(running: Running) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    async with read_only(bot):
        reply = (await sandbox.slash(demo.general, demo.you, "trivia settings", questions=5)).reply
    assert reply.ephemeral
    assert reply.content == (
        "I could not save that: the database is read-only. Nothing was changed; please try again in a moment."
    )
    async with locked(bot):
        start = (await sandbox.slash(demo.general, demo.ana, "trivia start", topic="stalker")).reply
    assert start.content.startswith("I could not save that: the database is busy")
    assert not cog_sessions(bot)


def cog_sessions(bot: FilmBot) -> dict[int, Any]:
    cog: Any = bot.get_cog("Trivia")
    return cog.sessions  # type: ignore[no-any-return]
