"""Everything the bot shows, as discord.Embed: the one place that knows Discord's size limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import discord

from .facts.model import Film
from .qa.engine import Answer

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000

COLOUR = discord.Colour(0x8C6A3F)  # the sepia of an old print


def truncate(text: str, limit: int) -> str:
    """`text`, cut to at most `limit` characters with an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chunk_lines(lines: list[str], limit: int = FIELD_VALUE_LIMIT) -> list[str]:
    """Join lines into as few blocks of at most `limit` characters as possible (long lines are cut)."""
    blocks: list[str] = []
    current = ""
    for line in (truncate(line, limit) for line in lines):
        if current and len(current) + 1 + len(line) > limit:
            blocks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(current)
    return blocks


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
            if len(embed.fields) == FIELD_COUNT_LIMIT:
                return embed
            embed.add_field(name=section if i == 0 else f"{section} (continued)", value=block, inline=False)
    return embed


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
    return embed


def _source_line(source: str | None) -> str:
    return f"Source: {source}" if source else "Source: not recorded in the fact store"


def answer_embed(question: str, answer: Answer) -> discord.Embed:
    """An answer to /ask: the sentence, the film it is about, and the source of the fact used."""
    embed = discord.Embed(
        title=truncate(answer.film.label, TITLE_LIMIT) if answer.film else "I don't know",
        description=truncate(answer.text, DESCRIPTION_LIMIT),
        colour=COLOUR if answer.answered else discord.Colour.light_grey(),
    )
    embed.add_field(
        name="You asked", value=truncate(discord.utils.escape_markdown(question), FIELD_VALUE_LIMIT)
    )
    if answer.answered:
        embed.set_footer(text=truncate(_source_line(answer.source), 2048))
    return embed


def film_embed(film: Film) -> discord.Embed:
    """The card of /film: credits, synopsis and one fact with its source."""
    embed = discord.Embed(
        title=truncate(film.label, TITLE_LIMIT),
        description=truncate(film.synopsis, DESCRIPTION_LIMIT),
        colour=COLOUR,
    )

    def field(name: str, value: str | None, inline: bool = True) -> None:
        if value:
            embed.add_field(name=name, value=truncate(value, FIELD_VALUE_LIMIT), inline=inline)

    field("Original title", film.original_title if film.original_title != film.title else None)
    field("Directed by", ", ".join(film.directors))
    field("Runtime", f"{film.runtime} minutes" if film.runtime else None)
    cast = [f"{c.actor} ({c.character})" if c.character else c.actor for c in film.cast[:6]]
    field("Cast", "\n".join(cast), inline=False)
    if film.based_on:
        b = film.based_on
        by = f" by {', '.join(b.authors)}" if b.authors else ""
        year = f" ({b.year})" if b.year else ""
        field("Based on", f"{b.title}{year}, {b.kind or 'a work'}{by}", inline=False)
    if film.facts:
        fact = film.facts[0]
        field("A fact", f"{fact.text}\n*{_source_line(fact.source)}*", inline=False)
    if film.source:
        embed.set_footer(text=truncate(_source_line(film.source), 2048))
    return embed
