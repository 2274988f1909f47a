"""Club nights: suggestions, the poll and its result, ratings and the club's history."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import discord

from .. import limits
from ..club.model import PAGE_SIZE, FilmRatings, Rating, Screening, Suggested
from ..facts.model import Film
from . import COLOUR, chunk_lines, escape, fit_embed, fit_text, plural, truncate

REVIEWS_SHOWN = 5
RANKED_SHOWN = 5  # the top and the bottom of /club ratings


def stars(halves: int) -> str:
    """ "★★★½ 3.5"."""
    return f"{'★' * (halves // 2)}{'½' if halves % 2 else ''} {halves / 2:g}"


def average(ratings: FilmRatings) -> str:
    """ "4.3 of 5 from 3 ratings"; halves rounded up, as members round (3.25 is 3.3, where
    format() rounds the float to even)."""
    tenths = (ratings.total_halves * 10 + ratings.count) // (2 * ratings.count)
    return f"{tenths // 10}.{tenths % 10} of 5 from {plural(ratings.count, 'rating')}"


def day(when: date) -> str:
    return f"{when.day} {when:%B %Y}"


def review(text: str) -> str:
    """A member's review as written, pinging and formatting nothing."""
    return escape(discord.utils.escape_mentions(text))


def club_rating_field(embed: discord.Embed, ratings: FilmRatings | None) -> None:
    """The server's average on a film card (/film, the daily feature), when members rated it."""
    if ratings is not None:
        embed.add_field(name="Club rating", value=average(ratings), inline=False)


# -- suggestions ---------------------------------------------------------------------------------


def suggested(name: str, film: str, replaced: str | None) -> str:
    instead = f" (instead of {replaced})" if replaced and replaced != film else ""
    return fit_text(f"{escape(name)} suggests **{film}**{instead} for a club night.")


def already_watched(film: str, when: date) -> str:
    return f"The club watched {film} on {day(when)}: suggest another film, or `/rate` this one."


def withdrawn(film: str | None) -> str:
    return f"Your suggestion of {film} is withdrawn." if film else "You have no suggestion to withdraw."


def suggestions_embed(ranked: list[tuple[str, Suggested]]) -> discord.Embed:
    """The films members suggest (label, tally), most suggested first: the order a poll offers."""
    embed = discord.Embed(title="Suggested for a club night", colour=COLOUR)
    if not ranked:
        embed.description = "Nothing yet. Suggest a film with `/club suggest`."
        return embed
    lines = [
        f"{i}. **{label}**: {', '.join(escape(n) for n in tally.names)}"
        for i, (label, tally) in enumerate(ranked, 1)
    ]
    embed.description = chunk_lines(lines, limits.EMBED_DESCRIPTION)[0]
    embed.set_footer(text="A poll (/club poll) offers the most suggested first.")
    return fit_embed(embed)


# -- the poll ------------------------------------------------------------------------------------


