"""Options the cogs share, as app_commands transformers: a film by title (autocompleted over the
store), a time of day and a time zone, each a value of its own or a clear error for the member.

(A module starting with "_" is not loaded as an extension.)"""

from __future__ import annotations

import datetime
import zoneinfo

import discord
from discord import app_commands

from bot import render
from bot.app import FilmBot
from bot.errors import UserError
from bot.features.schedule import ScheduleError, parse_time, parse_zone, zone_names
from bot.qa.catalog import FilmRef

AUTOCOMPLETE_CHOICES = 25  # Discord's most
Interaction = discord.Interaction[FilmBot]
Choice = app_commands.Choice[int | float | str]  # what Transformer.autocomplete returns


class _Text(app_commands.Transformer[FilmBot]):
    """A string option of 1 to `length` characters (Discord's client holds members to them)."""

    length = 100

    @property
    def min_value(self) -> int:
        return 1

    @property
    def max_value(self) -> int:
        return self.length


class FilmTitle(_Text):
    """The film of an autocompleted choice (its value is the film's id) or of a typed title; a clear
    error, with a suggestion, if none. `curated`: offer only the curated films."""

    length = 200

    def __init__(self, *, curated: bool = False) -> None:
        self.curated = curated

    async def autocomplete(self, interaction: Interaction, value: int | float | str, /) -> list[Choice]:
        found = interaction.client.films.choices(str(value), AUTOCOMPLETE_CHOICES, curated=self.curated)
        return [Choice(name=label, value=film_id) for label, film_id in found]

    async def transform(self, interaction: Interaction, value: str, /) -> FilmRef:
        films = interaction.client.films
        ref = films.find(value)
        if ref is None:
            suggestion = films.suggest(value)
            raise UserError(render.qa.unknown_film(value, suggestion.label if suggestion else None))
        return ref


class TimeOfDay(_Text):
    """ "18:30" or "6:30 pm"."""

    length = 10

    async def transform(self, interaction: Interaction, value: str, /) -> datetime.time:
        try:
            return parse_time(value)
        except ScheduleError as exc:
            raise UserError(str(exc)) from None


class TimeZone(_Text):
    """An IANA zone by its name or its city ("Europe/Moscow", "new york"), autocompleted."""

    length = 64

    async def autocomplete(self, interaction: Interaction, value: int | float | str, /) -> list[Choice]:
        typed = str(value).strip().casefold().replace(" ", "_")
        names = sorted(zone_names(), key=lambda n: (not n.casefold().startswith(typed), "/" not in n, n))
        shown = [n for n in names if typed in n.casefold()][:AUTOCOMPLETE_CHOICES]
        return [Choice(name=n, value=n) for n in shown]

    async def transform(self, interaction: Interaction, value: str, /) -> zoneinfo.ZoneInfo:
        try:
            return parse_zone(value)
        except ScheduleError as exc:
            raise UserError(str(exc)) from None
