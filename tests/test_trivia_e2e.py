"""End to end: trivia rounds in the sandbox, played by members with buttons and typed answers."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import SOURCE_DATA_DIR, Settings
from bot.sandbox import ClientRefusal, Sandbox
from bot.sandbox.demo import Demo
from bot.sandbox.harness import bot_on_sandbox
from bot.sandbox.interactions import COMMAND
from bot.sandbox.messages import Message
from bot.sandbox.model import Channel, snowflake
from bot.storage import SQLiteDatabase, TriviaRepository
from bot.trivia.model import Attempt, TriviaQuestion
from bot.trivia.packs import load_packs
from tests.clock import FastClock
from tests.conftest import Running

PACKS, _ = load_packs([SOURCE_DATA_DIR / "trivia"])
STALKER = {q.text: q for q in PACKS["stalker"].questions}


def quicken(running: Running, scale: float = 0.2) -> FastClock:
    """Questions of 5 s last 1 s (at the default scale); hardly a pause between questions."""
    cog: Any = running.bot.get_cog("Trivia")  # the extension's own module, not one imported here
    cog.clock = FastClock(scale)
    cog.pacing = dataclasses.replace(cog.pacing, pause=0.05 / scale, progress_every=0.1 / scale)
    return cog.clock  # type: ignore[no-any-return]


@pytest.fixture
async def typed(sandbox: Sandbox, demo: Demo, settings: Settings) -> AsyncIterator[Running]:
    """The bot with the message content intent, which typed answers need."""
    async with bot_on_sandbox(sandbox, dataclasses.replace(settings, message_content=True)) as bot:
        yield Running(sandbox, demo, bot)


def bot_messages(sandbox: Sandbox, channel: Channel) -> list[Message]:
    return [m for m in sandbox.channel_messages(channel) if m.author.bot]


def titled(sandbox: Sandbox, channel: Channel, prefix: str) -> list[Message]:
    return [m for m in bot_messages(sandbox, channel) if m.embeds and m.embeds[0]["title"].startswith(prefix)]


async def open_question(sandbox: Sandbox, channel: Channel, number: int) -> Message:
    """The message of question `number`, once it is open."""

    def found() -> list[Message]:
        return [
            m
            for m in titled(sandbox, channel, f"Question {number} of ")
            if "(closed)" not in m.embeds[0]["title"]
        ]

    await sandbox.wait_for(lambda: bool(found()))
    return found()[0]


async def closed(sandbox: Sandbox, message: Message) -> None:
    await sandbox.wait_for(lambda: "(closed)" in message.embeds[0]["title"])


async def summary(sandbox: Sandbox, channel: Channel) -> dict:
    await sandbox.wait_for(lambda: bool(titled(sandbox, channel, "Trivia over")))
    return titled(sandbox, channel, "Trivia over")[0].embeds[0]


def button(message: Message, question: TriviaQuestion, *, right: bool) -> str:
    """The custom_id of the right choice, or of a wrong one."""
    for b in message.buttons:
        if (b["label"].split(". ", 1)[1] == question.answer) == right:
            return b["custom_id"]
    raise AssertionError("no such button")


async def test_buttons_round_with_double_click_late_click_and_summary(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    start = await sandbox.slash(
        demo.film_club, demo.ana, "trivia start", topic="stalker", questions=2, seconds=5
    )
    assert "Trivia: **Stalker (1979)**, 2 questions, 5 s each" in start.reply.content
    first = await open_question(sandbox, demo.film_club, 1)
    question = STALKER[first.embeds[0]["description"]]
    assert len(first.buttons) == len(question.choices) == 4

    right = await sandbox.click(first, button(first, question, right=True), demo.ana)
    assert right.reply.ephemeral and right.reply.content.startswith("Your answer: ")
    again = await sandbox.click(first, button(first, question, right=False), demo.ana)
    assert again.reply.ephemeral and again.reply.content == "You already answered this question."
    await sandbox.click(first, button(first, question, right=False), demo.boris)

    await closed(sandbox, first)
    fields = {f["name"]: f["value"] for f in first.embeds[0]["fields"]}
    assert fields["Answer"] == question.answer
    assert fields["Right"] == "ana (1 of 2)"
    assert all(b.get("disabled") for b in first.buttons)
    assert len(titled(sandbox, demo.film_club, "Question 1 of 2")) == 1  # progress edits, no new messages

    late = await sandbox.click(first, button(first, question, right=True), demo.boris)
    assert late.reply.ephemeral and late.reply.content == "Too late: question 1 is closed."

    result = await summary(sandbox, demo.film_club)
    assert result["description"].startswith("1. **ana**: ")
    stats = (await sandbox.slash(demo.film_club, demo.ana, "trivia stats")).reply.embeds[0]
    values = {f["name"]: f["value"] for f in stats["fields"]}
    assert values["Right answers"].startswith("1 of 1")
    assert values["Rounds played"] == "1" and values["Rounds won"] == "1"
    assert 50 <= int(values["Points"]) <= 100


async def test_two_rounds_at_once_and_one_per_channel(typed: Running) -> None:
    sandbox, demo = typed.sandbox, typed.demo
    quicken(typed)
    await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="stalker", questions=2, seconds=10)
    await sandbox.slash(demo.general, demo.boris, "trivia start", topic="stalker", questions=2, mode="typed")
    refused = await sandbox.slash(demo.general, demo.ana, "trivia start")
    assert refused.reply.ephemeral
    assert "A round of Stalker (1979) started by boris is already running" in refused.reply.content

    typed_question = await open_question(sandbox, demo.general, 1)
    buttons_question = await open_question(sandbox, demo.film_club, 1)
    assert typed_question.buttons == [] and len(buttons_question.buttons) == 4
    answer = STALKER[typed_question.embeds[0]["description"]].answer
    await sandbox.say(demo.general, demo.ana, "no idea")
    await sandbox.say(demo.general, demo.boris, f"  {answer.upper()}!! ")  # case and punctuation
    await closed(sandbox, typed_question)
    fields = {f["name"]: f["value"] for f in typed_question.embeds[0]["fields"]}
    assert fields["Right"] == "boris (1 of 2)"
    assert "(closed)" not in buttons_question.embeds[0]["title"]  # the other round keeps its own time

    await sandbox.slash(demo.general, demo.boris, "trivia stop")
    assert (await summary(sandbox, demo.general))["footer"]["text"] == "Stopped with /trivia stop."
    await summary(sandbox, demo.film_club)


async def test_typed_answers_need_the_intent(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    reply = (await sandbox.slash(demo.general, demo.ana, "trivia start", mode="typed")).reply
    assert reply.ephemeral and "message content intent" in reply.content
    assert not titled(sandbox, demo.general, "Question")


async def test_stop_is_for_the_starter_or_a_moderator(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    await sandbox.slash(demo.general, demo.ana, "trivia start", topic="directors", seconds=60)
    await open_question(sandbox, demo.general, 1)
    refused = (await sandbox.slash(demo.general, demo.boris, "trivia stop")).reply
    assert refused.ephemeral and refused.content.startswith("Only ana, who started this round")
    stopped = (await sandbox.slash(demo.general, demo.you, "trivia stop")).reply
    assert stopped.content == "Round stopped by you."
    result = await summary(sandbox, demo.general)
    assert result["footer"]["text"] == "Stopped with /trivia stop."
    nothing = (await sandbox.slash(demo.general, demo.ana, "trivia stop")).reply
    assert nothing.content == "No trivia round is running in this channel."


async def test_a_round_started_right_after_a_stop_starts(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    await sandbox.slash(demo.general, demo.ana, "trivia start", topic="directors", seconds=60)
    await open_question(sandbox, demo.general, 1)
    await sandbox.slash(demo.general, demo.ana, "trivia stop")
    twice = (await sandbox.slash(demo.general, demo.ana, "trivia stop")).reply
    assert twice.content == "No trivia round is running in this channel."
    again = (await sandbox.slash(demo.general, demo.boris, "trivia start", topic="stalker")).reply
    assert not again.ephemeral and again.content.startswith("Trivia: **Stalker (1979)**"), again.content
    assert (await summary(sandbox, demo.general))["footer"]["text"] == "Stopped with /trivia stop."
    await sandbox.wait_for(lambda: len(titled(sandbox, demo.general, "Question 1 of ")) == 2)


async def test_a_start_while_the_stopped_round_cannot_post_its_results_is_told_so(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    cog: Any = running.bot.get_cog("Trivia")
    monkeypatch.setattr(sys.modules[type(cog).__module__], "ENDING_WAIT", 0.2)
    await sandbox.slash(demo.general, demo.ana, "trivia start", topic="directors", seconds=60)
    await open_question(sandbox, demo.general, 1)
    stopped = cog.sessions[demo.general.id]
    sandbox.fail("POST", rf"^/channels/{demo.general.id}/messages$", status=429, retry_after=1.0)
    await sandbox.slash(demo.general, demo.ana, "trivia stop")  # its summary waits out the 429
    refused = (await sandbox.slash(demo.general, demo.boris, "trivia start")).reply
    assert refused.ephemeral and refused.content.startswith("The last round in this channel is still posting")
    await asyncio.wait_for(stopped.over.wait(), 5)  # once its summary is posted
    assert len(titled(sandbox, demo.general, "Trivia over")) == 1
    started = (await sandbox.slash(demo.general, demo.boris, "trivia start")).reply
    assert started.content.startswith("Trivia: **")


async def test_round_without_answers_ends_itself(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    await sandbox.slash(demo.general, demo.ana, "trivia start", questions=10, seconds=5)
    result = await summary(sandbox, demo.general)
    assert result["footer"]["text"] == "Ended after 3 questions in a row without an answer."
    assert result["description"] == "Nobody scored this time."
    assert len(titled(sandbox, demo.general, "Question")) == 3


async def test_clicks_on_a_finished_round_get_an_answer(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    await sandbox.slash(demo.general, demo.ana, "trivia start", topic="stalker", questions=1, seconds=5)
    message = await open_question(sandbox, demo.general, 1)
    await summary(sandbox, demo.general)
    reply = (await sandbox.click(message, message.buttons[0]["custom_id"], demo.boris)).reply
    assert (
        reply.ephemeral
        and reply.content == "This trivia round is over. Start a new one with `/trivia start`."
    )


async def test_generated_film_questions_play(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    await sandbox.slash(demo.general, demo.ana, "trivia start", questions=1, seconds=5)
    message = await open_question(sandbox, demo.general, 1)
    assert len(message.buttons) == 4
    await sandbox.click(message, message.buttons[2]["custom_id"], demo.ana)
    await closed(sandbox, message)
    assert [b for b in message.buttons if b["style"] == 3]  # the right choice is shown in green


async def test_settings_for_moderators_and_pack_topics(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    shown = (await sandbox.slash(demo.general, demo.ana, "trivia settings")).reply
    assert {f["name"]: f["value"] for f in shown.embeds[0]["fields"]}["Questions"] == "10"
    refused = (await sandbox.slash(demo.general, demo.ana, "trivia settings", questions=3)).reply
    assert refused.content.startswith("Only members with the Manage Server permission")
    changed = (
        await sandbox.slash(demo.general, demo.you, "trivia settings", questions=3, mode="buttons")
    ).reply
    assert {f["name"]: f["value"] for f in changed.embeds[0]["fields"]}["Questions"] == "3"
    start = (await sandbox.slash(demo.general, demo.ana, "trivia start", topic="stalker")).reply
    assert "3 questions, 20 s each" in start.content
    await sandbox.slash(demo.general, demo.ana, "trivia stop")

    topics = await sandbox.autocomplete(demo.general, demo.ana, "trivia start", "topic", topic="sta")
    assert topics == [{"name": "stalker: Stalker (1979)", "value": "stalker"}]
    unknown = (await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="nope")).reply
    assert unknown.content.startswith("There is no trivia topic called 'nope'. Topics: films, ")


async def seed_scores(
    db_path: Path, guild_id: int, players: int, *, first_user: int = 1000, prefix: str = "player"
) -> None:
    db = await SQLiteDatabase.open(db_path)
    repo = TriviaRepository(db)
    round_id = await repo.start_round(guild_id, 1, first_user, "stalker", "buttons", 0)
    for i in range(players):
        user = first_user + i
        await repo.record_answer(
            round_id, guild_id, Attempt(user, f"{prefix}{i:02}", 0, True, 100 + i, 1), now=1
        )
    await db.close()


async def test_leaderboard_pages_and_own_rank(running: Running, settings: Settings) -> None:
    sandbox, demo = running.sandbox, running.demo
    await seed_scores(settings.database, demo.guild.id, 25)
    other = sandbox.add_guild("Another club")
    await seed_scores(settings.database, other.id, 3, first_user=9000, prefix="elsewhere")

    board = (await sandbox.slash(demo.general, demo.ana, "trivia leaderboard")).reply
    embed = board.embeds[0]
    lines = embed["description"].splitlines()
    assert len(lines) == 10
    assert lines[0] == "1. **player24**: 124 points (1 right)"
    assert embed["footer"]["text"] == "Page 1 of 3 · ana: not ranked yet"
    assert "elsewhere" not in embed["description"]  # another server's scores are not shown

    page2 = await sandbox.click(board, board.buttons[1]["custom_id"], demo.ana)
    assert page2.original is board  # the same message, edited
    assert board.embeds[0]["description"].splitlines()[0] == "11. **player14**: 114 points (1 right)"
    await sandbox.click(board, board.buttons[1]["custom_id"], demo.ana)
    assert len(board.embeds[0]["description"].splitlines()) == 5
    assert board.buttons[1].get("disabled") is True

    week = (await sandbox.slash(demo.general, demo.ana, "trivia leaderboard", period="this week")).reply
    assert week.embeds[0]["description"].startswith("No points yet")  # the seeded answers are from 1970


async def test_reset_needs_a_moderator_and_a_confirmation(running: Running, settings: Settings) -> None:
    sandbox, demo = running.sandbox, running.demo
    await seed_scores(settings.database, demo.guild.id, 2)
    refused = (await sandbox.slash(demo.general, demo.ana, "trivia reset")).reply
    assert refused.content == "Only members with the Manage Server permission can use /trivia reset."

    ask = (await sandbox.slash(demo.general, demo.you, "trivia reset")).reply
    assert ask.ephemeral and "Delete every trivia score in this server?" in ask.content
    cancel = next(b for b in ask.buttons if b["label"] == "Cancel")
    await sandbox.click(ask, cancel["custom_id"], demo.you)
    assert ask.content == "Cancelled: nothing was deleted."
    board = (await sandbox.slash(demo.general, demo.ana, "trivia leaderboard")).reply
    assert len(board.embeds[0]["description"].splitlines()) == 2

    ask = (await sandbox.slash(demo.general, demo.you, "trivia reset")).reply
    confirm = next(b for b in ask.buttons if b["label"] == "Reset scores")
    await sandbox.click(ask, confirm["custom_id"], demo.you)
    assert ask.content == "The scoreboard is reset: the scores of 2 players are deleted."
    board = (await sandbox.slash(demo.general, demo.ana, "trivia leaderboard")).reply
    assert board.embeds[0]["description"].startswith("No points yet")


@pytest.mark.parametrize("command", ["forget-me", "trivia forget-me"])  # the older name stays
async def test_forget_me_deletes_my_scores_everywhere(
    running: Running, settings: Settings, command: str
) -> None:
    sandbox, demo = running.sandbox, running.demo
    other = sandbox.add_guild("Another club")
    for guild in (demo.guild, other):
        await seed_scores(settings.database, guild.id, 1, first_user=demo.ana.id)
    await seed_scores(settings.database, demo.guild.id, 1, first_user=demo.boris.id)
    ask = (await sandbox.slash(demo.general, demo.ana, command)).reply
    await sandbox.click(ask, next(b for b in ask.buttons if b["label"] == "Forget me")["custom_id"], demo.ana)
    assert ask.content == "Done: what I kept about you is deleted in 2 servers."
    stats = (await sandbox.slash(demo.general, demo.ana, "trivia stats")).reply
    assert stats.content == "ana has not answered any trivia in this server yet."
    boris = (await sandbox.slash(demo.general, demo.ana, "trivia stats", member=demo.boris)).reply
    assert boris.embeds[0]["title"] == "Trivia stats: player00"


async def test_forget_me_mid_round_leaves_no_row_naming_the_member(
    typed: Running, settings: Settings
) -> None:
    sandbox, demo = typed.sandbox, typed.demo
    clock = quicken(typed, scale=1.0)  # time to forget while the question is open
    await sandbox.slash(
        demo.general, demo.ana, "trivia start", topic="stalker", questions=2, seconds=5, mode="typed"
    )
    first = await open_question(sandbox, demo.general, 1)
    answer = STALKER[first.embeds[0]["description"]].answer
    await sandbox.say(demo.general, demo.ana, answer)  # a point, written at once
    await closed(sandbox, first)
    await open_question(sandbox, demo.general, 2)
    await sandbox.say(demo.general, demo.ana, "no idea")  # a wrong guess: written when the question closes
    ask = (await sandbox.slash(demo.general, demo.ana, "trivia forget-me")).reply
    await sandbox.click(ask, next(b for b in ask.buttons if b["label"] == "Forget me")["custom_id"], demo.ana)
    assert ask.content == "Done: what I kept about you is deleted in 1 server."
    clock.skip(5)  # the question's time is up
    assert "ana" not in str((await summary(sandbox, demo.general))["description"])
    with contextlib.closing(sqlite3.connect(settings.database)) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        naming = [
            (table, row)
            for table in tables
            for row in db.execute(f'SELECT * FROM "{table}"')
            if demo.ana.id in row or "ana" in row
        ]
    assert naming == []


async def test_a_question_closes_once_everyone_playing_has_answered(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    clock = quicken(running, scale=1.0)
    await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="stalker", questions=2, seconds=20)
    first = await open_question(sandbox, demo.film_club, 1)
    question = STALKER[first.embeds[0]["description"]]
    await sandbox.click(first, button(first, question, right=True), demo.ana)
    await sandbox.click(first, button(first, question, right=False), demo.boris)
    # The first question waits for whoever else may join; its time is skipped to keep the test short.
    assert "(closed)" not in first.embeds[0]["title"]
    clock.skip(20)
    await closed(sandbox, first)
    assert {f["name"]: f["value"] for f in first.embeds[0]["fields"]}["Right"] == "ana (1 of 2)"
    second = await open_question(sandbox, demo.film_club, 2)
    question = STALKER[second.embeds[0]["description"]]
    await sandbox.click(second, button(second, question, right=False), demo.ana)
    await asyncio.sleep(0.5)
    assert "(closed)" not in second.embeds[0]["title"]  # boris, who played question 1, may answer
    await sandbox.click(second, button(second, question, right=False), demo.boris)
    answered = time.monotonic()
    await closed(sandbox, second)
    assert time.monotonic() - answered < 1.5  # not the 20 s
    assert {f["name"]: f["value"] for f in second.embeds[0]["fields"]}["Right"] == "Nobody (0 of 2)"


async def test_an_answer_from_another_server_or_channel_is_refused(
    running: Running, settings: Settings
) -> None:
    """A question's buttons carry its round: a copy of the message elsewhere must not score."""
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="stalker", questions=1, seconds=5)
    question = await open_question(sandbox, demo.film_club, 1)
    right = button(question, STALKER[question.embeds[0]["description"]], right=True)
    other = sandbox.add_guild("Another club")
    carol = sandbox.add_member(other, "carol")
    for channel, member in ((sandbox.add_channel(other, "trivia"), carol), (demo.general, demo.boris)):
        copy = Message(snowflake(), channel, sandbox.bot_user)
        copy.apply({"embeds": question.embeds, "components": question.components})
        refused = (await sandbox.click(copy, right, member)).reply
        assert refused.ephemeral
        assert refused.content == "This question belongs to a round in another channel: answer it there."
    await closed(sandbox, question)
    assert {f["name"]: f["value"] for f in question.embeds[0]["fields"]}["Right"] == "Nobody answered"
    with contextlib.closing(sqlite3.connect(settings.database)) as db:
        assert db.execute("SELECT count(*) FROM trivia_answers").fetchone() == (0,)


