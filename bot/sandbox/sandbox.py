"""A local Discord on 127.0.0.1 for the console and the end-to-end tests.

`Sandbox` holds the world (servers, channels, members, messages), serves the REST API and the
gateway that the unmodified discord.py client connects to, and offers a driver API that plays
the members (`slash`, `autocomplete`, `click`, `say`, `vote`) and Discord's own doings (`end_poll`,
`start_event`, `end_event`, `set_permissions`). The methods on polls and scheduled events come from
the `PollEventDriver` mixin (poll_event_driver.py); a slash command's data is built in command_data.py.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from . import interactions as itx
from . import model
from .command_data import command_data
from .gateway import GUILD_MESSAGES, GUILDS, Gateway
from .interactions import Interaction
from .messages import Message
from .model import BOT_PERMISSIONS, MEMBER_PERMISSIONS, TEXT, Channel, Guild, Member, Role, User, snowflake
from .poll_event_driver import EventListener, PollEventDriver
from .rest import Rest
from .rest_base import API

log = logging.getLogger(__name__)

Listener = Callable[[str, Message], None]


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    status: int


@dataclass
class Fault:
    """Discord failing a request as it does in bad moments: a 5xx, or the connection reset.

    `route` is a regular expression searched in the path after /api/v10. With `after`, the request
    is carried out first and only its answer is lost (Discord accepted a message, then failed).
    """

    method: str
    route: str
    status: int | None = 503  # None: the connection is reset
    after: bool = False
    times: int = 1
    retry_after: float = 1.5  # of a 429

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and method == self.method and re.search(self.route, path) is not None


class Sandbox(PollEventDriver):
    def __init__(self, token: str = "sandbox-token", *, shard_count: int = 1) -> None:
        self.token = token
        self.shard_count = shard_count
        self.bot_user = User(snowflake(), "filmbot", bot=True)
        self.application_id = self.bot_user.id
        self.owner = User(snowflake(), "sandbox-owner")
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.messages_by_id: dict[int, Message] = {}
        self.interactions: dict[int, Interaction] = {}
        self.interactions_by_token: dict[str, Interaction] = {}
        self.requests: list[RequestRecord] = []
        self.faults: list[Fault] = []  # what the next matching requests suffer, in order
        self.listeners: list[Listener] = []
        self.event_listeners: list[EventListener] = []
        self.nonce_seconds = 300.0  # Discord checks a nonce for uniqueness over "the past few minutes"
        self.interaction_deadline = 3.0  # seconds Discord gives a bot for its first response
        self.reply_timeout = 10.0  # how long the driver waits for the bot's answer
        self.advertised_gateway_url: str | None = None  # what /gateway/bot says, if not the real one
        self.gateway = Gateway(self)
        self._rest = Rest(self)
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(middlewares=[self._rest.middleware])
        app.add_routes(self._rest.routes())
        app.router.add_get("/gateway", self.gateway.handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self._host = host

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def api_base(self) -> str:
        return f"http://{self._host}:{self._port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self._host}:{self._port}/gateway"

    async def wait_until_connected(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self.gateway.connected.wait(), timeout)

    def fail(
        self,
        method: str,
        route: str,
        *,
        status: int | None = 503,
        after: bool = False,
        times: int = 1,
        retry_after: float = 1.5,
    ) -> Fault:
        """Fail the next `times` requests matching `method` and `route`; see `Fault`."""
        fault = Fault(method, route, status, after, times, retry_after)
        self.faults.append(fault)
        return fault

    def take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, path.removeprefix(API)):
                fault.times -= 1
                return fault
        return None

    def log_request(self, method: str, path: str, status: int) -> None:
        self.requests.append(RequestRecord(method, path.removeprefix(API), status))

    # -- building the world -----------------------------------------------------------------------

    def add_guild(self, name: str, *, id: int | None = None) -> Guild:
        guild_id = id or snowflake()
        guild = Guild(guild_id, name, owner_id=self.owner.id, sandbox_bot_id=self.bot_user.id)
        guild.add_role("@everyone", MEMBER_PERMISSIONS, id=guild_id)
        bot_role = guild.add_role(self.bot_user.name, BOT_PERMISSIONS)
        guild.members[self.bot_user.id] = Member(self.bot_user, [bot_role.id])
        guild.members[self.owner.id] = Member(self.owner, [])
        self.guilds[guild.id] = guild
        return guild

    def add_channel(self, guild: Guild, name: str, *, id: int | None = None, type: int = TEXT) -> Channel:
        """A channel: text (0), voice (2) or stage (13)."""
        channel = guild.add_channel(name, id=id, type=type)
        self.channels[channel.id] = channel
        return channel

    def bot_role(self, guild: Guild) -> Role:
        """The role Discord gave the bot when it joined the server (add_guild's)."""
        return guild.roles[guild.members[self.bot_user.id].role_ids[0]]

    def add_member(self, guild: Guild, name: str, *, permissions: int = 0, id: int | None = None) -> Member:
        """A member; extra permissions come through a role of their own, as a server admin would set up."""
        roles = []
        if permissions:
            roles.append(guild.add_role(f"{name}'s role", permissions).id)
        member = Member(User(id or snowflake(), name), roles)
        guild.members[member.id] = member
        return member

    # -- messages (used by the REST handlers) ------------------------------------------------------

    async def post(self, message: Message) -> None:
        self.messages_by_id[message.id] = message
        if message.visible_to is None:
            await self.gateway.dispatch_message("MESSAGE_CREATE", message)
        self._emit("create", message)

    async def edit(self, message: Message, data: dict[str, Any]) -> None:
        message.apply(data)
        message.edited_at = model.wall_clock()
        if message.visible_to is None:
            await self.gateway.dispatch_message("MESSAGE_UPDATE", message)
        self._emit("edit", message)

    async def delete(self, message: Message) -> None:
        message.deleted = True
        if message.visible_to is None:
            guild_id = message.channel.guild.id
            data = {"id": str(message.id), "channel_id": str(message.channel.id), "guild_id": str(guild_id)}
            await self.gateway.dispatch_guild_event(guild_id, "MESSAGE_DELETE", data, intent=GUILD_MESSAGES)
        self._emit("delete", message)

    def _emit(self, event: str, message: Message) -> None:
        for listener in self.listeners:
            listener(event, message)
        self.notify()

    def notify(self) -> None:
        """Wake the driver's waiters whose condition now holds."""
        for condition, future in list(self._waiters):
            if not future.done() and condition():
                future.set_result(None)

    async def wait_for(self, condition: Callable[[], bool], timeout: float | None = None) -> None:
        """Wait until `condition()` holds after some change in the sandbox."""
        if condition():
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (condition, future)
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(future, timeout or self.reply_timeout)
        finally:
            self._waiters.remove(entry)

    def channel_messages(self, channel: Channel, *, viewer: Member | None = None) -> list[Message]:
        """The channel's messages, oldest first, as `viewer` sees them (ephemeral ones only their own)."""
        return [
            m
            for m in self.messages_by_id.values()
            if m.channel is channel and not m.deleted and m.visible_to in (None, viewer and viewer.id)
        ]

    # -- the driver: Discord itself (on polls and events: PollEventDriver's) -----------------------

    async def create_role(self, guild: Guild, name: str, permissions: int = 0) -> Role:
        """A server admin creates a role; the bot's cache learns it (GUILD_ROLE_CREATE)."""
        role = guild.add_role(name, permissions)
        data = {"guild_id": str(guild.id), "role": role.payload()}
        await self.gateway.dispatch_guild_event(guild.id, "GUILD_ROLE_CREATE", data, intent=GUILDS)
        self.notify()
        return role

    async def set_permissions(self, role: Role, permissions: int) -> None:
        """A server admin changes `role`'s permissions; the bot's cache follows (GUILD_ROLE_UPDATE)."""
        guild = next(g for g in self.guilds.values() if g.roles.get(role.id) is role)
        role.permissions = permissions
        data = {"guild_id": str(guild.id), "role": role.payload()}
        await self.gateway.dispatch_guild_event(guild.id, "GUILD_ROLE_UPDATE", data, intent=GUILDS)
        self.notify()

    # -- the driver: playing the members ---------------------------------------------------------

    def find_command(self, guild: Guild, name: str) -> dict[str, Any]:
        for scope in (guild.id, None):
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return command
        raise KeyError(f"/{name} is not a registered command")

    async def slash(self, channel: Channel, member: Member, command: str, /, **options: Any) -> Interaction:
        """Invoke `/command` (e.g. "trivia start") with options; returns once the bot has answered."""
        data = self._command_data(channel.guild, command, options)
        return await (await self.interact(itx.COMMAND, channel, member, data)).wait(self.reply_timeout)

    async def autocomplete(
        self, channel: Channel, member: Member, command: str, focused: str, /, **options: Any
    ) -> list[dict[str, Any]]:
        """The choices the bot offers while `focused` is being typed (its value is in `options`)."""
        data = self._command_data(channel.guild, command, options, focused=focused)
        interaction = await (await self.interact(itx.AUTOCOMPLETE, channel, member, data)).wait(
            self.reply_timeout
        )
        return interaction.choices or []

    async def click(self, message: Message, custom_id: str, member: Member) -> Interaction:
        """Click the button `custom_id` of `message` as `member`."""
        if custom_id not in [b.get("custom_id") for b in message.buttons]:
            raise KeyError(f"message {message.id} has no button {custom_id!r}")
        data = {"custom_id": custom_id, "component_type": 2}
        interaction = await self.interact(itx.COMPONENT, message.channel, member, data, message=message)
        return await interaction.wait(self.reply_timeout)

    async def say(
        self,
        channel: Channel,
        member: Member,
        content: str,
        *,
        reply_to: Message | None = None,
        ping: bool = True,
    ) -> Message:
        """`member` types `content` in `channel`, as a reply to `reply_to` if given (pinging its author
        unless `ping` is off, as Discord's client does)."""
        message = Message(snowflake(), channel, member.user, content=content, reference=reply_to)
        message.reply_ping = reply_to is not None and ping
        await self.post(message)
        return message

    async def reply_to(self, message: Message, timeout: float | None = None) -> Message:
        """The bot's reply to `message`, once it has sent it."""

        def reply() -> Message | None:
            return next(
                (
                    m
                    for m in self.channel_messages(message.channel)
                    if m.reference is message and m.author.id == self.bot_user.id
                ),
                None,
            )

        await self.wait_for(lambda: reply() is not None, timeout)
        found = reply()
        assert found is not None
        return found

    async def interact(
        self,
        kind: int,
        channel: Channel,
        member: Member,
        data: dict[str, Any],
        *,
        message: Message | None = None,
    ) -> Interaction:
        interaction = Interaction(kind, channel, member, data, message=message)
        self.interactions[interaction.id] = interaction
        self.interactions_by_token[interaction.token] = interaction
        guild = channel.guild
        payload: dict[str, Any] = {
            "id": str(interaction.id),
            "application_id": str(self.application_id),
            "type": kind,
            "token": interaction.token,
            "version": 1,
            "data": data,
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "member": member.payload(permissions=guild.permissions_in(channel, member)),
            "app_permissions": str(guild.permissions_in(channel, guild.members[self.bot_user.id])),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message.payload()
        interaction.dispatched_at = time.monotonic()
        await self.gateway.dispatch_guild_event(guild.id, "INTERACTION_CREATE", payload, intent=~0)
        return interaction

    def _command_data(
        self, guild: Guild, path: str, values: dict[str, Any], *, focused: str | None = None
    ) -> dict[str, Any]:
        name, *_ = path.split()
        command = self.find_command(guild, name)
        return command_data(command, path, values, bot_id=self.bot_user.id, focused=focused)
