"""Trivia state: rounds, answers (the scoreboard is their sum), players, and per-server settings.

Every answer is committed when it is given, so a crash loses no point already awarded. Scores
are always read for one server: no query here crosses servers except `forget` (a member's data
everywhere) and `interrupt_running` (scoped to this process's shards).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..shards import Shards
from ..trivia.model import PAGE_SIZE, Attempt, RunningRound, Standing, Stats, TriviaSettings
from .database import Database

# All time and calendar months (UTC) are read from the totals the triggers of migration 0008 keep;
# other periods (this week) sum their answers, a week's worth at most, before the names are joined.
_NAMED = """
    SELECT t.user_id, coalesce(p.name, 'someone') AS name, t.points, t.correct,
           rank() OVER (ORDER BY t.points DESC) AS rank
    FROM ({scores}) AS t
    LEFT JOIN trivia_players AS p ON p.guild_id = ? AND p.user_id = t.user_id
"""
_TOTALS = (
    "SELECT user_id, points, correct FROM trivia_totals WHERE guild_id = ? AND period = ? AND points > 0"
)
_SUMS = (
    "SELECT user_id, CAST(sum(points) AS BIGINT) AS points, CAST(sum(correct) AS BIGINT) AS correct "
    "FROM trivia_answers WHERE guild_id = ? AND at >= ? GROUP BY user_id HAVING sum(points) > 0"
)


@dataclass(frozen=True)
class _Board:
    """A server's ranking over one period: its query (one row a ranked member), and its arguments."""

    scores: str
    args: tuple[int, int]

    @classmethod
    def of(cls, guild_id: int, since: int) -> _Board:
        """The start of a month (UTC) asks for that month's board, as `period_start` does for "this month"."""
        if since == 0:
            return cls(_TOTALS, (guild_id, 0))
        start = datetime.fromtimestamp(since, UTC)
        if (start.day, start.hour, start.minute, start.second) == (1, 0, 0, 0):
            return cls(_TOTALS, (guild_id, start.year * 100 + start.month))
        return cls(_SUMS, (guild_id, since))

    @property
    def ranked(self) -> tuple[str, tuple[int, ...]]:
        """Members with their names and ranks: user_id, name, points, correct, rank."""
        return _NAMED.format(scores=self.scores), (*self.args, self.args[0])

    @property
    def counted(self) -> tuple[str, tuple[int, ...]]:
        """How many members it ranks, without naming or ranking them."""
        return f"SELECT count(*) FROM ({self.scores}) AS scores", self.args


