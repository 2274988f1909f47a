"""Run the real FilmBot against a sandbox: for the console and the end-to-end tests."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from ..app import FilmBot
from ..config import Settings
from .sandbox import Sandbox

READY_TIMEOUT = 30.0


@asynccontextmanager
async def bot_on_sandbox(
    sandbox: Sandbox, settings: Settings, *, gateway_url: str | None = None
) -> AsyncIterator[FilmBot]:
    """A started FilmBot connected to `sandbox` (already started), closed on exit."""
    settings = dataclasses.replace(
        settings, token=sandbox.token, api_base=sandbox.api_base, gateway_url=gateway_url
    )
    # The sandbox sends all its servers at once, so discord.py need not wait 2 s for stragglers.
    bot = FilmBot(settings, guild_ready_timeout=0.05)
    async with bot:
        running = asyncio.create_task(bot.start(sandbox.token))
        ready = asyncio.create_task(bot.wait_until_ready())
        await asyncio.wait({running, ready}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        if running.done():
            ready.cancel()
            running.result()  # raises why it stopped
            raise RuntimeError("the bot stopped before it was ready")
        if not ready.done():
            ready.cancel()
            running.cancel()
            raise TimeoutError(f"the bot was not ready after {READY_TIMEOUT:g} seconds")
        try:
            yield bot
        finally:
            await bot.close()
            await running
