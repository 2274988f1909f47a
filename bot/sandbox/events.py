"""A server's scheduled events: the event, its statuses and entity types, and its Discord JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Guild, iso, parse_iso

EXTERNAL = 3  # a scheduled event's entity type for a place outside Discord (1: stage, 2: voice)
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4  # a scheduled event's status


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
