"""The daily feature: its post, its status, and when it comes next."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import discord

from .. import limits
from ..features.model import Post, Schedule
from ..features.post import FeaturePost
from . import COLOUR, fit_embed, message_link, plural, source_line, truncate


def feature_marker(day: date) -> str:
    """The footer of a day's feature: how the bot recognises its own post after a restart."""
    return f"Daily feature · {day.isoformat()}"


def feature_embed(post: FeaturePost) -> discord.Embed:
    """The classic of the day: credits, synopsis, two facts with their sources, a question to discuss."""
    film = post.film
    embed = discord.Embed(
        title=f"Classic of the day: {film.label}",
        description=film.synopsis,
        colour=COLOUR,
    )
    if film.original_title and film.original_title != film.title:
        embed.add_field(name="Original title", value=film.original_title)
    embed.add_field(name="Year", value=str(film.year))
    embed.add_field(name="Directed by", value=", ".join(film.directors))
    if film.cast:
        starring = ", ".join(c.actor for c in film.cast[:4])
        embed.add_field(name="Starring", value=starring, inline=False)
    for i, fact in enumerate(post.facts, 1):
        embed.add_field(
            name=f"Fact {i}",
            value=f"{fact.shown}\n*{source_line(fact.source)}*",
            inline=False,
        )
    embed.add_field(name="Discuss", value=post.prompt, inline=False)
    embed.set_footer(text=feature_marker(post.day))
    return fit_embed(embed)


def thread_name(post: FeaturePost) -> str:
    return truncate(post.thread, limits.THREAD_NAME)


def local_when(moment: datetime, zone: str) -> str:
    """ "Thursday 26 November 2026, 18:30 (Europe/Moscow) · <t:…:F>": in the zone and in the reader's."""
    local = moment.astimezone(ZoneInfo(zone))
    stamp = int(moment.timestamp())
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({zone}) · <t:{stamp}:F>, <t:{stamp}:R>"


def feature_status_embed(
    schedule: Schedule,
    next_post: datetime,
    last: Post | None,
    skipped: Post | None,
    featured: int,
    films: int,
) -> discord.Embed:
    embed = discord.Embed(
        title="Daily feature", colour=COLOUR if not schedule.paused else discord.Colour.dark_grey()
    )
    embed.add_field(name="Channel", value=f"<#{schedule.channel_id}>")
    embed.add_field(name="Time", value=f"{schedule.at} {schedule.zone}")
    embed.add_field(name="State", value="paused" if schedule.paused else "running")
    embed.add_field(
        name="Next post",
        value="none while paused" if schedule.paused else local_when(next_post, schedule.zone),
        inline=False,
    )
    if last is not None and last.message_id and last.channel_id:
        link = message_link(schedule.guild_id, last.channel_id, last.message_id)
        embed.add_field(name="Last post", value=f"{last.day.isoformat()}: {link}", inline=False)
    if skipped is not None and (last is None or skipped.day > last.day):
        embed.add_field(
            name="Last day skipped", value=f"{skipped.day.isoformat()}: {skipped.reason}", inline=False
        )
    embed.add_field(
        name="Featured so far", value=f"{plural(featured, 'post')}; {plural(films, 'film')} in the rotation"
    )
    if schedule.pause_reason:
        embed.add_field(name="Problem", value=schedule.pause_reason, inline=False)
    return fit_embed(embed)
