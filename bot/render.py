"""Everything the bot shows, as discord.Embed: every embed and text it builds kept within Discord's
limits (bot/limits.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import discord

from . import limits
from .facts.links import film_links, source_url
from .facts.model import Film
from .features.model import Post, Schedule
from .features.post import FeaturePost
from .qa.answer import Answer
from .trivia.game import Mode, Reveal, Round
from .trivia.model import Standing, Stats, TriviaSettings

COLOUR = discord.Colour(0x8C6A3F)  # the sepia of an old print


def plural(count: int, word: str) -> str:
    """ "1 post", "2 posts" (for the bot's own regular nouns)."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def truncate(text: str, limit: int) -> str:
    """`text`, cut to at most `limit` characters with an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit_text(text: str) -> str:
    """A message's text within Discord's 2,000 characters."""
    return truncate(text, limits.CONTENT)


def chunk_lines(lines: list[str], limit: int = limits.FIELD_VALUE) -> list[str]:
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


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """`embed` within Discord's limits: each part cut to its own with "…", fields past the 25th
    left out, then the description and the last fields cut until the whole is within 6,000."""
    if embed.title:
        embed.title = truncate(embed.title, limits.EMBED_TITLE)
    if embed.description:
        embed.description = truncate(embed.description, limits.EMBED_DESCRIPTION)
    if embed.footer.text:
        embed.set_footer(
            text=truncate(embed.footer.text, limits.EMBED_FOOTER), icon_url=embed.footer.icon_url
        )
    if embed.author.name:
        author = embed.author
        embed.set_author(
            name=truncate(author.name or "", limits.EMBED_AUTHOR), url=author.url, icon_url=author.icon_url
        )
    fields = embed.fields[: limits.FIELDS]
    embed.clear_fields()
    for f in fields:
        name, value = truncate(f.name or "", limits.FIELD_NAME), truncate(f.value or "", limits.FIELD_VALUE)
        embed.add_field(name=name, value=value, inline=bool(f.inline))
    if (excess := len(embed) - limits.EMBED_TOTAL) > 0 and embed.description:
        embed.description = truncate(embed.description, max(len(embed.description) - excess, 1))
    for i in reversed(range(len(embed.fields))):
        if (excess := len(embed) - limits.EMBED_TOTAL) <= 0:
            break
        f = embed.fields[i]
        value = f.value or ""
        if len(value) - excess >= 1:
            embed.set_field_at(
                i, name=f.name or "", value=truncate(value, len(value) - excess), inline=bool(f.inline)
            )
        else:
            embed.remove_field(i)
    return embed


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


def _source_line(source: str | None) -> str:
    return f"Source: {source}" if source else "Source: not recorded in the fact store"


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
        embed.set_footer(text=_source_line(answer.source))
        embed.url = source_url(answer.source)  # the title opens the source's page, where it has one
    return fit_embed(embed)


def film_embed(film: Film) -> discord.Embed:
    """The card of /film: credits, synopsis and one fact with its source."""
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
        field("A fact", f"{fact.shown}\n*{_source_line(fact.source)}*", inline=False)
    field("Links", " · ".join(f"[{name}]({url})" for name, url in film_links(film)), inline=False)
    if film.source:
        embed.set_footer(text=_source_line(film.source))
    return fit_embed(embed)


# -- trivia ---------------------------------------------------------------------------------------

LETTERS = "ABCDE"
_IMAGE = re.compile(r"https?://\S+\.(?:png|jpe?g|gif|webp)\b", re.IGNORECASE)


def escape(text: str) -> str:
    """A member's name or a typed text, shown as written (no markdown)."""
    return discord.utils.escape_markdown(text)


def choice_label(index: int, choice: str) -> str:
    return truncate(f"{LETTERS[index]}. {choice}", limits.BUTTON_LABEL)


def _question_base(game: Round, title_suffix: str = "") -> discord.Embed:
    question = game.question
    image = _IMAGE.search(question.text)  # Red's "who's that Pokémon" lists link their pictures
    embed = discord.Embed(
        title=f"Question {game.number} of {len(game.questions)}{title_suffix}",
        description=question.text,
        colour=COLOUR,
    )
    if image:
        embed.set_image(url=image[0])
    if game.mode is Mode.BUTTONS and question.choices:
        lines = [f"**{LETTERS[i]}.** {choice}" for i, choice in enumerate(question.choices)]
        embed.add_field(name="Choices", value="\n".join(lines), inline=False)
    return embed


def question_embed(game: Round, closes_at: datetime) -> discord.Embed:
    """An open question; the countdown is a Discord timestamp, so it ticks without edits."""
    embed = _question_base(game)
    how = "Pick one below" if game.mode is Mode.BUTTONS else "Type your answer in this channel"
    embed.add_field(name="Time", value=f"{how}; closes {discord.utils.format_dt(closes_at, 'R')}")
    embed.add_field(name="Answered", value=str(game.answered))
    embed.set_footer(text=f"Topic: {game.topic}")
    return fit_embed(embed)


def reveal_embed(game: Round, reveal: Reveal) -> discord.Embed:
    embed = _question_base(game, " (closed)")
    embed.colour = discord.Colour.dark_grey()
    if game.reveal:
        embed.add_field(name="Answer", value=escape(reveal.question.answer))
    # Exactly those right, and out of how many answers (typed: the first right one wins).
    who = ", ".join(escape(p.name) for p in reveal.right) or "Nobody"
    right = f"{who} ({len(reveal.right)} of {reveal.answered})" if reveal.answered else "Nobody answered"
    embed.add_field(name="Right", value=right, inline=False)
    if game.reveal and reveal.question.source:
        embed.set_footer(text=f"Source: {reveal.question.source}")
    return fit_embed(embed)


def unknown_topic(topic: str, known: list[str]) -> str:
    return f"There is no trivia topic called {escape(topic)!r}. Topics: {', '.join(known)}."


def round_start_text(game: Round, title: str, starter: str) -> str:
    how = "pick an answer with the buttons" if game.mode is Mode.BUTTONS else "type your answers"
    return fit_text(
        f"Trivia: **{escape(title)}**, {len(game.questions)} questions, {game.seconds} s each; {how}. "
        f"Started by {escape(starter)}; `/trivia stop` ends it."
    )


def summary_embed(game: Round, title: str, ending: str) -> discord.Embed:
    """The end of a round: its ranking, points and the fastest right answer."""
    embed = discord.Embed(title=f"Trivia over: {title}", colour=COLOUR)
    ranking = [p for p in game.standings() if p.points or p.correct]
    if ranking:
        lines = [
            f"{i}. **{escape(p.name)}**: {p.points} points ({p.correct} right)"
            for i, p in enumerate(ranking, 1)
        ]
        embed.description = "\n".join(lines[:20])
        fastest = min((p for p in ranking if p.fastest is not None), key=lambda p: p.fastest or 0)
        embed.add_field(name="Fastest answer", value=f"{escape(fastest.name)} in {fastest.fastest:.1f} s")
    else:
        embed.description = "Nobody scored this time."
    embed.add_field(name="Questions", value=f"{game.number} of {len(game.questions)}")
    embed.set_footer(text=ending)
    return fit_embed(embed)


def _standing_line(s: Standing) -> str:
    return f"{s.rank}. **{escape(s.name)}**: {s.points} points ({s.correct} right)"


def leaderboard_embed(
    standings: list[Standing], period: str, page: int, pages: int, own: Standing | None, viewer: str
) -> discord.Embed:
    embed = discord.Embed(title=f"Trivia leaderboard: {period}", colour=COLOUR)
    if standings:
        embed.description = "\n".join(_standing_line(s) for s in standings)
    else:
        embed.description = "No points yet. Start a round with `/trivia start`."
    rank = f"{viewer}: #{own.rank} with {own.points} points" if own else f"{viewer}: not ranked yet"
    embed.set_footer(text=f"Page {page + 1} of {max(pages, 1)} · {rank}")
    return fit_embed(embed)


def stats_embed(name: str, stats: Stats) -> discord.Embed:
    embed = discord.Embed(title=f"Trivia stats: {name}", colour=COLOUR)
    accuracy = f" ({100 * stats.correct / stats.answered:.0f}%)" if stats.answered else ""
    embed.add_field(name="Points", value=str(stats.points))
    embed.add_field(name="Rank", value=f"#{stats.rank}" if stats.rank else "not ranked")
    embed.add_field(name="Right answers", value=f"{stats.correct} of {stats.answered}{accuracy}")
    embed.add_field(name="Rounds played", value=str(stats.rounds_played))
    embed.add_field(name="Rounds won", value=str(stats.rounds_won))
    embed.add_field(name="Best streak", value=str(stats.best_streak))
    if stats.last_played:
        embed.add_field(name="Last played", value=f"<t:{stats.last_played}:R>")
    return fit_embed(embed)


def trivia_settings_embed(settings: TriviaSettings) -> discord.Embed:
    embed = discord.Embed(title="Trivia settings for this server", colour=COLOUR)
    embed.add_field(name="Questions", value=str(settings.questions))
    embed.add_field(name="Seconds per question", value=str(settings.seconds))
    embed.add_field(name="Mode", value=settings.mode)
    embed.add_field(name="Reveal answers", value="yes" if settings.reveal else "no")
    embed.add_field(name="Unanswered questions that end a round", value=str(settings.unanswered))
    embed.set_footer(text="A pack's own settings, then the options of /trivia start, take precedence.")
    return fit_embed(embed)


# -- daily features -------------------------------------------------------------------------------


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
            value=f"{fact.shown}\n*{_source_line(fact.source)}*",
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


def message_link(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


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
