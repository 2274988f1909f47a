"""/club and /rate: club nights. Members suggest films, a native Discord poll picks one (Discord
counts the votes; cogs/_club_polls.py acts on its end), the screening becomes a server event, and
members rate what they watched. Everything is per server."""

from __future__ import annotations

import asyncio
import datetime
import logging
import time
import zoneinfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import checks, render
from bot.app import FilmBot
from bot.club.model import MIN_CHOICES, PAGE_SIZE, ClubPoll, tally
from bot.club.when import WhenError, parse_day, parse_screening
from bot.errors import FilmView, UserError
from bot.limits import POLL_ANSWERS
from bot.qa.catalog import FilmRef
from bot.repositories import ClubStore
from cogs._club_polls import PollCloser, unix_now
from cogs._confirm import confirmation
from cogs._options import FilmTitle, TimeZone

log = logging.getLogger(__name__)

Interaction = discord.Interaction[FilmBot]
# A member's club commands, counted apart for what they write and what they read (a few lookups
# in a row are normal when choosing a film).
writes_cooldown = checks.per_member(5, 30.0)
reads_cooldown = checks.per_member(10, 60.0)
STARS = [app_commands.Choice(name=render.club.stars(h), value=h / 2) for h in range(10, 1, -1)]
REVIEW_LENGTH = 300
MAX_HOURS = 168  # a week: the longest Discord's own client offers


async def organisers(interaction: Interaction) -> bool:
    """Members with Manage Server, or with the role the server set in /club settings."""
    if checks.is_moderator(interaction):
        return True
    assert interaction.guild_id is not None
    role = await interaction.client.state.club.role(interaction.guild_id)
    member = interaction.user
    if role is not None and isinstance(member, discord.Member) and member.get_role(role) is not None:
        return True
    name = interaction.command.qualified_name if interaction.command else "this command"
    raise UserError(render.club.only_organisers(f"/{name}", role))


