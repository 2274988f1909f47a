import random
import sqlite3
from pathlib import Path

import pytest

from bot.storage import Database, DatabaseError, MetaRepository, TriviaRepository
from bot.storage.database import migrations
from bot.trivia.model import Attempt


async def test_new_database_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "sub" / "filmbot.db")
    try:
        assert await db.version() == len(migrations())
        async with db.connection.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with db.connection.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1
        async with db.connection.execute("PRAGMA busy_timeout") as cursor:
            assert (await cursor.fetchone())[0] == 5000
    finally:
        await db.close()


async def test_meta_values_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "filmbot.db"
    db = await Database.open(path)
    await MetaRepository(db).set("k", "one")
    await MetaRepository(db).set("k", "two")
    await db.close()
    db = await Database.open(path)
    try:
        assert await MetaRepository(db).get("k") == "two"
        assert await MetaRepository(db).get("absent") is None
    finally:
        await db.close()


async def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "filmbot.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(DatabaseError, match="written by a newer filmbot"):
        await Database.open(path)


async def test_a_failing_migration_leaves_the_database_at_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = migrations()
    broken = [*shipped, (len(shipped) + 1, "CREATE TABLE ok (x INTEGER);\nCREATE TABLE meta (x INTEGER);\n")]
    monkeypatch.setattr("bot.storage.database.migrations", lambda: broken)
    path = tmp_path / "filmbot.db"
    with pytest.raises(DatabaseError, match="already exists"):
        await Database.open(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(shipped)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "ok" not in tables  # the half-applied migration was rolled back


async def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just notes " * 100, encoding="utf-8")
    with pytest.raises(DatabaseError, match=r"cannot use the database .*notes\.txt: file is not a database"):
        await Database.open(path)


async def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(DatabaseError, match="cannot open the database"):
        await Database.open(blocker / "filmbot.db")


async def test_the_boards_kept_in_totals_equal_the_sum_of_the_answers(tmp_path: Path) -> None:
    """All time and each month are read from totals kept by triggers; they must always be what
    summing the answers gives, through right answers replacing wrong guesses across a month's end,
    a forgotten member and a reset server."""
    db = await Database.open(tmp_path / "filmbot.db")
    repo = TriviaRepository(db)
    rng = random.Random(7)
    december, january = 1_796_083_200, 1_798_761_600  # 2026-12-01 and 2027-01-01, 00:00 UTC
    kept: dict[tuple[int, int, int], tuple[int, int, int, int]] = {}  # (round, question, user) -> answer
    for _ in range(30):
        guild = rng.choice([1, 2])
        now = rng.choice([january - 86_400, rng.randrange(december, january + 86_400 * 20)])
        round_id = await repo.start_round(guild, 1, 1, "films", "typed", now)
        for question in range(5):
            for user in rng.sample(range(1, 9), 4):
                for correct in (False, True) if rng.random() < 0.3 else (rng.random() < 0.5,):
                    now += rng.randrange(0, 3_600)  # near the month's end, a guess is replaced in the next
                    points = 10 if correct else 0
                    attempt = Attempt(user, f"member {user}", question, correct, points, 1)
                    await repo.record_answer(round_id, guild, attempt, now)
                    kept[(round_id, question, user)] = (guild, points, int(correct), now)

    def expected(guild: int, since: int, until: int = 2**40) -> dict[int, int]:
        sums: dict[int, int] = {}
        for (_, _, user), (g, points, _, at) in kept.items():
            if g == guild and since <= at < until:
                sums[user] = sums.get(user, 0) + points
        return {user: points for user, points in sums.items() if points > 0}

    for guild in (1, 2):
        for since, until in ((0, 2**40), (december, january), (january, 2**40)):
            board, total = await repo.leaderboard(guild, since, 0)
            assert {s.user_id: s.points for s in board} == expected(guild, since, until)
            assert total == len(expected(guild, since, until))
    await repo.forget(3)
    async with db.connection.execute("SELECT count(*) FROM trivia_totals WHERE user_id = 3") as cur:
        assert (await cur.fetchone()) == (0,)
    await repo.reset(1)
    async with db.connection.execute("SELECT count(*) FROM trivia_totals WHERE guild_id = 1") as cur:
        assert (await cur.fetchone()) == (0,)
    await db.close()
