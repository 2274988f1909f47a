"""Benchmark the state at scale on SQLite and PostgreSQL: trivia boards over millions of answers,
awarding a point, claiming a daily post, and 5,000 daily posts across 1, 2 and 4 processes.

For each backend (--backend sqlite, postgresql, or both in one run, so that their ratios are
fair), it fills a fresh state (the shipped migrations) with --answers answer rows spread over
--servers servers: one big server holds --big-share of them (a club with years of rounds, 2,000
members), the rest share the remainder (50 members each); answers span three years. The fill is
bulk (secondary indexes and the totals trigger off, then rebuilt; trivia_totals computed by one
INSERT ... SELECT ... GROUP BY a period; ANALYZE), and the totals are checked against the answers
at the end. Then, through the real repositories (bot/storage/), it times:

1. awarding a point: `record_answer` of one answer, committed (the totals trigger included);
2. claiming a post: `FeatureRepository.claim` of a fresh day, then `confirm`;
3. 5,000 daily posts (--posts) due at the same moment, their servers spread over 4 shards, run by
   1, 2 and 4 OS processes (spawned), each with `State.open(target, shards=its shards of 4)`,
   looping `due(now)` -> `claim` -> `confirm` (a fake message id), four posts in flight at once as
   the feature loop keeps, until nothing of its shards is due. The time runs from the moment all
   processes are connected and released together (a barrier) to the last one finishing; then
   exactly --posts posts must be 'sent', no day claimed twice, every schedule moved on. Three
   rounds of 1, 2, 4 processes, interleaved; the median of each count is reported;
4. a leaderboard page and a member's rank, all time and for the last week, on the big server and
   on typical ones.
Each timing is run --repeats times after one untimed call; medians and 99th percentiles
(nearest rank) in ms. The machine's load average is printed before and after each backend.

    .venv/bin/python bench/scale.py        # both backends, --answers 10,000,000 --servers 10,000
    .venv/bin/python bench/scale.py --backend postgresql --answers 200000 --repeats 50
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import _postgres

from bot.features.model import Schedule
from bot.shards import Shards
from bot.storage import State, StorageUnavailable, TriviaRepository
from bot.trivia.model import Attempt
from cogs.features import WORKERS

YEARS = 3 * 365 * 86_400
WEEK = 7 * 86_400
NOW = 1_800_000_000  # 2027-01-15 08:00 UTC
BATCH = 200_000
BIG = 1  # the big server's id; typical servers are 2 .. --servers (all on shard 0)
SHARD_COUNT = 4
PROCESSES = (1, 2, 4)
ROUNDS = 3  # of the posts' runs
POST_GUILDS = 1 << 40  # the daily posts' servers: (POST_GUILDS + i) << 22, shard i % 4
POST_DAY = datetime.fromtimestamp(NOW, UTC).date()
LATER = NOW + 10 * 365 * 86_400  # a schedule's next post, far from the posts' moment

Timing = tuple[float, float]  # p50, p99 in ms


@dataclass
class Report:
    """What one backend measured, printed as it goes and summed up at the end."""

    backend: str
    fill: dict[str, float] = field(default_factory=dict)
    timings: dict[str, Timing] = field(default_factory=dict)
    posts: dict[int, float] = field(default_factory=dict)
    load: list[str] = field(default_factory=list)

    def time(self, label: str, timing: Timing) -> None:
        self.timings[label] = timing
        print(f"  {label}: p50 {timing[0]:.2f} ms, p99 {timing[1]:.2f} ms", flush=True)


# -- the answers ---------------------------------------------------------------------------------


def generate(
    answers: int, servers: int, big_share: float, players: set[tuple[int, int]]
) -> Iterator[tuple[list[tuple], list[tuple]]]:  # type: ignore[type-arg]
    """Batches of (rounds, answers): a round per 200 answers, a question per answer; the members who
    answered go into `players`. The same arguments give the same rows on every backend."""
    rng = random.Random(2026)
    rounds, rows = [], []
    for n in range(answers):
        guild = BIG if rng.random() < big_share else rng.randrange(2, servers + 1)
        user = rng.randrange(1, (2_000 if guild == BIG else 50) + 1)
        round_id = n // 200 + 1
        if n % 200 == 0:
            rounds.append((round_id, guild, 1, 1, "films", "buttons", NOW - rng.randrange(YEARS), "finished"))
        correct = rng.random() < 0.4
        rows.append(
            (round_id, n % 200, guild, user, int(correct), 10 if correct else 0, NOW - rng.randrange(YEARS))
        )
        players.add((guild, user))
        if len(rows) == BATCH:
            yield rounds, rows
            rounds, rows = [], []
    if rows:
        yield rounds, rows


SQLITE_TOTALS_BACKFILL = (
    "INSERT INTO trivia_totals SELECT guild_id, 0, user_id, sum(points), sum(correct) "
    "FROM trivia_answers GROUP BY guild_id, user_id",
    "INSERT INTO trivia_totals SELECT guild_id, CAST(strftime('%Y%m', at, 'unixepoch') AS INTEGER) AS month, "
    "user_id, sum(points), sum(correct) FROM trivia_answers GROUP BY guild_id, month, user_id",
)


def fill_sqlite(path: Path, answers: int, servers: int, big_share: float) -> dict[str, float]:
    """The answers into the migrated file at `path`, without trivia_answers' secondary indexes and
    triggers (put back from their own SQL afterwards); returns the seconds each step took."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA cache_size = -1000000")  # 1 GB, for the index builds
    steps = {}
    extras = db.execute(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE tbl_name = 'trivia_answers' AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).fetchall()
    for kind, name, _ in extras:
        db.execute(f"DROP {kind} {name}")

    started = time.perf_counter()
    players: set[tuple[int, int]] = set()
    for rounds, rows in generate(answers, servers, big_share, players):
        db.execute("BEGIN")
        db.executemany(
            f"INSERT INTO trivia_rounds ({', '.join(_postgres.ROUND_COLUMNS)}) VALUES ({_marks(8)})", rounds
        )
        db.executemany(
            f"INSERT INTO trivia_answers ({', '.join(_postgres.ANSWER_COLUMNS)}) VALUES ({_marks(7)})", rows
        )
        db.execute("COMMIT")
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO trivia_players (guild_id, user_id, name) VALUES (?, ?, ?)",
        [(g, u, f"member {u}") for g, u in players],
    )
    db.execute("COMMIT")
    steps["rows generated and written"] = time.perf_counter() - started

    started = time.perf_counter()
    for _, _, sql in extras:
        db.execute(sql)
    steps["indexes and triggers rebuilt"] = time.perf_counter() - started

    started = time.perf_counter()
    db.execute("BEGIN")
    for sql in SQLITE_TOTALS_BACKFILL:
        db.execute(sql)
    db.execute("COMMIT")
    steps["totals computed"] = time.perf_counter() - started

    started = time.perf_counter()
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    steps["ANALYZE"] = time.perf_counter() - started
    db.close()
    return steps


