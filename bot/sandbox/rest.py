"""The sandbox's REST API: the routes discord.py uses, with Discord's status codes and error JSON."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..limits import THREAD_NAME
from . import interactions as itx
from . import model
from .limits import check_commands, check_event, check_message
from .model import (
    ACTIVE,
    CANCELED,
    COMPLETED,
    CONNECT,
    CREATE_EVENTS,
    CREATE_PUBLIC_THREADS,
    EPHEMERAL,
    EXTERNAL,
    LOADING,
    MANAGE_EVENTS,
    MANAGE_MESSAGES,
    READ_MESSAGE_HISTORY,
    SCHEDULED,
    SEND_MESSAGES,
    SEND_POLLS,
    STAGE,
    VIEW_CHANNEL,
    VOICE,
    Channel,
    Guild,
    Message,
    ScheduledEvent,
    snowflake,
)

if TYPE_CHECKING:
    from .sandbox import Fault, Sandbox

API = "/api/v10"
FOLLOWUP_WINDOW_SECONDS = 15 * 60
EVENT_CHANNEL_TYPES = {1: STAGE, 2: VOICE}  # a scheduled event's entity type -> its channel's type
# The status changes Discord allows (a finished event cannot change at all).
EVENT_TRANSITIONS = {SCHEDULED: {ACTIVE, CANCELED}, ACTIVE: {COMPLETED}}
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


class Rest:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._nonces: dict[tuple[int, str], tuple[Message, float]] = {}

    def routes(self) -> list[web.RouteDef]:
        app_cmds = API + "/applications/{app}"
        webhook = API + "/webhooks/{app}/{token}"
        channel = API + "/channels/{channel}"
        events = API + "/guilds/{guild}/scheduled-events"
        return [
            web.get(API + "/users/@me", self.me),
            web.get(API + "/gateway", self.gateway),
            web.get(API + "/gateway/bot", self.gateway_bot),
            web.get(API + "/oauth2/applications/@me", self.application),
            web.get(API + "/applications/@me", self.application),
            web.get(app_cmds + "/commands", self.get_commands),
            web.put(app_cmds + "/commands", self.put_commands),
            web.get(app_cmds + "/guilds/{guild}/commands", self.get_commands),
            web.put(app_cmds + "/guilds/{guild}/commands", self.put_commands),
            web.post(API + "/interactions/{id}/{token}/callback", self.interaction_callback),
            web.post(webhook, self.followup),
            web.get(webhook + "/messages/{message}", self.get_webhook_message),
            web.patch(webhook + "/messages/{message}", self.edit_webhook_message),
            web.delete(webhook + "/messages/{message}", self.delete_webhook_message),
            web.get(channel, self.get_channel),
            web.get(channel + "/messages", self.list_messages),
            web.post(channel + "/messages", self.create_message),
            web.get(channel + "/messages/{message}", self.get_message),
            web.patch(channel + "/messages/{message}", self.edit_message),
            web.delete(channel + "/messages/{message}", self.delete_message),
            web.post(channel + "/messages/{message}/threads", self.create_thread),
            web.post(channel + "/polls/{message}/expire", self.expire_poll),
            web.get(channel + "/polls/{message}/answers/{answer}", self.poll_voters),
            web.get(API + "/guilds/{guild}", self.get_guild),
            web.get(API + "/guilds/{guild}/channels", self.get_guild_channels),
            web.get(API + "/guilds/{guild}/members/{user}", self.get_member),
            web.get(events, self.list_events),
            web.post(events, self.create_event),
            web.get(events + "/{event}", self.get_event),
            web.patch(events + "/{event}", self.edit_event),
            web.delete(events + "/{event}", self.delete_event),
            web.get(events + "/{event}/users", self.event_users),
        ]

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Authenticate bot routes, log every request, and answer unknown routes with Discord's 404."""
        sandbox = self.sandbox
        bot_route = request.path.startswith(API) and not request.path.startswith(
            (API + "/interactions/", API + "/webhooks/")
        )
        fault = sandbox.take_fault(request.method, request.path)
        try:
            if bot_route and request.headers.get("Authorization") != f"Bot {sandbox.token}":
                raise DiscordError(401, 0, "401: Unauthorized")
            response: web.StreamResponse
            if fault is not None and not fault.after:
                response = self._fail(request, fault)
            else:
                response = await handler(request)
                if fault is not None:
                    response = self._fail(request, fault)
        except DiscordError as exc:
            response = json_response(exc.body, exc.status)
        except web.HTTPException as exc:  # no such route, or method
            response = json_response({"message": f"{exc.status}: {exc.reason}", "code": 0}, exc.status)
        sandbox.log_request(request.method, request.path, response.status)
        return response

    def _fail(self, request: web.Request, fault: Fault) -> web.Response:
        if fault.status is None:
            self.sandbox.log_request(request.method, request.path, 0)
            assert request.transport is not None
            request.transport.abort()  # the client reads a reset connection
            raise ConnectionResetError("the sandbox reset the connection")
        body = {"message": f"{fault.status}: {HTTPStatus(fault.status).phrase}", "code": 0}
        if fault.status != 429:
            return json_response(body, fault.status)
        # Discord's own 429 (discord.py takes one without `Via` for Cloudflare's, and gives up).
        body |= {"message": "You are being rate limited.", "retry_after": fault.retry_after, "global": False}
        response = json_response(body, 429)
        response.headers.update({"Via": "1.1 google", "X-RateLimit-Scope": "user"})
        return response

    # -- session -------------------------------------------------------------------------------

    async def me(self, request: web.Request) -> web.Response:
        return json_response({**self.sandbox.bot_user.payload(), "verified": True, "flags": 0})

    async def gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.sandbox.gateway_url})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        url = self.sandbox.advertised_gateway_url or self.sandbox.gateway_url
        return json_response({"url": url, "shards": self.sandbox.shard_count, "session_start_limit": limit})

    async def application(self, request: web.Request) -> web.Response:
        sandbox = self.sandbox
        return json_response(
            {
                "id": str(sandbox.application_id),
                "name": sandbox.bot_user.name,
                "icon": None,
                "description": "filmbot in the local sandbox",
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "bot": sandbox.bot_user.payload(),
                "owner": sandbox.owner.payload(),
                "summary": "",
                "verify_key": "0" * 64,
                "team": None,
                "flags": 0,
                "tags": [],
            }
        )

    # -- application commands --------------------------------------------------------------------

    def _scope(self, request: web.Request) -> int | None:
        if request.match_info["app"] != str(self.sandbox.application_id):
            raise DiscordError(403, 50001, "Missing Access")
        guild = request.match_info.get("guild")
        if guild is not None and int(guild) not in self.sandbox.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return int(guild) if guild is not None else None

    async def get_commands(self, request: web.Request) -> web.Response:
        return json_response(self.sandbox.commands.get(self._scope(request), []))

    async def put_commands(self, request: web.Request) -> web.Response:
        scope = self._scope(request)
        commands = await request.json()
        invalid(check_commands(commands))
        known = {(c["name"], c.get("type", 1)): c["id"] for c in self.sandbox.commands.get(scope, [])}
        stored = []
        for command in commands:
            kind = command.get("type", 1)
            stored.append(
                {
                    "type": kind,
                    "description": "",
                    "options": [],
                    "default_member_permissions": None,
                    "nsfw": False,
                    **command,
                    "id": known.get((command["name"], kind)) or str(snowflake()),
                    "application_id": str(self.sandbox.application_id),
                    "version": str(snowflake()),
                    **({"guild_id": str(scope)} if scope is not None else {}),
                }
            )
        self.sandbox.commands[scope] = stored
        return json_response(stored)

    # -- interactions ----------------------------------------------------------------------------

    def _interaction(self, request: web.Request) -> itx.Interaction:
        found = self.sandbox.interactions.get(int(request.match_info["id"]))
        if found is None or found.token != request.match_info["token"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        return found

    def _by_token(self, request: web.Request) -> itx.Interaction:
        found = self.sandbox.interactions_by_token.get(request.match_info["token"])
        if found is None or request.match_info["app"] != str(self.sandbox.application_id):
            raise DiscordError(404, 10015, "Unknown Webhook")
        if time.monotonic() - found.dispatched_at > FOLLOWUP_WINDOW_SECONDS:
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        return found

    async def interaction_callback(self, request: web.Request) -> web.Response:
        interaction = self._interaction(request)
        if interaction.response_type is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        if time.monotonic() - interaction.dispatched_at > self.sandbox.interaction_deadline:
            raise DiscordError(404, 10062, "Unknown interaction")
        body = await read_json(request)
        kind, data = body.get("type"), body.get("data") or {}
        if kind not in itx.ALLOWED_CALLBACKS[interaction.type]:
            errors = {
                "type": {
                    "_errors": [{"code": "INTERACTION_RESPONSE_TYPE_INVALID", "message": "Invalid type"}]
                }
            }
            raise DiscordError(400, 50035, "Invalid Form Body", errors)

        message: Message | None = None
        if kind == itx.MESSAGE:
            invalid(check_message(data))
            message = await self._respond_with_message(interaction, data, flags=0)
        elif kind == itx.DEFERRED_MESSAGE:
            message = await self._respond_with_message(
                interaction, {}, flags=LOADING | (data.get("flags", 0) & EPHEMERAL)
            )
        elif kind in (itx.DEFERRED_UPDATE, itx.UPDATE):
            message = interaction.original = interaction.message
            if kind == itx.UPDATE:
                invalid(check_message(data, require_content=False))
                no_poll_edit(data)
                assert message is not None
                await self.sandbox.edit(message, data)
        elif kind == itx.AUTOCOMPLETE_RESULT:
            interaction.choices = data.get("choices", [])
            if len(interaction.choices) > 25:
                errors = {
                    "choices": {
                        "_errors": [
                            {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 25 or fewer in length."}
                        ]
                    }
                }
                raise DiscordError(400, 50035, "Invalid Form Body", errors)
        elif kind == itx.MODAL:
            interaction.modal = data
        interaction.response_type = kind
        interaction.note_progress()
        self.sandbox.notify()

        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            resource["message"] = message.payload()
        return json_response(
            {
                "interaction": {
                    "id": str(interaction.id),
                    "type": interaction.type,
                    "response_message_id": str(message.id) if message else None,
                    "response_message_loading": kind == itx.DEFERRED_MESSAGE,
                    "response_message_ephemeral": bool(message and message.ephemeral),
                },
                "resource": resource,
            }
        )

    async def _respond_with_message(
        self, interaction: itx.Interaction, data: dict[str, Any], *, flags: int
    ) -> Message:
        metadata = {
            "id": str(interaction.id),
            "type": interaction.type,
            "user": interaction.member.user.payload(),
            "authorizing_integration_owners": {"0": str(interaction.channel.guild.id)},
            "application_id": str(self.sandbox.application_id),
        }
        message = Message(
            snowflake(), interaction.channel, self.sandbox.bot_user, flags=flags, interaction=metadata
        )
        message.apply(data)
        message.flags |= flags
        if message.ephemeral:
            message.visible_to = interaction.member.id
        interaction.original = message
        await self.sandbox.post(message)
        return message

    async def followup(self, request: web.Request) -> web.Response:
        interaction = self._by_token(request)
        if interaction.response_type is None:
            raise DiscordError(404, 10015, "Unknown Webhook")
        data = await read_json(request)
        invalid(check_message(data))
        message = Message(snowflake(), interaction.channel, self.sandbox.bot_user)
        message.apply(data)
        if message.ephemeral:
            message.visible_to = interaction.member.id
        interaction.followups.append(message)
        await self.sandbox.post(message)
        interaction.note_progress()
        self.sandbox.notify()
        return json_response(message.payload())

    def _webhook_message(self, interaction: itx.Interaction, message_id: str) -> Message:
        if message_id == "@original":
            found = interaction.original
        else:
            found = next((m for m in interaction.followups if str(m.id) == message_id), None)
        if found is None or found.deleted:
            raise DiscordError(404, 10008, "Unknown Message")
        return found

    async def get_webhook_message(self, request: web.Request) -> web.Response:
        interaction = self._by_token(request)
        return json_response(self._webhook_message(interaction, request.match_info["message"]).payload())

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        interaction = self._by_token(request)
        message = self._webhook_message(interaction, request.match_info["message"])
        data = await read_json(request)
        invalid(check_message(data, require_content=False))
        no_poll_edit(data)
        if message is interaction.original:
            message.flags &= ~LOADING  # the answer replaces "is thinking…"
            interaction.original_edited = True
        await self.sandbox.edit(message, data)
        interaction.note_progress()
        self.sandbox.notify()
        return json_response(message.payload())

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        interaction = self._by_token(request)
        await self.sandbox.delete(self._webhook_message(interaction, request.match_info["message"]))
        return web.Response(status=204)

    # -- channels and messages ---------------------------------------------------------------------

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

    # -- guilds --------------------------------------------------------------------------------

    def _guild(self, request: web.Request) -> Guild:
        guild = self.sandbox.guilds.get(int(request.match_info["guild"]))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild

    async def get_guild(self, request: web.Request) -> web.Response:
        payload = self._guild(request).payload()
        for key in ("channels", "threads", "members", "voice_states", "presences", "joined_at", "large"):
            payload.pop(key)
        return json_response(payload)

    async def get_guild_channels(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        return json_response([c.payload() for c in guild.channels.values() if not c.deleted])

    async def get_member(self, request: web.Request) -> web.Response:
        member = self._guild(request).members.get(int(request.match_info["user"]))
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return json_response(member.payload())

    # -- scheduled events ------------------------------------------------------------------------

    def _event(self, request: web.Request, guild: Guild) -> ScheduledEvent:
        event = guild.scheduled_events.get(snowflake_of(request.match_info["event"]))
        if event is None:
            raise DiscordError(404, 10070, "Unknown Guild Scheduled Event")
        return event

    def _event_permissions(self, guild: Guild, channel_id: int | None) -> int:
        """The bot's permissions for an event: in its channel (overwrites count there), else the server's."""
        bot = guild.members[self.sandbox.bot_user.id]
        channel = guild.channels.get(channel_id or 0)
        return guild.permissions_in(channel, bot) if channel else guild.base_permissions(bot)

    def _may_manage(self, guild: Guild, event: ScheduledEvent) -> None:
        """Manage Events, or Create Events for an event the bot created, as Discord allows."""
        perms = self._event_permissions(guild, event.channel_id)
        own = event.creator_id == self.sandbox.bot_user.id
        if not (perms & MANAGE_EVENTS or (own and perms & CREATE_EVENTS)):
            raise DiscordError(403, 50013, "Missing Permissions")

    def _event_channel(self, guild: Guild, kind: int, channel_id: Any) -> Channel:
        """The voice or stage channel of an event: in this server, of the kind's type, and one the bot
        can view and connect to."""
        channel = guild.channels.get(snowflake_of(channel_id))
        wanted = EVENT_CHANNEL_TYPES[kind]
        if channel is None or channel.deleted or channel.type != wanted:
            what = "a stage channel" if wanted == STAGE else "a voice channel"
            raise field_error(
                "channel_id", "GUILD_SCHEDULED_EVENT_CHANNEL_INVALID", f"Channel must be {what}."
            )
        perms = guild.permissions_in(channel, guild.members[self.sandbox.bot_user.id])
        if not perms & VIEW_CHANNEL:
            raise DiscordError(403, 50001, "Missing Access")
        if not perms & CONNECT:
            raise DiscordError(403, 50013, "Missing Permissions")
        return channel

    @staticmethod
    def _infer_entity_type(guild: Guild, data: dict[str, Any]) -> Any:
        """discord.py leaves entity_type out when it inferred it itself (a channel given as an Object, or
        only a location), and Discord takes such payloads: it infers the type from the channel or place."""
        if data.get("entity_type") is not None:
            return data["entity_type"]
        if data.get("channel_id") is not None:
            channel = guild.channels.get(snowflake_of(data["channel_id"]))
            return {VOICE: 2, STAGE: 1}.get(channel.type) if channel else None
        if (data.get("entity_metadata") or {}).get("location"):
            return EXTERNAL
        return None

    async def list_events(self, request: web.Request) -> web.Response:
        guild = self._guild(request)  # with_user_count is ignored: nobody subscribes in the sandbox
        return json_response([e.payload() for e in guild.scheduled_events.values()])

    async def get_event(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        return json_response(self._event(request, guild).payload())

    async def event_users(self, request: web.Request) -> web.Response:
        self._event(request, self._guild(request))
        return json_response([])  # members do not subscribe to events in the sandbox

    async def create_event(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        data = await read_json(request)
        kind = data["entity_type"] = self._infer_entity_type(guild, data)
        invalid(check_event(data, creating=True, now=model.wall_clock()))
        channel = self._event_channel(guild, kind, data["channel_id"]) if kind != EXTERNAL else None
        if not self._event_permissions(guild, channel.id if channel else None) & (
            MANAGE_EVENTS | CREATE_EVENTS
        ):
            raise DiscordError(403, 50013, "Missing Permissions")
        event = ScheduledEvent(
            snowflake(), guild, self.sandbox.bot_user.id, data["name"], start=0.0, entity_type=kind
        )
        event.apply(data)
        guild.scheduled_events[event.id] = event
        await self.sandbox.scheduled_event_changed("create", event)
        return json_response(event.payload())

    async def edit_event(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        event = self._event(request, guild)
        self._may_manage(guild, event)
        data = await read_json(request)
        if event.finished:
            raise DiscordError(400, 180000, "Cannot update a finished event")
        checked = dict(data)
        if data.get("entity_type") is not None:  # a new kind: what it needs may be set already
            current = event.payload()
            for key in ("channel_id", "entity_metadata", "scheduled_end_time"):
                checked.setdefault(key, current[key])
        invalid(check_event(checked, creating=False, now=model.wall_clock()))
        status = data.get("status")
        if status is not None and status != event.status and status not in EVENT_TRANSITIONS[event.status]:
            raise field_error(
                "status",
                "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                f"Cannot change the status from {event.status} to {status}.",
            )
        kind = checked.get("entity_type") or event.entity_type
        if kind != EXTERNAL and checked.get("channel_id") is not None:
            self._event_channel(guild, kind, checked["channel_id"])
        event.apply(data)
        await self.sandbox.scheduled_event_changed("update", event)
        return json_response(event.payload())

    async def delete_event(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        event = self._event(request, guild)
        self._may_manage(guild, event)
        del guild.scheduled_events[event.id]
        await self.sandbox.scheduled_event_changed("delete", event)
        return web.Response(status=204)
