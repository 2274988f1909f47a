"""What the log shows an operator: one line for a lost connection, and no secrets.

discord.py logs every failed reconnect with its traceback; a lost connection is an event to note,
not a bug, so it gets one line. With DEBUG, discord.py logs the routes it calls, and those of
interactions and webhooks carry their tokens (each is a credential for 15 minutes): they are
masked.
"""

from __future__ import annotations

import logging
import re

import aiohttp

# /interactions/{id}/{token}/callback and /webhooks/{application}/{token}...: the token is masked.
_TOKEN = re.compile(r"(/(?:interactions|webhooks)/\d+/)[\w.-]{20,}")
_CONNECTION = (aiohttp.ClientError, OSError, TimeoutError)


class OperatorFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if (
            record.exc_info
            and isinstance(record.exc_info[1], _CONNECTION)
            and record.name.startswith("discord")
        ):
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record.args = None
            record.exc_info = record.exc_text = None
        message = record.getMessage()
        masked = _TOKEN.sub(r"\1[token]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
