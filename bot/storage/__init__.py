"""Mutable state, in SQLite (the embedded default) or PostgreSQL: one repository per concern."""

from .database import BUSY_TIMEOUT, Database, DatabaseBusy, DatabaseError, StorageUnavailable, open_database
from .meta import MetaRepository
from .sqlite import SQLiteDatabase
from .state import State
from .trivia import TriviaRepository

__all__ = [
    "BUSY_TIMEOUT",
    "Database",
    "DatabaseBusy",
    "DatabaseError",
    "MetaRepository",
    "SQLiteDatabase",
    "State",
    "StorageUnavailable",
    "TriviaRepository",
    "open_database",
]
