"""/trivia: rounds in any channel (buttons or typed answers) and per-server scoreboards.

Each round runs as one task per channel. Answer buttons carry the round and question in their
custom_id (discord.py's DynamicItem), so a click on an old question, or after a restart, gets a
clear answer. Every answer is committed to SQLite before it is acknowledged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import checks, render, retry
from bot.app import FilmBot
from bot.errors import FilmView, UserError, report_failure, send_ephemeral
from bot.repositories import TriviaStore
from bot.storage import StorageUnavailable
from bot.trivia.game import Mode, Round, Verdict
from bot.trivia.generate import CATALOGUE_SUBJECTS, FilmQuestions, pack_answers, with_choices
from bot.trivia.model import (
    CATALOGUE_TOPIC,
    FILMS_TOPIC,
    GENERATED_TOPICS,
    PAGE_SIZE,
    Attempt,
    Pack,
    RunningRound,
    TriviaQuestion,
    TriviaSettings,
)
from bot.trivia.packs import load_packs

log = logging.getLogger(__name__)

Period = Literal["all time", "this month", "this week"]
CONFIRM_SECONDS = 60
# A member's trivia commands: a few at once, then a pause.
member_cooldown = checks.per_member(5, 30.0)
END_ATTEMPTS = 3


def _maybe_delivered(exc: BaseException) -> bool:
    """Whether a failed interaction reply may have reached the channel all the same."""
    already_acknowledged = isinstance(exc, discord.HTTPException) and exc.code == 40060
    return already_acknowledged or isinstance(exc, retry.TRANSIENT)


def _now() -> int:
    return int(time.time())


def period_start(period: str, now: datetime) -> int:
    """Unix time a leaderboard period starts (UTC): Monday 00:00 for a week, the 1st for a month."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "this week":
        return int((midnight - timedelta(days=midnight.weekday())).timestamp())
    if period == "this month":
        return int(midnight.replace(day=1).timestamp())
    return 0


@dataclass
class Session:
    """A round running in one channel."""

    round: Round
    title: str
    guild_id: int
    channel_id: int
    channel: discord.abc.Messageable
    starter_name: str
    wake: asyncio.Event = field(default_factory=asyncio.Event)  # the question closed early
    task: asyncio.Task[None] | None = None
    deadline: float = 0.0  # monotonic time the open question closes
    writes: int = 0  # answers being recorded: the reveal waits for them
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    message: discord.Message | None = None  # the current question's
    nonce: str = field(default_factory=lambda: secrets.token_hex(6))  # of the round's messages

    def __post_init__(self) -> None:
        self.settled.set()


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"trivia:answer:(?P<round>\d+):(?P<question>\d+):(?P<choice>\d)",
):
    def __init__(self, round_id: int, question: int, choice: int, label: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                custom_id=f"trivia:answer:{round_id}:{question}:{choice}",
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
            )
        )
        self.round_id, self.question, self.choice = round_id, question, choice

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> AnswerButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match["round"]), int(match["question"]), int(match["choice"]), label or "?")

    async def callback(
        self,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
    ) -> None:
        cog = interaction.client.get_cog("Trivia")
        assert isinstance(cog, Trivia)
        try:
            await cog.choose(interaction, self.round_id, self.question, self.choice)
        except Exception as exc:  # discord.py only logs a dynamic item's errors
            await report_failure(interaction, exc, "the answer button")


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"trivia:page:(?P<period>all|month|week):(?P<page>\d+):(?P<direction>prev|next)",
):
    PERIODS: ClassVar[dict[str, str]] = {"all": "all time", "month": "this month", "week": "this week"}

    def __init__(self, period: str, page: int, direction: str, disabled: bool = False) -> None:
        key = next(k for k, v in self.PERIODS.items() if v == period)
        super().__init__(
            discord.ui.Button(
                label="◀ Previous" if direction == "prev" else "Next ▶",
                custom_id=f"trivia:page:{key}:{page}:{direction}",
                disabled=disabled,
            )
        )
        self.period, self.page = period, page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PageButton:
        return cls(cls.PERIODS[match["period"]], int(match["page"]), match["direction"])

    async def callback(
        self,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
    ) -> None:
        cog = interaction.client.get_cog("Trivia")
        assert isinstance(cog, Trivia)
        try:
            embed, view = await cog.leaderboard_page(interaction, self.period, self.page)
            await interaction.response.edit_message(embed=embed, view=view)
        except Exception as exc:  # discord.py only logs a dynamic item's errors
            await report_failure(interaction, exc, "the page button")


