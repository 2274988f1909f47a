"""Keep discord.py's rate-limit bookkeeping linear when the bot posts to thousands of channels.

discord.py keeps one bucket per route and channel, and each time it creates a bucket (once it
has 256) it scans them all to drop those idle for 5 minutes. A burst to N new channels, such as
the daily features of N servers due at the same minute, costs N scans of up to N buckets: at
5,000 servers most of the burst's time (bench/features.py). Scanning only when the number of
buckets has doubled since the last scan keeps the same bound on memory (idle buckets are still
dropped) at a linear cost.
"""

from __future__ import annotations

import logging

import discord

log = logging.getLogger(__name__)


def amortise_bucket_cleanup(http: discord.http.HTTPClient) -> None:
    clear = getattr(http, "_try_clear_expired_ratelimits", None)
    buckets = getattr(http, "_buckets", None)
    if clear is None or not isinstance(buckets, dict):  # a discord.py that works otherwise
        log.debug("discord.py's rate-limit buckets are not as expected; leaving them alone")
        return
    scanned_at = 0

    def clear_when_doubled() -> None:
        nonlocal scanned_at
        if len(buckets) >= max(256, 2 * scanned_at):
            clear()
            scanned_at = len(buckets)

    http._try_clear_expired_ratelimits = clear_when_doubled  # type: ignore[method-assign]  # this client's only