async def test_an_option_value_that_is_not_a_choice_is_a_sentence(running: Running) -> None:
    """Discord's client offers only the choices; a request made by other means can carry anything."""
    sandbox, demo = running.sandbox, running.demo
    with pytest.raises(ClientRefusal):
        await sandbox.slash(demo.general, demo.ana, "trivia leaderboard", period="week")
    command = sandbox.find_command(demo.guild, "trivia")
    period = {"name": "period", "type": 3, "value": "week"}
    data = {
        "id": command["id"],
        "name": "trivia",
        "type": 1,
        "options": [{"name": "leaderboard", "type": 1, "options": [period]}],
    }
    reply = (await (await sandbox.interact(COMMAND, demo.general, demo.ana, data)).wait(5)).reply
    assert reply.ephemeral
    assert reply.content == "period can't be “week”: choose one of all time, this month, this week."


async def test_only_who_asked_can_confirm(running: Running, settings: Settings) -> None:
    sandbox, demo = running.sandbox, running.demo
    await seed_scores(settings.database, demo.guild.id, 1, first_user=demo.ana.id)
    ask = (await sandbox.slash(demo.general, demo.ana, "trivia forget-me")).reply
    forget = next(b for b in ask.buttons if b["label"] == "Forget me")["custom_id"]
    stranger = (await sandbox.click(ask, forget, demo.boris)).reply
    assert stranger.ephemeral and stranger.content == (
        "This confirmation is not yours: only who asked for it can answer it."
    )
    assert ask.content.startswith("Delete your trivia scores")  # still waiting for ana
    await sandbox.click(ask, forget, demo.ana)
    assert ask.content == "Done: what I kept about you is deleted in 1 server."


