"""Trivia rounds: the start, each question open and revealed, the summary, and the scoreboards."""

from __future__ import annotations

import re
from datetime import datetime

import discord

from .. import limits
from ..trivia.game import Mode, Reveal, Round
from ..trivia.model import Standing, Stats, TriviaSettings
from . import COLOUR, escape, fit_embed, fit_text, plural, quoted, truncate

LETTERS = "ABCDE"


_IMAGE = re.compile(r"https?://\S+\.(?:png|jpe?g|gif|webp)\b", re.IGNORECASE)


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
    return f"There is no trivia topic called {quoted(topic)}. Topics: {', '.join(known)}."


def round_start_text(game: Round, title: str, starter: str) -> str:
    how = "pick an answer with the buttons" if game.mode is Mode.BUTTONS else "type your answers"
    count = plural(len(game.questions), "question")
    return fit_text(
        f"Trivia: **{escape(title)}**, {count}, {game.seconds} s each; {how}. "
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


# -- replies -------------------------------------------------------------------------------------

NOT_IN_A_SERVER = "Trivia rounds are played in a server's text channels."
TYPED_NEEDS_CONTENT = (
    "Typed answers need the message content intent, which this bot does not have (its operator can "
    "enable it in the Discord Developer Portal and set FILMBOT_MESSAGE_CONTENT=true). Use "
    "`mode: buttons` instead."
)
NO_ROUND = "No trivia round is running in this channel."
ROUND_OVER = "This trivia round is over. Start a new one with `/trivia start`."
STILL_ENDING = (
    "The last round in this channel is still posting its results: try `/trivia start` again in a moment."
)
OTHER_CHANNEL = "This question belongs to a round in another channel: answer it there."
ALREADY_ANSWERED = "You already answered this question."
ONLY_MODERATORS_CHANGE = "Only members with the Manage Server permission can change trivia settings."
RESET_QUESTION = "Delete every trivia score in this server? This cannot be undone."
FORGET_QUESTION = (
    "Delete your trivia scores, your name, your film suggestions and your ratings in every server? "
    "This cannot be undone."
)


def interrupted(topic: str) -> str:
    return fit_text(
        f"The trivia round ({escape(topic)}) in this channel was interrupted when I restarted. Every "
        "point already awarded is kept; `/trivia start` begins a new round."
    )


NO_CLUB_QUESTIONS = (
    "A round about the club's ratings needs at least two films rated differently in this server: "
    "rate films with `/rate`."
)


def no_questions(topic: str, mode: Mode) -> str:
    return f"The topic {topic!r} has no questions that can be played in {mode} mode."


def already_running(title: str, starter: str) -> str:
    return (
        f"A round of {escape(title)} started by {escape(starter)} is already running in this channel. "
        "Join in, or end it with `/trivia stop`."
    )


def only_starter_stops(starter: str) -> str:
    return f"Only {escape(starter)}, who started this round, or a member with Manage Server can stop it."


def stopped_by(name: str) -> str:
    return f"Round stopped by {escape(name)}."


def too_late(question: int) -> str:
    return f"Too late: question {question + 1} is closed."


def not_recorded(reason: object) -> str:
    return f"I could not record your answer: {reason}. It does not count; try again."


def typed_not_recorded(name: str, reason: object, still_open: bool) -> str:
    still = "the question is still open" if still_open else "time is up"
    return f"I could not record {escape(name)}'s answer: {reason}. It does not count; {still}."


def your_answer(index: int, choice: str) -> str:
    label = choice_label(index, choice)
    return f"Your answer: **{escape(label)}**. The answer is revealed when time is up."


def no_stats(name: str) -> str:
    return f"{escape(name)} has not answered any trivia in this server yet."


def scoreboard_reset(players: int) -> str:
    return f"The scoreboard is reset: the scores of {plural(players, 'player')} are deleted."


def forgotten(servers: int) -> str:
    return f"Done: what I kept about you is deleted in {plural(servers, 'server')}."
