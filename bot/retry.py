"""Trying a Discord request again when Discord, not the request, failed.

discord.py retries 500, 502, 504 and 524 itself, but not 503, and a reset connection only for the
errnos of macOS and Windows (54, 10054), not Linux's 104: without this, one such blip ends a trivia
round. Only requests that are safe to repeat go through here: edits, and messages sent with a
nonce (Discord returns the message already made instead of a second one).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
import discord

log = logging.getLogger(__name__)

T = TypeVar("T")

TRANSIENT = (discord.DiscordServerError, aiohttp.ClientConnectionError, OSError, TimeoutError)
ATTEMPTS = 4


def describe(exc: BaseException) -> str:
    """A transient failure in a few words, for members and the log."""
    if isinstance(exc, discord.DiscordServerError):
        return f"{exc.status} {exc.response.reason or 'Server Error'}"
    if isinstance(exc, ConnectionResetError | aiohttp.ServerDisconnectedError):
        return "the connection was reset"
    if isinstance(exc, TimeoutError):
        return "the request timed out"
    return f"the connection failed ({type(exc).__name__})"


async def retrying(call: Callable[[], Awaitable[T]], what: str, *, wait: float = 1.0) -> T:
    """`call()`, tried up to ATTEMPTS times with waits of `wait`, doubling; the last error is raised."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except TRANSIENT as exc:
            if attempt == ATTEMPTS:
                raise
            delay = wait * 2 ** (attempt - 1)
            log.warning("%s failed (%s); trying again in %.1f s", what, describe(exc), delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
