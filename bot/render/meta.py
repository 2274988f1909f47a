"""/help and /about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import discord

from .. import limits
from . import COLOUR, chunk_lines, fit_embed


@dataclass(frozen=True)
class CommandHelp:
    usage: str  # e.g. "/ask <question>"
    description: str


def help_embed(sections: dict[str, list[CommandHelp]]) -> discord.Embed:
    embed = discord.Embed(
        title="filmbot commands",
        description="Options in <> are required, options in [] optional.",
        colour=COLOUR,
    )
    for section, commands in sections.items():
        lines = [f"`{c.usage}` — {c.description}" for c in commands]
        for i, block in enumerate(chunk_lines(lines)):
            if len(embed.fields) == limits.FIELDS:
                return fit_embed(embed)
            embed.add_field(name=section if i == 0 else f"{section} (continued)", value=block, inline=False)
    return fit_embed(embed)


def format_duration(delta: timedelta) -> str:
    """A short human duration: "3 d 4 h", "2 h 5 min", "42 s"."""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {seconds} s"
    return f"{seconds} s"


@dataclass(frozen=True)
class AboutInfo:
    version: str
    uptime: timedelta
    servers: int
    latency_ms: float | None  # None until the first heartbeat is acknowledged
    films: int
    facts: int


def about_embed(info: AboutInfo) -> discord.Embed:
    embed = discord.Embed(
        title="About filmbot",
        description="Answers with sources from a curated fact store, trivia, and daily classics.",
        colour=COLOUR,
    )
    latency = "not measured yet" if info.latency_ms is None else f"{info.latency_ms:.0f} ms"
    embed.add_field(name="Version", value=info.version)
    embed.add_field(name="Uptime", value=format_duration(info.uptime))
    embed.add_field(name="Servers", value=str(info.servers))
    embed.add_field(name="Gateway latency", value=latency)
    embed.add_field(name="Fact store", value=f"{info.films} films, {info.facts} facts")
    return fit_embed(embed)


# -- confirmations (cogs/_confirm.py) ------------------------------------------------------------

CANCELLED = "Cancelled: nothing was deleted."
UNANSWERED = "No answer: nothing was deleted."
NOT_YOUR_CONFIRMATION = "This confirmation is not yours: only who asked for it can answer it."
