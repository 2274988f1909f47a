"""Film options shared by the cogs: title autocomplete, and the film a member picked or typed.

(A module starting with "_" is not loaded as an extension.)"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.errors import UserError
from bot.qa.catalog import FilmRef
from bot.qa.lookup import FilmLookup

AUTOCOMPLETE_CHOICES = 25  # Discord's most


def film_choices(films: FilmLookup, current: str, *, curated: bool = False) -> list[app_commands.Choice[str]]:
    """ "Title (Year) — Director" choices whose value is the film's id; only curated films if asked."""
    found = films.choices(current, AUTOCOMPLETE_CHOICES, curated=curated)
    return [app_commands.Choice(name=label, value=film_id) for label, film_id in found]


def film_from_option(films: FilmLookup, text: str) -> FilmRef:
    """The film of an autocompleted id or a typed title; a clear error, with a suggestion, if none."""
    ref = films.find(text)
    if ref is None:
        suggestion = films.suggest(text)
        hint = f" Did you mean {suggestion.label}?" if suggestion else ""
        raise UserError(f"I don't know a film called {discord.utils.escape_markdown(text)!r}.{hint}")
    return ref
