"""`filmbot db copy`: an install's state moved from SQLite to PostgreSQL and back, row for row."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.club.model import ClubPoll
from bot.storage import State
from bot.storage.copy import DERIVED, TABLES
from bot.storage.database import open_database
from bot.trivia.model import Attempt, TriviaSettings


async def fill(target: Path | str) -> None:
    """State as an install has it after a while: rounds, answers, settings, schedules and posts,
    with the text a member may write (unicode, quotes, markdown)."""
    state = await State.open(target)
    try:
        await state.meta.set("commands", "digest ✓")
        for guild in (1, 2, 3 << 22):
            await state.trivia.save_settings(guild, TriviaSettings(5, 30, "typed", False, 2))
            for n in range(3):
                round_id = await state.trivia.start_round(guild, 10, 7, "films", "typed", 1_796_000_000 + n)
                attempts = [
                    Attempt(user, f"Ста́лкер «{user}» **{n}** 'o'", q, (user + q) % 2 == 0, 10 * q, q)
                    for user in range(1, 6)
                    for q in range(4)
                ]
                await state.trivia.record_answers(round_id, guild, attempts, 1_796_000_100 + n * 3_000_000)
                await state.trivia.end_round(round_id, "finished", [2], 1_796_000_200)
            await state.features.save_schedule(guild, 10, "09:00", "Europe/Moscow", date(2026, 12, 3), 5000)
            await state.features.queue(guild, "mirror-1975")
            await state.features.claim(guild, date(2026, 12, 2), "stalker-1979", 0, 10, "n", 4000)
            await state.features.confirm(guild, date(2026, 12, 2), 99, date(2026, 12, 3), 5000, 4001)
            await state.features.skip(guild, [date(2026, 12, 1)], "the bot was offline", 3000)
            await state.club.set_role(guild, 55)
            for user in (1, 2):
                await state.club.suggest(guild, user, f"«{user}» **x**", "mirror-1975", 6000 + user)
                await state.club.rate(guild, "stalker-1979", user, "ana", 7 + user, "‘ok’ @everyone", 6100)
            poll = ClubPoll(
                guild + 500,
                guild,
                10,
                ("mirror-1975", "solaris-1972"),
                7000,
                "Europe/Moscow",
                None,
                "Kino «Rodina»",
                "open",
                None,
                None,
            )
            await state.club.add_poll(poll, 7, 6200)
            await state.club.record_screening(guild, "stalker-1979", date(2026, 11, 20), 6300)
        await state.trivia.start_round(1, 11, 7, "films", "buttons", 1_796_000_900)  # still running
    finally:
        await state.close()


async def dump(target: Path | str) -> dict[str, list[tuple[object, ...]]]:
    db = await open_database(target)
    try:
        tables = {t: (columns, key) for t, (columns, key) in TABLES.items()}
        tables[DERIVED] = (
            ("guild_id", "period", "user_id", "points", "correct"),
            ("guild_id", "period", "user_id"),
        )
        return {
            table: await db.fetchall(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(key)}")
            for table, (columns, key) in tables.items()
        }
    finally:
        await db.close()


def test_state_goes_to_postgresql_and_back_row_for_row(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tmp_path / "filmbot.db"
    asyncio.run(fill(original))
    assert main(["db", "copy", str(original), postgres_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[: len(TABLES)] == [
        "meta: 1 rows",
        "trivia_settings: 3 rows",
        "trivia_rounds: 10 rows",
        "trivia_answers: 180 rows",
        "trivia_players: 15 rows",
        "feature_schedules: 3 rows",
        "feature_posts: 6 rows",
        "club_settings: 3 rows",
        "club_suggestions: 6 rows",
        "club_polls: 3 rows",
        "club_screenings: 3 rows",
        "club_ratings: 6 rows",
    ]
    assert out[-1].startswith("copied 239 rows from ") and out[-1].endswith("; counts match")
    assert asyncio.run(dump(postgres_url)) == asyncio.run(dump(original))

    async def on_postgresql() -> None:
        state = await State.open(postgres_url)
        try:  # the copy is live state: the next round follows the copied ones, the board reads totals
            assert await state.trivia.start_round(1, 10, 7, "films", "typed", 1_797_000_000) == 11
            board, total = await state.trivia.leaderboard(1, 0, 0)
            assert total == 5 and board[0].name.startswith("Ста́лкер «")
            assert [r.topic for r in await state.trivia.interrupt_running(1_797_000_001)] == ["films"] * 2
        finally:
            await state.close()

    asyncio.run(on_postgresql())
    back = tmp_path / "back.db"
    assert main(["db", "copy", postgres_url, str(back)]) == 0
    capsys.readouterr()
    assert asyncio.run(dump(back)) == asyncio.run(dump(postgres_url))


def test_a_target_with_state_is_refused_unless_replaced(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source, other = tmp_path / "filmbot.db", tmp_path / "other.db"
    asyncio.run(fill(source))
    asyncio.run(fill(postgres_url))
    asyncio.run(fill(other))

    async def change() -> None:
        state = await State.open(other)
        await state.trivia.reset(1)
        await state.close()

    asyncio.run(change())
    assert main(["db", "copy", str(other), postgres_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("filmbot: cannot copy: postgresql://postgres:***@/") and err.count("\n") == 1
    assert "already holds state (1 rows in meta, 3 rows in trivia_settings" in err and "--replace" in err
    assert asyncio.run(dump(postgres_url)) == asyncio.run(dump(source))  # untouched
    assert main(["db", "copy", str(other), postgres_url, "--replace"]) == 0
    assert asyncio.run(dump(postgres_url)) == asyncio.run(dump(other))


def test_urls_it_cannot_use_and_one_database_twice_are_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "copy", str(tmp_path / "a.db"), "mysql://x@y/z"]) == 2
    assert capsys.readouterr().err.startswith("filmbot: DST: mysql:// databases are not supported")
    assert main(["db", "copy", str(tmp_path / "a.db"), f"sqlite:///{tmp_path / 'a.db'}"]) == 2
    assert "SRC and DST are the same database" in capsys.readouterr().err


def test_the_copy_knows_every_table_and_column_of_the_state(tmp_path: Path) -> None:
    """A migration that adds a table or a column must teach `db copy` about it."""
    path = tmp_path / "filmbot.db"
    asyncio.run(fill(path))
    with sqlite3.connect(path) as conn:
        tables = {
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_")
        }
        assert tables == {*TABLES, DERIVED}
        for table, (columns, _) in TABLES.items():
            assert tuple(row[1] for row in conn.execute(f"PRAGMA table_info({table})")) == columns
