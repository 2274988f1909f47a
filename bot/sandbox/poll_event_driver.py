"""The driver's polls and scheduled events, as they happen on Discord: members vote and take votes
back, Discord ends a poll (at its expiry or its author's request) and starts, ends or cancels an
event, each with the gateway events it sends. `Sandbox` inherits these methods from `PollEventDriver`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import model
from .events import ACTIVE, CANCELED, COMPLETED, SCHEDULED, ScheduledEvent
from .gateway import GUILD_MESSAGE_POLLS, GUILD_SCHEDULED_EVENTS, Gateway
from .interactions import ClientRefusal
from .messages import Message
from .model import VIEW_CHANNEL, Channel, Member, snowflake
from .polls import POLL_RESULT, Poll

EventListener = Callable[[str, ScheduledEvent], None]  # "create", "update" or "delete"


class PollEventDriver:
    """Sandbox's methods on polls and scheduled events (a mixin: Sandbox is the only class using it)."""

    # What these methods use of Sandbox, declared for the type checker.
    gateway: Gateway
    event_listeners: list[EventListener]

    if TYPE_CHECKING:

        def notify(self) -> None: ...
        def _emit(self, event: str, message: Message) -> None: ...
        async def post(self, message: Message) -> None: ...
        def channel_messages(self, channel: Channel, *, viewer: Member | None = None) -> list[Message]: ...

    def polls(self, channel: Channel) -> list[Message]:
        """The channel's messages with a poll, oldest first."""
        return [m for m in self.channel_messages(channel) if m.poll is not None]

    # -- a poll's end and an event's change (the REST handlers' too) -------------------------------

    async def finalize_poll(self, message: Message) -> Message:
        """End `message`'s poll now, as Discord does at its expiry or when its author ends it: the
        final results (MESSAGE_UPDATE) and Discord's "poll result" system message. Returns that one."""
        poll = message.poll
        assert poll is not None
        poll.finalized = True
        poll.expiry = min(poll.expiry, model.wall_clock())
        if message.visible_to is None:
            await self.gateway.dispatch_message("MESSAGE_UPDATE", message)
        self._emit("edit", message)
        # discord.py reads it (MessageType.poll_result) and marks the winner on the cached poll.
        result = Message(
            snowflake(), message.channel, message.author, embeds=[poll.result_embed()], reference=message
        )
        result.type = POLL_RESULT
        await self.post(result)
        return result

    async def scheduled_event_changed(self, change: str, event: ScheduledEvent) -> None:
        """GUILD_SCHEDULED_EVENT_CREATE/UPDATE/DELETE for `change` "create", "update" or "delete"."""
        name = f"GUILD_SCHEDULED_EVENT_{change.upper()}"
        await self.gateway.dispatch_guild_event(
            event.guild.id, name, event.payload(), intent=GUILD_SCHEDULED_EVENTS
        )
        for listener in self.event_listeners:
            listener(change, event)
        self.notify()

    # -- the driver: Discord itself ----------------------------------------------------------------

    async def end_poll(self, message: Message) -> Message:
        """The poll's time runs out now. Works with no bot connected (it reads the result later);
        returns Discord's "poll result" message."""
        if message.poll is None:
            raise ClientRefusal(f"message {message.id} has no poll")
        if message.poll.finalized:
            raise ClientRefusal(f"the poll of message {message.id} has already ended")
        return await self.finalize_poll(message)

    async def start_event(self, event: ScheduledEvent) -> None:
        """The event begins (Discord starts an external one at its time; a host starts the others)."""
        await self._set_status(event, ACTIVE)

    async def end_event(self, event: ScheduledEvent) -> None:
        """The event is over (completed); one that never started ends with a single update too."""
        await self._set_status(event, COMPLETED)

    async def cancel_event(self, event: ScheduledEvent) -> None:
        await self._set_status(event, CANCELED)

    async def _set_status(self, event: ScheduledEvent, status: int) -> None:
        if event.finished:
            raise ClientRefusal(f"the event {event.name!r} is already over")
        if status == ACTIVE and event.status != SCHEDULED:
            raise ClientRefusal(f"the event {event.name!r} has already started")
        event.status = status
        await self.scheduled_event_changed("update", event)

    # -- the driver: playing the members ---------------------------------------------------------

    async def vote(self, message: Message, member: Member, answer_id: int) -> None:
        """`member` votes for answer `answer_id` (from 1) of `message`'s poll. On a single-choice poll,
        an earlier vote for another answer is taken back first, as Discord's client does."""
        poll = self._open_poll(message, member)
        if answer_id not in poll.votes:
            raise ClientRefusal(f"the poll has no answer {answer_id} (it has 1 to {len(poll.answers)})")
        if member.id in poll.votes[answer_id]:
            raise ClientRefusal(f"@{member.name} has already voted for answer {answer_id}")
        if not poll.allow_multiselect:
            for earlier in poll.choices_of(member.id):
                await self._vote_event("MESSAGE_POLL_VOTE_REMOVE", message, member, earlier)
        await self._vote_event("MESSAGE_POLL_VOTE_ADD", message, member, answer_id)

    async def unvote(self, message: Message, member: Member, answer_id: int) -> None:
        """`member` takes back their vote for answer `answer_id`."""
        poll = self._open_poll(message, member)
        if member.id not in poll.votes.get(answer_id, set()):
            raise ClientRefusal(f"@{member.name} has not voted for answer {answer_id}")
        await self._vote_event("MESSAGE_POLL_VOTE_REMOVE", message, member, answer_id)

    def _open_poll(self, message: Message, member: Member) -> Poll:
        """The poll `member` can vote in, or why Discord's client would not let them."""
        if message.poll is None or message.deleted:
            raise ClientRefusal(f"message {message.id} has no poll")
        if not message.poll.is_open():
            raise ClientRefusal("the poll has ended: Discord's client takes no more votes")
        guild = message.channel.guild
        if not guild.permissions_in(message.channel, member) & VIEW_CHANNEL:
            raise ClientRefusal(f"@{member.name} cannot see #{message.channel.name}")
        return message.poll

    async def _vote_event(self, event: str, message: Message, member: Member, answer_id: int) -> None:
        assert message.poll is not None
        voters = message.poll.votes[answer_id]
        if event == "MESSAGE_POLL_VOTE_ADD":
            voters.add(member.id)
        else:
            voters.discard(member.id)
        guild_id = message.channel.guild.id
        data = {
            "user_id": str(member.id),
            "channel_id": str(message.channel.id),
            "message_id": str(message.id),
            "guild_id": str(guild_id),
            "answer_id": answer_id,
        }
        await self.gateway.dispatch_guild_event(guild_id, event, data, intent=GUILD_MESSAGE_POLLS)
        self.notify()
