"""The sandbox's REST routes for application commands and interactions: the bot's command
registrations, interaction callbacks (one response each, within the deadline), follow-ups, and the
webhook messages of an interaction."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from . import interactions as itx
from .limits import check_commands, check_message
from .messages import EPHEMERAL, LOADING, Message
from .model import snowflake
from .rest_base import API, DiscordError, Routes, invalid, json_response, no_poll_edit, read_json

FOLLOWUP_WINDOW_SECONDS = 15 * 60


class InteractionRoutes(Routes):
    def routes(self) -> list[web.RouteDef]:
        app_cmds = API + "/applications/{app}"
        webhook = API + "/webhooks/{app}/{token}"
        return [
            web.get(app_cmds + "/commands", self.get_commands),
            web.put(app_cmds + "/commands", self.put_commands),
            web.get(app_cmds + "/guilds/{guild}/commands", self.get_commands),
            web.put(app_cmds + "/guilds/{guild}/commands", self.put_commands),
            web.post(API + "/interactions/{id}/{token}/callback", self.interaction_callback),
            web.post(webhook, self.followup),
            web.get(webhook + "/messages/{message}", self.get_webhook_message),
            web.patch(webhook + "/messages/{message}", self.edit_webhook_message),
            web.delete(webhook + "/messages/{message}", self.delete_webhook_message),
        ]

    # -- application commands --------------------------------------------------------------------

    def _scope(self, request: web.Request) -> int | None:
        if request.match_info["app"] != str(self.sandbox.application_id):
            raise DiscordError(403, 50001, "Missing Access")
        guild = request.match_info.get("guild")
        if guild is not None and int(guild) not in self.sandbox.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return int(guild) if guild is not None else None

    async def get_commands(self, request: web.Request) -> web.Response:
        return json_response(self.sandbox.commands.get(self._scope(request), []))

    async def put_commands(self, request: web.Request) -> web.Response:
        scope = self._scope(request)
        commands = await request.json()
        invalid(check_commands(commands))
        known = {(c["name"], c.get("type", 1)): c["id"] for c in self.sandbox.commands.get(scope, [])}
        stored = []
        for command in commands:
            kind = command.get("type", 1)
            stored.append(
                {
                    "type": kind,
                    "description": "",
                    "options": [],
                    "default_member_permissions": None,
                    "nsfw": False,
                    **command,
                    "id": known.get((command["name"], kind)) or str(snowflake()),
                    "application_id": str(self.sandbox.application_id),
                    "version": str(snowflake()),
                    **({"guild_id": str(scope)} if scope is not None else {}),
                }
            )
        self.sandbox.commands[scope] = stored
        return json_response(stored)

    # -- interactions ----------------------------------------------------------------------------

    def _interaction(self, request: web.Request) -> itx.Interaction:
        found = self.sandbox.interactions.get(int(request.match_info["id"]))
        if found is None or found.token != request.match_info["token"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        return found

    def _by_token(self, request: web.Request) -> itx.Interaction:
        found = self.sandbox.interactions_by_token.get(request.match_info["token"])
        if found is None or request.match_info["app"] != str(self.sandbox.application_id):
            raise DiscordError(404, 10015, "Unknown Webhook")
        if time.monotonic() - found.dispatched_at > FOLLOWUP_WINDOW_SECONDS:
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        return found

    async def interaction_callback(self, request: web.Request) -> web.Response:
        interaction = self._interaction(request)
        if interaction.response_type is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        if time.monotonic() - interaction.dispatched_at > self.sandbox.interaction_deadline:
            raise DiscordError(404, 10062, "Unknown interaction")
        body = await read_json(request)
        kind, data = body.get("type"), body.get("data") or {}
        if kind not in itx.ALLOWED_CALLBACKS[interaction.type]:
            errors = {
                "type": {
                    "_errors": [{"code": "INTERACTION_RESPONSE_TYPE_INVALID", "message": "Invalid type"}]
                }
            }
            raise DiscordError(400, 50035, "Invalid Form Body", errors)

        message: Message | None = None
        if kind == itx.MESSAGE:
            invalid(check_message(data))
            message = await self._respond_with_message(interaction, data, flags=0)
        elif kind == itx.DEFERRED_MESSAGE:
            message = await self._respond_with_message(
                interaction, {}, flags=LOADING | (data.get("flags", 0) & EPHEMERAL)
            )
        elif kind in (itx.DEFERRED_UPDATE, itx.UPDATE):
            message = interaction.original = interaction.message
            if kind == itx.UPDATE:
                invalid(check_message(data, require_content=False))
                no_poll_edit(data)
                assert message is not None
                await self.sandbox.edit(message, data)
        elif kind == itx.AUTOCOMPLETE_RESULT:
            interaction.choices = data.get("choices", [])
            if len(interaction.choices) > 25:
                errors = {
                    "choices": {
                        "_errors": [
                            {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 25 or fewer in length."}
                        ]
                    }
                }
                raise DiscordError(400, 50035, "Invalid Form Body", errors)
        elif kind == itx.MODAL:
            interaction.modal = data
        interaction.response_type = kind
        interaction.note_progress()
        self.sandbox.notify()

        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            resource["message"] = message.payload()
        return json_response(
            {
                "interaction": {
                    "id": str(interaction.id),
                    "type": interaction.type,
                    "response_message_id": str(message.id) if message else None,
                    "response_message_loading": kind == itx.DEFERRED_MESSAGE,
                    "response_message_ephemeral": bool(message and message.ephemeral),
                },
                "resource": resource,
            }
        )

    async def _respond_with_message(
        self, interaction: itx.Interaction, data: dict[str, Any], *, flags: int
    ) -> Message:
        metadata = {
            "id": str(interaction.id),
            "type": interaction.type,
            "user": interaction.member.user.payload(),
            "authorizing_integration_owners": {"0": str(interaction.channel.guild.id)},
            "application_id": str(self.sandbox.application_id),
        }
        message = Message(
            snowflake(), interaction.channel, self.sandbox.bot_user, flags=flags, interaction=metadata
        )
        message.apply(data)
        message.flags |= flags
        if message.ephemeral:
            message.visible_to = interaction.member.id
        interaction.original = message
        await self.sandbox.post(message)
        return message

    async def followup(self, request: web.Request) -> web.Response:
        interaction = self._by_token(request)
        if interaction.response_type is None:
            raise DiscordError(404, 10015, "Unknown Webhook")
        data = await read_json(request)
        invalid(check_message(data))
        message = Message(snowflake(), interaction.channel, self.sandbox.bot_user)
        message.apply(data)
        if message.ephemeral:
            message.visible_to = interaction.member.id
        interaction.followups.append(message)
        await self.sandbox.post(message)
        interaction.note_progress()
        self.sandbox.notify()
        return json_response(message.payload())

    def _webhook_message(self, interaction: itx.Interaction, message_id: str) -> Message:
        if message_id == "@original":
            found = interaction.original
        else:
            found = next((m for m in interaction.followups if str(m.id) == message_id), None)
        if found is None or found.deleted:
            raise DiscordError(404, 10008, "Unknown Message")
        return found

    async def get_webhook_message(self, request: web.Request) -> web.Response:
        interaction = self._by_token(request)
        return json_response(self._webhook_message(interaction, request.match_info["message"]).payload())

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        interaction = self._by_token(request)
        message = self._webhook_message(interaction, request.match_info["message"])
        data = await read_json(request)
        invalid(check_message(data, require_content=False))
        no_poll_edit(data)
        if message is interaction.original:
            message.flags &= ~LOADING  # the answer replaces "is thinking…"
            interaction.original_edited = True
        await self.sandbox.edit(message, data)
        interaction.note_progress()
        self.sandbox.notify()
        return json_response(message.payload())

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        interaction = self._by_token(request)
        await self.sandbox.delete(self._webhook_message(interaction, request.match_info["message"]))
        return web.Response(status=204)
