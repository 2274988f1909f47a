"""The fact index is a file of its own: built once for the data, renamed into place, read-only."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bot.config import load_settings
from bot.facts.index import ensure_index
from bot.qa.catalog import Catalog
from bot.storage import SQLiteDatabase
from bot.storage.database import migrations
from tests.conftest import curated_data


async def test_a_second_start_on_the_same_data_builds_nothing(tmp_path: Path) -> None:
    index = tmp_path / "filmbot-index.db"
    first = await ensure_index(index, curated_data())
    inode = index.stat().st_ino
    second = await ensure_index(index, curated_data())
    assert first.rebuilt and not second.rebuilt
    assert index.stat().st_ino == inode  # the same file: nothing was written
    assert (second.films, second.facts) == (first.films, first.facts) and first.films >= 200


async def test_new_data_is_built_beside_and_renamed_while_readers_keep_the_old(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(curated_data(), data, symlinks=False)
    index = tmp_path / "filmbot-index.db"
    await ensure_index(index, data)
    reading = Catalog.open(index)  # another process answering from the index
    stalker = data / "films" / "stalker-1979.yaml"
    stalker.write_text(stalker.read_text(encoding="utf-8").replace("runtime: 163", "runtime: 161"), "utf-8")
    report = await ensure_index(index, data)
    assert report.rebuilt and list(tmp_path.glob(".filmbot-index.db.*")) == []
    assert reading.film("stalker-1979").runtime == 163  # its file is the old one, still whole
    reading.close()
    fresh = Catalog.open(index)
    assert fresh.film("stalker-1979").runtime == 161
    fresh.close()
    read_only = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        read_only.execute("DELETE FROM films")
        raise AssertionError("a reader could write the index")
    except sqlite3.OperationalError as exc:
        assert "readonly" in str(exc)
    finally:
        read_only.close()


async def test_the_state_database_keeps_only_the_bots_state(tmp_path: Path) -> None:
    db = await SQLiteDatabase.open(tmp_path / "filmbot.db")
    async with db.connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ) as cur:
        tables = sorted(name for (name,) in await cur.fetchall())
    await db.close()
    state = ("trivia_", "feature", "club_")
    assert tables and all(t == "meta" or t.startswith(state) for t in tables), tables


def test_the_index_is_beside_the_database_unless_set() -> None:
    assert load_settings(environ={"FILMBOT_DATABASE": "/srv/bot/state.db"}).index_path == Path(
        "/srv/bot/state-index.db"
    )
    assert load_settings(environ={}).index_path == Path("filmbot-index.db")
    chosen = load_settings(environ={"FILMBOT_INDEX": "/var/cache/films.db"})
    assert chosen.index_path == Path("/var/cache/films.db")


async def test_an_installation_with_the_index_in_its_state_database_loses_it_on_upgrade(
    tmp_path: Path,
) -> None:
    path = tmp_path / "filmbot.db"
    old = sqlite3.connect(path)  # as versions 1-6 left it: the index's tables beside the state
    for _, sql in migrations("sqlite")[:6]:
        old.executescript(sql)
    old.executescript(
        "INSERT INTO meta VALUES ('facts_hash', 'old'), ('commands_hash', 'kept');"
        "CREATE TABLE films (id TEXT PRIMARY KEY, title TEXT);"
        "CREATE VIRTUAL TABLE fact_search USING fts5 (text);"
        "PRAGMA user_version = 6;"
    )
    old.close()
    db = await SQLiteDatabase.open(path)
    async with db.connection.execute(
        "SELECT name FROM sqlite_master WHERE name IN ('films', 'fact_search')"
    ) as cur:
        assert await cur.fetchall() == []
    async with db.connection.execute("SELECT key FROM meta") as cur:
        assert [key for (key,) in await cur.fetchall()] == ["commands_hash"]
    await db.close()
