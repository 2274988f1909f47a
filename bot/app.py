"""FilmBot: the discord.py client, its storage, its cogs, and its command tree."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import logging
import os
import pkgutil
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

import cogs

from . import __version__
from .config import Settings
from .discord_endpoints import follow_gateway, use_api_base
from .errors import FilmTree
from .facts.loader import DataError
from .metrics import Metrics
from .qa.context import Conversations
from .qa.engine import Answerer
from .qa.lookup import FilmLookup
from .qa.service import open_answerer
from .ratelimits import amortise_bucket_cleanup
from .storage import BUSY_TIMEOUT, DatabaseBusy, State, StorageUnavailable
from .storage.database import shown

log = logging.getLogger(__name__)


CLOSE_SECONDS = 3
STARTUP_PATIENCE = 60.0  # seconds to wait at startup for a database another program has locked


class StartupError(Exception):
    """The bot cannot start; the message says why in one sentence."""


# filmbot has no voice features: spare operators discord.py's warnings about voice libraries.
discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False


class FilmBot(commands.AutoShardedBot):
    def __init__(self, settings: Settings, *, guild_ready_timeout: float = 2.0) -> None:
        intents = discord.Intents.default()
        intents.message_content = settings.message_content
        self.shards_run = plan = settings.shard_plan  # None: this process runs every shard
        super().__init__(
            # None is discord.py's default for both (every shard), which its options type as list and int
            shard_ids=list(plan.ids) if plan else None,  # type: ignore[arg-type]
            shard_count=plan.count if plan else None,
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            tree_cls=FilmTree,
            allowed_mentions=discord.AllowedMentions.none(),  # nothing the bot posts pings anyone
            guild_ready_timeout=guild_ready_timeout,
        )
        self.settings = settings
        self.version = __version__
        self.started_at = discord.utils.utcnow()
        self._state: State | None = None
        self._answerer: Answerer | None = None
        self._films: FilmLookup | None = None
        self.startup_patience = STARTUP_PATIENCE
        self.conversations = Conversations()  # what each channel last asked about, for follow-ups
        self.metrics = Metrics(self)  # served only with FILMBOT_METRICS_PORT
        use_api_base(settings.api_base)
        follow_gateway(self.http, settings.gateway_url)
        amortise_bucket_cleanup(self.http)

    @property
    def state(self) -> State:
        """Trivia, features and meta (bot/repositories.py), opened in setup_hook."""
        if self._state is None:
            raise RuntimeError("the database is opened in setup_hook")
        return self._state

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            raise RuntimeError("the fact store is opened in setup_hook")
        return self._answerer

    @property
    def films(self) -> FilmLookup:
        if self._films is None:
            raise RuntimeError("the fact store is opened in setup_hook")
        return self._films

    async def setup_hook(self) -> None:
        if self.settings.metrics_port is not None:
            await self._serve_metrics(self.settings.metrics_address, self.settings.metrics_port)
        try:
            await self._start()
        except DatabaseBusy as exc:
            raise StartupError(
                f"{exc} at {shown(self.settings.database)}, for {self.startup_patience:.0f} s: stop the "
                "program (or the other filmbot) using it, or set another FILMBOT_DATABASE"
            ) from exc
        await self.state.set_busy_timeout(BUSY_TIMEOUT)

    async def _start(self) -> None:
        # Until started, wait long for a lock another program holds (SQLite retries, backing off).
        self._state = await State.open(
            self.settings.database, shards=self.shards_run, busy_timeout=self.startup_patience
        )
        if self.shards_run:
            log.info("this process runs %s; state in %s", self.shards_run, self.state.where)
            # discord.py asks /gateway/bot only when it picks the shard count itself; ask it here so
            # that the gateway is the one the API names (a proxy's, the sandbox's), as without shards
            await self.http.get_bot_gateway()
        try:
            self._answerer, report = await open_answerer(self.settings.index_path, self.settings.data_dir)
            self._films = FilmLookup(self._answerer)
        except DataError as exc:
            shown = "\n".join(map(str, exc.problems[:10]))
            raise StartupError(f"the film data has {len(exc.problems)} problem(s):\n{shown}") from exc
        except StorageUnavailable as exc:
            if isinstance(exc, DatabaseBusy):
                raise
            # e.g. the disk filled while the index was being built
            raise StartupError(
                f"could not build the fact index in {self.settings.index_path}: {exc}"
            ) from exc
        action = f"rebuilt in {report.seconds:.2f} s" if report.rebuilt else "unchanged"
        log.info("fact store: %d films, %d facts (index %s)", report.films, report.facts, action)
        for extension in extension_names():
            try:
                await self.load_extension(extension)
            except commands.ExtensionError as exc:
                cause = exc.__cause__ or exc
                if isinstance(cause, DatabaseBusy):
                    raise cause from exc
                raise StartupError(f"the cog {extension} failed to load: {cause}") from exc
        await self.sync_commands()

    async def _serve_metrics(self, address: str, port: int) -> None:
        where = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        try:
            await self.metrics.serve(address, port)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise StartupError(
                    f"the metrics address {where} is in use: stop the program listening there, or set "
                    "another FILMBOT_METRICS_PORT"
                ) from exc
            # asyncio's bind error repeats the address: the system's words alone (a lookup's have no errno)
            reason = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else exc.strerror
            raise StartupError(
                f"the metrics address {where} cannot be listened on ({reason}): set another "
                "FILMBOT_METRICS_ADDRESS (127.0.0.1, or 0.0.0.0 for every interface)"
            ) from exc
        log.info("metrics at http://%s/metrics", where)

    async def on_message(self, message: discord.Message, /) -> None:
        """filmbot has slash commands only: no prefix commands to look for in every message."""

    async def on_app_command_completion(
        self,
        interaction: discord.Interaction[FilmBot],
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        self.metrics.commands.labels(command.qualified_name).inc()  # failures: FilmTree.on_error

    async def sync_commands(self) -> bool:
        """Sync the command tree if it changed since the last sync; returns whether it synced. Of
        several processes, the one with shard 0 syncs (or the one told to, with --sync)."""
        if self.shards_run and not (self.shards_run.syncs_commands or self.settings.sync):
            log.info("command tree: left to the process with shard 0")
            return False
        guild = discord.Object(self.settings.dev_guild) if self.settings.dev_guild else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands(guild=guild)]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        key = f"command_tree:{self.application_id}:{guild.id if guild else 'global'}"
        meta = self.state.meta
        if await meta.get(key) == digest:
            log.info("command tree unchanged since the last sync; not syncing")
            return False
        await self.tree.sync(guild=guild)
        await meta.set(key, digest)
        log.info("synced %d commands %s", len(payload), f"to server {guild.id}" if guild else "globally")
        return True

    async def close(self) -> None:
        try:  # closing the gateway waits on Discord; a stop must not wait on an unreachable one
            await asyncio.wait_for(super().close(), CLOSE_SECONDS)
        except TimeoutError:
            log.warning("Discord did not answer the close within %d s; closing anyway", CLOSE_SECONDS)
        for extension in list(self.extensions):  # cogs stop their tasks before the database closes
            await self.unload_extension(extension)
        if self._answerer is not None:
            self._answerer.catalog.close()
            self._answerer = self._films = None
        if self._state is not None:
            await self._state.close()
            self._state = None
        await self.metrics.stop()


def extension_names() -> list[str]:
    """Every extension module in the `cogs` package."""
    return sorted(f"cogs.{m.name}" for m in pkgutil.iter_modules(cogs.__path__) if not m.name.startswith("_"))
