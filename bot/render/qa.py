"""Answers to questions and film cards (/ask, /film, mentions)."""

from __future__ import annotations

import discord

from ..club.model import FilmRatings
from ..facts.links import film_links, source_url
from ..facts.model import Film
from ..qa.answer import Answer
from . import COLOUR, escape, fit_embed, fit_text, quoted, source_line
from .club import club_rating_field

ANSWER_FIELD = "You asked"  # marks an answer, so that a reply to it is a follow-up


def answer_embed(question: str, answer: Answer) -> discord.Embed:
    """An answer to /ask: the sentence, the film it is about, and the source of the fact used."""
    embed = discord.Embed(
        title=answer.title,  # what it is about; "I don't know" only for no answer
        description=answer.text,
        colour=COLOUR if answer.answered else discord.Colour.light_grey(),
    )
    embed.add_field(name=ANSWER_FIELD, value=escape(question))
    if answer.answered:
        embed.set_footer(text=source_line(answer.source))
        embed.url = source_url(answer.source)  # the title opens the source's page, where it has one
    return fit_embed(embed)


def film_embed(film: Film, club: FilmRatings | None = None) -> discord.Embed:
    """The card of /film: credits, synopsis, one fact with its source, and the server's average
    rating when its members rated the film."""
    embed = discord.Embed(
        title=film.label,
        description=film.synopsis or None,
        colour=COLOUR,
    )

    def field(name: str, value: str | None, inline: bool = True) -> None:
        if value:
            embed.add_field(name=name, value=value, inline=inline)

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
        field("A fact", f"{fact.shown}\n*{source_line(fact.source)}*", inline=False)
    club_rating_field(embed, club)
    field("Links", " · ".join(f"[{name}]({url})" for name, url in film_links(film)), inline=False)
    if film.source:
        embed.set_footer(text=source_line(film.source))
    return fit_embed(embed)


# -- replies -------------------------------------------------------------------------------------

MENTION_HINT = "Ask me about a film, for example: {me} who directed Stalker?"


def asking_quickly(retry_after: float) -> str:
    return f"You're asking quickly: try again in {retry_after:.0f} s."


def unknown_film(title: str, suggestion: str | None) -> str:
    hint = f" Did you mean {suggestion}?" if suggestion else ""
    return fit_text(f"I don't know a film called {quoted(title)}.{hint}")
