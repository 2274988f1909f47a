"""Asking a member to confirm a deletion (/trivia reset, /forget-me, /club reset)."""

from __future__ import annotations

import discord

from bot import render
from bot.app import FilmBot
from bot.errors import FilmView, send_ephemeral

CONFIRM_SECONDS = 60


class Confirm(FilmView):
    """Confirm or cancel a destructive action; the result is in `confirmed` once it stops."""

    def __init__(self, action: str, owner_id: int) -> None:
        super().__init__(timeout=CONFIRM_SECONDS)
        self.owner_id = owner_id  # only the member who asked may answer
        self.confirmed: bool | None = None
        self.interaction: discord.Interaction[FilmBot] | None = None
        self.confirm.label = action

    async def interaction_check(
        self,
        interaction: discord.Interaction[FilmBot],  # type: ignore[override]  # any Client to discord.py
        /,
    ) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await send_ephemeral(interaction, render.meta.NOT_YOUR_CONFIRMATION)
        return False

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction[FilmBot], button: discord.ui.Button[Confirm]
    ) -> None:
        self.confirmed, self.interaction = True, interaction
        self.stop()

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[FilmBot], button: discord.ui.Button[Confirm]
    ) -> None:
        self.confirmed, self.interaction = False, interaction
        self.stop()


async def confirmation(
    interaction: discord.Interaction[FilmBot], question: str, action: str
) -> discord.Interaction[FilmBot] | None:
    """Ask the member to confirm; returns the confirming click, or None if cancelled or timed out."""
    view = Confirm(action, interaction.user.id)
    await interaction.response.send_message(question, view=view, ephemeral=True)
    await view.wait()
    if view.confirmed and view.interaction:
        return view.interaction
    if view.interaction:
        await view.interaction.response.edit_message(content=render.meta.CANCELLED, view=None)
    else:
        await interaction.edit_original_response(content=render.meta.UNANSWERED, view=None)
    return None
