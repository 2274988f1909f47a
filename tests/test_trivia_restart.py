"""A bot process killed mid-round (SIGKILL) loses no point it awarded, and tells the channel."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

from bot.sandbox import Sandbox
from bot.sandbox.demo import build_demo
from tests.test_cli import start
from tests.test_trivia_e2e import STALKER, closed, open_question, titled


def answers_in(db: Path) -> dict[int, tuple[int, int]]:
    """(right answers, points) by member, straight from the database file."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT user_id, sum(correct), sum(points) FROM trivia_answers GROUP BY user_id"
        ).fetchall()
    return {user: (correct, points) for user, correct, points in rows}


async def test_points_survive_a_kill_and_the_channel_is_told(tmp_path: Path) -> None:
    async with Sandbox() as sandbox:
        demo = build_demo(sandbox)
        env = {
            "DISCORD_TOKEN": sandbox.token,
            "DISCORD_API_BASE": sandbox.api_base,
            "FILMBOT_MESSAGE_CONTENT": "true",
        }
        process = await start(["run"], tmp_path, **env)
        try:
            async with asyncio.timeout(60):
                # synced (the bot syncs before it connects), and connected: an interaction sent
                # before the bot's session exists reaches no one
                while not (sandbox.commands.get(None) and sandbox.gateway.live_sessions):
                    await asyncio.sleep(0.1)
            await sandbox.slash(
                demo.general,
                demo.ana,
                "trivia start",
                topic="stalker",
                questions=10,
                seconds=60,
                mode="typed",
            )
            winners = [demo.ana, demo.boris, demo.ana]
            for number, winner in enumerate(winners, 1):
                message = await open_question(sandbox, demo.general, number)
                await sandbox.say(demo.general, demo.boris if winner is demo.ana else demo.ana, "no idea")
                await sandbox.say(demo.general, winner, STALKER[message.embeds[0]["description"]].answer)
                await closed(sandbox, message)  # the reveal names the winner: the point is awarded
            process.kill()  # SIGKILL, the moment after the third reveal
            await process.wait()
        finally:
            if process.returncode is None:
                process.kill()
        assert process.returncode == -signal.SIGKILL
        before = answers_in(tmp_path / "filmbot.db")
        assert {user: correct for user, (correct, _) in before.items()} == {demo.ana.id: 2, demo.boris.id: 1}

        restarted = await start(["run"], tmp_path, **env)
        try:
            await sandbox.wait_for(
                lambda: any("was interrupted" in m.content for m in sandbox.channel_messages(demo.general)),
                timeout=60,
            )
            stats = (await sandbox.slash(demo.general, demo.ana, "trivia stats")).reply.embeds[0]
            fields = {f["name"]: f["value"] for f in stats["fields"]}
            assert fields["Points"] == str(before[demo.ana.id][1])
            assert fields["Right answers"].startswith("2 of 3")  # she also answered the one boris won
            again = await sandbox.slash(demo.general, demo.ana, "trivia start", topic="stalker")
            assert again.reply.content.startswith("Trivia: ")  # the channel is free for a new round
        finally:
            restarted.send_signal(signal.SIGTERM)
            await asyncio.wait_for(restarted.communicate(), 30)
        assert answers_in(tmp_path / "filmbot.db") == before
        assert not titled(sandbox, demo.general, "Trivia over")  # the killed round never ended normally