class Confirm(FilmView):
    """Confirm or cancel a destructive action; the result is in `confirmed` once it stops."""

    def __init__(self, action: str, owner_id: int) -> None:
        super().__init__(timeout=CONFIRM_SECONDS)
        self.owner_id = owner_id  # only the member who asked may answer
        self.confirmed: bool | None = None
        self.interaction: discord.Interaction[FilmBot] | None = None
        self.confirm.label = action

    async def interaction_check(
        self,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
        /,
    ) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await send_ephemeral(
            interaction, "This confirmation is not yours: only who asked for it can answer it."
        )
        return False

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction[FilmBot], button: discord.ui.Button[Confirm]
    ) -> None:
        self.confirmed, self.interaction = True, interaction
        self.stop()

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[FilmBot], button: discord.ui.Button[Confirm]
    ) -> None:
        self.confirmed, self.interaction = False, interaction
        self.stop()


def answer_view(game: Round, *, closed: bool = False) -> discord.ui.View:
    view = FilmView(timeout=None)  # the buttons' layout: their presses come back as AnswerButton
    for i, choice in enumerate(game.question.choices):
        button = AnswerButton(game.id, game.index, i, render.choice_label(i, choice), disabled=closed)
        if closed and game.reveal and choice == game.question.answer:
            button.item.style = discord.ButtonStyle.success
        view.add_item(button)
    return view


