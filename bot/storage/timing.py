"""How long storage takes: the backends time each statement and transaction, and hand the figure to
`report`, which bot/metrics.py sets when a bot is built. Storage imports no metrics library."""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def _ignore(backend: str, operation: str, seconds: float) -> None:
    pass


report: Callable[[str, str, float], None] = _ignore  # (backend, "statement" or "transaction", seconds)


def statement(backend: str) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """Decorate a statement method: the time of each call is reported."""

    def decorate(function: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(function)
        async def timed_call(*args: P.args, **kwargs: P.kwargs) -> T:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                report(backend, "statement", time.perf_counter() - started)

        return timed_call

    return decorate


@contextmanager
def transaction(backend: str) -> Iterator[None]:
    """Time a whole transaction, from the wait for its lock or connection to its end."""
    started = time.perf_counter()
    try:
        yield
    finally:
        report(backend, "transaction", time.perf_counter() - started)
