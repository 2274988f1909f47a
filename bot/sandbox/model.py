"""The sandbox's world: users, servers, roles, members and channels, and their Discord JSON; the ids,
clock and permission bits the whole sandbox shares. Messages are in messages.py (their polls in
polls.py), a server's scheduled events in events.py.

Payloads follow Discord's API v10 shapes closely enough for the unmodified discord.py client.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .events import ScheduledEvent

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
CONNECT = 1 << 20
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_EVENTS = 1 << 33
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
CREATE_EVENTS = 1 << 44
SEND_POLLS = 1 << 49
ALL_PERMISSIONS = (1 << 51) - 1

# Discord's @everyone can send polls by default; managing events is the server's to grant.
MEMBER_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS | SEND_POLLS
)
BOT_PERMISSIONS = MEMBER_PERMISSIONS | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS | CONNECT

TEXT, VOICE, PUBLIC_THREAD, STAGE = 0, 2, 11, 13  # channel types

_sequence = itertools.count()


def wall_clock() -> float:
    """The sandbox's time of day, in its ids and timestamps (tests that move the bot's clock move it)."""
    return time.time()


def snowflake(at_ms: int | None = None) -> int:
    """A new unique id, made the way Discord makes them (timestamp in the high bits)."""
    ms = int(wall_clock() * 1000) if at_ms is None else at_ms
    return ((ms - DISCORD_EPOCH_MS) << 22) | (next(_sequence) & 0x3FFFFF)


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def parse_iso(text: str) -> float:
    """An ISO 8601 time as a timestamp; one without a zone is UTC, as Discord reads it."""
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


@dataclass
class User:
    id: int
    name: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class Member:
    user: User
    role_ids: list[int]
    joined_at: float = field(default_factory=lambda: wall_clock())

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    def payload(self, permissions: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": self.user.payload(),
            "roles": [str(r) for r in self.role_ids],
            "nick": None,
            "avatar": None,
            "joined_at": iso(self.joined_at),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
        }
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class Overwrite:
    """A channel permission overwrite for a role (kind 0) or a member (kind 1)."""

    id: int
    kind: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, Any]:
        return {"id": str(self.id), "type": self.kind, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass
class Channel:
    id: int
    guild: Guild = field(repr=False)
    name: str
    position: int = 0
    type: int = TEXT  # or VOICE, PUBLIC_THREAD, STAGE
    parent_id: int | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    deleted: bool = False

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.payload() for o in self.overwrites],
            "nsfw": False,
            "topic": None,
            "rate_limit_per_user": 0,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "last_message_id": None,
        }
        if self.type in (VOICE, STAGE):  # what discord.py's VocalGuildChannel reads
            data |= {"bitrate": 64000, "user_limit": 0, "rtc_region": None, "video_quality_mode": 1}
        if self.type == PUBLIC_THREAD:
            data["thread_metadata"] = {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": iso(wall_clock()),
                "locked": False,
            }
            data["owner_id"] = str(self.guild.sandbox_bot_id)
            data["member_count"] = 1
            data["message_count"] = 0
        return data

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    sandbox_bot_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    system_channel_id: int | None = None
    scheduled_events: dict[int, ScheduledEvent] = field(default_factory=dict)

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def add_role(self, name: str, permissions: int, *, id: int | None = None) -> Role:
        role = Role(id or snowflake(), name, permissions, position=len(self.roles))
        self.roles[role.id] = role
        return role

    def add_channel(self, name: str, *, id: int | None = None, **kwargs: Any) -> Channel:
        channel = Channel(id or snowflake(), self, name, position=len(self.channels), **kwargs)
        self.channels[channel.id] = channel
        if self.system_channel_id is None and channel.type == TEXT:
            self.system_channel_id = channel.id
        return channel

    def channel_named(self, name: str) -> Channel:
        for channel in self.channels.values():
            if channel.name == name.lstrip("#") and not channel.deleted:
                return channel
        raise KeyError(f"no channel #{name.lstrip('#')} in {self.name}")

    def member_named(self, name: str) -> Member:
        for member in self.members.values():
            if member.name.lower() == name.lstrip("@").lower():
                return member
        raise KeyError(f"no member @{name.lstrip('@')} in {self.name}")

    def base_permissions(self, member: Member) -> int:
        if member.id == self.owner_id:
            return ALL_PERMISSIONS
        perms = self.everyone.permissions
        for role_id in member.role_ids:
            perms |= self.roles[role_id].permissions
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def permissions_in(self, channel: Channel, member: Member) -> int:
        """Discord's permission algorithm: base, then @everyone, role and member overwrites."""
        perms = self.base_permissions(member)
        if perms & ADMINISTRATOR or perms == ALL_PERMISSIONS:
            return perms
        by_id = {o.id: o for o in channel.overwrites}
        if everyone := by_id.get(self.id):
            perms = (perms & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in member.role_ids:
            if o := by_id.get(role_id):
                allow, deny = allow | o.allow, deny | o.deny
        perms = (perms & ~deny) | allow
        if o := by_id.get(member.id):
            perms = (perms & ~o.deny) | o.allow
        return perms

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.owner_id),
            "roles": [r.payload() for r in self.roles.values()],
            "channels": [
                c.payload()
                for c in self.channels.values()
                if not c.deleted and c.type in (TEXT, VOICE, STAGE)
            ],
            "threads": [
                c.payload() for c in self.channels.values() if not c.deleted and c.type == PUBLIC_THREAD
            ],
            "members": [m.payload() for m in self.members.values()],
            "member_count": len(self.members),
            "large": False,
            "unavailable": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [e.payload() for e in self.scheduled_events.values()],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "system_channel_id": str(self.system_channel_id) if self.system_channel_id else None,
            "joined_at": iso(wall_clock()),
        }