class TriviaRepository:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        self._db = db
        self._shards = shards

    # -- rounds ------------------------------------------------------------------------------------

    async def start_round(
        self, guild_id: int, channel_id: int, starter_id: int, topic: str, mode: str, now: int
    ) -> int:
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "INSERT INTO trivia_rounds (guild_id, channel_id, starter_id, topic, mode, started_at) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (guild_id, channel_id, starter_id, topic, mode, now),
            )
        assert row is not None
        return int(row[0])

    async def end_round(self, round_id: int, status: str, winners: list[int], now: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE trivia_rounds SET status = ?, ended_at = ? WHERE id = ?", (status, now, round_id)
            )
            await tx.executemany(
                "UPDATE trivia_players SET rounds_won = rounds_won + 1 "
                "WHERE user_id = ? AND guild_id = (SELECT guild_id FROM trivia_rounds WHERE id = ?)",
                [(user_id, round_id) for user_id in winners],
            )

    async def interrupt_running(self, now: int) -> list[RunningRound]:
        """Close the rounds a previous run of this process's shards left running (it stopped
        mid-round); returns them. Another process's live rounds are not touched."""
        scope, args = Shards.where(self._shards)
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "UPDATE trivia_rounds SET status = 'interrupted', ended_at = ? "
                f"WHERE status = 'running' AND {scope} RETURNING id, guild_id, channel_id, topic",
                (now, *args),
            )
        return [RunningRound(*row) for row in sorted(rows)]

    # -- answers -----------------------------------------------------------------------------------

    async def record_answer(self, round_id: int, guild_id: int, attempt: Attempt, now: int) -> None:
        """Record a member's answer to a question, committed at once."""
        await self.record_answers(round_id, guild_id, [attempt], now)

    async def record_answers(self, round_id: int, guild_id: int, attempts: list[Attempt], now: int) -> None:
        """Record answers in one transaction (a right one replaces an earlier wrong guess)."""
        if not attempts:
            return
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO trivia_answers (round_id, question, guild_id, user_id, correct, points, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (round_id, question, user_id) DO UPDATE SET "
                "correct = excluded.correct, points = excluded.points, at = excluded.at",
                [
                    (round_id, a.question, guild_id, a.user_id, int(a.correct), a.points, now)
                    for a in attempts
                ],
            )
            await tx.executemany(
                "INSERT INTO trivia_players (guild_id, user_id, name, best_streak) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name, best_streak = "
                "CASE WHEN excluded.best_streak > trivia_players.best_streak THEN excluded.best_streak "
                "ELSE trivia_players.best_streak END",
                [(guild_id, a.user_id, a.name, a.best_streak) for a in attempts],
            )

    # -- scoreboards -------------------------------------------------------------------------------

    async def leaderboard(self, guild_id: int, since: int, page: int) -> tuple[list[Standing], int]:
        """One page (0-based) of the server's ranking since `since`, and the number of ranked members."""
        board = _Board.of(guild_id, since)
        row = await self._db.fetchone(*board.counted)
        total = row[0] if row else 0
        ranked, args = board.ranked
        rows = await self._db.fetchall(
            f"SELECT * FROM ({ranked}) AS board ORDER BY rank, name LIMIT ? OFFSET ?",
            (*args, PAGE_SIZE, page * PAGE_SIZE),
        )
        return [
            Standing(rank, user, name, points, correct) for user, name, points, correct, rank in rows
        ], total

    async def rank_of(self, guild_id: int, user_id: int, since: int) -> Standing | None:
        ranked, args = _Board.of(guild_id, since).ranked
        row = await self._db.fetchone(
            f"SELECT * FROM ({ranked}) AS board WHERE user_id = ?", (*args, user_id)
        )
        if row is None:
            return None
        user, name, points, correct, rank = row
        return Standing(rank, user, name, points, correct)

    async def stats(self, guild_id: int, user_id: int) -> Stats | None:
        row = await self._db.fetchone(
            "SELECT p.name, CAST(coalesce(sum(a.points), 0) AS BIGINT), "
            "CAST(coalesce(sum(a.correct), 0) AS BIGINT), count(a.user_id), count(DISTINCT a.round_id), "
            "p.rounds_won, p.best_streak, max(a.at) "
            "FROM trivia_players AS p LEFT JOIN trivia_answers AS a "
            "ON a.guild_id = p.guild_id AND a.user_id = p.user_id "
            "WHERE p.guild_id = ? AND p.user_id = ? GROUP BY p.guild_id, p.user_id",
            (guild_id, user_id),
        )
        if row is None:
            return None
        standing = await self.rank_of(guild_id, user_id, 0)
        name, points, correct, answered, rounds, won, streak, last = row
        rank = standing.rank if standing else None
        return Stats(name, points, correct, answered, rounds, won, streak, last, rank)

    async def reset(self, guild_id: int) -> int:
        """Delete one server's scores; returns how many players it had."""
        async with self._db.transaction() as tx:
            players = await tx.execute("DELETE FROM trivia_players WHERE guild_id = ?", (guild_id,))
            await tx.execute("DELETE FROM trivia_answers WHERE guild_id = ?", (guild_id,))
            await tx.execute("DELETE FROM trivia_totals WHERE guild_id = ?", (guild_id,))
            return players

    async def forget(self, user_id: int) -> set[int]:
        """Delete a member's scores in every server; returns the servers they had some in."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "DELETE FROM trivia_players WHERE user_id = ? RETURNING guild_id", (user_id,)
            )
            await tx.execute("DELETE FROM trivia_answers WHERE user_id = ?", (user_id,))
            await tx.execute("DELETE FROM trivia_totals WHERE user_id = ?", (user_id,))
            await tx.execute("UPDATE trivia_rounds SET starter_id = 0 WHERE starter_id = ?", (user_id,))
            return {row[0] for row in rows}

    # -- settings ----------------------------------------------------------------------------------

    async def settings(self, guild_id: int) -> TriviaSettings:
        row = await self._db.fetchone(
            "SELECT questions, seconds, mode, reveal, unanswered FROM trivia_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return TriviaSettings()
        questions, seconds, mode, reveal, unanswered = row
        return TriviaSettings(questions, seconds, mode, bool(reveal), unanswered)

    async def save_settings(self, guild_id: int, settings: TriviaSettings) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO trivia_settings (guild_id, questions, seconds, mode, reveal, unanswered) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
                "questions = excluded.questions, seconds = excluded.seconds, mode = excluded.mode, "
                "reveal = excluded.reveal, unanswered = excluded.unanswered",
                (
                    guild_id,
                    settings.questions,
                    settings.seconds,
                    settings.mode,
                    int(settings.reveal),
                    settings.unanswered,
                ),
            )
