"""The sandbox's REST routes for channels and their messages: reading, sending (replies, nonces,
polls), editing and deleting messages, threads started from one, and a poll's end and voters."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from aiohttp import web

from ..limits import THREAD_NAME
from .limits import check_message
from .messages import EPHEMERAL, Message
from .model import (
    CREATE_PUBLIC_THREADS,
    MANAGE_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    SEND_POLLS,
    snowflake,
)
from .rest_base import (
    API,
    DiscordError,
    Routes,
    invalid,
    json_response,
    no_poll_edit,
    read_json,
    snowflake_of,
)

if TYPE_CHECKING:
    from .sandbox import Sandbox


class MessageRoutes(Routes):
    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox)
        self._nonces: dict[tuple[int, str], tuple[Message, float]] = {}

    def routes(self) -> list[web.RouteDef]:
        channel = API + "/channels/{channel}"
        return [
            web.get(channel, self.get_channel),
            web.get(channel + "/messages", self.list_messages),
            web.post(channel + "/messages", self.create_message),
            web.get(channel + "/messages/{message}", self.get_message),
            web.patch(channel + "/messages/{message}", self.edit_message),
            web.delete(channel + "/messages/{message}", self.delete_message),
            web.post(channel + "/messages/{message}/threads", self.create_thread),
            web.post(channel + "/polls/{message}/expire", self.expire_poll),
            web.get(channel + "/polls/{message}/answers/{answer}", self.poll_voters),
        ]

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(self._channel(request).payload())

    async def list_messages(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        limit = min(int(request.query.get("limit", 50)), 100)
        bot = channel.guild.members[self.sandbox.bot_user.id]
        if not channel.guild.permissions_in(channel, bot) & READ_MESSAGE_HISTORY:
            return json_response([])  # as Discord: no error, no messages
        messages = self.sandbox.channel_messages(channel)  # oldest first
        if "after" in request.query:  # the oldest `limit` after it (newest first, as Discord answers)
            after = int(request.query["after"])
            return json_response(
                [m.payload() for m in reversed([m for m in messages if m.id > after][:limit])]
            )
        before = int(request.query.get("before", 1 << 63))
        return json_response([m.payload() for m in reversed(messages) if m.id < before][:limit])

    async def create_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request, SEND_MESSAGES)
        data = await read_json(request)
        if data.get("poll") is not None:
            self._channel(request, SEND_MESSAGES | SEND_POLLS)
        invalid(check_message(data))
        nonce = str(data["nonce"]) if data.get("nonce") is not None else None
        if nonce is not None and data.get("enforce_nonce"):
            earlier, at = self._nonces.get((channel.id, nonce), (None, 0.0))
            if earlier is not None and time.monotonic() - at < self.sandbox.nonce_seconds:
                return json_response(earlier.payload())  # the message already created with this nonce
        message = Message(snowflake(), channel, self.sandbox.bot_user)
        message.apply(data)
        if data.get("message_reference"):  # a reply: needs to see the history it refers to
            self._channel(request, READ_MESSAGE_HISTORY)
            referenced = self.sandbox.messages_by_id.get(int(data["message_reference"].get("message_id", 0)))
            if referenced is None or referenced.deleted or referenced.channel is not channel:
                if data["message_reference"].get("fail_if_not_exists", True):
                    unknown = {"_errors": [{"code": "REPLIES_UNKNOWN_MESSAGE", "message": "Unknown message"}]}
                    raise DiscordError(400, 50035, "Invalid Form Body", {"message_reference": unknown})
            else:
                message.reference = referenced
                allowed = data.get("allowed_mentions")
                message.reply_ping = allowed is None or bool(allowed.get("replied_user", False))
        message.flags &= ~EPHEMERAL  # only interaction responses can be ephemeral
        if nonce is not None:
            self._nonces[(channel.id, nonce)] = (message, time.monotonic())
        await self.sandbox.post(message)
        return json_response(message.payload())

    async def get_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        return json_response(self._message(request, channel).payload())

    async def edit_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        if message.author.id != self.sandbox.bot_user.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        data = await read_json(request)
        invalid(check_message(data, require_content=False))
        no_poll_edit(data)
        await self.sandbox.edit(message, data)
        return json_response(message.payload())

    async def delete_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        if message.author.id != self.sandbox.bot_user.id:
            self._channel(request, MANAGE_MESSAGES)
        await self.sandbox.delete(message)
        return web.Response(status=204)

    async def create_thread(self, request: web.Request) -> web.Response:
        channel = self._channel(request, CREATE_PUBLIC_THREADS)
        message = self._message(request, channel)
        data = await read_json(request)
        name = str(data.get("name", ""))
        if not 1 <= len(name) <= THREAD_NAME:
            errors = {
                "name": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_BAD_LENGTH",
                            "message": f"Must be between 1 and {THREAD_NAME} in length.",
                        }
                    ]
                }
            }
            raise DiscordError(400, 50035, "Invalid Form Body", errors)
        # A thread started from a message has the message's id, as on Discord.
        thread = channel.guild.add_channel(name, id=message.id, type=11, parent_id=channel.id)
        self.sandbox.channels[thread.id] = thread
        payload = {**thread.payload(), "newly_created": True}
        await self.sandbox.gateway.dispatch_guild_event(channel.guild.id, "THREAD_CREATE", payload, intent=1)
        self.sandbox.notify()
        return json_response(thread.payload(), status=201)

    # -- polls ---------------------------------------------------------------------------------

    async def expire_poll(self, request: web.Request) -> web.Response:
        """End the bot's own poll now (discord.py's Message.end_poll)."""
        channel = self._channel(request)
        message = self._message(request, channel)
        if message.poll is None:
            raise DiscordError(400, 520006, "Cannot expire a non-poll message")
        if message.author.id != self.sandbox.bot_user.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        if not message.poll.is_open():
            raise DiscordError(400, 520001, "Poll expired")
        await self.sandbox.finalize_poll(message)
        return json_response(message.payload())

    async def poll_voters(self, request: web.Request) -> web.Response:
        """Who voted for an answer, by user id, `limit` (25, at most 100) after `after`."""
        channel = self._channel(request, READ_MESSAGE_HISTORY)
        message = self._message(request, channel)
        if message.poll is None:
            raise DiscordError(404, 10008, "Unknown Message")
        voters = message.poll.votes.get(snowflake_of(request.match_info["answer"]), set())
        after = snowflake_of(request.query.get("after", 0))
        limit = max(1, min(int(request.query.get("limit", 25)), 100))
        members = channel.guild.members
        ids = sorted(u for u in voters if u > after and u in members)[:limit]
        return json_response({"users": [members[u].user.payload() for u in ids]})
