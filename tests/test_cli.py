"""The `filmbot` command as a person runs it: real processes, real exit codes, real output."""

import asyncio
import dataclasses
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import FilmBot, StartupError
from bot.config import Settings
from bot.sandbox import Sandbox
from tests.conftest import curated_data, indexed_database

FILMBOT = Path(sys.executable).with_name("filmbot")


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FILMBOT_"))}
    database = tmp_path / "filmbot.db"
    if not database.exists():
        indexed_database(database)
    return {**env, "FILMBOT_DATABASE": str(database), "FILMBOT_DATA": str(curated_data()), **extra}


def run(args: list[str], tmp_path: Path, stdin: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FILMBOT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment(tmp_path, **extra),
    )


async def start(args: list[str], tmp_path: Path, **extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        str(FILMBOT),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=environment(tmp_path, **extra),
    )


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["console", "--help"]])
def test_help(args: list[str], tmp_path: Path) -> None:
    result = run(args, tmp_path)
    assert result.returncode == 0
    assert "usage: filmbot" in result.stdout


def test_version_and_module_entry_point(tmp_path: Path) -> None:
    assert run(["--version"], tmp_path).stdout.startswith("filmbot ")
    module = subprocess.run(
        [sys.executable, "-m", "bot", "--version"], capture_output=True, text=True, timeout=60
    )
    assert module.returncode == 0 and module.stdout == run(["--version"], tmp_path).stdout


def test_run_without_token_names_the_variable(tmp_path: Path) -> None:
    result = run(["run"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "DISCORD_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_config_file_is_a_startup_error_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "filmbot.yaml"
    config.write_text("tokn: abc\n", encoding="utf-8")
    result = run(["--config", str(config), "run"], tmp_path)
    assert result.returncode == 2
    assert "unknown key 'tokn'" in result.stderr and "Traceback" not in result.stderr


def test_a_database_url_the_bot_cannot_use_is_one_sentence(tmp_path: Path) -> None:
    result = run(["run"], tmp_path, FILMBOT_DATABASE="mysql://filmbot@localhost/filmbot", DISCORD_TOKEN="x")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("filmbot: configuration: FILMBOT_DATABASE: mysql:// databases are not")


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--shards", "0-3"], "shards and shard_count go together: --shards 0-3 --shard-count 8"),
        (["--shards", "4", "--shard-count", "4"], "shards: shard 4 is not one of 0-3 (the shard count is 4)"),
        (["--shards", "two", "--shard-count", "4"], "shards: expected shard numbers such as 0-3 or 0,2,5"),
    ],
)
def test_shards_that_do_not_make_sense_are_one_sentence(tmp_path: Path, flags: list[str], said: str) -> None:
    result = run(["run", *flags], tmp_path, DISCORD_TOKEN="x")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"filmbot: configuration: {said}"), result.stderr


