"""A local Discord: REST and gateway on 127.0.0.1 for the unmodified discord.py client."""

from .interactions import ClientRefusal, Interaction, SandboxTimeout
from .model import Channel, Guild, Member, Message, Poll, Role, ScheduledEvent, User
from .sandbox import Sandbox

__all__ = [
    "Channel",
    "ClientRefusal",
    "Guild",
    "Interaction",
    "Member",
    "Message",
    "Poll",
    "Role",
    "Sandbox",
    "SandboxTimeout",
    "ScheduledEvent",
    "User",
]