def _marks(n: int) -> str:
    return ", ".join("?" * n)


async def fill(target: Path | str, args: argparse.Namespace) -> dict[str, float]:
    """Migrate a fresh state at `target`, then bulk-fill it."""
    state = await State.open(target)
    await state.close()
    if isinstance(target, Path):
        return await asyncio.to_thread(fill_sqlite, target, args.answers, args.servers, args.big_share)
    players: set[tuple[int, int]] = set()
    return await _postgres.fill(
        target, generate(args.answers, args.servers, args.big_share, players), players
    )


async def check_totals(state: State, guild: int) -> int:
    """A server's totals (all time, and the months summed) equal the sums of its answers; returns
    its number of members."""
    db = state._db
    sums = "CAST(sum(points) AS BIGINT), CAST(sum(correct) AS BIGINT)"
    answered = await db.fetchall(
        f"SELECT user_id, {sums} FROM trivia_answers WHERE guild_id = ? GROUP BY user_id ORDER BY user_id",
        (guild,),
    )
    all_time = await db.fetchall(
        "SELECT user_id, points, correct FROM trivia_totals WHERE guild_id = ? AND period = 0 "
        "ORDER BY user_id",
        (guild,),
    )
    months = await db.fetchall(
        f"SELECT user_id, {sums} FROM trivia_totals WHERE guild_id = ? AND period > 0 "
        "GROUP BY user_id ORDER BY user_id",
        (guild,),
    )
    assert answered == all_time == months, f"server {guild}: the totals are not the sums of its answers"
    return len(answered)


