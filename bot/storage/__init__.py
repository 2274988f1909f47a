"""Mutable state in SQLite: the connection, migrations, and one repository per concern."""

from .database import Database, DatabaseError, StorageUnavailable
from .meta import MetaRepository
from .trivia import TriviaRepository, TriviaSettings

__all__ = [
    "Database",
    "DatabaseError",
    "MetaRepository",
    "StorageUnavailable",
    "TriviaRepository",
    "TriviaSettings",
]
