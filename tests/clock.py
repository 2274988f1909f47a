"""The trivia rounds' clock in the tests (bot/trivia/runner.py's Clock): its seconds last `scale`
real ones, and `skip()` moves it on at once, ending the waits that time passes."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime, timedelta


class FastClock:
    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale
        self._started, self._epoch = time.monotonic(), datetime.now(UTC)
        self._skipped = 0.0
        self._moved = asyncio.Event()  # set, and replaced, by each skip

    def monotonic(self) -> float:
        return (time.monotonic() - self._started) / self.scale + self._skipped

    def now(self) -> datetime:
        return self._epoch + timedelta(seconds=self.monotonic())

    def skip(self, seconds: float) -> None:
        self._skipped += seconds
        self._moved.set()
        self._moved = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        await self.wait(asyncio.Event(), seconds)

    async def wait(self, event: asyncio.Event, timeout: float) -> None:
        until = self.monotonic() + timeout
        while not event.is_set() and (left := until - self.monotonic()) > 0:
            waits = [asyncio.ensure_future(event.wait()), asyncio.ensure_future(self._moved.wait())]
            _, pending = await asyncio.wait(waits, timeout=left * self.scale, return_when="FIRST_COMPLETED")
            for waiting in pending:
                waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*pending)
