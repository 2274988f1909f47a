"""/feature: a daily "classic film" post per server, at a time in the server's zone.

One task serves every server: it sleeps until the earliest due post (or until a schedule
changes), posts what is due through a few workers (discord.py's rate limiter paces them), and
sleeps again. The exactly-once protocol is in bot/features/posting.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import checks, render
from bot.app import FilmBot
from bot.errors import UserError
from bot.features.model import Schedule
from bot.features.post import featurable, post_of
from bot.features.posting import Poster, Refused, Result, next_due
from bot.features.schedule import (
    due_at,
    first_date,
    local_date,
    parse_zone,
    resumed_date,
)
from bot.qa.catalog import FilmRef
from bot.repositories import FeatureStore
from cogs._options import FilmTitle, TimeOfDay, TimeZone

log = logging.getLogger(__name__)

WORKERS = 4  # posts in flight at once when many servers are due together
# A post that may have been sent before a restart is looked for after its claim: from a little
# before (Discord's clock and ours differ) to a while after (a send waits out rate limits).
CLOCK_SKEW = timedelta(minutes=5)
SEND_WINDOW = timedelta(hours=1)
MAX_SLEEP = 3600.0  # re-check at least hourly (clock changes, suspended machines)
RETRY_AFTER_ERROR = timedelta(minutes=10)  # a server's post that failed
LOOP_RETRY = 60.0  # seconds, after a failure of the loop itself (e.g. a locked database)


class DiscordFeatureChannel:
    """A server's feature channel on Discord, for the Poster."""

    def __init__(self, bot: FilmBot, guild_id: int, channel_id: int) -> None:
        self.bot, self.guild_id, self.channel_id = bot, guild_id, channel_id

    async def _channel(self) -> discord.TextChannel:
        """The channel, from the cache, or from Discord when the cache lacks it (a server still
        unavailable after a reconnect): only Discord's 404 or 403 make it gone."""
        channel = self.bot.get_channel(self.channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(self.channel_id)
            except discord.NotFound as exc:
                raise Refused(f"the channel <#{self.channel_id}> no longer exists") from exc
            except discord.Forbidden as exc:
                raise Refused(f"I can no longer see the channel <#{self.channel_id}>") from exc
        if not isinstance(channel, discord.TextChannel):
            raise Refused(f"<#{self.channel_id}> is not a text channel")
        return channel

    async def send(self, film_id: str, day: date, nonce: str) -> int:
        channel = await self._channel()
        club = await self.bot.state.club.ratings(self.guild_id, film_id)
        post = post_of(self.bot.films.film(film_id), day, club)
        try:
            message = await channel.send(embed=render.features.feature_embed(post), nonce=nonce)
        except discord.NotFound as exc:
            raise Refused(f"the channel {channel.mention} no longer exists") from exc
        except discord.Forbidden as exc:
            raise Refused(f"I can't post in {channel.mention}: {exc.text or 'Missing Permissions'}") from exc
        me = channel.guild.me
        if me is not None and channel.permissions_for(me).create_public_threads:
            try:
                await message.create_thread(name=render.features.thread_name(post))
            except discord.HTTPException as exc:  # the post stands without its thread
                log.info("no discussion thread in %s: %s", channel.id, exc)
        return message.id

    async def find(self, day: date, claimed: datetime) -> int | None:
        try:
            channel = await self._channel()
            marker = render.features.feature_marker(day)
            history = channel.history(after=claimed - CLOCK_SKEW, limit=None, oldest_first=True)
            async for message in history:
                if message.created_at > claimed + SEND_WINDOW:
                    break
                mine = self.bot.user is not None and message.author.id == self.bot.user.id
                if mine and message.embeds and message.embeds[0].footer.text == marker:
                    return message.id
        except (Refused, discord.HTTPException) as exc:
            log.info("could not look for the feature of %s in %s: %s", day, self.channel_id, exc)
        return None


class Features(commands.Cog, name="Daily feature"):
    feature = app_commands.Group(
        name="feature",
        description="The daily classic film feature (Manage Server).",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot
        self.repo: FeatureStore = bot.state.features
        self.poster = Poster(self.repo, bot.films.curated_ids(), count=bot.metrics.count_feature)
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)  # the tests move time by hand
        self._changed = asyncio.Event()
        self.idle = asyncio.Event()  # set while the loop sleeps with nothing due
        self._loop: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._loop = asyncio.create_task(self._run(), name="daily features")

    async def cog_unload(self) -> None:
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop

    def reschedule(self) -> None:
        """A schedule changed (or the clock moved): look again at what is due."""
        self.idle.clear()
        self._changed.set()

    # -- the loop ----------------------------------------------------------------------------------

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                timeout = await self._post_due()
            except Exception:  # e.g. the database is locked for longer than its timeout
                log.exception("the daily feature loop failed; trying again in %.0f s", LOOP_RETRY)
                timeout = LOOP_RETRY
            if timeout is None:
                continue
            if not self._changed.is_set():
                self.idle.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)
            self.idle.clear()

    async def _post_due(self) -> float | None:
        """Post what is due; returns how long to sleep, or None to look again at once."""
        self._changed.clear()
        now = self.now()
        due = await self.repo.due(int(now.timestamp()))
        if due:
            await self._post_all(due, now)
            return None
        earliest = await self.repo.earliest_due()
        return MAX_SLEEP if earliest is None else min(MAX_SLEEP, max(earliest - now.timestamp(), 0))

    async def _post_all(self, due: list[Schedule], now: datetime) -> None:
        queue: asyncio.Queue[Schedule] = asyncio.Queue()
        for schedule in due:
            queue.put_nowait(schedule)

        async def worker() -> None:
            while not queue.empty():
                await self._post_one(queue.get_nowait(), now)

        await asyncio.gather(*(worker() for _ in range(min(WORKERS, len(due)))))

    async def _post_one(self, schedule: Schedule, now: datetime) -> None:
        try:
            channel = DiscordFeatureChannel(self.bot, schedule.guild_id, schedule.channel_id)
            outcome = await self.poster.run_due(schedule, now, channel)
            if outcome.result is Result.PAUSED:
                await self._tell_moderators(schedule, outcome.reason or "")
        except Exception:
            minutes = RETRY_AFTER_ERROR // timedelta(minutes=1)
            log.exception(
                "daily feature of server %s failed; retrying in %d minutes", schedule.guild_id, minutes
            )
            retry = int((now + RETRY_AFTER_ERROR).timestamp())
            await self.repo.set_next(schedule.guild_id, schedule.next_date, retry)

    async def _tell_moderators(self, schedule: Schedule, reason: str) -> None:
        """Once per pause, in the server's system channel, if the bot may post there."""
        guild = self.bot.get_guild(schedule.guild_id)
        system = guild.system_channel if guild else None
        if guild is None or system is None or system.id == schedule.channel_id:
            return
        if not system.permissions_for(guild.me).send_messages:
            return
        try:
            await system.send(render.features.paused_notice(reason))
        except discord.HTTPException as exc:
            log.info("could not tell server %s its feature is paused: %s", guild.id, exc)
            return
        await self.repo.mark_told(schedule.guild_id)

    # -- commands ----------------------------------------------------------------------------------

    @feature.command(name="schedule", description="Post a classic film every day in a channel, at a time.")
    @checks.moderators
    @app_commands.describe(
        channel="Where to post",
        time="Time of day, e.g. 18:30 or 6:30 pm",
        timezone="IANA time zone or its city, e.g. Europe/Moscow, New York, Australia/Sydney",
    )
    async def schedule(
        self,
        interaction: discord.Interaction[FilmBot],
        channel: discord.TextChannel,
        time: app_commands.Transform[time, TimeOfDay],
        timezone: app_commands.Transform[ZoneInfo, TimeZone],
    ) -> None:
        assert interaction.guild is not None
        at, zone = time, timezone
        permissions = channel.permissions_for(interaction.guild.me)
        missing = [
            name
            for name, allowed in (
                ("View Channel", permissions.view_channel),
                ("Send Messages", permissions.send_messages),
                ("Embed Links", permissions.embed_links),
            )
            if not allowed
        ]
        if missing:
            raise UserError(render.features.cannot_post(channel.mention, missing))
        now = self.now()
        last = await self.repo.latest(interaction.guild.id, "sent")
        day = first_date(now, at, zone, datetime.fromtimestamp(last.at, UTC) if last else None)
        at_text = f"{at:%H:%M}"
        due = int(due_at(day, at, zone).timestamp())
        await self.repo.save_schedule(interaction.guild.id, channel.id, at_text, zone.key, day, due)
        self.reschedule()
        text = render.features.scheduled(
            channel.mention,
            at_text,
            zone.key,
            datetime.fromtimestamp(due, UTC),
            threads=permissions.create_public_threads,
        )
        await interaction.response.send_message(text, ephemeral=True)

    async def _schedule_of(self, interaction: discord.Interaction[FilmBot]) -> Schedule:
        assert interaction.guild_id is not None
        schedule = await self.repo.schedule(interaction.guild_id)
        if schedule is None:
            raise UserError(render.features.NO_SCHEDULE)
        return schedule

    @feature.command(name="status", description="The schedule, the next and last posts, and any problem.")
    @checks.moderators
    async def status(self, interaction: discord.Interaction[FilmBot]) -> None:
        schedule = await self._schedule_of(interaction)
        last = await self.repo.latest(schedule.guild_id, "sent")
        skipped = await self.repo.latest(schedule.guild_id, "skipped")
        featured = await self.repo.featured_count(schedule.guild_id)
        embed = render.features.feature_status_embed(
            schedule,
            datetime.fromtimestamp(schedule.next_due, UTC),
            last,
            skipped,
            featured,
            len(self.poster.films),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @feature.command(name="pause", description="Stop posting until /feature resume.")
    @checks.moderators
    async def pause(self, interaction: discord.Interaction[FilmBot]) -> None:
        schedule = await self._schedule_of(interaction)
        await self.repo.set_paused(schedule.guild_id, True)
        self.reschedule()
        await interaction.response.send_message(render.features.PAUSED, ephemeral=True)

    @feature.command(name="resume", description="Post again, from the next scheduled time.")
    @checks.moderators
    async def resume(self, interaction: discord.Interaction[FilmBot]) -> None:
        schedule = await self._schedule_of(interaction)
        day = resumed_date(schedule, self.now())
        await self.repo.set_paused(schedule.guild_id, False)
        await self.repo.set_next(schedule.guild_id, day, next_due(schedule, day))
        self.reschedule()
        text = render.features.resumed(datetime.fromtimestamp(next_due(schedule, day), UTC), schedule.zone)
        await interaction.response.send_message(text, ephemeral=True)

    @feature.command(name="now", description="Post today's feature now (it counts as today's post).")
    @checks.moderators
    async def now_(self, interaction: discord.Interaction[FilmBot]) -> None:
        schedule = await self._schedule_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.now()
        day = local_date(now, parse_zone(schedule.zone))
        channel = DiscordFeatureChannel(self.bot, schedule.guild_id, schedule.channel_id)
        outcome = await self.poster.post_day(schedule, day, now, channel)
        self.reschedule()
        if outcome.result is Result.PAUSED:
            text = render.features.paused_now(outcome.reason)
        else:
            assert outcome.post is not None and outcome.post.message_id is not None
            link = render.message_link(schedule.guild_id, schedule.channel_id, outcome.post.message_id)
            text = render.features.posted_now(link, already=outcome.result is Result.ALREADY)
        await interaction.edit_original_response(content=text)

    @feature.command(name="preview", description="See what the next feature will look like (only you).")
    @checks.moderators
    async def preview(self, interaction: discord.Interaction[FilmBot]) -> None:
        schedule = await self._schedule_of(interaction)
        _, featured = await self.repo.rotation(schedule.guild_id)
        film_id, _ = self.poster.choose(schedule.guild_id, schedule.next_date, schedule.queued_film, featured)
        club = await self.bot.state.club.ratings(schedule.guild_id, film_id)
        post = post_of(self.bot.films.film(film_id), schedule.next_date, club)
        embed = render.features.feature_embed(post)
        await interaction.response.send_message(
            render.features.preview_of(schedule.next_date), embed=embed, ephemeral=True
        )

    @feature.command(name="queue", description="Choose the film of the next feature.")
    @checks.moderators
    @app_commands.describe(title="The film (pick one from the list)")
    async def queue(
        self,
        interaction: discord.Interaction[FilmBot],
        title: app_commands.Transform[FilmRef, FilmTitle(curated=True)],
    ) -> None:
        schedule = await self._schedule_of(interaction)
        ref = title
        if not featurable(ref):
            raise UserError(render.features.only_in_catalogue(ref.label))
        await self.repo.queue(schedule.guild_id, ref.id)
        await interaction.response.send_message(render.features.queued(ref.label), ephemeral=True)

    @feature.command(name="unschedule", description="Stop the daily feature and forget its schedule.")
    @checks.moderators
    async def unschedule(self, interaction: discord.Interaction[FilmBot]) -> None:
        schedule = await self._schedule_of(interaction)
        await self.repo.delete_schedule(schedule.guild_id)
        self.reschedule()
        await interaction.response.send_message(
            render.features.UNSCHEDULED,
            ephemeral=True,
        )


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Features(bot))
