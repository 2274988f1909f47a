"""The sandbox's world: users, servers, channels, roles and messages, and their Discord JSON.

Payloads follow Discord's API v10 shapes closely enough for the unmodified discord.py client.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

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
EXTERNAL = 3  # a scheduled event's entity type for a place outside Discord (1: stage, 2: voice)
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4  # a scheduled event's status
POLL_RESULT = 46  # the system message Discord posts when a poll ends

EPHEMERAL = 1 << 6
LOADING = 1 << 7

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


@dataclass
class ScheduledEvent:
    """A guild scheduled event: a screening in a voice or stage channel, or somewhere outside Discord."""

    id: int
    guild: Guild = field(repr=False)
    creator_id: int
    name: str
    start: float
    entity_type: int  # 1 stage, 2 voice, EXTERNAL
    description: str | None = None
    end: float | None = None
    channel_id: int | None = None  # of a stage or voice event
    location: str | None = None  # of an external one
    status: int = SCHEDULED
    privacy_level: int = 2  # GUILD_ONLY, the only level there is

    @property
    def finished(self) -> bool:
        return self.status in (COMPLETED, CANCELED)

    def apply(self, data: dict[str, Any]) -> None:
        """Apply the fields of a create or edit payload (validated by limits.check_event)."""
        if "name" in data:
            self.name = data["name"]
        if "description" in data:
            self.description = data["description"]
        if data.get("scheduled_start_time"):
            self.start = parse_iso(data["scheduled_start_time"])
        if "scheduled_end_time" in data:
            end = data["scheduled_end_time"]
            self.end = parse_iso(end) if end else None
        if data.get("entity_type") is not None:
            self.entity_type = int(data["entity_type"])
        if "channel_id" in data:
            self.channel_id = int(data["channel_id"]) if data["channel_id"] else None
        if "entity_metadata" in data:
            self.location = (data["entity_metadata"] or {}).get("location")
        if data.get("status") is not None:
            self.status = int(data["status"])

    def payload(self) -> dict[str, Any]:
        creator = self.guild.members.get(self.creator_id)
        return {
            "id": str(self.id),
            "guild_id": str(self.guild.id),
            "channel_id": str(self.channel_id) if self.channel_id else None,
            "creator_id": str(self.creator_id),
            "creator": creator.user.payload() if creator else None,
            "name": self.name,
            "description": self.description,
            "scheduled_start_time": iso(self.start),
            "scheduled_end_time": iso(self.end) if self.end is not None else None,
            "privacy_level": self.privacy_level,
            "status": self.status,
            "entity_type": self.entity_type,
            "entity_id": None,
            "entity_metadata": {"location": self.location} if self.entity_type == EXTERNAL else None,
            "user_count": 0,
            "image": None,
            "recurrence_rule": None,
        }


@dataclass
class Poll:
    """A message's poll: its answers are numbered from 1, in order, as Discord numbers them."""

    question: str
    answers: list[tuple[int, str]]
    expiry: float  # a wall_clock() timestamp
    allow_multiselect: bool = False
    emojis: dict[int, dict[str, Any]] = field(default_factory=dict)  # answer id -> its emoji, if any
    votes: dict[int, set[int]] = field(default_factory=dict)  # answer id -> the user ids who chose it
    finalized: bool = False

    @classmethod
    def create(cls, data: dict[str, Any], created_at: float) -> Poll:
        """The poll of a create payload (already validated by limits.check_poll)."""
        media = [a.get("poll_media") or {} for a in data.get("answers") or []]
        hours = float(data.get("duration") or 24)  # Discord's default: a day
        poll = cls(
            question=str((data.get("question") or {}).get("text", "")),
            answers=[(i, str(m.get("text", ""))) for i, m in enumerate(media, 1)],
            expiry=created_at + hours * 3600,
            allow_multiselect=bool(data.get("allow_multiselect")),
            emojis={i: m["emoji"] for i, m in enumerate(media, 1) if m.get("emoji")},
        )
        poll.votes = {answer_id: set() for answer_id, _ in poll.answers}
        return poll

    def text(self, answer_id: int) -> str:
        return dict(self.answers)[answer_id]

    def count(self, answer_id: int) -> int:
        return len(self.votes.get(answer_id, ()))

    def choices_of(self, user_id: int) -> list[int]:
        """The answers `user_id` has voted for."""
        return [answer_id for answer_id, voters in self.votes.items() if user_id in voters]

    def is_open(self) -> bool:
        return not self.finalized and wall_clock() < self.expiry

    def victor(self) -> int | None:
        """The answer with the most votes, if one has more than every other (Discord names no tie)."""
        ranked = sorted(self.votes, key=self.count, reverse=True)
        if not ranked or self.count(ranked[0]) == 0:
            return None
        if len(ranked) > 1 and self.count(ranked[1]) == self.count(ranked[0]):
            return None
        return ranked[0]

    def payload(self, viewer_id: int) -> dict[str, Any]:
        """The poll as `viewer_id` reads it (me_voted). Discord lists the counts of answers with votes
        while the poll runs, and of every answer once it is final."""
        answers = []
        for answer_id, text in self.answers:
            media: dict[str, Any] = {"text": text}
            if answer_id in self.emojis:
                media["emoji"] = self.emojis[answer_id]
            answers.append({"answer_id": answer_id, "poll_media": media})
        counts = [
            {"id": answer_id, "count": self.count(answer_id), "me_voted": viewer_id in self.votes[answer_id]}
            for answer_id, _ in self.answers
            if self.finalized or self.count(answer_id)
        ]
        return {
            "question": {"text": self.question},
            "answers": answers,
            "expiry": iso(self.expiry),
            "allow_multiselect": self.allow_multiselect,
            "layout_type": 1,
            "results": {"is_finalized": self.finalized, "answer_counts": counts},
        }

    def result_embed(self) -> dict[str, Any]:
        """The embed of the POLL_RESULT message Discord posts when the poll ends (its fields are data)."""
        fields = {"poll_question_text": self.question}
        victor = self.victor()
        if victor is not None:
            fields["victor_answer_votes"] = str(self.count(victor))
        fields["total_votes"] = str(sum(self.count(a) for a, _ in self.answers))
        if victor is not None:
            fields["victor_answer_id"] = str(victor)
            fields["victor_answer_text"] = self.text(victor)
            if emoji := self.emojis.get(victor):
                for key in ("id", "name"):
                    if emoji.get(key) is not None:
                        fields[f"victor_answer_emoji_{key}"] = str(emoji[key])
                if emoji.get("animated"):
                    fields["victor_answer_emoji_animated"] = "true"
        return {
            "type": "poll_result",
            "fields": [{"name": k, "value": v, "inline": False} for k, v in fields.items()],
        }


