"""What every group of the sandbox's REST routes shares: Discord's JSON answers and error bodies,
reading a request's body, and `Routes`, which looks up the channel, message or server a route names
as Discord does (404 for what is not there, 403 for what the bot may not see)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .messages import Message
from .model import VIEW_CHANNEL, Channel, Guild

if TYPE_CHECKING:
    from .sandbox import Sandbox

API = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_response(data: Any, status: int = 200) -> web.Response:
    """JSON with Discord's exact content type: discord.py parses nothing else (no charset suffix)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


class DiscordError(Exception):
    """An error answered as Discord answers it: a status and a JSON body with a code and message."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"message": message, "code": code}
        if errors:
            self.body["errors"] = errors


def invalid(body: dict[str, Any] | None) -> None:
    """Raise Discord's 400 for a validation error body from `limits`."""
    if body is not None:
        raise DiscordError(400, body["code"], body["message"], body.get("errors"))


def field_error(key: str, code: str, message: str) -> DiscordError:
    """Discord's 400 for one field of a form."""
    return DiscordError(
        400, 50035, "Invalid Form Body", {key: {"_errors": [{"code": code, "message": message}]}}
    )


def no_poll_edit(data: dict[str, Any]) -> None:
    """A poll is sent with its message and never changed after; Discord refuses an edit that tries."""
    if data.get("poll") is not None:
        raise DiscordError(400, 520003, "Cannot edit a poll message")


def snowflake_of(value: Any) -> int:
    """An id from a payload; 0 (no such thing) for what is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


async def read_json(request: web.Request) -> dict[str, Any]:
    """The JSON body, from a plain JSON request or the payload_json part of a multipart one."""
    if request.content_type.startswith("multipart/"):
        form = await request.post()
        body = json.loads(str(form.get("payload_json") or "{}"))
    else:
        body = await request.json() if request.can_read_body else {}
    return dict(body)


class Routes:
    """A group of routes over the sandbox's world (each group's `routes()` lists its own)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def _channel(self, request: web.Request, needs: int = VIEW_CHANNEL) -> Channel:
        channel = self.sandbox.channels.get(int(request.match_info["channel"]))
        if channel is None or channel.deleted:
            raise DiscordError(404, 10003, "Unknown Channel")
        bot = channel.guild.members[self.sandbox.bot_user.id]
        perms = channel.guild.permissions_in(channel, bot)
        if not perms & VIEW_CHANNEL:
            raise DiscordError(403, 50001, "Missing Access")
        if perms & needs != needs:
            raise DiscordError(403, 50013, "Missing Permissions")
        return channel

    def _message(self, request: web.Request, channel: Channel) -> Message:
        message = self.sandbox.messages_by_id.get(int(request.match_info["message"]))
        if (
            message is None
            or message.deleted
            or message.channel is not channel
            or message.visible_to is not None
        ):
            raise DiscordError(404, 10008, "Unknown Message")
        return message

    def _guild(self, request: web.Request) -> Guild:
        guild = self.sandbox.guilds.get(int(request.match_info["guild"]))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild
