"""discord.py's bucket cleanup made linear: fewer scans, and idle buckets are still dropped."""

import asyncio

import discord

from bot.ratelimits import amortise_bucket_cleanup


async def test_bucket_cleanup_scans_rarely_and_still_drops_idle_buckets() -> None:
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    scans = 0
    scan = http._try_clear_expired_ratelimits

    def counted() -> None:
        nonlocal scans
        scans += 1
        scan()

    http._try_clear_expired_ratelimits = counted  # type: ignore[method-assign]
    amortise_bucket_cleanup(http)
    for channel in range(10_000):  # one bucket per channel, as a burst of daily features makes
        http.get_ratelimit(f"POST /channels/{channel}/messages")
    assert scans <= 7  # 256, 512, ..., 8192; discord.py alone scans 9,745 times
    assert len(http._buckets) == 10_000  # none was idle yet

    idle_since = asyncio.get_running_loop().time() - 301
    for bucket in http._buckets.values():
        bucket._last_request = idle_since  # five minutes without a request
    for channel in range(10_000, 20_000):
        http.get_ratelimit(f"POST /channels/{channel}/messages")
    assert len(http._buckets) < 20_000  # the idle ones were dropped at the next scan
    await http.close()
