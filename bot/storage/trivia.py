"""Trivia state: rounds, answers (the scoreboard is their sum), players, and per-server settings.

Every answer is committed when it is given, so a crash loses no point already awarded. Scores
are always read for one server: no query here crosses servers except `forget`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..trivia.model import PAGE_SIZE, Attempt, RunningRound, Standing, Stats, TriviaSettings
from .database import Database

# All time and calendar months (UTC) are read from the totals the triggers of migration 0008 keep;
# other periods (this week) sum their answers, a week's worth at most.
_TOTALS = """
    SELECT t.user_id, coalesce(p.name, 'someone'), t.points, t.correct,
           rank() OVER (ORDER BY t.points DESC) AS rank
    FROM trivia_totals AS t
    LEFT JOIN trivia_players AS p ON p.guild_id = t.guild_id AND p.user_id = t.user_id
    WHERE t.guild_id = ? AND t.period = ? AND t.points > 0
"""


def _board(guild_id: int, since: int) -> tuple[str, tuple[int, int]]:
    """The ranking query since `since`, and its arguments. The start of a month (UTC) asks for
    that month's board, as `period_start` does for "this month"."""
    if since == 0:
        return _TOTALS, (guild_id, 0)
    start = datetime.fromtimestamp(since, UTC)
    if (start.day, start.hour, start.minute, start.second) == (1, 0, 0, 0):
        return _TOTALS, (guild_id, start.year * 100 + start.month)
    return _BOARD, (guild_id, since)


_BOARD = """
    SELECT a.user_id, coalesce(p.name, 'someone'), sum(a.points) AS points, sum(a.correct),
           rank() OVER (ORDER BY sum(a.points) DESC) AS rank
    FROM trivia_answers AS a
    LEFT JOIN trivia_players AS p ON p.guild_id = a.guild_id AND p.user_id = a.user_id
    WHERE a.guild_id = ? AND a.at >= ?
    GROUP BY a.user_id
    HAVING sum(a.points) > 0
"""


class TriviaRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- rounds ------------------------------------------------------------------------------------

    async def start_round(
        self, guild_id: int, channel_id: int, starter_id: int, topic: str, mode: str, now: int
    ) -> int:
        async with self._db.transaction() as c:
            cursor = await c.execute(
                "INSERT INTO trivia_rounds (guild_id, channel_id, starter_id, topic, mode, started_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (guild_id, channel_id, starter_id, topic, mode, now),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    async def end_round(self, round_id: int, status: str, winners: list[int], now: int) -> None:
        async with self._db.transaction() as c:
            await c.execute(
                "UPDATE trivia_rounds SET status = ?, ended_at = ? WHERE id = ?", (status, now, round_id)
            )
            await c.executemany(
                "UPDATE trivia_players SET rounds_won = rounds_won + 1 "
                "WHERE user_id = ? AND guild_id = (SELECT guild_id FROM trivia_rounds WHERE id = ?)",
                [(user_id, round_id) for user_id in winners],
            )

    async def interrupt_running(self, now: int) -> list[RunningRound]:
        """Close the rounds a previous run left running (it stopped mid-round); returns them."""
        async with self._db.transaction() as c:
            async with c.execute(
                "SELECT id, guild_id, channel_id, topic FROM trivia_rounds WHERE status = 'running'"
            ) as cursor:
                rounds = [RunningRound(*row) for row in await cursor.fetchall()]
            await c.execute(
                "UPDATE trivia_rounds SET status = 'interrupted', ended_at = ? WHERE status = 'running'",
                (now,),
            )
        return rounds

    # -- answers -----------------------------------------------------------------------------------

    async def record_answer(self, round_id: int, guild_id: int, attempt: Attempt, now: int) -> None:
        """Record a member's answer to a question, committed at once."""
        await self.record_answers(round_id, guild_id, [attempt], now)

    async def record_answers(self, round_id: int, guild_id: int, attempts: list[Attempt], now: int) -> None:
        """Record answers in one transaction (a right one replaces an earlier wrong guess)."""
        if not attempts:
            return
        async with self._db.transaction() as c:
            await c.executemany(
                "INSERT INTO trivia_answers (round_id, question, guild_id, user_id, correct, points, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (round_id, question, user_id) DO UPDATE SET "
                "correct = excluded.correct, points = excluded.points, at = excluded.at",
                [
                    (round_id, a.question, guild_id, a.user_id, int(a.correct), a.points, now)
                    for a in attempts
                ],
            )
            await c.executemany(
                "INSERT INTO trivia_players (guild_id, user_id, name, best_streak) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name, "
                "best_streak = max(best_streak, excluded.best_streak)",
                [(guild_id, a.user_id, a.name, a.best_streak) for a in attempts],
            )

    # -- scoreboards -------------------------------------------------------------------------------

    async def leaderboard(self, guild_id: int, since: int, page: int) -> tuple[list[Standing], int]:
        """One page (0-based) of the server's ranking since `since`, and the number of ranked members."""
        c = self._db.connection
        board, args = _board(guild_id, since)
        async with c.execute(f"SELECT count(*) FROM ({board})", args) as cursor:
            row = await cursor.fetchone()
        total = row[0] if row else 0
        async with c.execute(
            f"SELECT * FROM ({board}) ORDER BY rank, 2 LIMIT ? OFFSET ?", (*args, PAGE_SIZE, page * PAGE_SIZE)
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            Standing(rank, user, name, points, correct) for user, name, points, correct, rank in rows
        ], total

    async def rank_of(self, guild_id: int, user_id: int, since: int) -> Standing | None:
        board, args = _board(guild_id, since)
        async with self._db.connection.execute(
            f"SELECT * FROM ({board}) WHERE user_id = ?", (*args, user_id)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        user, name, points, correct, rank = row
        return Standing(rank, user, name, points, correct)

    async def stats(self, guild_id: int, user_id: int) -> Stats | None:
        async with self._db.connection.execute(
            "SELECT p.name, coalesce(sum(a.points), 0), coalesce(sum(a.correct), 0), count(a.user_id), "
            "count(DISTINCT a.round_id), p.rounds_won, p.best_streak, max(a.at) "
            "FROM trivia_players AS p LEFT JOIN trivia_answers AS a "
            "ON a.guild_id = p.guild_id AND a.user_id = p.user_id "
            "WHERE p.guild_id = ? AND p.user_id = ? GROUP BY p.user_id",
            (guild_id, user_id),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        standing = await self.rank_of(guild_id, user_id, 0)
        return Stats(*row, rank=standing.rank if standing else None)

    async def reset(self, guild_id: int) -> int:
        """Delete one server's scores; returns how many players it had."""
        async with self._db.transaction() as c:
            cursor = await c.execute("DELETE FROM trivia_players WHERE guild_id = ?", (guild_id,))
            await c.execute("DELETE FROM trivia_answers WHERE guild_id = ?", (guild_id,))
            await c.execute("DELETE FROM trivia_totals WHERE guild_id = ?", (guild_id,))
            return cursor.rowcount

    async def forget(self, user_id: int) -> int:
        """Delete a member's scores in every server; returns in how many servers they had some."""
        async with self._db.transaction() as c:
            cursor = await c.execute("DELETE FROM trivia_players WHERE user_id = ?", (user_id,))
            await c.execute("DELETE FROM trivia_answers WHERE user_id = ?", (user_id,))
            await c.execute("DELETE FROM trivia_totals WHERE user_id = ?", (user_id,))
            await c.execute("UPDATE trivia_rounds SET starter_id = 0 WHERE starter_id = ?", (user_id,))
            return cursor.rowcount

    # -- settings ----------------------------------------------------------------------------------

    async def settings(self, guild_id: int) -> TriviaSettings:
        async with self._db.connection.execute(
            "SELECT questions, seconds, mode, reveal, unanswered FROM trivia_settings WHERE guild_id = ?",
            (guild_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return TriviaSettings()
        questions, seconds, mode, reveal, unanswered = row
        return TriviaSettings(questions, seconds, mode, bool(reveal), unanswered)

    async def save_settings(self, guild_id: int, settings: TriviaSettings) -> None:
        async with self._db.transaction() as c:
            await c.execute(
                "INSERT OR REPLACE INTO trivia_settings VALUES (?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    settings.questions,
                    settings.seconds,
                    settings.mode,
                    int(settings.reveal),
                    settings.unanswered,
                ),
            )
