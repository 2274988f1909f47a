"""`filmbot db copy`: move an install's state between databases (SQLite to PostgreSQL, and back).

Each table is copied in one transaction of the target, in batches read in key order, and its row
count checked before that transaction commits. The trivia totals are not copied: the target's own
triggers rebuild them from the answers, and they are checked against the source's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .database import Database, DatabaseError

BATCH = 5_000

# Every table of the state, parents before the rows that refer to them, with its columns and key.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "meta": (("key", "value"), ("key",)),
    "trivia_settings": (("guild_id", "questions", "seconds", "mode", "reveal", "unanswered"), ("guild_id",)),
    "trivia_rounds": (
        ("id", "guild_id", "channel_id", "starter_id", "topic", "mode", "started_at", "ended_at", "status"),
        ("id",),
    ),
    "trivia_answers": (
        ("round_id", "question", "guild_id", "user_id", "correct", "points", "at"),
        ("round_id", "question", "user_id"),
    ),
    "trivia_players": (("guild_id", "user_id", "name", "rounds_won", "best_streak"), ("guild_id", "user_id")),
    "feature_schedules": (
        (
            "guild_id",
            "channel_id",
            "at",
            "zone",
            "next_date",
            "next_due",
            "paused",
            "pause_reason",
            "told",
            "queued_film",
        ),
        ("guild_id",),
    ),
    "feature_posts": (
        (
            "guild_id",
            "day",
            "status",
            "film_id",
            "cycle",
            "channel_id",
            "nonce",
            "message_id",
            "reason",
            "at",
        ),
        ("guild_id", "day"),
    ),
    "club_settings": (("guild_id", "role_id"), ("guild_id",)),
    "club_suggestions": (("guild_id", "user_id", "name", "film_id", "at"), ("guild_id", "user_id")),
    "club_polls": (
        (
            "message_id",
            "guild_id",
            "channel_id",
            "starter_id",
            "films",
            "screening_at",
            "zone",
            "place_channel",
            "place",
            "status",
            "winner",
            "event_id",
            "at",
        ),
        ("message_id",),
    ),
    "club_screenings": (("guild_id", "film_id", "day", "at"), ("guild_id", "film_id", "day")),
    "club_ratings": (
        ("guild_id", "film_id", "user_id", "name", "halves", "review", "at"),
        ("guild_id", "film_id", "user_id"),
    ),
}
DERIVED = "trivia_totals"  # kept by triggers on trivia_answers
_TOTALS = f"SELECT count(*), coalesce(sum(points), 0) FROM {DERIVED} WHERE points <> 0 OR correct <> 0"


class CopyRefused(DatabaseError):
    """The target holds state already and --replace was not given; the message says what."""


@dataclass(frozen=True)
class Copied:
    table: str
    rows: int


async def count(db: Database, table: str) -> int:
    row = await db.fetchone(f"SELECT count(*) FROM {table}")
    return int(row[0]) if row else 0


async def copy_state(
    source: Database,
    target: Database,
    *,
    replace: bool = False,
    progress: Callable[[Copied], None] | None = None,
) -> list[Copied]:
    """Copy every table of `source` into `target` (both migrated to this filmbot's version)."""
    held = {table: n for table in (*TABLES, DERIVED) if (n := await count(target, table))}
    if held and not replace:
        what = ", ".join(f"{n} rows in {table}" for table, n in held.items())
        raise CopyRefused(f"{target.where} already holds state ({what}); pass --replace to overwrite it")
    if held:
        async with target.transaction() as tx:
            for table in reversed((*TABLES, DERIVED)):
                await tx.execute(f"DELETE FROM {table}")
    copied = []
    for table in TABLES:
        done = Copied(table, await _copy_table(source, target, table))
        copied.append(done)
        if progress:
            progress(done)
    if await source.fetchone(_TOTALS) != await target.fetchone(_TOTALS):
        raise DatabaseError(f"the trivia totals rebuilt in {target.where} differ from {source.where}'s")
    return copied


async def _copy_table(source: Database, target: Database, table: str) -> int:
    columns, key = TABLES[table]
    names, marks = ", ".join(columns), ", ".join("?" * len(columns))
    at = [columns.index(k) for k in key]
    after = f"WHERE ({', '.join(key)}) > ({', '.join('?' * len(key))})"
    read = f"SELECT {names} FROM {table} {{where}} ORDER BY {', '.join(key)} LIMIT {BATCH}"
    expected = await count(source, table)
    written = 0
    async with target.transaction() as tx:
        rows = await source.fetchall(read.format(where=""))
        while rows:
            await tx.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            written += len(rows)
            last = tuple(rows[-1][i] for i in at)
            rows = await source.fetchall(read.format(where=after), last) if len(rows) == BATCH else []
        if table == "trivia_rounds" and target.dialect == "postgresql":
            # rows came with their ids: the next round's id follows the highest copied
            await tx.execute(
                "SELECT setval(pg_get_serial_sequence('trivia_rounds', 'id'), "
                "coalesce((SELECT max(id) FROM trivia_rounds), 0) + 1, false)"
            )
        row = await tx.fetchone(f"SELECT count(*) FROM {table}")
        if written != expected or row is None or row[0] != expected:
            raise DatabaseError(
                f"{table}: {expected} rows in {source.where}, {row[0] if row else 0} copied: rolled back"
            )
    return written
