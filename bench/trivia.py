"""Benchmark typed trivia answers: how many a second the bot handles across 200 concurrent rounds.

One run, against the sandbox on 127.0.0.1: 200 channels each with a typed round of the Stalker
pack, and 10 members typing into them. Every tenth message in a channel is the right answer, so
questions are won (an SQLite commit), revealed (an edit), their wrong guesses written in one
batch, and the next question posted; the rest are wrong guesses, matched and kept. Messages go
in waves of one per channel, each handled before the next (the backlog stays bounded, as with
people typing), and each wave waits until every channel's question is open. The same waves then
go to a bare discord.py client that only counts them. Each side runs --repeats times on a fresh
sandbox; the medians and their ratio are printed. The pause between questions is zero here.

    .venv/bin/python bench/trivia.py
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord

from bot.config import Settings
from bot.discord_endpoints import follow_gateway, use_api_base
from bot.sandbox import Sandbox
from bot.sandbox.harness import bot_on_sandbox
from bot.sandbox.model import Channel, Member

CHANNELS = 200
MEMBERS = 10


def build_world(sandbox: Sandbox) -> tuple[list[Channel], list[Member], list[Member]]:
    guild = sandbox.add_guild("Bench club")
    channels = [sandbox.add_channel(guild, f"trivia-{i}") for i in range(CHANNELS)]
    members = [sandbox.add_member(guild, f"player{i}") for i in range(MEMBERS)]
    hosts = [sandbox.add_member(guild, f"host{i}") for i in range(CHANNELS)]  # a member's trivia
    return channels, members, hosts  # commands have a cooldown: one start each


class Counter:
    """Counts the messages a client has handled, and waits for a number of them."""

    def __init__(self) -> None:
        self.handled = 0
        self._changed = asyncio.Event()

    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:  # the members' messages, not the bot's own questions
            self.handled += 1
            self._changed.set()

    async def reach(self, count: int) -> None:
        while self.handled < count:
            self._changed.clear()
            await asyncio.wait_for(self._changed.wait(), 60)


@dataclass
class Timing:
    """Seconds spent: handling the waves of wrong guesses, the waves of right answers, and (for
    filmbot) waiting for questions to turn over: the reveal, its batch write, the next question."""

    guesses: float = 0.0
    answers: float = 0.0
    turnover: float = 0.0

    @property
    def total(self) -> float:
        return self.guesses + self.answers + self.turnover


async def send(
    sandbox: Sandbox,
    channels: list[Channel],
    members: list[Member],
    messages: int,
    counter: Counter,
    cog: Any = None,
) -> Timing:
    """Waves of one message per channel, each wave handled before the next is sent. When `cog` runs
    rounds, each wave waits until every channel's question is open, and every tenth wave carries the
    right answers."""
    timing = Timing()
    for wave in range(messages // len(channels)):
        right = wave % 10 == 9
        started = time.perf_counter()
        if cog is not None:  # every guess meets an open question
            await sandbox.wait_for(lambda: all(s.round.is_open for s in cog.sessions.values()), 60)
        waited = time.perf_counter()
        timing.turnover += waited - started
        for n, channel in enumerate(channels):
            member = members[wave % len(members)]
            answer = cog.sessions[channel.id].round.question.answer if cog is not None else "1979"
            await sandbox.say(channel, member, answer if right else f"is it {wave}-{n}?")
        await counter.reach((wave + 1) * len(channels))
        if right:
            timing.answers += time.perf_counter() - waited
        else:
            timing.guesses += time.perf_counter() - waited
    return timing


async def measure_bot(messages: int) -> Timing:
    """Typed answers a second handled by FilmBot with a round open in every channel."""
    async with Sandbox() as sandbox:
        channels, members, hosts = build_world(sandbox)
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(database=Path(tmp) / "bench.db", message_content=True)
            async with bot_on_sandbox(sandbox, settings) as bot:
                cog: Any = bot.get_cog("Trivia")
                cog.pacing = dataclasses.replace(cog.pacing, pause=0.0)
                for channel, host in zip(channels, hosts, strict=True):  # 120 s a question: they
                    await sandbox.slash(  # close when won, not by time
                        channel,
                        host,
                        "trivia start",
                        topic="stalker",
                        mode="typed",
                        questions=50,
                        seconds=120,
                    )
                await sandbox.wait_for(lambda: all(s.round.is_open for s in cog.sessions.values()), 60)
                assert len(cog.sessions) == CHANNELS
                counter = Counter()
                # Registered after the cog's listener: dispatched after it, message by message.
                bot.add_listener(counter.on_message, "on_message")
                timing = await send(sandbox, channels, members, messages, counter, cog)
                started = time.perf_counter()
                async with bot.state._db.transaction():  # every answer written before it is committed
                    pass
                timing.answers += time.perf_counter() - started
                won, recorded = await bot.state._db.fetchone(
                    "SELECT sum(correct), count(*) FROM trivia_answers"
                ) or (0, 0)
                assert len(cog.sessions) == CHANNELS
                print(f"  filmbot: {won} questions won, {recorded} answers recorded")
                return timing


async def measure_bare(messages: int) -> Timing:
    """The same messages to a discord.py client that only counts them."""
    async with Sandbox() as sandbox:
        channels, members, _ = build_world(sandbox)
        intents = discord.Intents.default()
        intents.message_content = True
        client = discord.Client(intents=intents)
        use_api_base(sandbox.api_base)
        follow_gateway(client.http, sandbox.gateway_url)
        counter = Counter()
        client.event(counter.on_message)
        async with client:
            await client.login(sandbox.token)
            running = asyncio.create_task(client.connect())
            await client.wait_until_ready()
            timing = await send(sandbox, channels, members, messages, counter)
            await client.close()
            await running
        return timing


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=20_000, help="typed answers per run")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    guesses = args.messages * 9 // 10
    rows: dict[str, list[float]] = {k: [] for k in ("bot", "bare", "bot guesses", "bare guesses", "turnover")}
    for run in range(1, args.repeats + 1):
        bot, bare = await measure_bot(args.messages), await measure_bare(args.messages)
        rows["bot"].append(args.messages / bot.total)
        rows["bare"].append(args.messages / bare.total)
        rows["bot guesses"].append(guesses / bot.guesses)
        rows["bare guesses"].append(guesses / bare.guesses)
        rows["turnover"].append(bot.turnover / (args.messages // 10) * 1000)
        last = {k: v[-1] for k, v in rows.items()}
        print(
            f"run {run}: filmbot {last['bot']:,.0f}/s (wrong guesses {last['bot guesses']:,.0f}/s), "
            f"bare client {last['bare']:,.0f}/s (wrong guesses {last['bare guesses']:,.0f}/s), "
            f"question turnover {last['turnover']:.2f} ms"
        )
    median = {k: statistics.median(v) for k, v in rows.items()}
    print(
        f"{args.messages:,} typed answers over {CHANNELS} concurrent rounds, medians of {args.repeats}:\n"
        f"  all answers:   filmbot {median['bot']:,.0f}/s, bare client {median['bare']:,.0f}/s, "
        f"ratio {median['bot'] / median['bare']:.2f}\n"
        f"  wrong guesses: filmbot {median['bot guesses']:,.0f}/s, "
        f"bare client {median['bare guesses']:,.0f}/s, "
        f"ratio {median['bot guesses'] / median['bare guesses']:.2f}\n"
        f"  a question won, revealed, recorded and the next one posted: {median['turnover']:.2f} ms a channel"
    )


if __name__ == "__main__":
    asyncio.run(main())
