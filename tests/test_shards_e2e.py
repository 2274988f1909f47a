"""Two bot processes, two shards each of four, on one PostgreSQL, against the sandbox: every server's
daily feature is posted exactly once, and killing one process mid-round loses no point and leaves
the other's rounds alone; restarted, it posts what fell due while it was down, once."""

from __future__ import annotations

import asyncio
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bot.config import SOURCE_DATA_DIR, index_beside
from bot.sandbox import Sandbox
from bot.sandbox.model import Channel, Guild, snowflake
from bot.storage import State
from tests.conftest import indexed_database
from tests.test_cli import start
from tests.test_features_e2e import features
from tests.test_trivia_e2e import STALKER, closed, open_question

COUNT = 4
PROCESSES = {"low": "0-1", "high": "2-3"}


def shard_of(guild: Guild) -> int:
    return (guild.id >> 22) % COUNT


async def schedule_at(state: State, clubs: list[tuple[Guild, Channel]], due: float) -> None:
    """Schedules whose post falls due at `due` (unix seconds): the minute of it, in UTC, today."""
    moment = datetime.fromtimestamp(due, UTC)
    for guild, channel in clubs:
        await state.features.save_schedule(
            guild.id, channel.id, moment.strftime("%H:%M"), "UTC", moment.date(), int(due)
        )


async def test_two_processes_share_the_servers_and_postgresql(tmp_path: Path, postgres_url: str) -> None:
    index = index_beside(indexed_database(tmp_path / "template.db", SOURCE_DATA_DIR))  # read by both
    begun = time.time()
    # both processes are up about 9 s after they start: discord.py identifies a process's second
    # shard 5 s after its first, and a shard is ready 2 s after its last server
    first_due, second_due = begun + 5, begun + 16
    async with Sandbox(shard_count=COUNT) as sandbox:
        base = int(begun * 1000) - 60_000  # ids a millisecond apart: consecutive shards
        clubs = []
        for n in range(220):
            guild = sandbox.add_guild(f"club {n}", id=snowflake(at_ms=base + n))
            clubs.append((guild, sandbox.add_channel(guild, "classics")))
        assert sorted(shard_of(g) for g, _ in clubs).count(0) == 55
        # trivia in a server of each process, with two members
        rooms = {}
        for name, shard in (("low", 1), ("high", 3)):
            guild = next(g for g, _ in clubs if shard_of(g) == shard)
            rooms[name] = (
                sandbox.add_channel(guild, "trivia"),
                sandbox.add_member(guild, "ana"),
                sandbox.add_member(guild, "boris"),
            )
        state = await State.open(postgres_url)
        await schedule_at(state, clubs[:200], first_due)  # 100 servers of each process
        await schedule_at(state, clubs[200:], second_due)  # 10 of each, due while one is down
        await state.close()

        env = {
            "DISCORD_TOKEN": sandbox.token,
            "DISCORD_API_BASE": sandbox.api_base,
            "FILMBOT_MESSAGE_CONTENT": "true",
            "FILMBOT_DATABASE": postgres_url,
            "FILMBOT_INDEX": str(index),
        }

        async def run(name: str) -> asyncio.subprocess.Process:
            return await start(
                ["run", "--shards", PROCESSES[name], "--shard-count", str(COUNT)], tmp_path, **env
            )

        processes = {name: await run(name) for name in PROCESSES}
        try:
            # every server of both processes posts once at the first minute
            await sandbox.wait_for(lambda: all(features(sandbox, c) for _, c in clubs[:200]), timeout=60)
            assert sandbox.commands.get(None)  # synced by the process with shard 0

            async def answer_first(name: str) -> None:
                channel, ana, boris = rooms[name]
                await sandbox.slash(
                    channel, ana, "trivia start", topic="stalker", questions=10, seconds=60, mode="typed"
                )
                message = await open_question(sandbox, channel, 1)
                await sandbox.say(channel, boris, "no idea")
                await sandbox.say(channel, ana, STALKER[message.embeds[0]["description"]].answer)
                await closed(sandbox, message)  # revealed: ana's point is awarded

            await asyncio.gather(*(answer_first(name) for name in PROCESSES))
            assert time.time() < second_due, "the machine was too slow to kill before the second minute"
            processes["low"].kill()  # SIGKILL mid-round
            await processes["low"].wait()
            awarded = await points(postgres_url)
            assert {key: right for key, (right, _) in awarded.items()} == {
                (rooms[n][0].guild.id, rooms[n][1].id): 1 for n in PROCESSES
            }

            # the other process's round goes on
            channel, ana, boris = rooms["high"]
            second = await open_question(sandbox, channel, 2)
            await sandbox.say(channel, boris, STALKER[second.embeds[0]["description"]].answer)
            await closed(sandbox, second)
            # the second minute passes with one process down: only the live one's servers post
            late = [c for g, c in clubs[200:] if shard_of(g) in (0, 1)]
            await sandbox.wait_for(
                lambda: all(features(sandbox, c) for g, c in clubs[200:] if shard_of(g) in (2, 3)), timeout=60
            )
            assert not any(features(sandbox, c) for c in late)

            processes["low"] = await run("low")
            await sandbox.wait_for(lambda: all(features(sandbox, c) for c in late), timeout=60)
            low_room = rooms["low"][0]
            await sandbox.wait_for(
                lambda: any("was interrupted" in m.content for m in sandbox.channel_messages(low_room)),
                timeout=60,
            )
            assert not any("interrupted" in m.content for m in sandbox.channel_messages(channel))
            third = await open_question(sandbox, channel, 3)  # the live round was left alone
            await sandbox.say(channel, ana, STALKER[third.embeds[0]["description"]].answer)
            await closed(sandbox, third)
            assert await statuses(postgres_url) == {
                rooms["low"][0].guild.id: "interrupted",
                rooms["high"][0].guild.id: "running",
            }
        finally:
            for process in processes.values():
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            for name, process in processes.items():
                _, stderr = await asyncio.wait_for(process.communicate(), 30)
                print(f"--- the {name} process (the restarted one, if it was):", stderr.decode(), sep="\n")

        assert [len(features(sandbox, c)) for _, c in clubs] == [1] * 220  # every server, exactly once
        connection = await asyncpg.connect(postgres_url)
        try:
            sent = await connection.fetch("SELECT guild_id, status FROM feature_posts")
        finally:
            await connection.close()
        assert sorted(r["guild_id"] for r in sent) == sorted(g.id for g, _ in clubs)
        assert {r["status"] for r in sent} == {"sent"}
        after = await points(postgres_url)
        kept = (rooms["low"][0].guild.id, rooms["low"][1].id)
        assert after[kept] == awarded[kept] and after[kept][1] > 0  # through the kill and the restart
        assert after[(channel.guild.id, boris.id)][0] == 1 and after[(channel.guild.id, ana.id)][0] == 2


async def points(url: str) -> dict[tuple[int, int], tuple[int, int]]:
    """Right answers and points by server and member, straight from the answers."""
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT guild_id, user_id, sum(correct) AS right, sum(points) AS points FROM trivia_answers "
            "GROUP BY guild_id, user_id HAVING sum(correct) > 0"
        )
    finally:
        await connection.close()
    return {(r["guild_id"], r["user_id"]): (int(r["right"]), int(r["points"])) for r in rows}


async def statuses(url: str) -> dict[int, str]:
    connection = await asyncpg.connect(url)
    try:
        return {
            r["guild_id"]: r["status"]
            for r in await connection.fetch("SELECT guild_id, status FROM trivia_rounds")
        }
    finally:
        await connection.close()
