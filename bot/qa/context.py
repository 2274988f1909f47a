"""Conversation context: the film and person last answered about in each channel.

Held in memory only, for a while (15 minutes), and for a bounded number of channels: a follow-up
("when was it released?") is read against the channel's last answer, never another channel's.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from .answer import Answer

TTL_SECONDS = 15 * 60
MAX_CHANNELS = 10_000


@dataclass(frozen=True)
class Context:
    film_id: str | None = None
    person: str | None = None
    field: str | None = None  # what was last asked of the film ("director")


class Conversations:
    def __init__(
        self,
        *,
        ttl: float = TTL_SECONDS,
        capacity: int = MAX_CHANNELS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._clock = clock
        self._by_channel: OrderedDict[Hashable, tuple[float, Context]] = OrderedDict()

    def get(self, channel: Hashable) -> Context | None:
        entry = self._by_channel.get(channel)
        if entry is None:
            return None
        at, context = entry
        if self._clock() - at > self.ttl:
            del self._by_channel[channel]
            return None
        self._by_channel.move_to_end(channel)  # the least recently used channel is forgotten first
        return context

    def set(self, channel: Hashable, context: Context) -> None:
        self._by_channel[channel] = (self._clock(), context)
        self._by_channel.move_to_end(channel)
        while len(self._by_channel) > self.capacity:
            self._by_channel.popitem(last=False)

    def remember(self, channel: Hashable, answer: Answer, asked: Context | None = None) -> None:
        """Keep what an answer was about: a film named but not answered about is still the film
        being discussed; a question about nothing known leaves the context as it was."""
        if answer.film is None and (answer.person is None or not answer.answered):
            return
        film_id = answer.film.id if answer.film else None
        # "he" is the one person an answer names; after several ("written by A and B"), or none
        # ("its runtime"), still the one before, if the film is the same.
        person = answer.person or (answer.names[0] if len(answer.names) == 1 else None)
        if asked is not None and person is None and film_id == asked.film_id:
            person = asked.person
        self.set(channel, Context(film_id, person, answer.field))

    def __len__(self) -> int:
        return len(self._by_channel)
