"""The `filmbot` command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import logging
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import aiohttp
import discord

from . import __version__
from .config import ConfigError, Settings, configure_logging, load_settings
from .storage import DatabaseError, StorageUnavailable

log = logging.getLogger("bot")


def fail(message: str, code: int) -> int:
    print(f"filmbot: {message}", file=sys.stderr)
    return code


def command_run(settings: Settings, args: argparse.Namespace) -> int:
    given = {"shards": args.shards, "shard_count": args.shard_count, "sync": args.sync or None}
    settings = dataclasses.replace(settings, **{k: v for k, v in given.items() if v is not None})
    try:
        settings.shard_plan  # noqa: B018 - refused here in a sentence, not at login
    except ConfigError as exc:
        return fail(f"configuration: {exc}", 2)
    if not settings.token:
        return fail(
            "no bot token: set DISCORD_TOKEN to your bot's token (README, 'Connecting to Discord'), "
            "or try the bot locally with `filmbot console`.",
            2,
        )
    configure_logging(settings.log_level)
    return asyncio.run(serve(settings))


async def serve(settings: Settings) -> int:
    """Run the bot until it stops or a SIGINT/SIGTERM asks it to; returns the exit code."""
    from .app import FilmBot, StartupError  # imported here so that --help stays fast

    assert settings.token is not None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with FilmBot(settings) as bot:
        running = asyncio.create_task(bot.start(settings.token))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if stopping.done():
            log.info("signal received: closing the gateway and the database")
            await bot.close()  # bounded: it does not wait out a reconnect to an unreachable Discord
            running.cancel()  # the connect loop may be sleeping before its next attempt
            with contextlib.suppress(BaseException):
                await running
            return 0
        stopping.cancel()
        try:
            running.result()
        except discord.LoginFailure:
            return fail(
                "Discord rejected the token in DISCORD_TOKEN (401 Unauthorized); "
                "copy it again from the Bot page of the Developer Portal.",
                1,
            )
        except discord.PrivilegedIntentsRequired:
            return fail(
                "Discord refused the message-content intent: enable it on the Bot page of the "
                "Developer Portal, or unset FILMBOT_MESSAGE_CONTENT.",
                1,
            )
        except (StartupError, DatabaseError, StorageUnavailable) as exc:
            return fail(f"cannot start: {exc}", 1)
        except (aiohttp.ClientError, OSError, discord.GatewayNotFound) as exc:
            log.debug("connection failure", exc_info=exc)
            return fail(f"cannot reach Discord at {settings.api_base} ({exc.__class__.__name__}: {exc}).", 1)
    return 0


def command_console(settings: Settings, args: argparse.Namespace) -> int:
    from .console import run_console

    try:
        return asyncio.run(run_console(settings))
    except KeyboardInterrupt:
        return 0


def command_ask(settings: Settings, args: argparse.Namespace) -> int:
    from .facts.loader import DataError
    from .qa.context import Conversations
    from .qa.service import open_answerer

    async def ask() -> int:  # the fact index alone: no state is read or written
        answerer, _ = await open_answerer(settings.index_path, settings.data_dir)
        try:
            questions = sys.stdin if args.question == "-" else [args.question]
            conversation = Conversations()  # the lines of stdin follow on, as in one channel
            for line in questions:
                question = line.strip()
                if args.question == "-" and not question:
                    continue
                asked = conversation.get(0)
                answer = answerer.answer(question, asked)
                conversation.remember(0, answer, asked)
                if args.json:
                    print(json.dumps(answer.as_json(), ensure_ascii=False), flush=True)
                else:
                    print(answer.text)
                    if answer.answered:
                        film = f"{answer.film.label} · " if answer.film else ""
                        print(f"  ({film}source: {answer.source or 'not recorded'})")
            return 0
        finally:
            answerer.catalog.close()

    try:
        return asyncio.run(ask())
    except DataError as exc:
        print(exc, file=sys.stderr)
        return fail("the film data has problems; `filmbot data check` lists them.", 1)
    except StorageUnavailable as exc:
        return fail(f"could not build the fact index in {settings.index_path}: {exc}", 1)


def command_data_check(settings: Settings, args: argparse.Namespace) -> int:
    import tempfile

    from .facts.catalogue import EXPLAINED, unexplained
    from .facts.index import ensure_index
    from .facts.loader import DataError, load_store
    from .trivia.packs import load_packs

    root = Path(args.path) if args.path else settings.data_dir
    if not (root / "films").is_dir():
        return fail(f"{root} has no films/ folder of film files", 2)
    store, problems = load_store(root)
    pack_folders = [root / "trivia"] if (root / "trivia").is_dir() else []
    pack_folders += [settings.trivia_packs] if settings.trivia_packs else []
    packs, pack_problems = load_packs(pack_folders)
    problems += pack_problems
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1

    facts = sum(len(f.facts) for f in store.films)
    questions = sum(len(p.questions) for p in packs.values())
    print(
        f"{root}: {store.curated} curated films, {facts} facts, {len(store.people)} people, "
        f"{len(store.films) - store.curated} more films from the catalogue, "
        f"{len(packs)} trivia packs ({questions} questions)"
    )
    curated = store.films[: store.curated]
    unsourced = {f.id: keys for f in curated if (keys := f.unsourced())}
    values = sum(f.answered() for f in curated)
    missing = sum(len(keys) for keys in unsourced.values())
    print(
        f"sourced: {values - missing} of the {values} values and facts of the curated films "
        f"({(values - missing) / values:.1%})"
    )
    if args.unsourced:
        for film, keys in sorted(unsourced.items()):
            print(f"  {film}: {', '.join(keys)}")
    differing, stale = unexplained(store.differences, root)
    for d in differing:
        print(
            f"{d.film}: {d.field} {list(d.curated)} differs from the catalogue's {list(d.catalogue)}: "
            f"correct it, or say why it stands in {root / 'catalog' / EXPLAINED}"
        )
    for entry in stale:
        print(f"{root / 'catalog' / EXPLAINED}: {entry} no longer differs from the catalogue: remove it")
    if differing or stale:
        return 1

    # built last: what can fail without it is reported first, without waiting for it
    async def build() -> float:
        with tempfile.TemporaryDirectory() as tmp:
            return (await ensure_index(Path(tmp) / "check-index.db", root)).seconds

    try:
        seconds = asyncio.run(build())
    except DataError as exc:  # changed while we looked
        print(exc)
        return 1
    except (DatabaseError, StorageUnavailable) as exc:  # e.g. no room to build the index
        return fail(f"could not build the index of {root}: {exc}", 1)
    print(f"index built in {seconds:.2f} s")
    return 0


def command_data_import(settings: Settings, args: argparse.Namespace) -> int:
    from .facts.imports import ImportFailed, import_imdb, import_wikidata

    source = Path(args.source)
    output = (
        Path(args.output) if args.output else settings.data_dir / "catalog" / f"imported-{args.kind}.jsonl.gz"
    )
    started = time.perf_counter()
    try:
        report = (import_wikidata if args.kind == "wikidata" else import_imdb)(source, output)
    except ImportFailed as exc:
        return fail(str(exc), 1)
    except OSError as exc:
        return fail(f"cannot import {source}: {exc}", 1)
    print(f"{args.kind} {source}: {report}; written to {output} in {time.perf_counter() - started:.1f} s")
    if output.parent.resolve() != (settings.data_dir / "catalog").resolve():
        print(f"note: the index reads catalogues from {settings.data_dir / 'catalog'}; move the file there")
    return 0


def command_db_copy(settings: Settings, args: argparse.Namespace) -> int:
    from .config import database_target
    from .storage.copy import copy_state
    from .storage.database import open_database, shown

    try:
        source, target = (
            database_target(name, text) for name, text in (("SRC", args.source), ("DST", args.target))
        )
    except ConfigError as exc:
        return fail(str(exc), 2)
    if shown(source) == shown(target):
        return fail(f"SRC and DST are the same database: {shown(source)}", 2)

    async def copy() -> int:
        src = await open_database(source)
        try:
            dst = await open_database(target)
            try:
                copied = await copy_state(
                    src,
                    dst,
                    replace=args.replace,
                    progress=lambda done: print(f"{done.table}: {done.rows} rows"),
                )
            finally:
                await dst.close()
        finally:
            await src.close()
        print(
            f"copied {sum(c.rows for c in copied)} rows from {shown(source)} to {shown(target)}; counts match"
        )
        return 0

    try:
        return asyncio.run(copy())
    except (DatabaseError, StorageUnavailable) as exc:
        return fail(f"cannot copy: {exc}", 1)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="filmbot",
        description="A Discord bot for film clubs: answers with sources, trivia, and daily classics.",
    )
    parser.add_argument("--version", action="version", version=f"filmbot {__version__}")
    parser.add_argument("--config", metavar="PATH", help="YAML settings file (default: $FILMBOT_CONFIG)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = commands.add_parser(
        "run",
        help="run the bot on Discord (needs DISCORD_TOKEN)",
        description="Connect to Discord with DISCORD_TOKEN and serve until SIGINT or SIGTERM.",
    )
    run.add_argument(
        "--shards",
        metavar="IDS",
        help="the shards this process runs, e.g. 0-3 or 0,2 (default: $FILMBOT_SHARDS, else all)",
    )
    run.add_argument(
        "--shard-count",
        type=int,
        metavar="N",
        help="the bot's shards in all processes (default: $FILMBOT_SHARD_COUNT)",
    )
    run.add_argument(
        "--sync",
        action="store_true",
        help="sync the slash commands even without shard 0 (default: $FILMBOT_SYNC)",
    )
    run.set_defaults(handler=command_run)
    console = commands.add_parser(
        "console",
        help="try the bot in this terminal, on a local Discord sandbox",
        description=(
            "Start a local Discord sandbox on 127.0.0.1 with a demo server and run the real bot against it. "
            "Lines starting with / are slash commands (/ask question: who directed Stalker?), other lines "
            "are chat; #channel and @name switch channel and speaker; !click N presses a button. "
            "With input from a pipe it exits at the end of the input."
        ),
    )
    console.set_defaults(handler=command_console)
    ask = commands.add_parser(
        "ask",
        help="answer a question from the fact store",
        description="Answer a question about a film, as /ask does; with -, one question a line from stdin.",
    )
    ask.add_argument(
        "question",
        help='the question, e.g. "who directed Stalker?", or - for one a line from stdin (a conversation)',
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.set_defaults(handler=command_ask)
    data = commands.add_parser("data", help="work with the film data", description="Work with the film data.")
    data_commands = data.add_subparsers(dest="data_command", metavar="COMMAND", required=True)
    check = data_commands.add_parser(
        "check",
        help="validate the film data and build its index",
        description=(
            "Validate data/films/*.yaml, data/people.yaml, data/trivia/*.yaml and the packs in "
            "$FILMBOT_TRIVIA_PACKS: file:line: message for each problem; report how much of the "
            "curated films is sourced, and each curated value that differs from the catalogue "
            "without a reason in data/catalog/differences.yaml."
        ),
    )
    check.add_argument(
        "path", nargs="?", help="the data folder (default: the shipped data, or $FILMBOT_DATA)"
    )
    check.add_argument(
        "--unsourced", action="store_true", help="list the values and facts of curated films without a source"
    )
    check.set_defaults(handler=command_data_check)
    imports = data_commands.add_parser(
        "import",
        help="import your own film data into a catalogue file",
        description=(
            "Read a Wikidata SPARQL JSON result (the query is in data/catalog/README.md) or a folder of "
            "IMDb's non-commercial dataset files into data/catalog/imported-KIND.jsonl.gz; the index picks "
            "it up at the next start. IMDb's terms allow this for personal, non-commercial use only."
        ),
    )
    imports.add_argument("kind", choices=("wikidata", "imdb"))
    imports.add_argument("source", help="the SPARQL JSON file, or the folder of IMDb .tsv.gz files")
    imports.add_argument("--output", help="the catalogue file to write (default: in $FILMBOT_DATA/catalog)")
    imports.set_defaults(handler=command_data_import)
    db = commands.add_parser(
        "db", help="work with the state database", description="Work with the state database."
    )
    db_commands = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    copy = db_commands.add_parser(
        "copy",
        help="copy all state from one database to another (SQLite to PostgreSQL, and back)",
        description=(
            "Copy trivia, daily features and settings from SRC to DST, a table per transaction, and check "
            "every table's row count. Each is a SQLite path or a postgresql:// URL; both are migrated to "
            "this version first. Stop the bots that use SRC before copying."
        ),
    )
    copy.add_argument(
        "source", metavar="SRC", help="the database to copy from: a path or a postgresql:// URL"
    )
    copy.add_argument("target", metavar="DST", help="the database to copy to")
    copy.add_argument("--replace", action="store_true", help="overwrite the state DST already holds")
    copy.set_defaults(handler=command_db_copy)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        return fail(f"configuration: {exc}", 2)
    handler: Callable[[Settings, argparse.Namespace], int] = args.handler
    return handler(settings, args)
