"""Club state: suggestions, polls, screenings and ratings, each read for one server.

No query here crosses servers except `forget` (a member's data everywhere) and `pending` (the
polls of this process's shards that still need something done once they end).
"""

from __future__ import annotations

from datetime import date

from ..club.model import PAGE_SIZE, ClubPoll, FilmRatings, Rating, Screening, Suggestion
from ..shards import Shards
from .database import Database, Row

_POLL = (
    "SELECT message_id, guild_id, channel_id, films, screening_at, zone, place_channel, place, "
    "status, winner, event_id FROM club_polls"
)
_RATED = (
    "SELECT film_id, count(*) AS n, CAST(sum(halves) AS BIGINT) AS total "
    "FROM club_ratings WHERE guild_id = ? GROUP BY film_id"
)


def _poll(row: Row) -> ClubPoll:
    message_id, guild_id, channel_id, films, *rest = row
    return ClubPoll(message_id, guild_id, channel_id, tuple(films.split("\n")), *rest)


class ClubRepository:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        self._db = db
        self._shards = shards

    # -- settings ----------------------------------------------------------------------------------

    async def role(self, guild_id: int) -> int | None:
        """The role whose members may run polls and record screenings, besides Manage Server."""
        row = await self._db.fetchone("SELECT role_id FROM club_settings WHERE guild_id = ?", (guild_id,))
        return int(row[0]) if row and row[0] is not None else None

    async def set_role(self, guild_id: int, role_id: int | None) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO club_settings (guild_id, role_id) VALUES (?, ?) "
                "ON CONFLICT (guild_id) DO UPDATE SET role_id = excluded.role_id",
                (guild_id, role_id),
            )

    # -- suggestions -------------------------------------------------------------------------------

    async def suggest(self, guild_id: int, user_id: int, name: str, film_id: str, now: int) -> str | None:
        """Make `film_id` the member's suggestion at `now` (unix milliseconds); returns the film it
        replaced, if any."""
        async with self._db.transaction() as tx:
            before = await tx.fetchone(
                "SELECT film_id FROM club_suggestions WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            await tx.execute(
                "INSERT INTO club_suggestions (guild_id, user_id, name, film_id, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name, "
                "film_id = excluded.film_id, at = excluded.at",
                (guild_id, user_id, name, film_id, now),
            )
        return str(before[0]) if before else None

    async def withdraw(self, guild_id: int, user_id: int) -> str | None:
        """Withdraw the member's suggestion; returns its film, if they had one."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "DELETE FROM club_suggestions WHERE guild_id = ? AND user_id = ? RETURNING film_id",
                (guild_id, user_id),
            )
        return str(row[0]) if row else None

    async def suggestions(self, guild_id: int) -> list[Suggestion]:
        rows = await self._db.fetchall(
            "SELECT user_id, name, film_id, at FROM club_suggestions WHERE guild_id = ? ORDER BY at, user_id",
            (guild_id,),
        )
        return [Suggestion(*row) for row in rows]

    # -- polls -------------------------------------------------------------------------------------

    async def add_poll(self, poll: ClubPoll, starter_id: int, now: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO club_polls (message_id, guild_id, channel_id, starter_id, films, screening_at, "
                "zone, place_channel, place, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    poll.message_id,
                    poll.guild_id,
                    poll.channel_id,
                    starter_id,
                    "\n".join(poll.films),
                    poll.screening_at,
                    poll.zone,
                    poll.place_channel,
                    poll.place,
                    now,
                ),
            )

    async def poll(self, message_id: int) -> ClubPoll | None:
        row = await self._db.fetchone(f"{_POLL} WHERE message_id = ?", (message_id,))
        return _poll(row) if row else None

    async def open_poll(self, guild_id: int) -> ClubPoll | None:
        """The server's poll still open, if any: one at a time."""
        row = await self._db.fetchone(
            f"{_POLL} WHERE guild_id = ? AND status = 'open' ORDER BY message_id DESC", (guild_id,)
        )
        return _poll(row) if row else None

    async def pending(self) -> list[ClubPoll]:
        """The polls, in this process's servers, whose end has not been announced yet, then those
        announced whose screening event has not ended yet."""
        scope, args = Shards.where(self._shards)
        rows = await self._db.fetchall(
            f"{_POLL} WHERE status <> 'done' AND {scope} ORDER BY status = 'announced', message_id", args
        )
        return [_poll(row) for row in rows]

    async def decide(self, message_id: int, winner: str | None) -> bool:
        """Record the poll's result; False if it was already decided (by another process, say)."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE club_polls SET status = 'decided', winner = ? "
                "WHERE message_id = ? AND status = 'open'",
                (winner, message_id),
            )
        return changed == 1

    async def set_event(self, message_id: int, event_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE club_polls SET event_id = ? WHERE message_id = ?", (event_id, message_id)
            )

    async def mark_announced(self, message_id: int) -> None:
        """The winner is announced: the poll is done, or waits for its screening event to end."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE club_polls SET status = CASE WHEN event_id IS NULL THEN 'done' ELSE 'announced' END "
                "WHERE message_id = ? AND status IN ('open', 'decided')",
                (message_id,),
            )

    async def mark_done(self, message_id: int) -> bool:
        """The poll's event is over; False if it was done already."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE club_polls SET status = 'done' WHERE message_id = ? AND status <> 'done'",
                (message_id,),
            )
        return changed == 1

    async def poll_of_event(self, guild_id: int, event_id: int) -> ClubPoll | None:
        row = await self._db.fetchone(f"{_POLL} WHERE guild_id = ? AND event_id = ?", (guild_id, event_id))
        return _poll(row) if row else None

    # -- screenings --------------------------------------------------------------------------------

    async def record_screening(self, guild_id: int, film_id: str, day: date, now: int) -> bool:
        """Record that the club watched `film_id` on `day`, closing its suggestions; False if it
        was recorded already."""
        async with self._db.transaction() as tx:
            added = await tx.execute(
                "INSERT INTO club_screenings (guild_id, film_id, day, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (guild_id, film_id, day) DO NOTHING",
                (guild_id, film_id, day.isoformat(), now),
            )
            await tx.execute(
                "DELETE FROM club_suggestions WHERE guild_id = ? AND film_id = ?", (guild_id, film_id)
            )
        return added == 1

    async def watched_on(self, guild_id: int, film_id: str) -> date | None:
        """When the club last watched `film_id`, if it has."""
        row = await self._db.fetchone(
            "SELECT max(day) FROM club_screenings WHERE guild_id = ? AND film_id = ?", (guild_id, film_id)
        )
        return date.fromisoformat(row[0]) if row and row[0] else None

    async def history(self, guild_id: int, page: int) -> tuple[list[Screening], int]:
        """One page (0-based) of the server's screenings, latest first, and how many there are."""
        row = await self._db.fetchone("SELECT count(*) FROM club_screenings WHERE guild_id = ?", (guild_id,))
        total = int(row[0]) if row else 0
        rows = await self._db.fetchall(
            f"SELECT s.film_id, s.day, r.n, r.total FROM club_screenings AS s "
            f"LEFT JOIN ({_RATED}) AS r ON r.film_id = s.film_id "
            "WHERE s.guild_id = ? ORDER BY s.day DESC, s.at DESC LIMIT ? OFFSET ?",
            (guild_id, guild_id, PAGE_SIZE, page * PAGE_SIZE),
        )
        return [
            Screening(film, date.fromisoformat(day), FilmRatings(film, n, halves) if n else None)
            for film, day, n, halves in rows
        ], total

    # -- ratings -----------------------------------------------------------------------------------

    async def rate(
        self, guild_id: int, film_id: str, user_id: int, name: str, halves: int, review: str | None, now: int
    ) -> Rating | None:
        """Record the member's rating of `film_id`; returns the one it replaced, if any."""
        async with self._db.transaction() as tx:
            before = await tx.fetchone(
                "SELECT film_id, user_id, name, halves, review, at FROM club_ratings "
                "WHERE guild_id = ? AND film_id = ? AND user_id = ?",
                (guild_id, film_id, user_id),
            )
            await tx.execute(
                "INSERT INTO club_ratings (guild_id, film_id, user_id, name, halves, review, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, film_id, user_id) DO UPDATE SET "
                "name = excluded.name, halves = excluded.halves, review = excluded.review, at = excluded.at",
                (guild_id, film_id, user_id, name, halves, review, now),
            )
        return Rating(*before) if before else None

    async def ratings(self, guild_id: int, film_id: str) -> FilmRatings | None:
        """The film's ratings in the server, with their spread; None if nobody rated it."""
        rows = await self._db.fetchall(
            "SELECT halves, count(*) FROM club_ratings WHERE guild_id = ? AND film_id = ? "
            "GROUP BY halves ORDER BY halves DESC",
            (guild_id, film_id),
        )
        if not rows:
            return None
        spread = tuple((int(h), int(n)) for h, n in rows)
        return FilmRatings(film_id, sum(n for _, n in spread), sum(h * n for h, n in spread), spread)

    async def reviews(self, guild_id: int, film_id: str, limit: int) -> list[Rating]:
        """The latest ratings of the film that say something besides stars."""
        rows = await self._db.fetchall(
            "SELECT film_id, user_id, name, halves, review, at FROM club_ratings "
            "WHERE guild_id = ? AND film_id = ? AND review IS NOT NULL ORDER BY at DESC LIMIT ?",
            (guild_id, film_id, limit),
        )
        return [Rating(*row) for row in rows]

    async def rated(self, guild_id: int) -> list[FilmRatings]:
        """Every film rated in the server, best average first (more ratings first in a tie)."""
        rows = await self._db.fetchall(_RATED, (guild_id,))
        found = [FilmRatings(film, int(n), int(halves)) for film, n, halves in rows]
        return sorted(found, key=lambda r: (-r.average, -r.count, r.film_id))

    async def member_ratings(self, guild_id: int, user_id: int) -> dict[str, int]:
        """The member's ratings in the server, in half stars by film."""
        rows = await self._db.fetchall(
            "SELECT film_id, halves FROM club_ratings WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return {str(film): int(halves) for film, halves in rows}

    # -- deleting ----------------------------------------------------------------------------------

    async def reset(self, guild_id: int) -> int:
        """Delete the server's club (suggestions, polls, screenings, ratings; not its settings);
        returns how many rows it had."""
        async with self._db.transaction() as tx:
            deleted = 0
            for table in ("club_suggestions", "club_polls", "club_screenings", "club_ratings"):
                deleted += await tx.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
            return deleted

    async def forget(self, user_id: int) -> set[int]:
        """Delete a member's suggestions and ratings in every server; returns the servers they had some in."""
        async with self._db.transaction() as tx:
            servers = {
                row[0]
                for table in ("club_suggestions", "club_ratings")
                for row in await tx.fetchall(
                    f"DELETE FROM {table} WHERE user_id = ? RETURNING guild_id", (user_id,)
                )
            }
            await tx.execute("UPDATE club_polls SET starter_id = 0 WHERE starter_id = ?", (user_id,))
            return servers
