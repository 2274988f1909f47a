"""The daily feature: its post, its status, and when it comes next."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import discord

from .. import limits
from ..features.model import Post, Schedule
from ..features.post import FeaturePost
from . import COLOUR, fit_embed, fit_text, message_link, plural, source_line, truncate
from .club import club_rating_field


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
    club_rating_field(embed, post.club)
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


# -- replies -------------------------------------------------------------------------------------

NO_SCHEDULE = "No daily feature is scheduled in this server. Set one with `/feature schedule`."
PAUSED = "The daily feature is paused."
UNSCHEDULED = "The daily feature is unscheduled. The films already featured stay remembered for the rotation."


def paused_notice(reason: str) -> str:
    """To the moderators, in the server's system channel."""
    return fit_text(
        f"The daily film feature is paused: {reason}. A moderator can fix that and run `/feature resume`."
    )


def cannot_post(channel: str, missing: list[str]) -> str:
    return f"I can't post in {channel}: I need the {', '.join(missing)} permission there."


def scheduled(channel: str, at: str, zone: str, due: datetime, threads: bool) -> str:
    text = f"Scheduled: a classic film every day in {channel} at {at} {zone}.\n"
    text += f"Next post: {local_when(due, zone)}"
    if not threads:
        text += "\nI can't create threads there (Create Public Threads): posts come without a thread."
    return text


def resumed(due: datetime, zone: str) -> str:
    return f"The daily feature is running. Next post: {local_when(due, zone)}"


def posted_now(link: str, already: bool) -> str:
    return f"Today's feature {'is already posted' if already else 'is posted'}: {link}"


def paused_now(reason: str | None) -> str:
    return fit_text(f"I could not post, so the feature is paused: {reason}.")


def preview_of(day: date) -> str:
    return f"Preview of the post of {day.isoformat()}:"


def only_in_catalogue(film: str) -> str:
    return (
        f"{film} is only in the catalogue, without a synopsis or facts to feature; "
        "pick one of the curated films from the list."
    )


def queued(film: str) -> str:
    return f"The next feature will be {film}."
