"""The sandbox's gateway: one websocket session per connected shard, as Discord runs it.

HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME with replay of missed events, and
dispatch of events filtered by the intents the client identified with.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .sandbox import Sandbox

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 0, 1, 2, 6, 9, 10, 11
GUILDS = 1 << 0
GUILD_MESSAGES = 1 << 9
MESSAGE_CONTENT = 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
GUILD_MESSAGE_POLLS = 1 << 24
HEARTBEAT_INTERVAL_MS = 41_250
REPLAY_BUFFER = 1_000


@dataclass
class Session:
    """A gateway session; it outlives its websocket so that a client can RESUME it."""

    id: str
    intents: int
    shard: tuple[int, int]
    ws: web.WebSocketResponse | None = None
    dropped: web.WebSocketResponse | None = None  # a socket the sandbox closed: the session stays resumable
    seq: int = 0
    sent: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=REPLAY_BUFFER))

    def owns_guild(self, guild_id: int) -> bool:
        shard_id, shard_count = self.shard
        return (guild_id >> 22) % shard_count == shard_id

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.sent.append(frame)
        if self.ws is not None and not self.ws.closed:
            await self.ws.send_str(json.dumps(frame))


class Gateway:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.sessions: dict[str, Session] = {}
        self.connected = asyncio.Event()

    @property
    def live_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.ws is not None and not s.ws.closed]

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json(
            {"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}, "s": None, "t": None}
        )
        session: Session | None = None
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op, data = frame.get("op"), frame.get("d")
                if op == HEARTBEAT:
                    await ws.send_json({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
                elif op == IDENTIFY:
                    session = await self._identify(ws, data)
                elif op == RESUME:
                    session = await self._resume(ws, data)
        finally:
            if session is not None and session.ws is ws:
                session.ws = None
                # A client's clean close ends its session; after any other close it may RESUME.
                if ws.close_code in (1000, 1001) and session.dropped is not ws:
                    del self.sessions[session.id]
                if not self.live_sessions:
                    self.connected.clear()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        if data.get("token") != self.sandbox.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        shard = tuple(data.get("shard") or (0, 1))
        session = Session(secrets.token_hex(16), int(data.get("intents", 0)), (shard[0], shard[1]), ws)
        self.sessions[session.id] = session
        bot = self.sandbox.bot_user
        guilds = [g for g in self.sandbox.guilds.values() if session.owns_guild(g.id)]
        await session.dispatch(
            "READY",
            {
                "v": 10,
                "user": {**bot.payload(), "verified": True, "mfa_enabled": False, "flags": 0},
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.id,
                "resume_gateway_url": self.sandbox.gateway_url,
                "shard": list(session.shard),
                "application": {"id": str(self.sandbox.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
            },
        )
        if session.intents & GUILDS:
            for guild in guilds:
                await session.dispatch("GUILD_CREATE", guild.payload())
        self.connected.set()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") != self.sandbox.token:
            await ws.send_json({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return None
        session.ws = ws
        last = int(data.get("seq") or 0)
        for frame in list(session.sent):
            if frame["s"] > last:
                await ws.send_str(json.dumps(frame))
        await session.dispatch("RESUMED", {})
        self.connected.set()
        return session

    async def drop_connections(self) -> None:
        """Close every websocket with a resumable code, as Discord does when it restarts a node."""
        for session in self.live_sessions:
            assert session.ws is not None
            session.dropped = session.ws
            await session.ws.close(code=4000, message=b"Unknown error")

    async def invalidate_sessions(self) -> None:
        """Tell every client its session is gone (op 9, not resumable): it must IDENTIFY anew."""
        for session in self.live_sessions:
            assert session.ws is not None
            del self.sessions[session.id]
            await session.ws.send_json({"op": INVALID_SESSION, "d": False, "s": None, "t": None})

    async def close(self) -> None:
        for session in self.live_sessions:
            assert session.ws is not None
            await session.ws.close(code=1001, message=b"Going away")

    async def dispatch_guild_event(
        self, guild_id: int, event: str, data: dict[str, Any], *, intent: int
    ) -> None:
        """Send an event to the session that owns the guild, if it subscribed to the intent."""
        for session in list(self.sessions.values()):
            if session.owns_guild(guild_id) and session.intents & intent:
                await session.dispatch(event, data)

    async def dispatch_message(self, event: str, message: Any) -> None:
        """MESSAGE_CREATE/UPDATE: content only for bots with the message-content intent (or their own)."""
        guild_id = message.channel.guild.id
        for session in list(self.sessions.values()):
            if not (session.owns_guild(guild_id) and session.intents & GUILD_MESSAGES):
                continue
            sees_content = (
                session.intents & MESSAGE_CONTENT
                or message.author.id == self.sandbox.bot_user.id
                or self.sandbox.bot_user.id in message.mentioned_user_ids()
            )
            await session.dispatch(event, message.payload(include_content=bool(sees_content)))