# -- timings ---------------------------------------------------------------------------------------


async def timed(call: Callable[[], Awaitable[object]], repeats: int) -> Timing:
    """p50 and p99 of `repeats` calls, after one untimed call."""
    await call()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[math.ceil(len(times) * 0.99) - 1]


async def time_award(state: State, report: Report, repeats: int) -> None:
    round_id = await state.trivia.start_round(BIG, 1, 1, "films", "buttons", NOW)
    question = iter(range(10**6))
    award = await timed(
        lambda: state.trivia.record_answer(
            round_id, BIG, Attempt(7, "member 7", next(question), True, 10, 1), NOW
        ),
        repeats,
    )
    report.time("award a point (an answer committed)", award)


async def time_claims(state: State, report: Report, repeats: int) -> None:
    """Claim then confirm a fresh day of the big server's schedule, `repeats` times (+1)."""
    features = state.features
    await features.save_schedule(BIG, 1, "09:00", "UTC", POST_DAY, LATER)
    days = iter(range(10**6))
    claims, both = [], []
    for n in range(repeats + 1):
        day = POST_DAY + timedelta(days=next(days))
        started = time.perf_counter()
        post = await features.claim(BIG, day, "stalker", 1, 1, f"claim {day}", NOW)
        claimed = time.perf_counter()
        assert post.status == "claimed" and post.nonce == f"claim {day}"
        await features.confirm(BIG, day, n + 1, day + timedelta(days=1), LATER, NOW)
        if n:  # the first is untimed, as in `timed`
            claims.append((claimed - started) * 1000)
            both.append((time.perf_counter() - started) * 1000)
    report.time("claim a post (claim)", _percentiles(claims))
    report.time("claim a post (claim + confirm)", _percentiles(both))


def _percentiles(times: list[float]) -> Timing:
    times = sorted(times)
    return statistics.median(times), times[math.ceil(len(times) * 0.99) - 1]


async def time_boards(state: State, report: Report, servers: int, repeats: int) -> None:
    for label, guild in (("big server", BIG), ("typical server", None)):
        for period, since in (("all time", 0), ("last week", NOW - WEEK)):
            board, rank = await boards(state.trivia, guild, since, servers, repeats)
            report.time(f"{label}, {period}: leaderboard", board)
            report.time(f"{label}, {period}: a member's rank", rank)


async def boards(
    repo: TriviaRepository, guild: int | None, since: int, servers: int, repeats: int
) -> tuple[Timing, Timing]:
    """Leaderboard and rank timings on `guild`, or on a random typical server each time."""
    rng = random.Random(1)

    def pick() -> int:
        return guild or rng.randrange(2, servers + 1)

    board = await timed(lambda: repo.leaderboard(pick(), since, 0), repeats)
    rank = await timed(lambda: repo.rank_of(pick(), rng.randrange(1, 51), since), repeats)
    return board, rank


# -- daily posts across processes ----------------------------------------------------------------


def post_guild(n: int) -> int:
    return (POST_GUILDS + n) << 22


async def schedule_posts(state: State, posts: int) -> None:
    """`posts` schedules due at NOW, on servers spread over the shards, in one transaction."""
    async with state._db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO feature_schedules (guild_id, channel_id, at, zone, next_date, next_due) "
            "VALUES (?, ?, '08:00', 'UTC', ?, ?)",
            [(post_guild(n), post_guild(n) + 1, POST_DAY.isoformat(), NOW) for n in range(posts)],
        )


async def reset_posts(state: State, target: Path | str) -> None:
    """Every post of the day undone: the schedules due again, for the next run."""
    async with state._db.transaction() as tx:
        await tx.execute("DELETE FROM feature_posts WHERE guild_id >= ?", (post_guild(0),))
        await tx.execute(
            "UPDATE feature_schedules SET next_date = ?, next_due = ? WHERE guild_id >= ?",
            (POST_DAY.isoformat(), NOW, post_guild(0)),
        )
    if isinstance(target, str):  # as autovacuum would, between two days' bursts
        await _postgres.vacuum(target, "feature_posts", "feature_schedules")


