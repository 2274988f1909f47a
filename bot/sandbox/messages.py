"""A message in the sandbox: its content, embeds, buttons and poll, whom it pings, and its Discord JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import model  # its wall_clock, read at each call: tests move the clock by replacing it
from .model import Channel, User, iso
from .polls import Poll

EPHEMERAL = 1 << 6
LOADING = 1 << 7

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
    created_at: float = field(default_factory=lambda: model.wall_clock())
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
            # A poll comes with its message; an edit cannot add or change one (the REST API refuses it).
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
