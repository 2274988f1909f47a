"""A local Discord: REST and gateway on 127.0.0.1 for the unmodified discord.py client."""

from .events import ScheduledEvent
from .interactions import ClientRefusal, Interaction, SandboxTimeout
from .messages import Message
from .model import Channel, Guild, Member, Role, User
from .polls import Poll
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
