"""A trivia round's channel on Discord: bot/trivia/runner.py's RoundChannel, rendered and sent."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import discord

from bot import render, retry
from bot.trivia.game import Mode, Reveal, Round
from bot.trivia.runner import ChannelFailing, ChannelGone
from cogs._trivia_views import answer_view

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _channel_errors() -> Iterator[None]:
    """discord.py's failures as the round runner knows them."""
    try:
        yield
    except retry.TRANSIENT as exc:  # Discord kept failing (ask and reveal have tried again)
        raise ChannelFailing(retry.describe(exc)) from exc
    except discord.HTTPException as exc:  # the channel was deleted, or the bot lost its permissions
        raise ChannelGone(str(exc)) from exc


class DiscordRound:
    """A round's channel on Discord (bot/trivia/runner.py's RoundChannel): its messages rendered,
    sent with a nonce and tried again through Discord's blips."""

    def __init__(self, channel: discord.abc.Messageable, retry_wait: float) -> None:
        self.channel, self.retry_wait = channel, retry_wait
        self.message: discord.Message | None = None  # the current question's

    async def _send(self, nonce: str, **kwargs: Any) -> discord.Message:
        return await retry.retrying(
            lambda: self.channel.send(nonce=nonce, **kwargs), f"posting {nonce}", wait=self.retry_wait
        )

    async def ask(self, game: Round, nonce: str, closes_at: datetime) -> None:
        view = answer_view(game) if game.mode is Mode.BUTTONS else discord.utils.MISSING
        with _channel_errors():
            self.message = await self._send(
                nonce, embed=render.trivia.question_embed(game, closes_at), view=view
            )

    async def progress(self, game: Round, closes_at: datetime) -> None:
        assert self.message is not None
        try:
            with _channel_errors():
                await self.message.edit(embed=render.trivia.question_embed(game, closes_at))
        except ChannelFailing as exc:  # progress can wait for the next edit
            log.info("round %s: progress not shown (%s)", game.id, exc)

    async def reveal(self, game: Round, reveal: Reveal) -> None:
        message = self.message
        assert message is not None
        embed = render.trivia.reveal_embed(game, reveal)
        view = answer_view(game, closed=True) if game.mode is Mode.BUTTONS else discord.utils.MISSING
        with _channel_errors():
            await retry.retrying(
                lambda: message.edit(embed=embed, view=view), f"editing {message.id}", wait=self.retry_wait
            )

    async def close(self, game: Round) -> None:
        if self.message is not None and game.mode is Mode.BUTTONS:
            with contextlib.suppress(discord.HTTPException, *retry.TRANSIENT):
                await self.message.edit(view=answer_view(game, closed=True))

    async def summary(self, game: Round, title: str, ending: str, nonce: str) -> None:
        try:
            await self._send(nonce, embed=render.trivia.summary_embed(game, title, ending))
        except retry.TRANSIENT as exc:
            log.warning("trivia round %s: no summary (%s)", game.id, retry.describe(exc))
        except discord.HTTPException as exc:
            log.warning("trivia round %s: no summary (%s)", game.id, exc)
