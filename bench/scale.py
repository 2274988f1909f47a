"""Benchmark the trivia boards at scale on SQLite: leaderboards and ranks over millions of answers.

It fills a fresh state database (the shipped migrations) with --answers answer rows spread over
--servers servers: one big server holds --big-share of them (a club with years of rounds), the
rest share the remainder; answers span three years and 2,000 members a server at most. Then it
times, through the real repository (bot/storage/trivia.py): a leaderboard page and a member's
rank, all time and for the last week, on the big server and on typical ones; and awarding one
point (an answer committed). Each is run --repeats times; medians and 99th percentiles in ms.

    .venv/bin/python bench/scale.py            # --answers 10,000,000 --servers 10,000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.storage import SQLiteDatabase, TriviaRepository
from bot.trivia.model import Attempt

YEARS = 3 * 365 * 86_400
WEEK = 7 * 86_400
NOW = 1_800_000_000


def fill(path: Path, answers: int, servers: int, big_share: float) -> int:
    """Answer rows (a round per 200 answers, a question per 10) and players; the big server's id."""
    rng = random.Random(2026)
    db = sqlite3.connect(path)
    big = 1
    rows_round, rows_answer = [], []
    players: set[tuple[int, int]] = set()
    for n in range(answers):
        guild = big if rng.random() < big_share else rng.randrange(2, servers + 1)
        members = 2_000 if guild == big else 50
        user = rng.randrange(1, members + 1)
        round_id = n // 200 + 1
        if n % 200 == 0:
            rows_round.append(
                (round_id, guild, 1, 1, "films", "buttons", NOW - rng.randrange(YEARS), "finished")
            )
        correct = rng.random() < 0.4
        rows_answer.append(
            (round_id, n % 200, guild, user, int(correct), 10 if correct else 0, NOW - rng.randrange(YEARS))
        )
        players.add((guild, user))
        if len(rows_answer) == 200_000:
            _write(db, rows_round, rows_answer)
            rows_round, rows_answer = [], []
    _write(db, rows_round, rows_answer)
    db.executemany(
        "INSERT INTO trivia_players (guild_id, user_id, name) VALUES (?, ?, ?)",
        [(g, u, f"member {u}") for g, u in players],
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return big


def _write(db: sqlite3.Connection, rounds: list[tuple], answers: list[tuple]) -> None:  # type: ignore[type-arg]
    db.executemany(
        "INSERT OR IGNORE INTO trivia_rounds (id, guild_id, channel_id, starter_id, topic, mode, "
        "started_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rounds,
    )
    db.executemany(
        "INSERT OR IGNORE INTO trivia_answers (round_id, question, guild_id, user_id, correct, points, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        answers,
    )
    db.commit()


async def timed(call: Callable[[], Awaitable[object]], repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)]


async def boards(
    repo: TriviaRepository, guild: int | None, since: int, servers: int, repeats: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Leaderboard and rank timings on `guild`, or on a random typical server each time."""
    rng = random.Random(1)

    def pick() -> int:
        return guild or rng.randrange(2, servers + 1)

    board = await timed(lambda: repo.leaderboard(pick(), since, 0), repeats)
    rank = await timed(lambda: repo.rank_of(pick(), rng.randrange(1, 51), since), repeats)
    return board, rank


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000_000)
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--big-share", type=float, default=0.1, help="of the answers, in one server")
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "filmbot.db"
        db = await SQLiteDatabase.open(path)
        await db.close()
        started = time.perf_counter()
        big = fill(path, args.answers, args.servers, args.big_share)
        took = time.perf_counter() - started
        print(f"{args.answers:,} answers in {args.servers:,} servers written in {took:.1f} s")
        db = await SQLiteDatabase.open(path)
        repo = TriviaRepository(db)
        for label, guild in (("big server", big), ("typical server", None)):
            for period, since in (("all time", 0), ("last week", NOW - WEEK)):
                board, rank = await boards(repo, guild, since, args.servers, args.repeats)
                print(
                    f"{label}, {period}: leaderboard p50 {board[0]:.2f} ms, p99 {board[1]:.2f} ms; "
                    f"rank p50 {rank[0]:.2f} ms, p99 {rank[1]:.2f} ms"
                )
        round_id = await repo.start_round(big, 1, 1, "films", "buttons", NOW)
        question = iter(range(10**6))
        award = await timed(
            lambda: repo.record_answer(
                round_id, big, Attempt(7, "member 7", next(question), True, 10, 1), NOW
            ),
            args.repeats,
        )
        print(f"award a point (an answer committed): p50 {award[0]:.2f} ms, p99 {award[1]:.2f} ms")
        await db.close()


if __name__ == "__main__":
    asyncio.run(main())
