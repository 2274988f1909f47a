"""What commands check before they run: who may use them, and how often (app_commands checks).

A refusal is an app_commands error that bot/errors.py puts in a sentence for the member.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

if TYPE_CHECKING:
    from .app import FilmBot

T = TypeVar("T")

# Moderators are the members with Manage Server. A group's default permissions hide its commands
# from others, but a server may change those, so the commands check again.
moderators = app_commands.checks.has_permissions(manage_guild=True)


def is_moderator(interaction: discord.Interaction[FilmBot]) -> bool:
    """For a command that only some of its uses need a moderator for ("/trivia stop" of another's round)."""
    return interaction.permissions.manage_guild


def _member(interaction: discord.Interaction[Any]) -> tuple[int | None, int]:
    return interaction.guild_id, interaction.user.id


def per_member(rate: int, per: float) -> Callable[[T], T]:
    """At most `rate` uses of a command in `per` seconds by one member of a server (a user in DMs)."""
    return app_commands.checks.cooldown(rate, per, key=_member)
