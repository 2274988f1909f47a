"""Point discord.py at another Discord: a REST proxy, or the local sandbox.

discord.py keeps its endpoints in class attributes: `Route.BASE` for REST (interaction
callbacks and webhooks use the same `Route`), and `DiscordWebSocket.DEFAULT_GATEWAY`, which it
connects to whenever it does not ask `/gateway/bot` (a fixed shard count, or a re-identify after
an invalidated session). Both must follow the configured Discord.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

if TYPE_CHECKING:  # discord.types is for type checkers: imported alone, it is circular
    from discord.types.gateway import SessionStartLimit


def use_api_base(api_base: str) -> None:
    Route.BASE = api_base.rstrip("/")


def follow_gateway(http: discord.http.HTTPClient, gateway_url: str | None) -> None:
    """Make `/gateway/bot` answers set the default gateway, or override them with `gateway_url`."""
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    ask = http.get_bot_gateway

    async def get_bot_gateway() -> tuple[int, str, SessionStartLimit]:
        shards, url, limits = await ask()
        url = gateway_url or url
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        return shards, url, limits

    http.get_bot_gateway = get_bot_gateway  # type: ignore[method-assign]  # on this client only
