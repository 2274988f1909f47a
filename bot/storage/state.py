"""The bot's state: one object holding a repository per concern, on the database they share."""

from __future__ import annotations

from pathlib import Path

from ..shards import Shards
from .club import ClubRepository
from .database import BUSY_TIMEOUT, Database, open_database
from .features import FeatureRepository
from .meta import MetaRepository
from .trivia import TriviaRepository


class State:
    """What `FilmBot.state` is: trivia, features, club and meta (the protocols of bot/repositories.py).
    Queries that span servers see only `shards` (every server for None)."""

    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        self._db = db
        self.trivia = TriviaRepository(db, shards)
        self.features = FeatureRepository(db, shards)
        self.club = ClubRepository(db, shards)
        self.meta = MetaRepository(db)

    @classmethod
    async def open(
        cls, target: str | Path, *, shards: Shards | None = None, busy_timeout: float = BUSY_TIMEOUT
    ) -> State:
        """The state at `target`: a SQLite file's path, or a postgresql:// URL."""
        return cls(await open_database(target, busy_timeout=busy_timeout), shards)

    @property
    def where(self) -> str:
        return self._db.where

    async def set_busy_timeout(self, seconds: float) -> None:
        await self._db.set_busy_timeout(seconds)

    async def close(self) -> None:
        await self._db.close()