def post_worker(target: Path | str, shard_ids: tuple[int, ...], ready: Any, results: Any) -> None:
    """One OS process's posting (a spawned process's entry point)."""
    results.put(asyncio.run(_post(target, shard_ids, ready)))


async def _post(target: Path | str, shard_ids: tuple[int, ...], ready: Any) -> dict[str, Any]:
    state = await State.open(target, shards=Shards(shard_ids, SHARD_COUNT))
    won: list[tuple[int, str]] = []
    busy = 0

    async def post_one(schedule: Schedule) -> None:
        nonlocal busy
        nonce = f"{os.getpid()} {schedule.guild_id}"
        day = schedule.next_date
        try:
            post = await state.features.claim(
                schedule.guild_id, day, "stalker", 1, schedule.channel_id, nonce, NOW
            )
            if post.nonce != nonce:
                return  # another process's claim: not ours to send
            await state.features.confirm(
                schedule.guild_id, day, schedule.guild_id + 2, day + timedelta(days=1), NOW + 86_400, NOW
            )
            won.append((schedule.guild_id, day.isoformat()))
        except StorageUnavailable:  # locked past the busy timeout: still due, so tried again
            busy += 1

    async def post_all(due: list[Schedule]) -> None:  # WORKERS at once, as the feature loop does
        queue = list(reversed(due))

        async def worker() -> None:
            while queue:
                await post_one(queue.pop())

        await asyncio.gather(*(worker() for _ in range(WORKERS)))

    ready.wait(timeout=300)  # every process connected: start together
    started = time.monotonic()
    while due := await state.features.due(NOW):
        await post_all(due)
    ended = time.monotonic()
    await state.close()
    return {"shards": shard_ids, "started": started, "ended": ended, "won": won, "busy": busy}


