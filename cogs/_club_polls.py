"""A club poll's end, on Discord: the winner decided from Discord's own count, the screening's
server event created once, and the winner announced with its card.

Discord says a poll has ended by editing its message (results finalised); after a restart the
bot reads each poll it has not finished yet from Discord. Every step is recorded before the next:
the decision (once, whoever sees the end first), the event's id, then the announcement, sent with
a nonce so that a retry after a crash returns the message already sent.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import discord

from bot import render, retry
from bot.app import FilmBot
from bot.club.model import ClubPoll, screening_end, winner
from bot.repositories import ClubStore
from bot.storage import StorageUnavailable

log = logging.getLogger(__name__)


def votes_of(poll: discord.Poll) -> dict[int, int]:
    return {answer.id: answer.vote_count for answer in poll.answers}


def unix_now() -> int:
    """Now in unix seconds, as the club's tables keep their times (suggestions: milliseconds)."""
    return int(discord.utils.utcnow().timestamp())


def nonce_for(message_id: int) -> str:
    return f"club{message_id}"  # 23 characters of Discord's 25


class PollCloser:
    def __init__(self, bot: FilmBot, repo: ClubStore) -> None:
        self.bot, self.repo = bot, repo
        self._lock = asyncio.Lock()  # the edit event and the start-up check may meet on one poll

    async def catch_up(self) -> None:
        """After a start: finish the polls that ended while the bot was away (or mid-announcement)."""
        for poll in await self.repo.pending():
            try:
                await self.settle(poll)
            except (StorageUnavailable, discord.HTTPException, *retry.TRANSIENT) as exc:
                log.warning(
                    "club poll %s: not finished (%s); tried again at the next start", poll.message_id, exc
                )

    async def settle(self, poll: ClubPoll) -> bool:
        """Finish `poll` if Discord has ended it, or record its screening if its event has; True if
        the poll is over (a deleted poll is, with nothing to announce and nobody to tell)."""
        if poll.status == "announced":
            await self._event_ended(poll)
            return True
        message = await self._message(poll)
        if message is None or message.poll is None:
            await self.repo.decide(poll.message_id, None)
            await self.repo.mark_announced(poll.message_id)
            return True
        if message.poll.is_finalised():
            await self.finish(poll.message_id, votes_of(message.poll))
            return True
        return False  # still running: its end comes as an edit

    async def _event_ended(self, poll: ClubPoll) -> None:
        """After a start: the screening event of an announced poll, read from Discord."""
        guild = self.bot.get_guild(poll.guild_id)
        if guild is None or poll.event_id is None:
            return
        try:
            event = await guild.fetch_scheduled_event(poll.event_id)
        except discord.NotFound:  # deleted: whether the club watched is for /club watched to say
            log.info("club poll %s: its event is gone", poll.message_id)
            await self.repo.mark_done(poll.message_id)
            return
        await self.event_changed(event)

    async def event_changed(self, event: discord.ScheduledEvent) -> None:
        """A screening event that ended means the club watched the poll's winner; one cancelled, not."""
        if event.status not in (discord.EventStatus.completed, discord.EventStatus.cancelled):
            return
        poll = await self.repo.poll_of_event(event.guild_id, event.id)
        if poll is None or poll.status == "done" or poll.winner is None:
            return  # (an event can end before its poll's announcement is recorded)
        watched = event.status is discord.EventStatus.completed
        if watched:  # recorded first (once, whoever records it), then the poll is done
            day = event.start_time.astimezone(ZoneInfo(poll.zone or "UTC")).date()
            await self.repo.record_screening(poll.guild_id, poll.winner, day, unix_now())
        if not await self.repo.mark_done(poll.message_id):
            return  # the start-up check and the event met: the other tells
        channel = self.bot.get_channel(poll.channel_id)
        if watched and isinstance(channel, discord.TextChannel | discord.Thread):
            ref = self.bot.films.ref(poll.winner)
            try:
                await channel.send(render.club.screened(ref.label if ref else poll.winner))
            except discord.HTTPException as exc:
                log.info("club poll %s: screening not told (%s)", poll.message_id, exc)

    async def _message(self, poll: ClubPoll) -> discord.Message | None:
        channel = self.bot.get_channel(poll.channel_id)
        try:
            if not isinstance(channel, discord.abc.Messageable):
                channel = await self.bot.fetch_channel(poll.channel_id)
            assert isinstance(channel, discord.abc.Messageable)
            return await channel.fetch_message(poll.message_id)
        except (discord.NotFound, discord.Forbidden):
            return None

    async def finish(self, message_id: int, votes: dict[int, int]) -> None:
        """The poll `message_id` has ended with `votes` (Discord's count, by answer id)."""
        async with self._lock:
            poll = await self.repo.poll(message_id)
            if poll is None or poll.status in ("announced", "done"):
                return
            if poll.status == "open":
                await self.repo.decide(message_id, winner(poll.films, votes))
                poll = await self.repo.poll(message_id)
                assert poll is not None
            channel = self.bot.get_channel(poll.channel_id)
            if not isinstance(channel, discord.TextChannel | discord.Thread):
                log.info("club poll %s: its channel is gone; nothing announced", message_id)
                await self.repo.mark_announced(message_id)
                return
            if poll.winner is None:
                await self._send(channel, poll, render.club.NO_VOTES, None)
                return
            event_url, note = await self._event(channel.guild, poll)
            film = self.bot.films.film(poll.winner)
            counted = votes.get(poll.films.index(poll.winner) + 1, 0)
            text = render.club.announcement(film.label, counted, sum(votes.values()), event_url, note)
            await self._send(channel, poll, text, render.qa.film_embed(film))

    async def _event(self, guild: discord.Guild, poll: ClubPoll) -> tuple[str | None, str | None]:
        """The screening's server event (its link), created if it does not exist yet, or why not."""
        if poll.screening_at is None or poll.winner is None:
            return None, None
        if poll.event_id is None:
            film = self.bot.films.film(poll.winner)
            start = datetime.fromtimestamp(poll.screening_at, UTC)
            if start <= discord.utils.utcnow():
                return None, "The screening time has passed, so I made no event for it."
            name = render.club.event_name(film)
            existing = next(  # made before a crash stopped the bot from recording it
                (
                    e
                    for e in await guild.fetch_scheduled_events(with_counts=False)
                    if e.creator_id == self.bot.user.id and e.name == name and e.start_time == start  # type: ignore[union-attr]
                ),
                None,
            )
            try:
                event = existing or await self._create(
                    guild, poll, name, film.runtime, start, render.club.event_description(film)
                )
            except discord.Forbidden:
                return None, render.club.NO_EVENT_PERMISSION
            except discord.HTTPException as exc:
                log.warning("club poll %s: no event (%s)", poll.message_id, exc)
                return None, f"I could not create the screening event: {exc.text or exc.status}."
            await self.repo.set_event(poll.message_id, event.id)
            return event.url, None
        return f"https://discord.com/events/{guild.id}/{poll.event_id}", None

    async def _create(
        self,
        guild: discord.Guild,
        poll: ClubPoll,
        name: str,
        runtime: int | None,
        start: datetime,
        about: str,
    ) -> discord.ScheduledEvent:
        end = screening_end(start, runtime)
        place = guild.get_channel(poll.place_channel) if poll.place_channel else None
        if isinstance(place, discord.VoiceChannel | discord.StageChannel):  # the event's kind follows
            return await guild.create_scheduled_event(
                name=name, start_time=start, end_time=end, channel=place, description=about
            )
        return await guild.create_scheduled_event(
            name=name,
            start_time=start,
            end_time=end,
            entity_type=discord.EntityType.external,
            location=poll.place or render.club.ONLINE,
            description=about,
        )

    async def _send(
        self,
        channel: discord.TextChannel | discord.Thread,
        poll: ClubPoll,
        text: str,
        embed: discord.Embed | None,
    ) -> None:
        reference = discord.MessageReference(
            message_id=poll.message_id, channel_id=poll.channel_id, fail_if_not_exists=False
        )
        try:
            await retry.retrying(
                lambda: channel.send(
                    text,
                    embed=embed or discord.utils.MISSING,
                    reference=reference,
                    nonce=nonce_for(poll.message_id),
                ),
                f"announcing poll {poll.message_id}",
            )
        except (discord.NotFound, discord.Forbidden) as exc:  # the channel went, or the bot's right to post
            log.info("club poll %s: not announced (%s)", poll.message_id, exc)
        await self.repo.mark_announced(poll.message_id)