class Club(commands.Cog, name="Club nights"):
    club = app_commands.Group(
        name="club", description="Club nights: suggest films, vote, rate what you watched.", guild_only=True
    )

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.repo: ClubStore = bot.state.club
        self.closer = PollCloser(bot, self.repo)
        self._catch_up: asyncio.Task[None] | None = None
        self._starting: dict[int, asyncio.Lock] = {}  # by server

    async def cog_load(self) -> None:
        self._catch_up = asyncio.create_task(self._after_ready())

    async def cog_unload(self) -> None:
        if self._catch_up is not None:
            self._catch_up.cancel()

    async def _after_ready(self) -> None:
        await self.bot.wait_until_ready()
        await self.closer.catch_up()

    def label(self, film_id: str) -> str:
        ref = self.bot.films.ref(film_id)
        return ref.label if ref else film_id

    # -- suggestions -----------------------------------------------------------------------------

    @club.command(
        name="suggest", description="Suggest a film for a club night (one each; again to change it)."
    )
    @app_commands.describe(title="The film (pick one from the list)")
    @writes_cooldown
    async def suggest(
        self, interaction: Interaction, title: app_commands.Transform[FilmRef, FilmTitle]
    ) -> None:
        assert interaction.guild_id is not None
        watched = await self.repo.watched_on(interaction.guild_id, title.id)
        if watched is not None:
            raise UserError(render.club.already_watched(title.label, watched))
        name = interaction.user.display_name
        replaced = await self.repo.suggest(
            interaction.guild_id, interaction.user.id, name, title.id, time.time_ns() // 1_000_000
        )
        text = render.club.suggested(name, title.label, self.label(replaced) if replaced else None)
        await interaction.response.send_message(text)

    @club.command(name="withdraw", description="Withdraw your suggestion.")
    @writes_cooldown
    async def withdraw(self, interaction: Interaction) -> None:
        assert interaction.guild_id is not None
        film = await self.repo.withdraw(interaction.guild_id, interaction.user.id)
        text = render.club.withdrawn(self.label(film) if film else None)
        await interaction.response.send_message(text, ephemeral=True)

    @club.command(name="suggestions", description="The films members suggest, most suggested first.")
    @reads_cooldown
    async def suggestions(self, interaction: Interaction) -> None:
        assert interaction.guild_id is not None
        ranked = tally(await self.repo.suggestions(interaction.guild_id))
        embed = render.club.suggestions_embed([(self.label(s.film_id), s) for s in ranked])
        await interaction.response.send_message(embed=embed)

    # -- the poll --------------------------------------------------------------------------------

    @club.command(name="poll", description="Start a Discord poll of the suggestions (organisers).")
    @app_commands.describe(
        hours=f"How long the poll runs, in hours (1-{MAX_HOURS}; 24 if left out)",
        choices=f"How many films it offers ({MIN_CHOICES}-{POLL_ANSWERS}; the most suggested first)",
        at="The screening: YYYY-MM-DD HH:MM, e.g. 2026-12-12 20:00 (makes a server event)",
        timezone="The screening time's zone, e.g. Europe/Moscow (UTC if left out)",
        channel="The voice or stage channel of the screening",
        location="Or where it is, if not in a voice channel (e.g. a cinema, or a watch-party link)",
    )
    @app_commands.check(organisers)
    async def poll(
        self,
        interaction: Interaction,
        hours: app_commands.Range[int, 1, MAX_HOURS] = 24,
        choices: app_commands.Range[int, MIN_CHOICES, POLL_ANSWERS] = POLL_ANSWERS,
        at: app_commands.Range[str, 1, 40] | None = None,
        timezone: app_commands.Transform[zoneinfo.ZoneInfo, TimeZone] | None = None,
        channel: discord.VoiceChannel | discord.StageChannel | None = None,
        location: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None and interaction.channel is not None
        # Its message exists before its record can: one poll started at a time in a server.
        async with self._starting.setdefault(guild_id, asyncio.Lock()):
            await self._start_poll(interaction, guild_id, hours, choices, at, timezone, channel, location)

    async def _start_poll(
        self,
        interaction: Interaction,
        guild_id: int,
        hours: int,
        choices: int,
        at: str | None,
        timezone: zoneinfo.ZoneInfo | None,
        channel: discord.VoiceChannel | discord.StageChannel | None,
        location: str | None,
    ) -> None:
        running = await self.repo.open_poll(guild_id)
        if running is not None and not await self.closer.settle(running):  # ended unseen, or deleted
            link = render.message_link(guild_id, running.channel_id, running.message_id)
            raise UserError(render.club.still_open(link))
        if not interaction.app_permissions.send_polls:
            raise UserError(render.club.NEEDS_POLL_PERMISSION)
        ranked = tally(await self.repo.suggestions(guild_id))[:choices]
        if len(ranked) < MIN_CHOICES:
            raise UserError(render.club.TOO_FEW_SUGGESTIONS)
        ends = discord.utils.utcnow() + datetime.timedelta(hours=hours)
        zone = timezone or zoneinfo.ZoneInfo("UTC")
        screening = self._screening(at, zone, ends) if at else None
        if screening is not None:
            perms = interaction.app_permissions
            if not (perms.manage_events or perms.create_events):
                raise UserError(render.club.NEEDS_EVENT_PERMISSION)
        elif channel is not None or location is not None:
            raise UserError(render.club.PLACE_WITHOUT_TIME)
        place = location or (None if channel else f"#{getattr(interaction.channel, 'name', 'the club')}")
        poll = discord.Poll(
            question=render.club.poll_question(screening, zone.key), duration=datetime.timedelta(hours=hours)
        )
        for suggested in ranked:
            poll.add_answer(text=render.club.poll_answer(self.label(suggested.film_id)))
        await interaction.response.send_message(render.club.poll_started(ends, screening), poll=poll)
        message = await interaction.original_response()
        record = ClubPoll(
            message.id,
            guild_id,
            message.channel.id,
            tuple(s.film_id for s in ranked),
            int(screening.timestamp()) if screening else None,
            zone.key if screening else None,
            channel.id if channel else None,
            place if screening else None,
            "open",
            None,
            None,
        )
        try:
            await self.repo.add_poll(record, interaction.user.id, unix_now())
        except Exception:  # a poll the bot would not act on is worse than none
            await message.delete()
            raise

    def _screening(self, at: str, zone: zoneinfo.ZoneInfo, poll_ends: datetime.datetime) -> datetime.datetime:
        try:
            screening = parse_screening(at, zone)
        except WhenError as exc:
            raise UserError(str(exc)) from None
        if screening <= poll_ends:
            raise UserError(render.club.screening_too_soon(screening, zone.key, poll_ends))
        return screening

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """Discord edits a poll's message when the poll ends, with its final count."""
        poll = payload.message.poll
        if (
            poll is None
            or not poll.is_finalised()
            or payload.message.author.id != getattr(self.bot.user, "id", None)
        ):
            return
        await self.closer.finish(payload.message_id, {a.id: a.vote_count for a in poll.answers})

    @commands.Cog.listener()
    async def on_scheduled_event_update(
        self, before: discord.ScheduledEvent, after: discord.ScheduledEvent
    ) -> None:
        """A screening's event ended (the club watched the poll's winner) or was cancelled."""
        if after.status is not before.status:
            await self.closer.event_changed(after)

    # -- screenings and ratings ------------------------------------------------------------------

    @club.command(name="watched", description="Record that the club watched a film (organisers).")
    @app_commands.describe(
        title="The film (pick one from the list)", date="YYYY-MM-DD (today, UTC, if left out)"
    )
    @app_commands.check(organisers)
    async def watched(
        self,
        interaction: Interaction,
        title: app_commands.Transform[FilmRef, FilmTitle],
        date: app_commands.Range[str, 1, 20] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        today = discord.utils.utcnow().date()
        try:
            day = parse_day(date) if date else today
        except WhenError as exc:
            raise UserError(str(exc)) from None
        if day > today:
            raise UserError(render.club.NOT_YET)
        new = await self.repo.record_screening(interaction.guild_id, title.id, day, unix_now())
        await interaction.response.send_message(render.club.watched(title.label, day, new))

    @app_commands.command(
        name="rate", description="Rate a film from 1 to 5 stars for your club, with a short review."
    )
    @app_commands.describe(
        title="The film (pick one from the list)",
        stars="1 to 5, in half stars",
        review=f"A few words (up to {REVIEW_LENGTH} characters)",
    )
    @app_commands.choices(stars=STARS)
    @app_commands.guild_only()
    @writes_cooldown
    async def rate(
        self,
        interaction: Interaction,
        title: app_commands.Transform[FilmRef, FilmTitle],
        stars: float,
        review: app_commands.Range[str, 1, REVIEW_LENGTH] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        halves = round(stars * 2)
        name = interaction.user.display_name
        text = review.strip() or None if review else None
        before = await self.repo.rate(
            interaction.guild_id, title.id, interaction.user.id, name, halves, text, unix_now()
        )
        await interaction.response.send_message(render.club.rated(name, title.label, halves, text, before))

    @club.command(name="ratings", description="A film's club ratings, or the club's top and bottom films.")
    @app_commands.describe(title="A film (leave out for the club's top and bottom)")
    @reads_cooldown
    async def ratings(
        self, interaction: Interaction, title: app_commands.Transform[FilmRef, FilmTitle] | None = None
    ) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        mine = await self.repo.member_ratings(guild_id, interaction.user.id)
        if title is not None:
            found = await self.repo.ratings(guild_id, title.id)
            reviews = await self.repo.reviews(guild_id, title.id, render.club.REVIEWS_SHOWN)
            embed = render.club.film_ratings_embed(title.label, found, reviews, mine.get(title.id))
        else:
            rated = await self.repo.rated(guild_id)
            embed = render.club.club_ratings_embed([(self.label(r.film_id), r) for r in rated], mine)
        await interaction.response.send_message(embed=embed)

    @club.command(name="history", description="The films the club watched, with their ratings.")
    @reads_cooldown
    async def history(self, interaction: Interaction) -> None:
        embed, view = await self.history_page(interaction, 0)
        await interaction.response.send_message(embed=embed, view=view or discord.utils.MISSING)

    async def history_page(
        self, interaction: Interaction, page: int
    ) -> tuple[discord.Embed, HistoryPages | None]:
        assert interaction.guild_id is not None
        screenings, total = await self.repo.history(interaction.guild_id, page)
        embed = render.club.history_embed([(self.label(s.film_id), s) for s in screenings], page, total)
        pages = -(-total // PAGE_SIZE)
        return embed, HistoryPages(self, page, pages) if pages > 1 else None

    # -- settings --------------------------------------------------------------------------------

    @club.command(name="settings", description="Show or set who runs club nights (Manage Server to set).")
    @app_commands.describe(
        role="Members with this role may run polls and record screenings", clear="Remove the role"
    )
    @reads_cooldown
    async def settings(
        self, interaction: Interaction, role: discord.Role | None = None, clear: bool = False
    ) -> None:
        assert interaction.guild_id is not None
        if role is not None or clear:
            if not checks.is_moderator(interaction):
                raise UserError(render.club.ONLY_MODERATORS_CHANGE)
            await self.repo.set_role(interaction.guild_id, None if clear else role.id if role else None)
        current = await self.repo.role(interaction.guild_id)
        await interaction.response.send_message(render.club.club_settings(current), ephemeral=True)

    @club.command(name="reset", description="Delete this server's club records (Manage Server).")
    @checks.moderators
    async def reset(self, interaction: Interaction) -> None:
        assert interaction.guild_id is not None
        confirmed = await confirmation(interaction, render.club.RESET_QUESTION, "Reset the club")
        if confirmed is not None:
            rows = await self.repo.reset(interaction.guild_id)
            await confirmed.response.edit_message(content=render.club.reset_done(rows), view=None)


class HistoryPages(FilmView):
    """Previous and next pages of /club history."""

    def __init__(self, cog: Club, page: int, pages: int) -> None:
        super().__init__(timeout=300)
        self.cog, self.page = cog, page
        self.previous.disabled = page == 0
        self.next.disabled = page >= pages - 1

    async def _show(self, interaction: Interaction, page: int) -> None:
        embed, view = await self.cog.history_page(interaction, page)
        await interaction.response.edit_message(embed=embed, view=view)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: Interaction, button: discord.ui.Button[HistoryPages]) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: Interaction, button: discord.ui.Button[HistoryPages]) -> None:
        await self._show(interaction, self.page + 1)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Club(bot))
