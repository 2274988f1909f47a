"""The sandbox's REST API: the routes discord.py uses, with Discord's status codes and error JSON.

`Rest` is the app's side of it: the middleware (authentication, injected faults, the request log,
Discord's 404 for unknown routes), the session and server routes, and the routes of each area from
rest_interactions, rest_messages and rest_events.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from aiohttp import web

from .rest_base import API, DiscordError, Handler, Routes, json_response
from .rest_events import EventRoutes
from .rest_interactions import InteractionRoutes
from .rest_messages import MessageRoutes

if TYPE_CHECKING:
    from .sandbox import Fault, Sandbox


class Rest(Routes):
    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox)
        self._interactions = InteractionRoutes(sandbox)
        self._messages = MessageRoutes(sandbox)
        self._events = EventRoutes(sandbox)

    def routes(self) -> list[web.RouteDef]:
        guild = API + "/guilds/{guild}"
        return [
            web.get(API + "/users/@me", self.me),
            web.get(API + "/gateway", self.gateway),
            web.get(API + "/gateway/bot", self.gateway_bot),
            web.get(API + "/oauth2/applications/@me", self.application),
            web.get(API + "/applications/@me", self.application),
            *self._interactions.routes(),
            *self._messages.routes(),
            web.get(guild, self.get_guild),
            web.get(guild + "/channels", self.get_guild_channels),
            web.get(guild + "/members/{user}", self.get_member),
            *self._events.routes(),
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

    # -- guilds --------------------------------------------------------------------------------

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
