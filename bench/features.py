"""Benchmark the daily feature loop: 5,000 servers due at the same minute, against the sandbox.

The sandbox holds 5,000 servers with a channel each, and each server a schedule for the same
minute (09:00 UTC the next day). Once the bot is ready, its feature clock is moved to that
minute and the loop is woken; the time until it is idle again (every post sent and recorded,
every discussion thread created) is measured, with the requests it made, the most it had in
flight at once, and memory: the loop's own peak allocations (tracemalloc, in the feature
modules) and the process's resident size before and after (it includes the sandbox, which keeps
every message).

    .venv/bin/python bench/features.py          # --servers N to change the 5,000
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.sandbox import Sandbox
from bot.sandbox.harness import bot_on_sandbox
from bot.storage import SQLiteDatabase
from bot.storage.features import FeatureRepository

FEATURE_FILES = ("bot/features/", "cogs/features.py", "bot/storage/features.py")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


async def run(servers: int, trace: bool) -> str:
    """One pass; with `trace`, memory is traced (which slows it), so its time is not the figure."""
    day = date.today() + timedelta(days=1)
    due = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    async with Sandbox() as sandbox:
        channels = []
        for i in range(servers):
            guild = sandbox.add_guild(f"club {i}")
            channels.append((guild.id, sandbox.add_channel(guild, "classics").id))
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(database=Path(tmp) / "bench.db")
            db = await SQLiteDatabase.open(settings.database)
            repo = FeatureRepository(db)
            for guild_id, channel_id in channels:
                await repo.save_schedule(guild_id, channel_id, "09:00", "UTC", day, int(due.timestamp()))
            await db.close()
            started_at = time.perf_counter()
            async with bot_on_sandbox(sandbox, settings) as bot:
                print(f"{servers:,} servers ready in {time.perf_counter() - started_at:.1f} s")
                cog: Any = bot.get_cog("Daily feature")
                in_flight = peak_in_flight = 0
                request = bot.http.request

                async def counted(*args: Any, **kwargs: Any) -> Any:  # the bot's requests under way
                    nonlocal in_flight, peak_in_flight
                    in_flight += 1
                    peak_in_flight = max(peak_in_flight, in_flight)
                    try:
                        return await request(*args, **kwargs)
                    finally:
                        in_flight -= 1

                bot.http.request = counted  # type: ignore[method-assign]
                await asyncio.wait_for(cog.idle.wait(), 60)  # nothing due before the minute
                requests_before, rss_before = len(sandbox.requests), rss_mb()
                if trace:
                    tracemalloc.start()
                moved = time.monotonic()
                cog.now = lambda: due + timedelta(seconds=time.monotonic() - moved)
                started = time.perf_counter()
                cog.reschedule()
                await asyncio.wait_for(cog.idle.wait(), 1800)
                elapsed = time.perf_counter() - started
                held = peak = 0
                if trace:
                    snapshot = tracemalloc.take_snapshot()
                    _, peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                    held = sum(
                        stat.size
                        for stat in snapshot.statistics("filename")
                        if any(part in stat.traceback[0].filename for part in FEATURE_FILES)
                    )
                requests = sandbox.requests[requests_before:]
                posts = sum(1 for r in requests if r.method == "POST" and r.path.endswith("/messages"))
                threads = sum(1 for r in requests if r.path.endswith("/threads"))
                refused = sum(1 for r in requests if r.status >= 400)
                (sent,) = await bot.state._db.fetchone(
                    "SELECT count(*) FROM feature_posts WHERE status = 'sent'"
                ) or (0,)
    if trace:
        return (
            f"  memory (a second, traced pass): the feature modules hold {held / 1024:.0f} KiB "
            f"after the run; peak traced allocations of the whole process {peak / 2**20:.1f} MiB"
        )
    return (
        f"{servers:,} servers due at the same minute: all posted in {elapsed:.1f} s "
        f"({servers / elapsed:,.0f} posts/s, {elapsed / servers * 1000:.2f} ms a server)\n"
        f"  {sent:,} recorded as sent; {posts:,} messages and {threads:,} threads requested, "
        f"{refused} refused; at most {peak_in_flight} requests in flight\n"
        f"  resident size {rss_before:.0f} MiB before, {rss_mb():.0f} MiB after (with the sandbox's copies)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--servers", type=int, default=5000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(await run(args.servers, trace=False))
    print(await run(args.servers, trace=True))


if __name__ == "__main__":
    asyncio.run(main())
