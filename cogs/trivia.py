"""/trivia: rounds in any channel (buttons or typed answers) and per-server scoreboards.

Each round runs as one task per channel (bot/trivia/runner.py plays it; cogs/_trivia_round.py
shows it on Discord). Answer buttons carry the round and question in their custom_id
(cogs/_trivia_views.py), so a click on an old question, or after a restart, gets a clear answer.
Every answer is committed to the database before it is acknowledged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import checks, render, retry
from bot.app import FilmBot
from bot.errors import FilmView, UserError
from bot.repositories import TriviaStore
from bot.storage import StorageUnavailable
from bot.trivia.club_questions import Rated
from bot.trivia.game import Mode, Verdict
from bot.trivia.model import CLUB_TOPIC, FILMS_TOPIC, PAGE_SIZE, RunningRound, TriviaSettings, period_start
from bot.trivia.packs import load_packs
from bot.trivia.runner import Clock, Pacing, Play, SystemClock
from bot.trivia.topics import NoQuestions, Topics, UnknownTopic
from cogs._confirm import confirmation
from cogs._trivia_round import DiscordRound
from cogs._trivia_views import AnswerButton, PageButton

log = logging.getLogger(__name__)

Period = Literal["all time", "this month", "this week"]
# A member's trivia commands: a few at once, then a pause.
member_cooldown = checks.per_member(5, 30.0)
ENDING_WAIT = 2.0  # seconds a start waits for the ending round in its channel to post its results


def _maybe_delivered(exc: BaseException) -> bool:
    """Whether a failed interaction reply may have reached the channel all the same."""
    already_acknowledged = isinstance(exc, discord.HTTPException) and exc.code == 40060
    return already_acknowledged or isinstance(exc, retry.TRANSIENT)


class Trivia(commands.Cog, name="Trivia"):
    trivia = app_commands.Group(
        name="trivia", description="Film trivia rounds and scoreboards.", guild_only=True
    )

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.repo: TriviaStore = bot.state.trivia
        self.sessions: dict[int, Play] = {}  # by channel id
        self.by_round: dict[int, Play] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.topics: Topics  # the packs are read in cog_load
        self.clock: Clock = SystemClock()  # the end-to-end tests play in a faster one
        self.pacing = Pacing()
        self._announce: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        shipped, operator = self.bot.settings.data_dir / "trivia", self.bot.settings.trivia_packs
        folders = ([shipped] if shipped.is_dir() else []) + ([operator] if operator else [])
        packs, problems = load_packs(folders)
        for problem in problems:
            log.warning("trivia pack skipped: %s", problem)
        log.info("trivia: %d packs", len(packs))
        self.topics = Topics(packs, self.bot.films)
        self.bot.add_dynamic_items(AnswerButton, PageButton)
        self.bot.metrics.trivia_rounds.set_function(lambda: len(self.by_round))
        interrupted = await self.repo.interrupt_running(int(self.clock.now().timestamp()))
        if interrupted:
            self._announce = asyncio.create_task(self._tell_interrupted(interrupted))

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnswerButton, PageButton)
        tasks = [*self._tasks, *([self._announce] if self._announce else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _tell_interrupted(self, rounds: list[RunningRound]) -> None:
        await self.bot.wait_until_ready()
        for stopped in rounds:
            channel = self.bot.get_partial_messageable(stopped.channel_id, guild_id=stopped.guild_id)
            try:
                await channel.send(render.trivia.interrupted(stopped.topic))
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
            raise UserError(render.trivia.NOT_IN_A_SERVER)
        await self._wait_or_refuse(channel_id)
        try:
            self.topics.pack(topic)
        except UnknownTopic as exc:
            raise UserError(render.trivia.unknown_topic(exc.topic, exc.known)) from None
        saved = await self.repo.settings(interaction.guild_id)
        chosen_mode = Mode(mode or saved.mode)
        if chosen_mode is Mode.TYPED and not self.bot.intents.message_content:
            raise UserError(render.trivia.TYPED_NEEDS_CONTENT)
        rated = await self._rated(interaction.guild_id) if topic == CLUB_TOPIC else []
        try:
            game, title = self.topics.new_round(
                topic,
                interaction.user.id,
                chosen_mode,
                saved,
                questions=questions,
                seconds=seconds,
                rated=rated,
            )
        except NoQuestions as exc:
            if topic == CLUB_TOPIC:
                raise UserError(render.trivia.NO_CLUB_QUESTIONS) from None
            raise UserError(render.trivia.no_questions(str(exc), chosen_mode)) from None
        await self._wait_or_refuse(channel_id)  # again: another start may have won the awaits above
        play = Play(
            game,
            title,
            interaction.guild_id,
            channel_id,
            interaction.user.display_name,
            DiscordRound(channel, self.pacing.retry_wait),
            self.repo,
            self.clock,
            self.pacing,
            count=self.bot.metrics.count_trivia,
        )
        self.sessions[channel_id] = play
        try:
            game.id = await self.repo.start_round(
                interaction.guild_id, channel_id, interaction.user.id, game.topic, game.mode, play.unix()
            )
        except BaseException:
            del self.sessions[channel_id]
            raise
        try:
            await interaction.response.send_message(
                render.trivia.round_start_text(game, title, play.starter_name)
            )
        except (*retry.TRANSIENT, discord.HTTPException) as exc:
            if not _maybe_delivered(exc):
                del self.sessions[channel_id]
                await play.end("stopped", [])
                raise
            # Discord may well have shown it (a 500 tried again is "already acknowledged"): play.
            log.warning("round %s: the start reply failed (%s); playing it anyway", game.id, exc)
        self.by_round[game.id] = play
        task = asyncio.create_task(self._run(play), name=f"trivia round {game.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, play: Play) -> None:
        try:
            await play.run()
        finally:
            self.sessions.pop(play.channel_id, None)
            self.by_round.pop(play.round.id, None)

    async def _rated(self, guild_id: int) -> list[Rated]:
        """The server's rated films, for the club topic."""
        found = []
        for ratings in await self.bot.state.club.rated(guild_id):
            if (ref := self.bot.films.ref(ratings.film_id)) is not None:
                found.append(Rated(ref.label, ref.title, ratings.average))
        return found

    async def _wait_or_refuse(self, channel_id: int) -> None:
        """Refuse while a round runs in the channel. One that is ending (stopped, or past its last
        question) is waited for a moment, so `/trivia start` right after `/trivia stop` starts.
        Returns with the channel free; the caller claims it before its next await."""
        while (running := self.sessions.get(channel_id)) is not None:
            if not running.round.ending:
                raise UserError(render.trivia.already_running(running.title, running.starter_name))
            try:
                await asyncio.wait_for(running.over.wait(), ENDING_WAIT)
            except TimeoutError:
                raise UserError(render.trivia.STILL_ENDING) from None
            if self.sessions.get(channel_id) is running:
                raise UserError(render.trivia.STILL_ENDING)

    @start.autocomplete("topic")
    async def topic_choices(
        self, interaction: discord.Interaction[FilmBot], current: str
    ) -> list[app_commands.Choice[str]]:
        current = current.casefold()
        options = self.topics.choices()
        found = [(value, label) for value, label in options if current in label.casefold()]
        return [
            app_commands.Choice(name=render.truncate(label, 100), value=value) for value, label in found[:25]
        ]

    @trivia.command(name="stop", description="End the round in this channel (its starter or a moderator).")
    @member_cooldown
    async def stop(self, interaction: discord.Interaction[FilmBot]) -> None:
        assert interaction.channel is not None
        session = self.sessions.get(interaction.channel.id)
        if session is None or session.round.ending:  # an ending round only has its results to post
            raise UserError(render.trivia.NO_ROUND)
        if interaction.user.id != session.round.starter_id and not checks.is_moderator(interaction):
            raise UserError(render.trivia.only_starter_stops(session.starter_name))
        session.stop()
        await interaction.response.send_message(render.trivia.stopped_by(interaction.user.display_name))

    # -- answers ---------------------------------------------------------------------------------

    async def choose(
        self, interaction: discord.Interaction[FilmBot], round_id: int, question: int, choice: int
    ) -> None:
        """A click on an answer button, current or old."""
        play = self.by_round.get(round_id)
        if play is None:
            raise UserError(render.trivia.ROUND_OVER)
        game = play.round
        if (interaction.guild_id, interaction.channel_id) != (play.guild_id, play.channel_id):
            raise UserError(render.trivia.OTHER_CHANNEL)
        if question != game.index or not game.is_open:
            raise UserError(render.trivia.too_late(question))
        try:
            verdict = await play.choose(interaction.user.id, interaction.user.display_name, choice)
        except StorageUnavailable as exc:
            raise UserError(render.trivia.not_recorded(exc)) from exc
        if verdict is Verdict.ALREADY:
            raise UserError(render.trivia.ALREADY_ANSWERED)
        if verdict is Verdict.CLOSED:
            raise UserError(render.trivia.too_late(question))
        await interaction.response.send_message(
            render.trivia.your_answer(choice, game.question.choices[choice]), ephemeral=True
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Typed answers."""
        play = self.sessions.get(message.channel.id)
        if play is None or message.author.bot or play.round.mode is not Mode.TYPED:
            return
        author = message.author
        try:
            await play.guess(author.id, author.display_name, message.content)
        except StorageUnavailable as exc:
            text = render.trivia.typed_not_recorded(author.display_name, exc, play.round.is_open)
            with contextlib.suppress(discord.HTTPException):
                await message.channel.send(text)

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
        since = period_start(period, self.clock.now())
        standings, total = await self.repo.leaderboard(interaction.guild_id, since, page)
        own = await self.repo.rank_of(interaction.guild_id, interaction.user.id, since)
        pages = math.ceil(total / PAGE_SIZE)
        viewer = interaction.user.display_name
        embed = render.trivia.leaderboard_embed(standings, period, page, pages, own, viewer)
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
            raise UserError(render.trivia.no_stats(who.display_name))
        await interaction.response.send_message(embed=render.trivia.stats_embed(stats.name, stats))

    @trivia.command(name="reset", description="Delete this server's trivia scores (Manage Server).")
    @member_cooldown
    @checks.moderators
    async def reset(self, interaction: discord.Interaction[FilmBot]) -> None:
        assert interaction.guild_id is not None
        confirmed = await confirmation(interaction, render.trivia.RESET_QUESTION, "Reset scores")
        if confirmed is not None:
            players = await self.repo.reset(interaction.guild_id)
            await confirmed.response.edit_message(
                content=render.trivia.scoreboard_reset(players),
                view=None,
            )

    @app_commands.command(
        name="forget-me", description="Delete what filmbot keeps about you, in every server."
    )
    @member_cooldown
    async def forget_me(self, interaction: discord.Interaction[FilmBot]) -> None:
        await self._forget(interaction)

    @trivia.command(name="forget-me", description="The same as /forget-me (its older name).")
    @member_cooldown
    async def trivia_forget_me(self, interaction: discord.Interaction[FilmBot]) -> None:
        await self._forget(interaction)

    async def _forget(self, interaction: discord.Interaction[FilmBot]) -> None:
        """What the bot keeps of a member, in every server: trivia scores and name, club suggestions
        and ratings."""
        confirmed = await confirmation(
            interaction,
            render.trivia.FORGET_QUESTION,
            "Forget me",
        )
        if confirmed is not None:
            sessions = list(self.sessions.values())
            for session in sessions:  # nothing of theirs is written after this: no pending wrong guess
                session.round.forget(interaction.user.id)
            await asyncio.gather(*(s.settled.wait() for s in sessions))  # answers being written land first
            servers = await self.repo.forget(interaction.user.id)
            servers |= await self.bot.state.club.forget(interaction.user.id)
            await confirmed.response.edit_message(content=render.trivia.forgotten(len(servers)), view=None)

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
                raise UserError(render.trivia.ONLY_MODERATORS_CHANGE)
            current = TriviaSettings(**{**current.__dict__, **changes})
            await self.repo.save_settings(interaction.guild_id, current)
        await interaction.response.send_message(
            embed=render.trivia.trivia_settings_embed(current), ephemeral=True
        )


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Trivia(bot))
