"""What operators watch: a bot's Prometheus metrics, served at /metrics on FILMBOT_METRICS_PORT.

Each FilmBot owns a registry (a process may run several bots: the tests do). The storage timings
are process-wide instead: the backends (bot/storage) know no bot, so they report to
bot/storage/timing.py, which feeds one histogram here that every bot's registry exposes. Gateway
latency and state, servers and running trivia rounds are read when scraped; the rest is counted
where it happens, at a microsecond or so a time, whether or not anything is served.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from .storage import timing

if TYPE_CHECKING:
    from aiohttp import web

    from .app import FilmBot
    from .features.posting import Counted

# SQLite answers in a fraction of a millisecond, PostgreSQL in a few; a lock waits up to 5 s.
STORAGE_BUCKETS = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1,
    2.5,
    5,
)
ANSWER_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)

STORAGE_SECONDS = Histogram(
    "filmbot_storage_duration_seconds",
    "Time of a storage statement, or of a whole transaction (waiting for it included), by backend",
    ["backend", "operation"],
    buckets=STORAGE_BUCKETS,
    registry=None,  # the process's: each bot's registry registers it
)


def _observe_storage(backend: str, operation: str, seconds: float) -> None:
    STORAGE_SECONDS.labels(backend, operation).observe(seconds)


class _Gateway(Collector):
    """Each shard's heartbeat latency and connection, as discord.py knows them at the scrape."""

    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    def collect(self) -> Iterator[Metric]:
        latency = GaugeMetricFamily(
            "filmbot_gateway_latency_seconds",
            "Time from a gateway heartbeat to Discord's acknowledgement, by shard",
            labels=["shard"],
        )
        connected = GaugeMetricFamily(
            "filmbot_gateway_connected",
            "Whether the shard's gateway connection is open (1) or not (0)",
            labels=["shard"],
        )
        shards = self.bot.shards
        for shard, seconds in self.bot.latencies:
            if math.isfinite(seconds):  # none before the first acknowledgement
                latency.add_metric([str(shard)], seconds)
        planned = self.bot.shards_run.ids if self.bot.shards_run else ()  # not launched yet: not connected
        for shard in sorted({*shards, *planned}):
            info = shards.get(shard)
            connected.add_metric([str(shard)], 0 if info is None or info.is_closed() else 1)
        yield latency
        yield connected


class Metrics:
    """One bot's metrics in its own registry, and the HTTP server that serves them when asked to."""

    def __init__(self, bot: FilmBot) -> None:
        self.registry = registry = CollectorRegistry()
        registry.register(_Gateway(bot))
        registry.register(STORAGE_SECONDS)
        timing.report = _observe_storage
        Gauge("filmbot_guilds", "Servers this process has", registry=registry).set_function(
            lambda: len(bot.guilds)
        )
        self.commands = Counter(
            "filmbot_commands",
            "Slash commands run (answered or failed), by command",
            ["command"],
            registry=registry,
        )
        self.command_errors = Counter(
            "filmbot_command_errors",
            "Slash commands that failed, by command and kind of error",
            ["command", "kind"],
            registry=registry,
        )
        self.answer_seconds = Histogram(
            "filmbot_answer_duration_seconds",
            "Time to compute the answer to a question (/ask or a mention)",
            buckets=ANSWER_BUCKETS,
            registry=registry,
        )
        self.trivia_rounds = Gauge(
            "filmbot_trivia_rounds_running", "Trivia rounds being played", registry=registry
        )
        self.trivia_points = Counter("filmbot_trivia_points", "Trivia points awarded", registry=registry)
        self.trivia_answers = Counter(
            "filmbot_trivia_answers", "Trivia answers recorded, right or wrong", registry=registry
        )
        self.features = {
            outcome: Counter(f"filmbot_features_{outcome}", text, registry=registry)
            for outcome, text in (
                ("posted", "Daily features posted"),
                ("skipped", "Days whose feature was skipped: the bot was back too late to post it"),
                (
                    "paused",
                    "Schedules paused because Discord refused a post (a channel gone, a permission lost)",
                ),
            )
        }
        self._runner: web.AppRunner | None = None

    def count_feature(self, outcome: Counted, n: int) -> None:
        """The Poster's count (bot/features/posting.py)."""
        self.features[outcome].inc(n)

    def count_trivia(self, answers: int, points: int) -> None:
        """A round's count (bot/trivia/runner.py)."""
        self.trivia_answers.inc(answers)
        self.trivia_points.inc(points)

    def command_failed(self, command: str, kind: str) -> None:
        self.commands.labels(command).inc()
        self.command_errors.labels(command, kind).inc()

    @property
    def addresses(self) -> list[tuple[str, int]]:
        """Where /metrics is served, (host, port): nowhere unless FILMBOT_METRICS_PORT is set."""
        return [(a[0], a[1]) for a in self._runner.addresses] if self._runner else []

    async def serve(self, address: str, port: int) -> None:
        """Serve GET /metrics on `address`:`port`; raises OSError if it cannot listen there."""
        from aiohttp import web  # only a process that serves metrics pays for the server's import

        app = web.Application()
        app.router.add_get("/metrics", self._scrape)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, address, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner

    async def _scrape(self, request: web.Request) -> web.Response:
        from aiohttp import web

        return web.Response(
            body=generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
