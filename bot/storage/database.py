"""What the repositories ask of a database, whichever keeps the state: SQLite or PostgreSQL.

Repositories write their SQL once, in the dialect both understand (`?` placeholders, ON CONFLICT,
RETURNING, CAST(... AS BIGINT)); each backend runs it. Migrations differ per backend and share
their numbers: `migrations/<dialect>/NNNN_name.sql`, applied in order at startup, each in a
transaction with the version it reaches, so a crash leaves the database at a known version.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

BUSY_TIMEOUT = 5.0  # seconds a write waits for another program's lock before giving up
SERVER_SCHEMES = ("postgresql", "postgres")  # the URLs of a PostgreSQL server; anything else is a file
_PASSWORD = re.compile(r"(://[^:/@]*):[^@]*@")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Row = tuple[Any, ...]


class DatabaseError(Exception):
    """The database cannot be used; the message says why in one sentence."""


class StorageUnavailable(Exception):
    """A write did not happen, and nothing of it was kept: the database is locked, read-only, full,
    failing or out of reach. The message says which, in words a member can read."""


class DatabaseBusy(StorageUnavailable):
    """Another program holds a lock past the busy timeout: it may let go."""


class Transaction(Protocol):
    """Statements inside one transaction; `execute` returns how many rows it changed."""

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Awaitable[int]: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Awaitable[None]: ...

    def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Awaitable[Row | None]: ...

    def fetchall(self, sql: str, args: Sequence[Any] = ()) -> Awaitable[list[Row]]: ...


class Database(Protocol):
    """Reads outside a transaction, and `transaction()` for every write."""

    dialect: str
    where: str  # the file or server, for messages (never a password)

    def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Awaitable[Row | None]: ...

    def fetchall(self, sql: str, args: Sequence[Any] = ()) -> Awaitable[list[Row]]: ...

    def transaction(self) -> AbstractAsyncContextManager[Transaction]: ...

    async def version(self) -> int: ...

    async def set_busy_timeout(self, seconds: float) -> None: ...

    async def close(self) -> None: ...


def migrations(dialect: str) -> list[tuple[int, str]]:
    """(version, SQL) of every migration shipped for `dialect`, in order."""
    found = []
    for entry in resources.files(__package__).joinpath("migrations", dialect).iterdir():
        if match := _MIGRATION_NAME.match(entry.name):
            found.append((int(match[1]), entry.read_text(encoding="utf-8")))
    found.sort()
    if [v for v, _ in found] != list(range(1, len(found) + 1)):
        raise DatabaseError(f"the shipped {dialect} migrations are not numbered 1, 2, 3, ... without gaps")
    return found


def too_new(where: str, current: int, known: int) -> DatabaseError:
    return DatabaseError(
        f"{where} was written by a newer filmbot (schema version {current}; this one knows up to "
        f"{known}): upgrade filmbot or use another FILMBOT_DATABASE"
    )


def shown(target: str | Path) -> str:
    """The file or URL, without a URL's password: for messages and logs."""
    return _PASSWORD.sub(r"\1:***@", str(target))


def is_server_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.split("://", 1)[0].lower() in SERVER_SCHEMES


async def open_database(target: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> Database:
    """The database at `target`: a postgresql:// URL, or the path of a SQLite file (created if
    needed), migrated to this filmbot's version."""
    if is_server_url(target):
        from .postgresql import PostgresDatabase  # asyncpg is imported only by who needs it

        return await PostgresDatabase.open(str(target), busy_timeout=busy_timeout)
    from .sqlite import SQLiteDatabase

    return await SQLiteDatabase.open(Path(target), busy_timeout=busy_timeout)