_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


@dataclass
class Message:
    id: int
    channel: Channel
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    allowed_mentions: dict[str, Any] | None = None
    visible_to: int | None = None  # ephemeral: the one user who sees it
    interaction: dict[str, Any] | None = None
    edited_at: float | None = None
    deleted: bool = False
    created_at: float = field(default_factory=lambda: wall_clock())
    reference: Message | None = field(default=None, repr=False)  # the message this one replies to
    reply_ping: bool = False  # whether the reply pings the replied-to author
    poll: Poll | None = None
    type: int | None = None  # a system message's type (POLL_RESULT); else worked out in payload()

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def kind(self) -> int:
        """Discord's message type: a system message's own, else a command's reply (20), a reply (19)."""
        if self.type is not None:
            return self.type
        return 20 if self.interaction else 19 if self.reference else 0

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every button of the message, in reading order."""
        return [c for row in self.components for c in row.get("components", []) if c.get("type") == 2]

    def mentioned_everyone(self) -> bool:
        """Whether Discord would ping @everyone/@here for this message, given its allowed_mentions."""
        if "@everyone" not in self.content and "@here" not in self.content:
            return False
        return self._allowed("everyone")

    def mentioned_user_ids(self) -> list[int]:
        found = self._mentioned(_MENTION, "users")
        if self.reference is not None and self.reply_ping and self.reference.author.id not in found:
            found.append(self.reference.author.id)  # a reply pings its author unless told not to
        return found

    def mentioned_role_ids(self) -> list[int]:
        return self._mentioned(_ROLE_MENTION, "roles")

    def _mentioned(self, pattern: re.Pattern[str], kind: str) -> list[int]:
        """Ids mentioned in the content that Discord would ping: listed ones, or all if `kind` is parsed."""
        ids = [int(i) for i in pattern.findall(self.content)]
        allowed = self.allowed_mentions
        if allowed is not None and kind in allowed:
            return [i for i in ids if str(i) in allowed[kind]]
        return ids if self._allowed(kind) else []

    def pings_anyone(self) -> bool:
        return self.mentioned_everyone() or bool(self.mentioned_user_ids() or self.mentioned_role_ids())

    def _allowed(self, kind: str) -> bool:
        # Without allowed_mentions Discord parses every kind of mention.
        return self.allowed_mentions is None or kind in self.allowed_mentions.get("parse", [])

    def apply(self, data: dict[str, Any]) -> None:
        """Apply the message fields of a create or edit payload."""
        if "content" in data:
            self.content = data["content"] or ""
        if "embeds" in data:
            self.embeds = data["embeds"] or []
        if "components" in data:
            self.components = data["components"] or []
        if "allowed_mentions" in data:
            self.allowed_mentions = data["allowed_mentions"]
        if data.get("flags") is not None:
            # Only the ephemeral/loading bits are the sender's to set here.
            self.flags = (self.flags & ~LOADING) | (int(data["flags"]) & EPHEMERAL)
        if data.get("poll") and self.poll is None:
            # A poll comes with its message; an edit cannot add or change one (rest.py refuses it).
            self.poll = Poll.create(data["poll"], self.created_at)

    def payload(self, *, include_content: bool = True) -> dict[str, Any]:
        guild = self.channel.guild
        users = {u: guild.members[u].user.payload() for u in self.mentioned_user_ids() if u in guild.members}
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel.id),
            "guild_id": str(guild.id),
            "author": self.author.payload(),
            "content": self.content if include_content else "",
            "timestamp": iso(self.created_at),
            "edited_timestamp": iso(self.edited_at) if self.edited_at else None,
            "tts": False,
            "mention_everyone": self.mentioned_everyone(),
            "mentions": list(users.values()),
            "mention_roles": [str(r) for r in self.mentioned_role_ids()],
            "attachments": [],
            "embeds": self.embeds if include_content else [],
            "components": self.components if include_content else [],
            "pinned": False,
            "type": self.kind,
            "flags": self.flags,
        }
        if self.poll is not None and include_content:  # a poll is content, behind the same intent
            data["poll"] = self.poll.payload(guild.sandbox_bot_id)
        if self.reference is not None:
            data["message_reference"] = {
                "message_id": str(self.reference.id),
                "channel_id": str(self.reference.channel.id),
                "guild_id": str(guild.id),
            }
            data["referenced_message"] = self.reference.payload(include_content=include_content)
        if member := guild.members.get(self.author.id):
            data["member"] = {k: v for k, v in member.payload().items() if k != "user"}
        if self.interaction:
            data["interaction_metadata"] = self.interaction
            data["webhook_id"] = self.interaction["application_id"]
        return data
