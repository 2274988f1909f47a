"""The bot's state on SQLite: one object holding a repository per concern, and their connection."""

from __future__ import annotations

from pathlib import Path

from .database import BUSY_TIMEOUT, Database
from .features import FeatureRepository
from .meta import MetaRepository
from .trivia import TriviaRepository


class State:
    """What `FilmBot.state` is: trivia, features and meta (the protocols of bot/repositories.py)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.trivia = TriviaRepository(db)
        self.features = FeatureRepository(db)
        self.meta = MetaRepository(db)

    @classmethod
    async def open(cls, path: Path, *, busy_timeout: float = BUSY_TIMEOUT) -> State:
        return cls(await Database.open(path, busy_timeout=busy_timeout))

    async def set_busy_timeout(self, seconds: float) -> None:
        await self._db.set_busy_timeout(seconds)

    async def close(self) -> None:
        await self._db.close()
