"""Trivia when Discord fails: a 503 or a reset connection on a question's post or edit, once (the
round goes on) or again and again (the round ends with its summary, which says why), a rate limit
on a question, and a round-start reply that Discord accepted but answered with 500."""

from __future__ import annotations

import dataclasses
import re
import time
from typing import Any

import pytest

from bot.sandbox import Sandbox
from bot.sandbox.interactions import SandboxTimeout
from bot.sandbox.messages import Message
from bot.sandbox.model import Channel
from tests.conftest import Running
from tests.test_trivia_e2e import STALKER, button, closed, open_question, quicken, summary, titled

POST = r"^/channels/\d+/messages$"
EDIT = r"^/channels/\d+/messages/\d+$"


def questions_posted(sandbox: Sandbox, channel: Channel) -> list[str]:
    return [m.embeds[0]["title"] for m in titled(sandbox, channel, "Question ")]


async def round_status(running: Running) -> str:
    async with running.bot.state._db.connection.execute(
        "SELECT status FROM trivia_rounds ORDER BY id DESC LIMIT 1"
    ) as cursor:
        (status,) = await cursor.fetchone()  # type: ignore[misc]
    return str(status)


def fast_retries(running: Running) -> Any:
    cog: Any = running.bot.get_cog("Trivia")
    cog.pacing = dataclasses.replace(cog.pacing, retry_wait=0.05)
    return cog


@pytest.mark.parametrize(
    ("method", "route", "status", "after"),
    [
        ("POST", POST, 503, False),
        ("POST", POST, None, False),
        ("POST", POST, None, True),  # the question was posted, and the answer lost on the way back
        ("POST", POST, 503, True),
        ("PATCH", EDIT, 503, False),
        ("PATCH", EDIT, None, False),
    ],
    ids=["post-503", "post-reset", "post-reset-after", "post-503-after", "edit-503", "edit-reset"],
)
async def test_one_discord_failure_does_not_end_the_round(
    running: Running, method: str, route: str, status: int | None, after: bool
) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    fast_retries(running)
    await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="stalker", questions=2, seconds=5)
    first = await open_question(sandbox, demo.film_club, 1)
    right = button(first, STALKER[first.embeds[0]["description"]], right=True)
    assert (await sandbox.click(first, right, demo.boris)).reply.content.startswith("Your answer: ")
    # The fault hits the first matching request after this: the reveal's edit, or question 2's post.
    sandbox.fail(method, route, status=status, after=after)
    await closed(sandbox, first)
    second = await open_question(sandbox, demo.film_club, 2)
    await closed(sandbox, second)
    ending = await summary(sandbox, demo.film_club)
    assert ending["footer"]["text"] == "All questions played."
    assert "**boris**" in ending["description"]
    assert questions_posted(sandbox, demo.film_club) == [
        "Question 1 of 2 (closed)",
        "Question 2 of 2 (closed)",
    ]  # once each: a post tried again is not posted twice
    assert [r.status for r in sandbox.requests if r.method == method].count(status or 0) == 1
    assert await round_status(running) == "finished"


@pytest.mark.parametrize("status", [503, None], ids=["503", "reset"])
async def test_discord_failing_again_and_again_ends_the_round_with_its_summary(
    running: Running, status: int | None
) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    cog = fast_retries(running)
    await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="stalker", questions=3, seconds=5)
    first = await open_question(sandbox, demo.film_club, 1)
    right = button(first, STALKER[first.embeds[0]["description"]], right=True)
    await sandbox.click(first, right, demo.boris)
    sandbox.fail("PATCH", EDIT, status=status, times=100)  # no edit gets through: not the reveal
    ending = await summary(sandbox, demo.film_club)
    failure = "503 Service Unavailable" if status else "the connection was reset"
    assert ending["footer"]["text"] == f"Ended early: Discord kept failing my messages ({failure})."
    assert "**boris**" in ending["description"]  # the points told are those in the database
    assert await round_status(running) == "stopped"
    assert not cog.sessions
    late = (await sandbox.click(first, right, demo.ana)).reply
    assert late.content == "This trivia round is over. Start a new one with `/trivia start`."


async def test_a_rate_limited_question_shows_when_it_really_closes(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running, scale=1.0)  # 5 s, so that a second is visible in its countdown
    fast_retries(running)
    await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="stalker", questions=1, seconds=5)
    countdowns: list[int] = []  # each closing time the question showed, in order

    def watch(event: str, message: Message) -> None:
        if message.embeds and (
            time_field := next((f["value"] for f in message.embeds[0]["fields"] if f["name"] == "Time"), None)
        ):
            countdowns.append(int(re.search(r"<t:(\d+):R>", time_field)[1]))  # type: ignore[index]

    sandbox.listeners.append(watch)
    sandbox.fail("POST", POST, status=429, retry_after=3.0)
    question = await open_question(sandbox, demo.film_club, 1)
    assert [r.status for r in sandbox.requests if r.method == "POST"].count(429) == 1
    await closed(sandbox, question)
    closed_at = time.time()
    # Discord shows whole seconds (rounded down), and the reveal takes a moment to arrive.
    assert countdowns[-1] - 0.2 <= closed_at <= countdowns[-1] + 1.5, (countdowns, closed_at)


async def test_a_start_reply_that_discord_accepted_with_a_500_still_plays(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    quicken(running)
    cog = fast_retries(running)
    # discord.py tries a 500 again; the interaction is then already acknowledged (400).
    sandbox.fail("POST", r"^/interactions/\d+/[^/]+/callback$", status=500, after=True)
    await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="stalker", questions=1, seconds=5)
    question = await open_question(sandbox, demo.film_club, 1)
    await closed(sandbox, question)
    assert (await summary(sandbox, demo.film_club))["footer"]["text"] == "All questions played."
    assert await round_status(running) == "finished" and not cog.sessions


async def test_a_start_reply_that_discord_refused_leaves_no_running_round(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    cog = fast_retries(running)
    sandbox.interaction_deadline = 0.0  # the reply comes too late: Unknown interaction (404)
    sandbox.reply_timeout = 1.0
    with pytest.raises(SandboxTimeout):  # the member sees that the application did not respond
        await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="stalker", questions=1)
    await sandbox.wait_for(lambda: any(r.status == 404 for r in sandbox.requests), timeout=10)
    await sandbox.wait_for(lambda: not cog.sessions, timeout=10)
    assert await round_status(running) == "stopped"
    assert not titled(sandbox, demo.film_club, "Question ")
