"""What operators watch: the real bot on the sandbox, its /metrics scraped over HTTP."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from discord import app_commands
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families

from bot.config import ConfigError, Settings, load_settings
from bot.sandbox import Sandbox, model
from bot.sandbox.demo import Demo
from bot.sandbox.harness import bot_on_sandbox
from bot.sandbox.model import SEND_MESSAGES, Overwrite
from tests.conftest import Running
from tests.test_cli import start
from tests.test_features_e2e import Clock, features, morning, schedule, wait_until
from tests.test_trivia_e2e import STALKER, button, open_question, quicken, summary

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A socket listening on a free port of 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def metered(sandbox: Sandbox, demo: Demo, settings: Settings) -> AsyncIterator[Running]:
    """The bot with FILMBOT_METRICS_PORT set."""
    async with bot_on_sandbox(sandbox, dataclasses.replace(settings, metrics_port=free_port())) as bot:
        yield Running(sandbox, demo, bot)


async def scrape(running: Running) -> Samples:
    ((host, port),) = running.bot.metrics.addresses
    assert host == "127.0.0.1"
    async with aiohttp.ClientSession() as session, session.get(f"http://{host}:{port}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == CONTENT_TYPE_LATEST
        text = await response.text()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


async def eventually(condition: Callable[[], bool]) -> None:
    """Wait for what the bot does after its reply (a round's end, the completion event's count)."""
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition did not come true within 2 s")


async def test_commands_answers_servers_shards_and_storage_are_served(metered: Running) -> None:
    bot, sandbox, demo = metered.bot, metered.sandbox, metered.demo

    @app_commands.command(name="explode", description="Fails on purpose.")
    async def explode(interaction):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("boom")

    bot.tree.add_command(explode)
    assert await bot.sync_commands()
    await sandbox.slash(demo.film_club, demo.ana, "ask", question="who directed Stalker?")
    await sandbox.slash(demo.film_club, demo.ana, "ask", question="and the year?")
    unknown = (await sandbox.slash(demo.film_club, demo.ana, "film", title="No Such Film Ever")).reply
    assert unknown.content.startswith("I don't know a film called")
    await sandbox.slash(demo.general, demo.boris, "explode")
    samples = await scrape(metered)

    assert value(samples, "filmbot_commands_total", command="ask") == 2
    assert value(samples, "filmbot_commands_total", command="film") == 1
    assert value(samples, "filmbot_command_errors_total", command="film", kind="UserError") == 1
    assert value(samples, "filmbot_command_errors_total", command="explode", kind="bug") == 1
    assert value(samples, "filmbot_command_errors_total", command="ask", kind="UserError") is None
    assert value(samples, "filmbot_answer_duration_seconds_count") == 2
    assert 0 < value(samples, "filmbot_answer_duration_seconds_sum") < 2  # type: ignore[operator]
    assert value(samples, "filmbot_guilds") == len(sandbox.guilds) == 1
    assert 0 <= value(samples, "filmbot_gateway_latency_seconds", shard="0") < 5  # type: ignore[operator]
    assert value(samples, "filmbot_gateway_connected", shard="0") == 1
    for operation in ("statement", "transaction"):  # the command tree's sync wrote its digest
        count = value(
            samples, "filmbot_storage_duration_seconds_count", backend="sqlite", operation=operation
        )
        assert count is not None and count > 0
    assert value(samples, "filmbot_trivia_rounds_running") == 0
    assert value(samples, "filmbot_features_posted_total") == 0


async def test_trivia_rounds_answers_and_points(metered: Running) -> None:
    sandbox, demo = metered.sandbox, metered.demo
    quicken(metered)
    await sandbox.slash(demo.film_club, demo.ana, "trivia start", topic="stalker", questions=1, seconds=5)
    first = await open_question(sandbox, demo.film_club, 1)
    question = STALKER[first.embeds[0]["description"]]
    assert value(await scrape(metered), "filmbot_trivia_rounds_running") == 1
    await sandbox.click(first, button(first, question, right=True), demo.ana)
    await sandbox.click(first, button(first, question, right=False), demo.boris)
    await summary(sandbox, demo.film_club)
    await eventually(lambda: not metered.bot.get_cog("Trivia").by_round)  # type: ignore[union-attr]
    samples = await scrape(metered)
    assert value(samples, "filmbot_trivia_rounds_running") == 0
    assert value(samples, "filmbot_trivia_answers_total") == 2
    assert 50 <= value(samples, "filmbot_trivia_points_total") <= 100  # type: ignore[operator]
    assert value(samples, "filmbot_commands_total", command="trivia start") == 1


async def test_features_posted_skipped_and_paused(metered: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "wall_clock", model.wall_clock)  # the Clock moves it
    sandbox, demo = metered.sandbox, metered.demo
    clock = Clock(metered, morning(8))
    await schedule(metered, clock, demo.film_club)
    await clock.advance(timedelta(hours=1))  # 09:00: posted
    await wait_until(sandbox, lambda: len(features(sandbox, demo.film_club)) == 1)
    await clock.advance(timedelta(days=2, hours=8))  # 17:00 two days on: that day and the one before missed
    bot_role = next(r for r in demo.guild.roles.values() if r.name == "filmbot")
    demo.film_club.overwrites.append(Overwrite(bot_role.id, 0, deny=SEND_MESSAGES))
    await clock.advance(timedelta(hours=16))  # 09:00 the next day: refused, so paused
    samples = await scrape(metered)
    assert value(samples, "filmbot_features_posted_total") == 1
    assert value(samples, "filmbot_features_skipped_total") == 2
    assert value(samples, "filmbot_features_paused_total") == 1


async def test_without_the_setting_nothing_is_served(running: Running) -> None:
    bot, demo = running.bot, running.demo
    assert bot.settings.metrics_port is None
    await running.sandbox.slash(demo.general, demo.ana, "ask", question="who directed Stalker?")
    assert bot.metrics.addresses == []  # no server: nothing listens
    # Counted all the same (a counter's increment costs a microsecond), for nobody to scrape.
    await eventually(
        lambda: bot.metrics.registry.get_sample_value("filmbot_commands_total", {"command": "ask"}) == 1
    )


async def test_a_port_in_use_is_one_sentence(tmp_path: Path, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    async with Sandbox() as sandbox:
        process = await start(
            ["run"],
            tmp_path,
            DISCORD_TOKEN=sandbox.token,
            DISCORD_API_BASE=sandbox.api_base,
            FILMBOT_METRICS_PORT=str(port),
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1, stderr.decode()
    assert stderr.decode().strip().splitlines()[-1] == (
        f"filmbot: cannot start: the metrics address 127.0.0.1:{port} is in use: stop the program "
        "listening there, or set another FILMBOT_METRICS_PORT"
    )
    assert b"Traceback" not in stderr


def test_metrics_settings_from_the_environment() -> None:
    settings = load_settings(environ={"FILMBOT_METRICS_PORT": "9464", "FILMBOT_METRICS_ADDRESS": "0.0.0.0"})
    assert (settings.metrics_port, settings.metrics_address) == (9464, "0.0.0.0")
    assert (load_settings(environ={}).metrics_port, load_settings(environ={}).metrics_address) == (
        None,
        "127.0.0.1",
    )


@pytest.mark.parametrize(
    ("environ", "said"),
    [
        ({"FILMBOT_METRICS_PORT": "70000"}, "metrics_port: expected a port from 1 to 65535, got 70000"),
        ({"FILMBOT_METRICS_PORT": "0"}, "metrics_port: expected a port from 1 to 65535, got 0"),
        ({"FILMBOT_METRICS_PORT": "http"}, "FILMBOT_METRICS_PORT: expected a whole number, got 'http'"),
        (
            {"FILMBOT_METRICS_ADDRESS": ""},
            "metrics_address: expected an address to listen on, such as 127.0.0.1, got ''",
        ),
    ],
)
def test_metrics_settings_that_make_no_sense_are_a_sentence(environ: dict[str, str], said: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(environ=environ)
    assert str(refused.value) == said
