"""/ask and /film: answers and film cards from the fact store."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import FilmBot
from bot.qa.engine import MAX_QUESTION_LENGTH
from bot.render import answer_embed, film_embed
from cogs._films import film_choices, film_from_option


class Films(commands.Cog, name="Films"):
    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="ask", description="Ask about a film in plain words, e.g. who directed Stalker?"
    )
    @app_commands.describe(question="Your question: director, year, cast, music, plot, facts...")
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION_LENGTH]
    ) -> None:
        answer = self.bot.answerer.answer(question)
        await interaction.response.send_message(embed=answer_embed(question, answer))

    @app_commands.command(name="film", description="Show a film's card: credits, synopsis and a fact.")
    @app_commands.describe(title="The film's title (pick one from the list)")
    async def film(self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 200]) -> None:
        ref = film_from_option(self.bot.films, title)
        await interaction.response.send_message(embed=film_embed(self.bot.films.film(ref.id)))

    @film.autocomplete("title")
    async def film_titles(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return film_choices(self.bot.films, current)


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Films(bot))
