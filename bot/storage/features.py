"""Daily feature state: schedules, and the record that makes each day's post happen exactly once."""

from __future__ import annotations

from datetime import date

from ..features.model import Post, Schedule
from ..shards import Shards
from .database import Database, Row

_SCHEDULE = "guild_id, channel_id, at, zone, next_date, next_due, paused, pause_reason, told, queued_film"
_POST = "guild_id, day, status, film_id, cycle, channel_id, nonce, message_id, reason, at"


def _schedule(row: Row) -> Schedule:
    guild, channel, at, zone, next_date, due, paused, reason, told, queued = row
    return Schedule(
        guild, channel, at, zone, date.fromisoformat(next_date), due, bool(paused), reason, bool(told), queued
    )


def _post(row: Row) -> Post:
    guild, day, *rest = row
    return Post(guild, date.fromisoformat(day), *rest)


class FeatureRepository:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        self._db = db
        self._shards = shards

    # -- schedules -------------------------------------------------------------------------------

    async def schedule(self, guild_id: int) -> Schedule | None:
        row = await self._db.fetchone(
            f"SELECT {_SCHEDULE} FROM feature_schedules WHERE guild_id = ?", (guild_id,)
        )
        return _schedule(row) if row else None

    async def save_schedule(
        self, guild_id: int, channel_id: int, at: str, zone: str, next_date: date, next_due: int
    ) -> None:
        """Create or replace a server's schedule (a queued film is kept), running."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO feature_schedules (guild_id, channel_id, at, zone, next_date, next_due) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
                "channel_id = excluded.channel_id, "
                "at = excluded.at, zone = excluded.zone, next_date = excluded.next_date, "
                "next_due = excluded.next_due, paused = 0, pause_reason = NULL, told = 0",
                (guild_id, channel_id, at, zone, next_date.isoformat(), next_due),
            )

    async def delete_schedule(self, guild_id: int) -> bool:
        async with self._db.transaction() as tx:
            return await tx.execute("DELETE FROM feature_schedules WHERE guild_id = ?", (guild_id,)) > 0

    async def set_paused(self, guild_id: int, paused: bool, reason: str | None = None) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE feature_schedules SET paused = ?, pause_reason = ?, told = 0 WHERE guild_id = ?",
                (int(paused), reason, guild_id),
            )

    async def mark_told(self, guild_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE feature_schedules SET told = 1 WHERE guild_id = ?", (guild_id,))

    async def set_next(self, guild_id: int, next_date: date, next_due: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE feature_schedules SET next_date = ?, next_due = ? WHERE guild_id = ?",
                (next_date.isoformat(), next_due, guild_id),
            )

    async def queue(self, guild_id: int, film_id: str | None) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE feature_schedules SET queued_film = ? WHERE guild_id = ?", (film_id, guild_id)
            )

    async def due(self, now: int, limit: int = 500) -> list[Schedule]:
        """Running schedules of this process's shards due at `now`, earliest first."""
        scope, args = Shards.where(self._shards)
        rows = await self._db.fetchall(
            f"SELECT {_SCHEDULE} FROM feature_schedules WHERE paused = 0 AND next_due <= ? AND {scope} "
            "ORDER BY next_due, guild_id LIMIT ?",
            (now, *args, limit),
        )
        return [_schedule(row) for row in rows]

    async def earliest_due(self) -> int | None:
        scope, args = Shards.where(self._shards)
        row = await self._db.fetchone(
            f"SELECT min(next_due) FROM feature_schedules WHERE paused = 0 AND {scope}", args
        )
        return row[0] if row else None

    # -- the posting record ------------------------------------------------------------------------

    async def post(self, guild_id: int, day: date) -> Post | None:
        row = await self._db.fetchone(
            f"SELECT {_POST} FROM feature_posts WHERE guild_id = ? AND day = ?", (guild_id, day.isoformat())
        )
        return _post(row) if row else None

    async def latest(self, guild_id: int, status: str) -> Post | None:
        """The server's latest post recorded with `status` ('sent' or 'skipped'), by when it was."""
        row = await self._db.fetchone(
            f"SELECT {_POST} FROM feature_posts WHERE guild_id = ? AND status = ? "
            "ORDER BY at DESC, day DESC LIMIT 1",
            (guild_id, status),
        )
        return _post(row) if row else None

    async def film_of_post(self, guild_id: int, message_id: int) -> str | None:
        """The film of the server's feature post `message_id` (its discussion thread has that id)."""
        row = await self._db.fetchone(
            "SELECT film_id FROM feature_posts WHERE guild_id = ? AND message_id = ? AND status = 'sent'",
            (guild_id, message_id),
        )
        return row[0] if row else None

    async def rotation(self, guild_id: int) -> tuple[int, set[str]]:
        """The current cycle and the films featured (or claimed) in it."""
        row = await self._db.fetchone(
            "SELECT coalesce(max(cycle), 0) FROM feature_posts WHERE guild_id = ? AND film_id IS NOT NULL",
            (guild_id,),
        )
        cycle = row[0] if row else 0
        rows = await self._db.fetchall(
            "SELECT film_id FROM feature_posts WHERE guild_id = ? AND cycle = ? AND film_id IS NOT NULL",
            (guild_id, cycle),
        )
        return cycle, {r[0] for r in rows}

    async def featured_count(self, guild_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT count(*) FROM feature_posts WHERE guild_id = ? AND status = 'sent'", (guild_id,)
        )
        return row[0] if row else 0

    async def claim(
        self, guild_id: int, day: date, film_id: str, cycle: int, channel_id: int, nonce: str, now: int
    ) -> Post:
        """Claim `day`'s post before sending it. One claim wins, whichever process makes it (the unique
        row of the server and day); an existing record for the day is returned as it is."""
        async with self._db.transaction() as tx:
            won = await tx.execute(
                "INSERT INTO feature_posts (guild_id, day, status, film_id, cycle, channel_id, nonce, at) "
                "VALUES (?, ?, 'claimed', ?, ?, ?, ?, ?) ON CONFLICT (guild_id, day) DO NOTHING",
                (guild_id, day.isoformat(), film_id, cycle, channel_id, nonce, now),
            )
            if won and film_id is not None:
                await tx.execute(
                    "UPDATE feature_schedules SET queued_film = NULL WHERE guild_id = ? AND queued_film = ?",
                    (guild_id, film_id),
                )
        post = await self.post(guild_id, day)
        assert post is not None
        return post

    async def confirm(
        self, guild_id: int, day: date, message_id: int, next_date: date, next_due: int, now: int
    ) -> None:
        """The post is sent: record its message and move the schedule to its next date, together."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE feature_posts SET status = 'sent', message_id = ?, at = ? "
                "WHERE guild_id = ? AND day = ?",
                (message_id, now, guild_id, day.isoformat()),
            )
            await tx.execute(
                "UPDATE feature_schedules SET next_date = ?, next_due = ? "
                "WHERE guild_id = ? AND next_date <= ?",
                (next_date.isoformat(), next_due, guild_id, day.isoformat()),
            )

    async def release(self, guild_id: int, day: date) -> None:
        """Forget a claim whose post certainly was not sent (Discord refused it)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM feature_posts WHERE guild_id = ? AND day = ? AND status = 'claimed'",
                (guild_id, day.isoformat()),
            )

    async def release_skip(self, guild_id: int, day: date) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM feature_posts WHERE guild_id = ? AND day = ? AND status = 'skipped'",
                (guild_id, day.isoformat()),
            )

    async def skip(self, guild_id: int, days: list[date], reason: str, now: int) -> None:
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO feature_posts (guild_id, day, status, reason, at) "
                "VALUES (?, ?, 'skipped', ?, ?) "
                "ON CONFLICT (guild_id, day) DO NOTHING",
                [(guild_id, day.isoformat(), reason, now) for day in days],
            )
