"""Mutable state in SQLite: the connection, migrations, and one repository per concern."""

from .database import BUSY_TIMEOUT, Database, DatabaseBusy, DatabaseError, StorageUnavailable
from .meta import MetaRepository
from .state import State
from .trivia import TriviaRepository

__all__ = [
    "BUSY_TIMEOUT",
    "Database",
    "DatabaseBusy",
    "DatabaseError",
    "MetaRepository",
    "State",
    "StorageUnavailable",
    "TriviaRepository",
]
