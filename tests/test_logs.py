"""The operator's log: one line for a lost connection, and no interaction tokens."""

import logging

import aiohttp

from bot.logs import OperatorFilter


def record(name: str, msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, None) if exc else None
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, exc_info)


def test_a_lost_connection_is_one_line() -> None:
    error = aiohttp.ClientConnectionError("Cannot connect to host 127.0.0.1:9")
    entry = record("discord.shard", "Attempting a reconnect for shard ID %s in %.2fs", 0, 7.5, exc=error)
    assert OperatorFilter().filter(entry)
    assert entry.exc_info is None
    assert entry.getMessage() == (
        "Attempting a reconnect for shard ID 0 in 7.50s "
        "(ClientConnectionError: Cannot connect to host 127.0.0.1:9)"
    )
    bug = record("discord.client", "Ignoring exception in on_message", exc=ValueError("a bug"))
    assert OperatorFilter().filter(bug) and bug.exc_info is not None  # a bug keeps its traceback
    timeout = record("discord.gateway", "timed out", exc=TimeoutError())
    assert OperatorFilter().filter(timeout) and timeout.exc_info is None


def test_interaction_and_webhook_tokens_are_masked() -> None:
    token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXQ"
    entry = record(
        "discord.http",
        "POST %s with %s has returned %s",
        f"https://discord.com/api/v10/interactions/1234567890/{token}/callback",
        "{}",
        204,
    )
    OperatorFilter().filter(entry)
    assert token not in entry.getMessage()
    assert "/interactions/1234567890/[token]/callback" in entry.getMessage()
    hook = record("discord.http", f"PATCH https://discord.com/api/v10/webhooks/99/{token}/messages/@original")
    OperatorFilter().filter(hook)
    assert token not in hook.getMessage()
