"""The sandbox's REST routes for a server's scheduled events: list, create, get, edit and delete,
with Discord's rules on who may manage an event, its channel, and how its status may change."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import model
from .events import ACTIVE, CANCELED, COMPLETED, EXTERNAL, SCHEDULED, ScheduledEvent
from .limits import check_event
from .model import (
    CONNECT,
    CREATE_EVENTS,
    MANAGE_EVENTS,
    STAGE,
    VIEW_CHANNEL,
    VOICE,
    Channel,
    Guild,
    snowflake,
)
from .rest_base import API, DiscordError, Routes, field_error, invalid, json_response, read_json, snowflake_of

EVENT_CHANNEL_TYPES = {1: STAGE, 2: VOICE}  # a scheduled event's entity type -> its channel's type
# The status changes Discord allows (a finished event cannot change at all).
EVENT_TRANSITIONS = {SCHEDULED: {ACTIVE, CANCELED}, ACTIVE: {COMPLETED}}


class EventRoutes(Routes):
    def routes(self) -> list[web.RouteDef]:
        events = API + "/guilds/{guild}/scheduled-events"
        return [
            web.get(events, self.list_events),
            web.post(events, self.create_event),
            web.get(events + "/{event}", self.get_event),
            web.patch(events + "/{event}", self.edit_event),
            web.delete(events + "/{event}", self.delete_event),
            web.get(events + "/{event}/users", self.event_users),
        ]

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
