"""The SQLite backend: one connection in WAL mode, foreign keys, a busy timeout, and the sqlite
migrations (`PRAGMA user_version` holds the version).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from . import timing
from .database import BUSY_TIMEOUT, DatabaseBusy, DatabaseError, Row, StorageUnavailable, migrations, too_new

log = logging.getLogger(__name__)

_statement = timing.statement("sqlite")


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


class _Statements:
    """Statements on the connection, their errors told as `StorageUnavailable`."""

    connection: aiosqlite.Connection

    @_statement
    async def execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        try:
            cursor = await self.connection.execute(sql, args)
        except sqlite3.Error as exc:
            raise unavailable(exc) from exc
        return cursor.rowcount

    @_statement
    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            await self.connection.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise unavailable(exc) from exc

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        rows = await self.fetchall(sql, args)
        return rows[0] if rows else None

    @_statement
    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        # Run and read in one call of the connection's thread: a read left open across an await
        # keeps a snapshot, and a BEGIN IMMEDIATE of another task then fails at once (SQLITE_BUSY_SNAPSHOT)
        # once another process has written.
        try:
            return [tuple(row) for row in await self.connection.execute_fetchall(sql, args)]
        except sqlite3.Error as exc:
            raise unavailable(exc) from exc


class _Transaction(_Statements):
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection


class SQLiteDatabase(_Statements):
    dialect = "sqlite"

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self.where = str(path)
        # One connection serves every coroutine: a transaction holds it until COMMIT, so that no
        # other coroutine's statement lands inside it (or is rolled back with it).
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> SQLiteDatabase:
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
            await db._use_wal(busy_timeout)
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

    async def _use_wal(self, patience: float) -> None:
        """Switch to WAL (once per file), waiting up to `patience` seconds for another connection
        switching it too: SQLite does not wait for that lock on its own."""
        deadline = time.monotonic() + patience
        while True:
            try:
                await self.connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not isinstance(unavailable(exc), DatabaseBusy) or time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.05)

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
    async def transaction(self) -> AsyncIterator[_Transaction]:
        """Statements inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error), one at a time.

        Every write goes through here; reads go straight to the connection."""
        with timing.transaction("sqlite"):
            async with self._lock:
                try:
                    await self.connection.execute("BEGIN IMMEDIATE")
                except sqlite3.Error as exc:
                    raise unavailable(exc) from exc
                try:
                    yield _Transaction(self.connection)
                    await self.connection.execute("COMMIT")
                except BaseException as exc:
                    with contextlib.suppress(sqlite3.Error):  # after a failed COMMIT, maybe nothing is open
                        await self.connection.execute("ROLLBACK")
                    if isinstance(exc, sqlite3.Error):
                        raise unavailable(exc) from exc
                    raise

    async def version(self) -> int:
        async with self.connection.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        shipped = migrations(self.dialect)
        current = await self.version()
        if current > len(shipped):
            raise too_new(str(self.path), current, len(shipped))
        # Each step reads the version again under the write lock, so two processes starting together
        # apply each migration once. executescript would commit on its own: run the statements.
        for version, sql in shipped[current:]:
            async with self.transaction() as tx:
                if await self.version() >= version:  # another process applied it meanwhile
                    continue
                for statement in _statements(sql):
                    await tx.execute(statement)
                await tx.execute(f"PRAGMA user_version = {version}")


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