def cpu_ticks() -> tuple[int, int]:
    """The machine's busy and total CPU time so far (/proc/stat), in ticks."""
    with open("/proc/stat") as stat:
        ticks = [int(n) for n in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return sum(ticks) - idle, sum(ticks)


async def run_posts(target: Path | str, processes: int) -> tuple[list[dict[str, Any]], float]:
    """`processes` spawned processes sharing the shards; their reports, and how busy the machine's
    CPUs were (0-1) while they posted."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(processes + 1)
    results = context.Queue()
    each = SHARD_COUNT // processes
    shards = [tuple(range(n * each, (n + 1) * each)) for n in range(processes)]
    workers = [context.Process(target=post_worker, args=(target, ids, ready, results)) for ids in shards]
    for worker in workers:
        worker.start()
    await asyncio.to_thread(ready.wait, 300)
    busy_before, total_before = cpu_ticks()
    reports = [await asyncio.to_thread(results.get, True, 3600) for _ in workers]
    busy_after, total_after = cpu_ticks()
    for worker in workers:
        await asyncio.to_thread(worker.join)
        assert worker.exitcode == 0, f"a posting process failed ({worker.exitcode})"
    return reports, (busy_after - busy_before) / max(1, total_after - total_before)


async def check_posts(state: State, reports: list[dict[str, Any]], posts: int) -> str:
    won = [claim for report in reports for claim in report["won"]]
    assert len(won) == len(set(won)) == posts, f"{len(won)} claims won, {len(set(won))} distinct"
    row = await state._db.fetchone(
        "SELECT count(*), count(DISTINCT guild_id) FROM feature_posts WHERE guild_id >= ? AND day = ? "
        "AND status = 'sent'",
        (post_guild(0), POST_DAY.isoformat()),
    )
    assert row == (posts, posts), f"posts sent: {row}"
    row = await state._db.fetchone(
        "SELECT count(*) FROM feature_schedules WHERE guild_id >= ? AND next_date = ?",
        (post_guild(0), (POST_DAY + timedelta(days=1)).isoformat()),
    )
    assert row == (posts,), f"schedules moved on: {row}"
    busy = sum(report["busy"] for report in reports)
    return f"{posts:,} sent, {len(won):,} claims won, none twice, {busy} busy retries"


async def time_posts(state: State, target: Path | str, report: Report, posts: int) -> None:
    """ROUNDS rounds of 1, 2 and 4 processes, interleaved (the host's other load falls on all
    alike); the median of each."""
    await schedule_posts(state, posts)
    times: dict[int, list[float]] = {processes: [] for processes in PROCESSES}
    for _ in range(ROUNDS):
        for processes in PROCESSES:
            await reset_posts(state, target)
            reports, cpu = await run_posts(target, processes)
            took = max(r["ended"] for r in reports) - min(r["started"] for r in reports)
            times[processes].append(took)
            verdict = await check_posts(state, reports, posts)
            print(
                f"  {posts:,} posts by {processes} process(es): {took:.2f} s, CPUs {cpu:.0%} busy; {verdict}",
                flush=True,
            )
    report.posts = {processes: statistics.median(runs) for processes, runs in times.items()}
    medians = ", ".join(
        f"{n} process(es) {took:.2f} s (x{took / report.posts[1]:.2f})" for n, took in report.posts.items()
    )
    print(f"  posts, medians of {ROUNDS}: {medians}", flush=True)


# -- one backend, then the summary ---------------------------------------------------------------


@asynccontextmanager
async def target_of(backend: str) -> Any:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield Path(tmp) / "filmbot.db"
    else:
        with _postgres.server() as url:
            print(f"  {await _postgres.settings(url)}")
            yield url


def load() -> str:
    return "load average " + " ".join(f"{n:.2f}" for n in os.getloadavg())


async def bench(backend: str, args: argparse.Namespace) -> Report:
    report = Report(backend)
    report.load.append(load())
    print(f"{backend}: {report.load[0]}", flush=True)
    async with target_of(backend) as target:
        started = time.perf_counter()
        report.fill = await fill(target, args)
        steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in report.fill.items())
        print(
            f"  {args.answers:,} answers in {args.servers:,} servers filled in "
            f"{time.perf_counter() - started:.1f} s ({steps})",
            flush=True,
        )
        state = await State.open(target)
        try:
            await time_award(state, report, args.repeats)
            await time_claims(state, report, args.repeats)
            await time_posts(state, target, report, args.posts)
            await time_boards(state, report, args.servers, args.repeats)
            members = [await check_totals(state, guild) for guild in (BIG, 2)]
            print(
                f"  totals equal the answers' sums (big server: {members[0]} members, server 2: {members[1]})"
            )
        finally:
            await state.close()
    report.load.append(load())
    print(f"{backend}: {report.load[1]}", flush=True)
    return report


def summary(reports: list[Report]) -> None:
    """The figures side by side, as markdown (with the ratio of the second backend to the first)."""
    ratio = len(reports) == 2
    print(
        "\n| | "
        + " | ".join(f"{r.backend} p50 / p99" for r in reports)
        + " |"
        + (" p99 ratio |" if ratio else "")
    )
    print("|---" * (len(reports) + 1 + ratio) + "|")
    for label in reports[0].timings:
        cells = [f"{r.timings[label][0]:.2f} / {r.timings[label][1]:.2f} ms" for r in reports]
        if ratio:
            cells.append(f"{reports[1].timings[label][1] / reports[0].timings[label][1]:.2f}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    for processes in PROCESSES:
        cells = [f"{r.posts[processes]:.2f} s (x{r.posts[processes] / r.posts[1]:.2f})" for r in reports]
        if ratio:
            cells.append(f"{reports[1].posts[processes] / reports[0].posts[processes]:.2f}")
        print(f"| {processes} process(es): all posts | " + " | ".join(cells) + " |")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--answers", type=int, default=10_000_000)
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--big-share", type=float, default=0.1, help="of the answers, in one server")
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--posts", type=int, default=5_000, help="daily posts due at the same moment")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    reports = [await bench(backend, args) for backend in backends]
    summary(reports)


if __name__ == "__main__":
    asyncio.run(main())