def local_time(moment: datetime, zone: str) -> str:
    """ "Saturday 12 December 2026, 20:00 (Europe/Moscow)"."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({zone})"


def poll_question(screening: datetime | None, zone: str | None) -> str:
    if screening is None or zone is None:
        return "What should the club watch next?"
    return truncate(f"What should the club watch on {local_time(screening, zone)}?", limits.POLL_QUESTION)


def poll_answer(label: str) -> str:
    return truncate(label, limits.POLL_ANSWER_TEXT)


def poll_started(ends: datetime, screening: datetime | None) -> str:
    event = " and schedule the screening as a server event" if screening else ""
    return f"Vote below. When the poll ends <t:{int(ends.timestamp())}:R>, I'll announce the film{event}."


def announcement(film: str, votes: int, total: int, event_url: str | None, note: str | None) -> str:
    lines = [f"The club picked **{film}**, with {plural(votes, 'vote')} of {total}."]
    if event_url:
        lines.append(f"The screening is a server event: {event_url}")
    if note:
        lines.append(note)
    lines.append("Once you have watched it, rate it with `/rate`.")
    return fit_text("\n".join(lines))


def still_open(link: str) -> str:
    return f"The club's poll is still open: {link}. Wait for it to end."


NEEDS_POLL_PERMISSION = "I need the Create Polls permission in this channel to start a poll here."
NO_EVENT_PERMISSION = (
    "I could not create the screening event: I need the Manage Events permission in this server."
)
ONLINE = "Online: watch along with the club"  # an event's place when none was given
NO_VOTES = "Nobody voted in the club's poll, so no film was picked. Start another with `/club poll`."


def event_name(film: Film) -> str:
    return truncate(f"Club screening: {film.label}", limits.EVENT_NAME)


def event_description(film: Film) -> str:
    """The film card in a few lines: who made it, then its synopsis."""
    made = f"Directed by {', '.join(film.directors)}." if film.directors else ""
    return truncate("\n\n".join(part for part in (made, film.synopsis) if part), limits.EVENT_DESCRIPTION)


# -- ratings -------------------------------------------------------------------------------------


def rated(name: str, film: str, halves: int, text: str | None, before: Rating | None) -> str:
    changed = f" (was {stars(before.halves)})" if before is not None and before.halves != halves else ""
    said = f"\n> {review(text)}" if text else ""
    return fit_text(f"{escape(name)} rated **{film}** {stars(halves)}{changed}.{said}")


def film_ratings_embed(
    film: str, ratings: FilmRatings | None, reviews: list[Rating], mine: int | None
) -> discord.Embed:
    embed = discord.Embed(title=f"Club ratings: {film}", colour=COLOUR)
    if ratings is None:
        embed.description = "Nobody in this server has rated it yet. Rate it with `/rate`."
        return embed
    embed.description = average(ratings)
    embed.add_field(
        name="Spread",
        value="\n".join(f"{stars(h)}: {plural(n, 'member')}" for h, n in ratings.spread),
        inline=False,
    )
    if mine is not None:
        embed.add_field(name="Yours", value=stars(mine), inline=False)
    for r in reviews[:REVIEWS_SHOWN]:
        embed.add_field(
            name=f"{escape(r.name)}: {stars(r.halves)}", value=review(r.review or ""), inline=False
        )
    return fit_embed(embed)


def club_ratings_embed(ranked: list[tuple[str, FilmRatings]], mine: dict[str, int]) -> discord.Embed:
    """The club's best and least liked films (label, ratings; best first), with the member's own."""
    embed = discord.Embed(title="The club's ratings", colour=COLOUR)
    if not ranked:
        embed.description = "Nobody in this server has rated a film yet. Rate one with `/rate`."
        return embed

    def line(label: str, r: FilmRatings) -> str:
        yours = f" · yours {stars(mine[r.film_id])}" if r.film_id in mine else ""
        return f"**{label}**: {average(r)}{yours}"

    top = ranked[:RANKED_SHOWN]
    bottom = [entry for entry in ranked[-RANKED_SHOWN:] if entry not in top][::-1]
    embed.add_field(name="Top", value="\n".join(line(*e) for e in top), inline=False)
    if bottom:
        embed.add_field(name="Bottom", value="\n".join(line(*e) for e in bottom), inline=False)
    embed.set_footer(text=f"{plural(len(ranked), 'film')} rated · /club ratings title: for one film")
    return fit_embed(embed)


def history_embed(screenings: list[tuple[str, Screening]], page: int, total: int) -> discord.Embed:
    embed = discord.Embed(title="Club history", colour=COLOUR)
    if not screenings:
        embed.description = "No screening recorded yet. Record one with `/club watched`."
        return embed
    lines = [
        f"{day(s.day)}: **{label}**, {average(s.ratings) if s.ratings else 'not rated yet'}"
        for label, s in screenings
    ]
    embed.description = "\n".join(lines)
    pages = -(-total // PAGE_SIZE)
    embed.set_footer(text=f"Page {page + 1} of {pages} · {plural(total, 'screening')}")
    return fit_embed(embed)


def watched(film: str, when: date, new: bool) -> str:
    if not new:
        return f"Already recorded: the club watched {film} on {day(when)}."
    return f"Recorded: the club watched **{film}** on {day(when)}. Rate it with `/rate`."


def club_settings(role_id: int | None) -> str:
    who = f"members with Manage Server or the <@&{role_id}> role" if role_id else "members with Manage Server"
    return f"Club nights are run (polls, screenings) by {who}."


def only_organisers(command: str, role_id: int | None) -> str:
    role = f" or the <@&{role_id}> role" if role_id else ""
    return f"Only members with the Manage Server permission{role} can use {command}."


RESET_QUESTION = (
    "Delete this server's club suggestions, polls, screenings and ratings? Its settings stay. "
    "This cannot be undone."
)


def reset_done(rows: int) -> str:
    return f"Done: the club's records are deleted ({plural(rows, 'row')})."


TOO_FEW_SUGGESTIONS = "A poll needs at least two suggested films: members suggest them with `/club suggest`."
NEEDS_EVENT_PERMISSION = (
    "I need the Manage Events permission in this server to make the screening a server event: "
    "grant it, or start the poll without a screening time."
)
PLACE_WITHOUT_TIME = "A place (channel or location) needs a screening time too: give `at:`."
NOT_YET = "That date is still to come: record a screening once the club has watched it."
ONLY_MODERATORS_CHANGE = "Only members with the Manage Server permission can change the club's settings."


def screening_too_soon(screening: datetime, zone: str, poll_ends: datetime) -> str:
    return (
        f"The screening ({local_time(screening, zone)}) would start before the poll ends "
        f"(<t:{int(poll_ends.timestamp())}:f>): give a later time, or fewer hours."
    )


def screened(film: str) -> str:
    return f"The club watched **{film}**: rate it with `/rate`, and see everyone's with `/club ratings`."
