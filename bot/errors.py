"""What a member sees when a command fails: one clear ephemeral sentence; the log gets the detail."""

from __future__ import annotations

import logging
import math
import secrets
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands

from .render import escape, fit_text, plural
from .storage import StorageUnavailable

if TYPE_CHECKING:
    from .app import FilmBot

log = logging.getLogger(__name__)


class UserError(app_commands.AppCommandError):
    """A failure the member can act on; its message is shown to them as it is."""


async def send_ephemeral(interaction: discord.Interaction[FilmBot], text: str) -> None:
    """Tell the member who caused the interaction, whether or not it was already answered."""
    text = fit_text(text)  # a sentence may quote what the member typed, or list every topic
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the member about a failed interaction %s", interaction.id, exc_info=True)


def explain(error: Exception, command: str) -> str | None:
    """The sentence for an expected failure of `command` ("/trivia reset"), or None for a bug."""
    if isinstance(error, UserError):
        return str(error)
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, StorageUnavailable):
        return f"I could not save that: {original}. Nothing was changed; please try again in a moment."
    if isinstance(error, app_commands.MissingPermissions):
        return (
            f"Only members with the {_permissions(error.missing_permissions)} permission can use {command}."
        )
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the {_permissions(error.missing_permissions)} permission in this channel to do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {plural(math.ceil(error.retry_after), 'second')}."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    return None


def _permissions(names: list[str]) -> str:
    """ "manage_guild" as Discord's client shows it: "Manage Server"."""
    return ", ".join(p.replace("_", " ").replace("guild", "server").title() for p in names)


def unknown_choice(command: app_commands.Command[Any, ..., Any], data: dict[str, Any]) -> str | None:
    """The sentence for an option value that is not one of its choices (Discord's client offers
    only those, but a request can carry anything), or None."""
    options = data.get("options", [])
    while options and options[0].get("type") in (1, 2):  # into the subcommand group and subcommand
        options = options[0].get("options", [])
    for option in options:
        parameter = next((p for p in command.parameters if p.display_name == option["name"]), None)
        allowed = [c.value for c in parameter.choices] if parameter else []
        if allowed and option.get("value") not in allowed:
            value = escape(str(option.get("value"))[:100])
            return f"{option['name']} can't be “{value}”: choose one of {', '.join(map(str, allowed))}."
    return None


class FilmTree(app_commands.CommandTree["FilmBot"]):
    async def interaction_check(self, interaction: discord.Interaction[FilmBot], /) -> bool:
        command = interaction.command
        if interaction.type is discord.InteractionType.application_command and isinstance(
            command, app_commands.Command
        ):
            refused = unknown_choice(command, cast(dict[str, Any], interaction.data or {}))  # JSON as sent
            if refused is not None:
                await send_ephemeral(interaction, refused)
                return False
        return True

    async def on_error(
        self, interaction: discord.Interaction[FilmBot], error: app_commands.AppCommandError
    ) -> None:
        name = interaction.command.qualified_name if interaction.command else "?"
        kind = await report_failure(interaction, error, f"/{name}")
        self.client.metrics.command_failed(name, kind)


async def report_failure(interaction: discord.Interaction[Any], error: Exception, where: str) -> str:
    """Tell the member why `where` (a command, a button) failed: the sentence of an expected failure,
    or for a bug an error id, which the log has with the traceback. Returns the kind of failure:
    the error's class name (UserError, MissingPermissions, ...) or "bug"."""
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    text = explain(error, where)
    kind = "bug" if text is None else type(original).__name__
    if text is None:
        error_id = secrets.token_hex(4)
        log.error("error %s in %s", error_id, where, exc_info=original)
        text = f"Something went wrong on my side (error id `{error_id}`). Please try again later."
    await send_ephemeral(interaction, text)
    return kind


class FilmView(discord.ui.View):
    """A view whose failures reach the member as a command's do (discord.py only logs them)."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        label = getattr(item, "label", None) or type(item).__name__
        await report_failure(interaction, error, f"the {label!r} button")
