"""Which film a server features on a date: none twice until every film has been featured.

The choice is random but reproducible: the same server, date and history give the same film.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from datetime import date


def pick(guild_id: int, day: date, films: Sequence[str], featured: Collection[str]) -> tuple[str, bool]:
    """The film for `day` and whether it starts a new cycle (every film was featured already)."""
    remaining = sorted(set(films) - set(featured))
    new_cycle = not remaining
    rng = random.Random(f"{guild_id}:{day.isoformat()}")
    return rng.choice(remaining or sorted(films)), new_cycle
