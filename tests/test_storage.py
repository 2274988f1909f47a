"""What is particular to the SQLite backend: its pragmas, and the files it cannot use. The repository
contract, on both backends, is tests/test_repositories.py."""

import sqlite3
from pathlib import Path

import pytest

from bot.storage import DatabaseError, SQLiteDatabase
from bot.storage.database import migrations


async def test_new_database_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = await SQLiteDatabase.open(tmp_path / "sub" / "filmbot.db")
    try:
        assert await db.version() == len(migrations("sqlite"))
        async with db.connection.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with db.connection.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1
        async with db.connection.execute("PRAGMA busy_timeout") as cursor:
            assert (await cursor.fetchone())[0] == 5000
    finally:
        await db.close()


async def test_a_failing_migration_leaves_the_database_at_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = migrations("sqlite")
    broken = [*shipped, (len(shipped) + 1, "CREATE TABLE ok (x INTEGER);\nCREATE TABLE meta (x INTEGER);\n")]
    monkeypatch.setattr("bot.storage.sqlite.migrations", lambda dialect: broken)
    path = tmp_path / "filmbot.db"
    with pytest.raises(DatabaseError, match="already exists"):
        await SQLiteDatabase.open(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(shipped)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "ok" not in tables  # the half-applied migration was rolled back


async def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just notes " * 100, encoding="utf-8")
    with pytest.raises(DatabaseError, match=r"cannot use the database .*notes\.txt: file is not a database"):
        await SQLiteDatabase.open(path)


async def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(DatabaseError, match="cannot open the database"):
        await SQLiteDatabase.open(blocker / "filmbot.db")
