"""Which servers this process serves: Discord's shard of a server is (guild_id >> 22) % shard_count.

A process runs a range of shards (`--shards 0-3 --shard-count 8`); every query that spans servers
is scoped to them, so that two processes sharing a database never act on each other's servers.
"""

from __future__ import annotations

from dataclasses import dataclass


class ShardsError(ValueError):
    """The shard settings do not make sense; the message says why."""


@dataclass(frozen=True)
class Shards:
    ids: tuple[int, ...]
    count: int

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ShardsError(f"the shard count must be at least 1, got {self.count}")
        if not self.ids:
            raise ShardsError("a process runs at least one shard")
        if bad := [i for i in self.ids if not 0 <= i < self.count]:
            raise ShardsError(
                f"shard {bad[0]} is not one of 0-{self.count - 1} (the shard count is {self.count})"
            )

    @classmethod
    def parse(cls, text: str, count: int) -> Shards:
        """'0-3', '4,5', '0-1,6' of `count` shards."""
        ids: set[int] = set()
        for part in text.replace(" ", "").split(","):
            first, _, last = part.partition("-")
            try:
                low, high = int(first), int(last or first)
            except ValueError:
                raise ShardsError(f"expected shard numbers such as 0-3 or 0,2,5, got {text!r}") from None
            if low > high:
                raise ShardsError(f"{part}: a range goes from low to high")
            ids.update(range(low, high + 1))
        return cls(tuple(sorted(ids)), count)

    def __contains__(self, guild_id: int) -> bool:
        return (guild_id >> 22) % self.count in self.ids

    @property
    def syncs_commands(self) -> bool:
        """The command tree is global: the process with shard 0 syncs it."""
        return 0 in self.ids

    @staticmethod
    def where(shards: Shards | None, column: str = "guild_id") -> tuple[str, tuple[int, ...]]:
        """An SQL condition keeping the servers of `shards` (all of them for None), and its arguments."""
        if shards is None or len(shards.ids) == shards.count:
            return "1 = 1", ()
        marks = ", ".join("?" * len(shards.ids))
        return f"(({column} >> 22) % ?) IN ({marks})", (shards.count, *shards.ids)

    def __str__(self) -> str:
        return f"shards {','.join(map(str, self.ids))} of {self.count}"