class Trivia(commands.Cog, name="Trivia"):
    trivia = app_commands.Group(
        name="trivia", description="Film trivia rounds and scoreboards.", guild_only=True
    )

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.repo: TriviaStore = bot.state.trivia
        self.sessions: dict[int, Session] = {}  # by channel id
        self.by_round: dict[int, Session] = {}
        self.packs: dict[str, Pack] = {}
        self._generators: dict[str, FilmQuestions] = {}  # built on first use: the catalogue's takes a second
        self.rng = random.Random()
        # Pacing, in seconds; the end-to-end tests shorten it.
        self.time_scale = 1.0  # real seconds per second of a question's time
        self.pause = 3.0  # between a reveal and the next question
        self.progress_every = 2.0  # at most one progress edit per question this often
        self.retry_wait = 1.0  # before trying a failed write or request again, doubling
        self._announce: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        shipped, operator = self.bot.settings.data_dir / "trivia", self.bot.settings.trivia_packs
        folders = ([shipped] if shipped.is_dir() else []) + ([operator] if operator else [])
        self.packs, problems = load_packs(folders)
        for problem in problems:
            log.warning("trivia pack skipped: %s", problem)
        log.info("trivia: %d packs", len(self.packs))
        self.bot.add_dynamic_items(AnswerButton, PageButton)
        self.bot.metrics.trivia_rounds.set_function(lambda: len(self.by_round))
        interrupted = await self.repo.interrupt_running(_now())
        if interrupted:
            self._announce = asyncio.create_task(self._tell_interrupted(interrupted))

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnswerButton, PageButton)
        tasks = [s.task for s in self.sessions.values() if s.task] + (
            [self._announce] if self._announce else []
        )
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _tell_interrupted(self, rounds: list[RunningRound]) -> None:
        await self.bot.wait_until_ready()
        for stopped in rounds:
            channel = self.bot.get_partial_messageable(stopped.channel_id, guild_id=stopped.guild_id)
            try:
                await channel.send(
                    f"The trivia round ({render.escape(stopped.topic)}) in this channel was interrupted "
                    "when I restarted. Every point already awarded is kept; `/trivia start` begins a new "
                    "round."
                )
            except discord.HTTPException as exc:
                log.info("could not tell channel %s its round was interrupted: %s", stopped.channel_id, exc)

    # -- starting and stopping ----------------------------------------------------------------

    @trivia.command(name="start", description="Start a trivia round in this channel.")
    @member_cooldown
    @app_commands.describe(
        topic="films or catalogue (generated questions), or a pack; default films",
        questions="How many questions (1-50)",
        seconds="Seconds per question (5-120)",
        mode="buttons (multiple choice) or typed (answers typed in the channel)",
    )
    @app_commands.checks.bot_has_permissions(send_messages=True, embed_links=True)
    async def start(
        self,
        interaction: discord.Interaction[FilmBot],
        topic: app_commands.Range[str, 1, 100] = FILMS_TOPIC,
        questions: app_commands.Range[int, 1, 50] | None = None,
        seconds: app_commands.Range[int, 5, 120] | None = None,
        mode: Literal["buttons", "typed"] | None = None,
    ) -> None:
        channel, channel_id = interaction.channel, interaction.channel_id
        if (
            interaction.guild_id is None
            or channel_id is None
            or not isinstance(channel, discord.abc.Messageable)
        ):
            raise UserError("Trivia rounds are played in a server's text channels.")
        self._refuse_if_running(channel_id)
        pack = self._pack(topic)
        saved = await self.repo.settings(interaction.guild_id)
        config = pack.config if pack else None
        chosen_mode = Mode(mode or saved.mode)
        if chosen_mode is Mode.TYPED and not self.bot.intents.message_content:
            raise UserError(
                "Typed answers need the message content intent, which this bot does not have "
                "(its operator can enable it in the Discord Developer Portal and set "
                "FILMBOT_MESSAGE_CONTENT=true). Use `mode: buttons` instead."
            )
        count = questions or (config and config.questions) or saved.questions
        game = Round(
            id=0,
            starter_id=interaction.user.id,
            topic=pack.name if pack else topic,
            mode=chosen_mode,
            questions=self._questions(topic, pack, count, chosen_mode),
            seconds=seconds or (config and config.seconds) or saved.seconds,
            reveal=saved.reveal if not config or config.reveal is None else config.reveal,
            unanswered_limit=(config and config.unanswered) or saved.unanswered,
        )
        if not game.questions:
            raise UserError(
                f"The topic {game.topic!r} has no questions that can be played in {chosen_mode} mode."
            )
        self._refuse_if_running(channel_id)  # again: another start may have won the awaits above
        title = pack.title if pack else GENERATED_TOPICS[topic]
        session = Session(
            game,
            title,
            interaction.guild_id,
            channel_id,
            channel,
            interaction.user.display_name,
        )
        self.sessions[channel_id] = session
        try:
            game.id = await self.repo.start_round(
                interaction.guild_id, channel_id, interaction.user.id, game.topic, game.mode, _now()
            )
        except BaseException:
            del self.sessions[channel_id]
            raise
        try:
            await interaction.response.send_message(
                render.round_start_text(game, title, session.starter_name)
            )
        except (*retry.TRANSIENT, discord.HTTPException) as exc:
            if not _maybe_delivered(exc):
                del self.sessions[channel_id]
                await self._end(game, "stopped", [])
                raise
            # Discord may well have shown it (a 500 tried again is "already acknowledged"): play.
            log.warning("round %s: the start reply failed (%s); playing it anyway", game.id, exc)
        self.by_round[game.id] = session
        session.task = asyncio.create_task(self._run(session), name=f"trivia round {game.id}")

    def _generator(self, topic: str) -> FilmQuestions:
        if topic not in self._generators:
            films, started = self.bot.films, time.perf_counter()
            catalogue = topic == CATALOGUE_TOPIC
            self._generators[topic] = generator = FilmQuestions(
                films.stored_films(curated=not catalogue),
                films.person_aliases(),
                same_decade=catalogue,
                subjects=CATALOGUE_SUBJECTS if catalogue else None,
            )
            took = time.perf_counter() - started
            log.info("trivia: %d films for %r, ready in %.2f s", len(generator.films), topic, took)
        return self._generators[topic]

    def _refuse_if_running(self, channel_id: int) -> None:
        if running := self.sessions.get(channel_id):
            raise UserError(
                f"A round of {running.title} started by {render.escape(running.starter_name)} is already "
                "running in this channel. Join in, or end it with `/trivia stop`."
            )

    def _pack(self, topic: str) -> Pack | None:
        if topic in GENERATED_TOPICS:
            return None
        if topic in self.packs:
            return self.packs[topic]
        known = ", ".join([*GENERATED_TOPICS, *sorted(self.packs)])
        raise UserError(f"There is no trivia topic called {render.escape(topic)!r}. Topics: {known}.")

    def _questions(self, topic: str, pack: Pack | None, count: int, mode: Mode) -> list[TriviaQuestion]:
        if pack is None:
            return self._generator(topic).questions(count, self.rng)
        drawn = self.rng.sample(pack.questions, len(pack.questions))
        if mode is Mode.BUTTONS:
            answers = pack_answers(pack)
            playable = (with_choices(q, answers, self.rng) for q in drawn[: count * 2])
            drawn = [q for q in playable if q is not None]
        return drawn[:count]

    @start.autocomplete("topic")
    async def topics(
        self, interaction: discord.Interaction[FilmBot], current: str
    ) -> list[app_commands.Choice[str]]:
        current = current.casefold()
        options = [
            (FILMS_TOPIC, "films: generated from the curated films"),
            (CATALOGUE_TOPIC, "catalogue: generated from the Wikidata catalogue"),
        ]
        options += [
            (p.name, f"{p.name}: {p.title}") for p in sorted(self.packs.values(), key=lambda p: p.name)
        ]
        found = [(value, label) for value, label in options if current in label.casefold()]
        return [
            app_commands.Choice(name=render.truncate(label, 100), value=value) for value, label in found[:25]
        ]

    @trivia.command(name="stop", description="End the round in this channel (its starter or a moderator).")
    @member_cooldown
    async def stop(self, interaction: discord.Interaction[FilmBot]) -> None:
        assert interaction.channel is not None
        session = self.sessions.get(interaction.channel.id)
        if session is None:
            raise UserError("No trivia round is running in this channel.")
        if interaction.user.id != session.round.starter_id and not checks.is_moderator(interaction):
            raise UserError(
                f"Only {render.escape(session.starter_name)}, who started this round, or a member with "
                "Manage Server can stop it."
            )
        session.round.stopped = True
        session.wake.set()
        await interaction.response.send_message(
            f"Round stopped by {render.escape(interaction.user.display_name)}."
        )

    # -- playing ---------------------------------------------------------------------------------

    async def _run(self, session: Session) -> None:
        game = session.round
        try:
            try:
                status, ending = await self._play(session)
            except retry.TRANSIENT as exc:  # Discord kept failing: the round ends, and says why
                log.warning("trivia round %s: Discord kept failing (%s)", game.id, retry.describe(exc))
                status = "stopped"
                ending = f"Ended early: Discord kept failing my messages ({retry.describe(exc)})."
                await self._close_buttons(session)
            except discord.HTTPException as exc:  # the channel was deleted, or the bot lost its permissions
                log.warning("trivia round %s stopped: %s", game.id, exc)
                await self._end(game, "stopped", [])
                return
            except Exception:
                log.exception("trivia round %s failed", game.id)
                status, ending = "stopped", "Ended early: something went wrong on my side."
                await self._close_buttons(session)
            if not await self._end(game, status, [p.user_id for p in game.winners()]):
                ending += (
                    " I could not save who won this round (its points are saved): it is not counted as won."
                )
            embed = render.summary_embed(game, session.title, ending)
            try:
                await self._send(session, f"{session.nonce}:end", embed=embed)
            except discord.HTTPException as exc:
                log.warning("trivia round %s: no summary (%s)", game.id, exc)
        except retry.TRANSIENT as exc:
            log.warning("trivia round %s: no summary (%s)", game.id, retry.describe(exc))
        finally:
            self.sessions.pop(session.channel_id, None)
            self.by_round.pop(game.id, None)

    async def _play(self, session: Session) -> tuple[str, str]:
        """Play the round's questions; its status and how it ended."""
        game = session.round
        while not game.finished:
            await self._play_question(session)
            if not game.finished:
                await asyncio.sleep(self.pause)
        if game.stopped:
            return "stopped", "Stopped with /trivia stop."
        if game.unanswered_run >= game.unanswered_limit:
            return "finished", f"Ended after {game.unanswered_run} questions in a row without an answer."
        return "finished", "All questions played."

    async def _send(self, session: Session, nonce: str, **kwargs: Any) -> discord.Message:
        """Send to the round's channel, trying again through Discord's blips (the nonce keeps it one)."""
        return await retry.retrying(
            lambda: session.channel.send(nonce=nonce, **kwargs), f"posting {nonce}", wait=self.retry_wait
        )

    async def _edit(self, message: discord.Message, **kwargs: Any) -> None:
        await retry.retrying(lambda: message.edit(**kwargs), f"editing {message.id}", wait=self.retry_wait)

    async def _close_buttons(self, session: Session) -> None:
        """A round that ends early leaves no question that looks open (best effort: one try)."""
        if session.message is not None and session.round.mode is Mode.BUTTONS:
            with contextlib.suppress(discord.HTTPException, *retry.TRANSIENT):
                await session.message.edit(view=answer_view(session.round, closed=True))

    async def _end(self, game: Round, status: str, winners: list[int]) -> bool:
        """Record the round's end, trying again for a while if the database cannot be written."""
        for attempt in range(END_ATTEMPTS):
            try:
                await self.repo.end_round(game.id, status, winners, _now())
                return True
            except StorageUnavailable as exc:
                log.warning("round %s: could not record its end (%s); attempt %d", game.id, exc, attempt + 1)
                await asyncio.sleep(self.retry_wait * 2**attempt)
        return False  # left 'running': the next start closes it as interrupted

    async def _play_question(self, session: Session) -> None:
        game = session.round
        duration = game.seconds * self.time_scale
        session.wake.clear()
        game.open_next(time.monotonic())
        asked = time.monotonic()
        closes_at = discord.utils.utcnow() + timedelta(seconds=duration)
        view = answer_view(game) if game.mode is Mode.BUTTONS else discord.utils.MISSING
        embed = render.question_embed(game, closes_at)
        message = await self._send(session, f"{session.nonce}:{game.index}", embed=embed, view=view)
        session.message, session.deadline = message, time.monotonic() + duration
        if session.deadline - asked - duration > 1.0:  # held up (a rate limit, a retry): show the real time
            closes_at = discord.utils.utcnow() + timedelta(seconds=duration)
            with contextlib.suppress(*retry.TRANSIENT):
                await message.edit(embed=render.question_embed(game, closes_at))
        shown = 0
        while True:
            while game.is_open and not game.stopped:
                if game.mode is Mode.BUTTONS and game.everyone_answered:
                    break  # nobody left to wait for
                remaining = session.deadline - time.monotonic()
                if remaining <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(session.wake.wait(), min(remaining, self.progress_every))
                if (
                    game.is_open and not game.stopped and game.answered != shown
                ):  # progress: edit, never a new message
                    shown = game.answered
                    try:  # progress can wait for the next edit
                        await message.edit(embed=render.question_embed(game, closes_at))
                    except retry.TRANSIENT as exc:
                        log.info("round %s: progress not shown (%s)", game.id, retry.describe(exc))
            # No answer is taken now; the reveal waits for those being written, and tells only
            # what was recorded (a typed win whose record failed reopens the question).
            game.is_open = False
            await session.settled.wait()
            if not game.is_open:
                break
        reveal = game.close()
        try:  # wrong typed guesses: no points, but they count as played
            await self.repo.record_answers(game.id, session.guild_id, reveal.unrecorded, _now())
            self.bot.metrics.trivia_answers.inc(len(reveal.unrecorded))
        except StorageUnavailable as exc:
            log.warning("round %s: %d wrong guesses not recorded: %s", game.id, len(reveal.unrecorded), exc)
        closed_view = answer_view(game, closed=True) if game.mode is Mode.BUTTONS else discord.utils.MISSING
        await self._edit(message, embed=render.reveal_embed(game, reveal), view=closed_view)

    async def choose(
        self, interaction: discord.Interaction[FilmBot], round_id: int, question: int, choice: int
    ) -> None:
        """A click on an answer button, current or old."""
        session = self.by_round.get(round_id)
        if session is None:
            raise UserError("This trivia round is over. Start a new one with `/trivia start`.")
        game = session.round
        if (interaction.guild_id, interaction.channel_id) != (session.guild_id, session.channel_id):
            raise UserError("This question belongs to a round in another channel: answer it there.")
        if question != game.index or not game.is_open:
            raise UserError(f"Too late: question {question + 1} is closed.")
        before = game.snapshot(interaction.user.id)
        verdict, attempt = game.choose(
            interaction.user.id,
            interaction.user.display_name,
            game.question.choices[choice],
            time.monotonic(),
        )
        if verdict is Verdict.ALREADY:
            raise UserError("You already answered this question.")
        if verdict is Verdict.CLOSED or attempt is None:
            raise UserError(f"Too late: question {question + 1} is closed.")
        try:
            await self._record(session, attempt)
        except StorageUnavailable as exc:
            game.withdraw(interaction.user.id, before)
            raise UserError(f"I could not record your answer: {exc}. It does not count; try again.") from exc
        if game.everyone_answered:
            session.wake.set()
        label = render.choice_label(choice, game.question.choices[choice])
        await interaction.response.send_message(
            f"Your answer: **{render.escape(label)}**. The answer is revealed when time is up.",
            ephemeral=True,
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Typed answers."""
        session = self.sessions.get(message.channel.id)
        if session is None or message.author.bot or session.round.mode is not Mode.TYPED:
            return
        author, game = message.author, session.round
        before = game.snapshot(author.id)
        verdict, attempt = game.guess(author.id, author.display_name, message.content, time.monotonic())
        if attempt is not None:  # the winning answer: committed before the question is revealed
            try:
                await self._record(session, attempt)
            except StorageUnavailable as exc:
                game.withdraw(author.id, before)
                game.is_open = time.monotonic() < session.deadline and not game.stopped
                still = "the question is still open" if game.is_open else "time is up"
                with contextlib.suppress(discord.HTTPException):
                    await message.channel.send(
                        f"I could not record {render.escape(author.display_name)}'s answer: {exc}. "
                        f"It does not count; {still}."
                    )
                return
        if verdict is Verdict.RIGHT:
            session.wake.set()

    async def _record(self, session: Session, attempt: Attempt) -> None:
        """Record an answer; while it is being written, the question's reveal waits."""
        session.writes += 1
        session.settled.clear()
        try:
            await self.repo.record_answer(session.round.id, session.guild_id, attempt, _now())
            self.bot.metrics.trivia_answers.inc()
            self.bot.metrics.trivia_points.inc(attempt.points)
        finally:
            session.writes -= 1
            if not session.writes:
                session.settled.set()

    # -- scoreboards -----------------------------------------------------------------------------

    @trivia.command(name="leaderboard", description="This server's trivia ranking, ten a page.")
    @member_cooldown
    @app_commands.describe(period="all time (default), this month or this week (UTC)")
    async def leaderboard(
        self, interaction: discord.Interaction[FilmBot], period: Period = "all time"
    ) -> None:
        embed, view = await self.leaderboard_page(interaction, period, 0)
        await interaction.response.send_message(embed=embed, view=view)

    async def leaderboard_page(
        self, interaction: discord.Interaction[FilmBot], period: str, page: int
    ) -> tuple[discord.Embed, discord.ui.View]:
        assert interaction.guild_id is not None
        since = period_start(period, datetime.now(UTC))
        standings, total = await self.repo.leaderboard(interaction.guild_id, since, page)
        own = await self.repo.rank_of(interaction.guild_id, interaction.user.id, since)
        pages = math.ceil(total / PAGE_SIZE)
        viewer = interaction.user.display_name
        embed = render.leaderboard_embed(standings, period, page, pages, own, viewer)
        view = FilmView(timeout=None)
        view.add_item(PageButton(period, max(page - 1, 0), "prev", disabled=page == 0))
        view.add_item(PageButton(period, page + 1, "next", disabled=page + 1 >= pages))
        return embed, view

    @trivia.command(name="stats", description="A member's trivia record in this server.")
    @member_cooldown
    @app_commands.describe(member="Whose stats (default: yours)")
    async def stats(
        self, interaction: discord.Interaction[FilmBot], member: discord.Member | None = None
    ) -> None:
        assert interaction.guild_id is not None
        who = member or interaction.user
        stats = await self.repo.stats(interaction.guild_id, who.id)
        if stats is None:
            raise UserError(
                f"{render.escape(who.display_name)} has not answered any trivia in this server yet."
            )
        await interaction.response.send_message(embed=render.stats_embed(stats.name, stats))

    @trivia.command(name="reset", description="Delete this server's trivia scores (Manage Server).")
    @member_cooldown
    @checks.moderators
    async def reset(self, interaction: discord.Interaction[FilmBot]) -> None:
        assert interaction.guild_id is not None
        confirmed = await self._confirm(
            interaction, "Delete every trivia score in this server? This cannot be undone.", "Reset scores"
        )
        if confirmed is not None:
            players = await self.repo.reset(interaction.guild_id)
            await confirmed.response.edit_message(
                content=(
                    f"The scoreboard is reset: the scores of {render.plural(players, 'player')} are deleted."
                ),
                view=None,
            )

    @trivia.command(name="forget-me", description="Delete your trivia scores in every server.")
    @member_cooldown
    async def forget_me(self, interaction: discord.Interaction[FilmBot]) -> None:
        confirmed = await self._confirm(
            interaction,
            "Delete your trivia scores and name in every server? This cannot be undone.",
            "Forget me",
        )
        if confirmed is not None:
            sessions = list(self.sessions.values())
            for session in sessions:  # nothing of theirs is written after this: no pending wrong guess
                session.round.forget(interaction.user.id)
            await asyncio.gather(*(s.settled.wait() for s in sessions))  # answers being written land first
            servers = await self.repo.forget(interaction.user.id)
            await confirmed.response.edit_message(
                content=f"Done: your scores are deleted in {render.plural(servers, 'server')}.", view=None
            )

    async def _confirm(
        self, interaction: discord.Interaction[FilmBot], question: str, action: str
    ) -> discord.Interaction[FilmBot] | None:
        """Ask the member to confirm; returns the confirming click, or None if cancelled or timed out."""
        view = Confirm(action, interaction.user.id)
        await interaction.response.send_message(question, view=view, ephemeral=True)
        await view.wait()
        if view.confirmed and view.interaction:
            return view.interaction
        if view.interaction:
            await view.interaction.response.edit_message(content="Cancelled: nothing was deleted.", view=None)
        else:
            await interaction.edit_original_response(content="No answer: nothing was deleted.", view=None)
        return None

    @trivia.command(
        name="settings", description="Show or set this server's trivia defaults (Manage Server to set)."
    )
    @member_cooldown
    @app_commands.describe(
        questions="Questions per round (1-50)",
        seconds="Seconds per question (5-120)",
        mode="buttons or typed",
        reveal="Show the answer when a question closes",
        unanswered="Questions in a row without an answer that end a round (1-10)",
    )
    async def settings(
        self,
        interaction: discord.Interaction[FilmBot],
        questions: app_commands.Range[int, 1, 50] | None = None,
        seconds: app_commands.Range[int, 5, 120] | None = None,
        mode: Literal["buttons", "typed"] | None = None,
        reveal: bool | None = None,
        unanswered: app_commands.Range[int, 1, 10] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        current = await self.repo.settings(interaction.guild_id)
        changes = {
            k: v
            for k, v in dict(
                questions=questions, seconds=seconds, mode=mode, reveal=reveal, unanswered=unanswered
            ).items()
            if v is not None
        }
        if changes:
            if not checks.is_moderator(interaction):
                raise UserError("Only members with the Manage Server permission can change trivia settings.")
            current = TriviaSettings(**{**current.__dict__, **changes})
            await self.repo.save_settings(interaction.guild_id, current)
        await interaction.response.send_message(embed=render.trivia_settings_embed(current), ephemeral=True)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Trivia(bot))
