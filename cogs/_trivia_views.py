"""The trivia cog's buttons: answers and leaderboard pages (dynamic items: their custom_id carries
what they are for, so they work after a restart)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar, cast

import discord

from bot import render
from bot.app import FilmBot
from bot.errors import FilmView, report_failure
from bot.trivia.game import Round

if TYPE_CHECKING:
    from cogs.trivia import Trivia


def _cog(interaction: discord.Interaction[FilmBot]) -> Trivia:
    # the loaded extension's class: discord.py imports it under its own module object
    return cast("Trivia", interaction.client.get_cog("Trivia"))


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"trivia:answer:(?P<round>\d+):(?P<question>\d+):(?P<choice>\d)",
):
    def __init__(self, round_id: int, question: int, choice: int, label: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                custom_id=f"trivia:answer:{round_id}:{question}:{choice}",
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
            )
        )
        self.round_id, self.question, self.choice = round_id, question, choice

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> AnswerButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match["round"]), int(match["question"]), int(match["choice"]), label or "?")

    async def callback(
        self,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
    ) -> None:
        try:
            await _cog(interaction).choose(interaction, self.round_id, self.question, self.choice)
        except Exception as exc:  # discord.py only logs a dynamic item's errors
            await report_failure(interaction, exc, "the answer button")


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"trivia:page:(?P<period>all|month|week):(?P<page>\d+):(?P<direction>prev|next)",
):
    PERIODS: ClassVar[dict[str, str]] = {"all": "all time", "month": "this month", "week": "this week"}

    def __init__(self, period: str, page: int, direction: str, disabled: bool = False) -> None:
        key = next(k for k, v in self.PERIODS.items() if v == period)
        super().__init__(
            discord.ui.Button(
                label="◀ Previous" if direction == "prev" else "Next ▶",
                custom_id=f"trivia:page:{key}:{page}:{direction}",
                disabled=disabled,
            )
        )
        self.period, self.page = period, page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PageButton:
        return cls(cls.PERIODS[match["period"]], int(match["page"]), match["direction"])

    async def callback(
        self,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
    ) -> None:
        try:
            embed, view = await _cog(interaction).leaderboard_page(interaction, self.period, self.page)
            await interaction.response.edit_message(embed=embed, view=view)
        except Exception as exc:  # discord.py only logs a dynamic item's errors
            await report_failure(interaction, exc, "the page button")


def answer_view(game: Round, *, closed: bool = False) -> discord.ui.View:
    view = FilmView(timeout=None)  # the buttons' layout: their presses come back as AnswerButton
    for i, choice in enumerate(game.question.choices):
        button = AnswerButton(game.id, game.index, i, render.trivia.choice_label(i, choice), disabled=closed)
        if closed and game.reveal and choice == game.question.answer:
            button.item.style = discord.ButtonStyle.success
        view.add_item(button)
    return view