async def test_a_postgresql_server_that_is_not_there_is_one_sentence(tmp_path: Path) -> None:
    # a socket directory with no server in it: refused at once, no network needed
    url = f"postgresql://filmbot:secret@/filmbot?host={tmp_path}"
    async with Sandbox() as sandbox:
        process = await start(
            ["run"],
            tmp_path,
            FILMBOT_DATABASE=url,
            DISCORD_TOKEN=sandbox.token,
            DISCORD_API_BASE=sandbox.api_base,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    last = stderr.decode().strip().splitlines()[-1]
    assert process.returncode == 1 and last.startswith(
        "filmbot: cannot start: cannot reach the database postgresql://filmbot:***@/filmbot"
    ), stderr
    assert b"secret" not in stderr and b"Traceback" not in stderr


async def test_run_with_a_token_discord_rejects(tmp_path: Path) -> None:
    async with Sandbox() as sandbox:
        process = await start(
            ["run"], tmp_path, DISCORD_TOKEN="not-the-token", DISCORD_API_BASE=sandbox.api_base
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    assert stderr.decode().strip().splitlines()[-1] == (
        "filmbot: Discord rejected the token in DISCORD_TOKEN (401 Unauthorized); "
        "copy it again from the Bot page of the Developer Portal."
    )
    assert b"Traceback" not in stderr + stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_run_connects_and_stops_cleanly_on_signal(tmp_path: Path, sig: signal.Signals) -> None:
    async with Sandbox() as sandbox:
        process = await start(
            ["run"],
            tmp_path,
            DISCORD_TOKEN=sandbox.token,
            DISCORD_API_BASE=sandbox.api_base,
            FILMBOT_LOG_LEVEL="INFO",
        )
        await sandbox.wait_until_connected(timeout=30)
        process.send_signal(sig)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
        assert process.returncode == 0, stderr.decode()
        assert not sandbox.gateway.live_sessions  # the websocket was closed
        assert not sandbox.gateway.sessions  # ... with a clean close that ends the session
    assert b"Traceback" not in stderr
    assert re.search(r"synced \d+ commands globally", stderr.decode())
    assert sandbox.token not in stderr.decode()


def test_console_from_a_pipe_prints_the_replies_and_exits(tmp_path: Path) -> None:
    result = run(["console"], tmp_path, stdin="/help\n/about\n/nope\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "filmbot commands" in out and "`/about` — Version, uptime" in out
    assert "(only visible to @you)" in out
    assert "About filmbot" in out and re.search(r"Fact store: \d+ films, \d+ facts", out)
    assert out.index("filmbot commands") < out.index("About filmbot")
    assert "console: /nope is not a command; /help lists them" in out
    assert "Traceback" not in out + result.stderr


def test_console_refuses_what_discords_client_would_and_goes_on(tmp_path: Path) -> None:
    long_question = "who directed stalker " * 60  # 1,259 characters once trimmed: the client takes 300
    commands = (
        f"/trivia settings questions: 0\n/ask question: {long_question}\n"
        "/trivia leaderboard period: week\n/about\n"
    )
    result = run(["console"], tmp_path, stdin=commands)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "console: Discord would not send that: questions must be between 1 and 50" in out
    assert (
        "console: Discord would not send that: question is 1259 characters: Discord's client sends 1 to"
        in out
    )
    assert (
        "console: Discord would not send that: period is one of all time, this month, this week: "
        "Discord's client offers no 'week'"
    ) in out
    assert "About filmbot" in out  # the session went on
    assert "Traceback" not in out + result.stderr


def test_console_shows_deferred_answers_and_readable_mentions(tmp_path: Path) -> None:
    commands = "/feature schedule channel: #film-club time: 18:30 timezone: Europe/Moscow\n/feature now\n"
    result = run(["console"], tmp_path, stdin=commands)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Scheduled: a classic film every day in #film-club at 18:30 Europe/Moscow." in out
    assert "[#film-club] filmbot:\n  ┃ **Classic of the day: " in out
    assert "Today's feature is posted: https://discord.com/channels/" in out  # the edit of "thinking…"


def test_ask_prints_the_answer_and_its_source(tmp_path: Path) -> None:
    result = run(["ask", "who directed Stalker?"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Stalker (1979) was directed by Andrei Tarkovsky."


def test_ask_json_reads_one_question_a_line_in_order(tmp_path: Path) -> None:
    import json

    questions = "who directed Stalker?\n\nwho directed Nothing At All Whatsoever?\nКто снял Сталкер?\n"
    result = run(["ask", "--json", "-"], tmp_path, stdin=questions)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["answered"] for a in answers] == [True, False, True]
    assert answers[0]["film"] == {"title": "Stalker", "year": 1979}
    assert answers[0]["source"] and answers[1]["film"] is None and answers[1]["source"] is None
    assert set(answers[2]) == {"answered", "text", "film", "source"}


def test_data_check_validates_the_operators_trivia_packs(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "good.yaml").write_text("AUTHOR: x\nWho directed Stalker?:\n- Andrei Tarkovsky\n- 1979\n")
    clean = run(["data", "check"], tmp_path, FILMBOT_TRIVIA_PACKS=str(packs))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"4 trivia packs \(\d+ questions\)", clean.stdout)
    (packs / "bad.yaml").write_text("AUTHOR: x\nQ1?:\n- a\nQ2?: not a list\nCONFIG:\n  delay: soon\n")
    broken = run(["data", "check"], tmp_path, FILMBOT_TRIVIA_PACKS=str(packs))
    assert broken.returncode == 1
    assert broken.stdout.splitlines() == [
        f"{packs / 'bad.yaml'}:4: the answers to 'Q2?' must be a list (e.g. [a, b])",
        f"{packs / 'bad.yaml'}:6: delay must be a positive number of seconds",
    ]


async def test_sigterm_exits_quickly_when_discord_is_unreachable(tmp_path: Path) -> None:
    sandbox = Sandbox()
    await sandbox.start()
    process = await start(["run"], tmp_path, DISCORD_TOKEN=sandbox.token, DISCORD_API_BASE=sandbox.api_base)
    await sandbox.wait_until_connected(timeout=30)
    await sandbox.close()  # Discord goes away: the bot tries to reconnect, waiting between attempts
    await asyncio.sleep(1)
    started = asyncio.get_running_loop().time()
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert asyncio.get_running_loop().time() - started < 5
    assert b"Traceback" not in stderr


async def test_a_failing_write_while_indexing_at_startup_is_a_sentence(tmp_path: Path) -> None:
    """Files may not grow past 800 kB (the state database needs under 200, the index 1,500): SQLite's
    writes to the index fail mid-build."""
    database = tmp_path / "new.db"

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (800_000, 800_000))

    async with Sandbox() as sandbox:
        process = await asyncio.create_subprocess_exec(
            str(FILMBOT),
            "run",
            stderr=asyncio.subprocess.PIPE,
            env=environment(
                tmp_path,
                FILMBOT_DATABASE=str(database),
                DISCORD_TOKEN=sandbox.token,
                DISCORD_API_BASE=sandbox.api_base,
            ),
            preexec_fn=small_files,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1, stderr.decode()
    last = stderr.decode().strip().splitlines()[-1]
    index = tmp_path / "new-index.db"
    assert last.startswith(f"filmbot: cannot start: could not build the fact index in {index}: the ")
    assert b"Traceback" not in stderr
    assert not index.exists() and list(tmp_path.glob(".new-index.db.*")) == []  # nothing half-built left


async def test_a_database_locked_at_startup_is_waited_for(tmp_path: Path) -> None:
    database = tmp_path / "filmbot.db"
    indexed_database(database)
    other = sqlite3.connect(database, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another program writing, for 7 s: past the busy timeout of 5
    async with Sandbox() as sandbox:
        process = await start(
            ["run"], tmp_path, DISCORD_TOKEN=sandbox.token, DISCORD_API_BASE=sandbox.api_base
        )
        await asyncio.sleep(7)
        assert not sandbox.gateway.connected.is_set()  # still waiting for the database
        other.rollback()
        other.close()
        await sandbox.wait_until_connected(timeout=30)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert f"{database} is locked by another program; waiting up to 60 s" in stderr.decode()
    assert b"Traceback" not in stderr


async def test_a_database_locked_for_too_long_at_startup_is_a_sentence(
    tmp_path: Path, settings: Settings
) -> None:
    database = tmp_path / "locked.db"
    other = sqlite3.connect(database, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    bot = FilmBot(dataclasses.replace(settings, database=database))
    bot.startup_patience = 0.5
    try:
        with pytest.raises(StartupError) as refused:
            await bot.setup_hook()
    finally:
        other.close()
    assert bot._state is None  # nothing left open
    assert str(refused.value) == (
        f"the database is busy (locked by another program) at {database}, for 0 s: stop the program "
        "(or the other filmbot) using it, or set another FILMBOT_DATABASE"
    )


async def test_a_state_file_that_is_not_a_database_is_a_sentence_and_a_broken_index_is_rebuilt(
    tmp_path: Path,
) -> None:
    garbage = b"SQLite format 3\0" + bytes(range(256)) * 400  # a header, then garbage
    database, index = indexed_database(tmp_path / "filmbot.db"), tmp_path / "filmbot-index.db"
    index.write_bytes(garbage)
    asked = run(["ask", "who directed Stalker?"], tmp_path)  # the index alone: built again
    assert asked.returncode == 0 and asked.stdout.startswith("Stalker (1979) was directed by")
    database.write_bytes(garbage)
    said = f"cannot use the database {database}: file is not a database"
    async with Sandbox() as sandbox:
        process = await start(
            ["run"], tmp_path, DISCORD_TOKEN=sandbox.token, DISCORD_API_BASE=sandbox.api_base
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1, stderr.decode()
    assert stderr.decode().strip().splitlines()[-1] == f"filmbot: cannot start: {said}"
    assert b"Traceback" not in stderr
