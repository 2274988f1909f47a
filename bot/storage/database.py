"""The SQLite connection: WAL, foreign keys, a busy timeout, and numbered migrations.

Migrations are `migrations/NNNN_name.sql`, applied in order at startup, each in a transaction
with `PRAGMA user_version` set to its number, so a crash leaves the database at a known version.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 5.0  # seconds a write waits for another program's lock before giving up
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseError(Exception):
    """The database cannot be used; the message says why in one sentence."""


class StorageUnavailable(Exception):
    """A write did not happen, and nothing of it was kept: the database is locked, read-only, full
    or failing. The message says which, in words a member can read."""


class DatabaseBusy(StorageUnavailable):
    """Another program holds the database's write lock past the busy timeout: it may let go."""


def unavailable(exc: sqlite3.Error) -> StorageUnavailable:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusy("the database is busy (locked by another program)")
    if "readonly" in text or "read-only" in text:
        reason = "the database is read-only"
    elif "full" in text:
        reason = "the disk is full"
    else:
        reason = f"the database failed ({exc})"
    return StorageUnavailable(reason)


def migrations() -> list[tuple[int, str]]:
    """(version, SQL) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        if match := _MIGRATION_NAME.match(entry.name):
            found.append((int(match[1]), entry.read_text(encoding="utf-8")))
    found.sort()
    if [v for v, _ in found] != list(range(1, len(found) + 1)):
        raise DatabaseError("the shipped migrations are not numbered 1, 2, 3, ... without gaps")
    return found


class Database:
    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        # One connection serves every coroutine: a transaction holds it until COMMIT, so that no
        # other coroutine's statement lands inside it (or is rolled back with it).
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> Database:
        """Open (creating if needed) and migrate the database at `path`; writes wait `busy_timeout`
        seconds for a lock another program holds."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(path, isolation_level=None)  # autocommit; BEGIN when needed
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
        db = cls(connection, path)
        try:
            if busy_timeout > BUSY_TIMEOUT and await db._write_locked():
                log.warning("%s is locked by another program; waiting up to %.0f s", path, busy_timeout)
            await db.set_busy_timeout(busy_timeout)
            await connection.execute("PRAGMA journal_mode = WAL")
            await connection.execute("PRAGMA foreign_keys = ON")
            await db._migrate()
        except (sqlite3.DatabaseError, StorageUnavailable) as exc:
            await connection.close()
            if isinstance(exc, sqlite3.OperationalError) and isinstance(unavailable(exc), DatabaseBusy):
                raise unavailable(exc) from exc  # locked (changing the journal mode, say): may be let go
            if isinstance(exc, DatabaseBusy):
                raise
            raise DatabaseError(f"cannot use the database {path}: {exc}") from exc
        except BaseException:
            await connection.close()
            raise
        return db

    async def set_busy_timeout(self, seconds: float) -> None:
        await self.connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    async def _write_locked(self) -> bool:
        """Whether another connection holds the write lock right now (asked without waiting)."""
        await self.set_busy_timeout(0)
        try:
            await self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            return isinstance(unavailable(exc), DatabaseBusy)
        await self.connection.execute("ROLLBACK")
        return False

    async def close(self) -> None:
        async with self._lock:  # let a transaction under way finish
            await self.connection.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error), one at a time.

        Every write goes through here; reads may use `connection` directly."""
        async with self._lock:
            try:
                await self.connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise unavailable(exc) from exc
            try:
                yield self.connection
                await self.connection.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):  # after a failed COMMIT there may be nothing open
                    await self.connection.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise unavailable(exc) from exc
                raise

    async def version(self) -> int:
        async with self.connection.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        shipped = migrations()
        current = await self.version()
        if current > len(shipped):
            raise DatabaseError(
                f"{self.path} was written by a newer filmbot (schema version {current}; this one knows "
                f"up to {len(shipped)}): upgrade filmbot or use another FILMBOT_DATABASE"
            )
        for version, sql in shipped[current:]:
            # executescript would commit on its own; run the statements inside one explicit transaction.
            async with self.transaction() as connection:
                for statement in _statements(sql):
                    await connection.execute(statement)
                await connection.execute(f"PRAGMA user_version = {version}")


def _statements(script: str) -> list[str]:
    """Split a migration script into complete SQL statements."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    rest = [line for line in pending.splitlines() if line.strip() and not line.lstrip().startswith("--")]
    if rest:
        raise DatabaseError(f"incomplete SQL statement in a migration: {pending.strip()[:60]!r}")
    return statements
