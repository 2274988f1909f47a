"""Shared fixtures: a sandbox with the demo server, and the real FilmBot running against it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import FilmBot
from bot.config import Settings
from bot.sandbox import Sandbox
from bot.sandbox.demo import Demo, build_demo
from bot.sandbox.harness import bot_on_sandbox


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


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database=tmp_path / "filmbot.db")


@pytest.fixture
async def running(sandbox: Sandbox, demo: Demo, settings: Settings) -> AsyncIterator[Running]:
    async with bot_on_sandbox(sandbox, settings) as bot:
        yield Running(sandbox, demo, bot)