async def test_operator_packs_load_and_a_bad_one_is_skipped(
    sandbox: Sandbox, demo: Demo, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "red-style.yaml").write_text(
        "DESCRIPTION: Red's format.\nWhat is 6 x 7?:\n- 42\nIs water wet?:\n- yes\nPi?:\n- 3.14\n"
    )
    (packs / "broken.yaml").write_text("Q?: [unclosed\n")
    async with bot_on_sandbox(sandbox, dataclasses.replace(settings, trivia_packs=packs)) as bot:
        running = Running(sandbox, demo, bot)
        quicken(running)
        topics = await sandbox.autocomplete(demo.general, demo.ana, "trivia start", "topic", topic="")
        assert "red-style" in [t["value"] for t in topics] and "broken" not in [t["value"] for t in topics]
        await sandbox.slash(demo.general, demo.ana, "trivia start", topic="red-style", questions=3, seconds=5)
        message = await open_question(sandbox, demo.general, 1)
        assert len(message.buttons) == 3  # the answer and the pack's two other answers
        await summary(sandbox, demo.general)
    assert any("broken.yaml:1: not valid YAML" in r.getMessage() for r in caplog.records)


async def test_a_click_after_a_restart_gets_an_answer(
    sandbox: Sandbox, demo: Demo, settings: Settings
) -> None:
    async with bot_on_sandbox(sandbox, settings) as bot:
        quicken(Running(sandbox, demo, bot))
        await sandbox.slash(demo.general, demo.ana, "trivia start", topic="stalker", seconds=60)
        message = await open_question(sandbox, demo.general, 1)
    async with bot_on_sandbox(sandbox, settings):  # the same database: the round was interrupted
        await sandbox.wait_for(
            lambda: any("was interrupted" in m.content for m in sandbox.channel_messages(demo.general))
        )
        reply = (await sandbox.click(message, message.buttons[0]["custom_id"], demo.boris)).reply
        assert reply.ephemeral and reply.content.startswith("This trivia round is over.")


async def test_a_members_trivia_commands_are_rate_limited_and_told_so(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    for _ in range(5):  # cogs/trivia.py: five commands a member in 30 seconds
        assert (await sandbox.slash(demo.general, demo.ana, "trivia leaderboard")).reply.embeds
    refused = (await sandbox.slash(demo.general, demo.ana, "trivia stats")).reply
    assert refused.ephemeral and refused.content.startswith("Slow down: try again in ")
    assert (
        await sandbox.slash(demo.general, demo.boris, "trivia leaderboard")
    ).reply.embeds  # others are not


async def test_a_button_that_fails_tells_the_member_with_an_error_id(
    running: Running, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    await sandbox.slash(demo.general, demo.ana, "trivia start", topic="stalker", questions=1, seconds=5)
    message = await open_question(sandbox, demo.general, 1)

    async def broken(*args: object) -> None:
        raise RuntimeError("a bug in the answer's path")

    monkeypatch.setattr(running.bot.get_cog("Trivia"), "choose", broken)
    reply = (await sandbox.click(message, message.buttons[0]["custom_id"], demo.boris)).reply
    assert reply.ephemeral and reply.content.startswith("Something went wrong on my side (error id `")
    error_id = reply.content.split("`")[1]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)  # the log has it, and why
