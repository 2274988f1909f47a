"""An interaction as the sandbox tracks it: who invoked what, and every reply the bot made to it."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import Any

from .messages import Message
from .model import Channel, Member, snowflake

COMMAND, COMPONENT, AUTOCOMPLETE = 2, 3, 4
# Interaction callback types.
PONG, MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, AUTOCOMPLETE_RESULT, MODAL = 1, 4, 5, 6, 7, 8, 9
# Callback types that finish the exchange by themselves; a deferral waits for an edit or follow-up.
FINAL_CALLBACKS = {MESSAGE, UPDATE, AUTOCOMPLETE_RESULT, MODAL}
ALLOWED_CALLBACKS = {
    COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
}


class SandboxTimeout(TimeoutError):
    """The bot did not answer an interaction in time."""


class ClientRefusal(ValueError):
    """An option value Discord's client would not send (out of range, too long, not a choice)."""


@dataclass
class Interaction:
    type: int
    channel: Channel
    member: Member
    data: dict[str, Any]
    message: Message | None = None  # the message whose component was used
    id: int = field(default_factory=snowflake)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    dispatched_at: float = 0.0  # time.monotonic()
    response_type: int | None = None
    original: Message | None = None  # the response message, or the component's message after an update
    followups: list[Message] = field(default_factory=list)
    original_edited: bool = False
    choices: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def replies(self) -> list[Message]:
        """The response message (if any) and the follow-ups, in order, without deleted ones."""
        messages = ([self.original] if self.original is not None else []) + self.followups
        return [m for m in messages if not m.deleted]

    @property
    def reply(self) -> Message:
        """The first reply; raises if the bot sent none."""
        if not self.replies:
            raise AssertionError(
                f"no reply to interaction {self.data.get('name') or self.data.get('custom_id')}"
            )
        return self.replies[0]

    @property
    def deferred(self) -> bool:
        return self.response_type in (DEFERRED_MESSAGE, DEFERRED_UPDATE)

    def note_progress(self) -> None:
        """Called after a callback, edit or follow-up: is the exchange complete?"""
        if self.response_type in FINAL_CALLBACKS or (
            self.deferred and (self.followups or self.original_edited)
        ):
            self.done.set()

    async def wait(self, timeout: float) -> Interaction:
        try:
            await asyncio.wait_for(self.done.wait(), timeout)
        except TimeoutError:
            what = self.data.get("name") or self.data.get("custom_id")
            raise SandboxTimeout(f"the bot did not answer {what!r} within {timeout:g} seconds") from None
        return self
