"""The PostgreSQL backend: an asyncpg pool, and the postgresql migrations applied under an
advisory lock, so that processes starting together migrate once.

The repositories' `?` placeholders become `$1, $2, ...`; their SQL has no `?` of its own.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from . import timing
from .database import (
    BUSY_TIMEOUT,
    DatabaseBusy,
    DatabaseError,
    Row,
    StorageUnavailable,
    migrations,
    shown,
    too_new,
)

log = logging.getLogger(__name__)

_statement = timing.statement("postgresql")

# pg_advisory_lock key held while migrating: "filmbot" in ASCII.
MIGRATION_LOCK = 0x66696C6D626F74
POOL_SIZE = 5


def _numbered(sql: str) -> str:
    parts = sql.split("?")
    return parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))


numbered = functools.lru_cache(maxsize=512)(_numbered)


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


_UNREACHABLE = (
    OSError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,  # e.g. the server dropped the connection as a query started
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.ConnectionFailureError,
)


def unavailable(exc: Exception) -> StorageUnavailable:
    if isinstance(exc, asyncpg.LockNotAvailableError | asyncpg.DeadlockDetectedError):
        return DatabaseBusy("the database is busy (locked by another program)")
    if isinstance(exc, asyncpg.ReadOnlySQLTransactionError):
        return StorageUnavailable("the database is read-only")
    if isinstance(exc, asyncpg.DiskFullError):
        return StorageUnavailable("the disk is full")
    if isinstance(exc, _UNREACHABLE):
        return StorageUnavailable("the database server cannot be reached")
    return StorageUnavailable(f"the database failed ({exc})")


_FAULTS = (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError)


class _Statements:
    """Statements on a connection or the pool, their errors told as `StorageUnavailable`."""

    _on: asyncpg.Pool | asyncpg.Connection

    @_statement
    async def execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        try:
            status = await self._on.execute(numbered(sql), *args)
        except _FAULTS as exc:
            raise unavailable(exc) from exc
        count = status.rsplit(" ", 1)[-1]  # "UPDATE 3", "INSERT 0 1"
        return int(count) if count.isdigit() else 0

    @_statement
    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            await self._on.executemany(numbered(sql), list(rows))
        except _FAULTS as exc:
            raise unavailable(exc) from exc

    @_statement
    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        try:
            row = await self._on.fetchrow(numbered(sql), *args)
        except _FAULTS as exc:
            raise unavailable(exc) from exc
        return tuple(row) if row is not None else None

    @_statement
    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        try:
            return [tuple(row) for row in await self._on.fetch(numbered(sql), *args)]
        except _FAULTS as exc:
            raise unavailable(exc) from exc


class _Transaction(_Statements):
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._on = connection


class PostgresDatabase(_Statements):
    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self._on = self.pool = pool
        self.where = shown(url)
        self._lock_timeout = _ms(BUSY_TIMEOUT)  # what the pool's connections start with

    @classmethod
    async def open(cls, url: str, *, busy_timeout: float = BUSY_TIMEOUT) -> PostgresDatabase:
        """Connect to the server at `url` and migrate its database, waiting up to `busy_timeout`
        seconds for another process's migration; a statement waits BUSY_TIMEOUT for a lock."""
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=POOL_SIZE,
                server_settings={"lock_timeout": str(_ms(BUSY_TIMEOUT))},
            )
        except (*_FAULTS, ValueError) as exc:
            raise DatabaseError(f"cannot reach the database {shown(url)}: {exc}") from exc
        db = cls(pool, url)
        try:
            await db._migrate(busy_timeout)
        except BaseException:
            await pool.close()
            raise
        return db

    async def set_busy_timeout(self, seconds: float) -> None:
        self._lock_timeout = _ms(seconds)

    async def close(self) -> None:
        await self.pool.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Transaction]:
        """A connection of the pool inside BEGIN ... COMMIT (ROLLBACK on error)."""
        with timing.transaction("postgresql"):
            try:
                connection = await self.pool.acquire()
            except _FAULTS as exc:
                raise unavailable(exc) from exc
            try:
                transaction = connection.transaction()
                try:
                    await transaction.start()
                    if self._lock_timeout != _ms(BUSY_TIMEOUT):
                        await connection.execute(f"SET LOCAL lock_timeout = {self._lock_timeout}")
                except _FAULTS as exc:
                    raise unavailable(exc) from exc
                try:
                    yield _Transaction(connection)
                except BaseException:
                    with contextlib.suppress(*_FAULTS):  # the connection is gone: so is the transaction
                        await transaction.rollback()
                    raise
                try:
                    await transaction.commit()
                except _FAULTS as exc:
                    raise unavailable(exc) from exc
            finally:
                await self.pool.release(connection)

    async def version(self) -> int:
        row = await self.fetchone("SELECT to_regclass('filmbot_schema') IS NOT NULL")
        if not row or not row[0]:
            return 0
        row = await self.fetchone("SELECT version FROM filmbot_schema")
        return int(row[0]) if row else 0

    async def _migrate(self, patience: float) -> None:
        shipped = migrations(self.dialect)
        try:
            async with self.pool.acquire() as connection:
                await connection.execute(f"SET lock_timeout = {_ms(patience)}")
                try:
                    await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
                except asyncpg.LockNotAvailableError as exc:
                    raise DatabaseBusy("the database is busy (another filmbot is migrating it)") from exc
                try:
                    await self._apply(connection, shipped)
                finally:
                    await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
                    await connection.execute("RESET lock_timeout")
        except _FAULTS as exc:
            raise DatabaseError(f"cannot use the database {self.where}: {exc}") from exc

    async def _apply(self, connection: asyncpg.Connection, shipped: list[tuple[int, str]]) -> None:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS filmbot_schema (version BIGINT NOT NULL); "
            "INSERT INTO filmbot_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM filmbot_schema)"
        )
        current = await connection.fetchval("SELECT version FROM filmbot_schema")
        if current > len(shipped):
            raise too_new(self.where, current, len(shipped))
        for version, sql in shipped[current:]:
            async with connection.transaction():
                if _has_statements(sql):  # asyncpg fails on a script of comments only
                    await connection.execute(sql)  # a script: asyncpg sends it as one simple query
                await connection.execute("UPDATE filmbot_schema SET version = $1", version)
        if current < len(shipped):
            log.info("migrated %s from schema version %d to %d", self.where, current, len(shipped))


def _has_statements(script: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("--") for line in script.splitlines())
