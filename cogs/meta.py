"""/help and /about."""

from __future__ import annotations

import math
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import FilmBot
from bot.render.meta import AboutInfo, CommandHelp, about_embed, help_embed


def usage(command: app_commands.Command[Any, ..., Any]) -> str:
    params = " ".join(
        f"<{p.display_name}>" if p.required else f"[{p.display_name}]" for p in command.parameters
    )
    return f"/{command.qualified_name} {params}".rstrip()


class Meta(commands.Cog, name="General"):
    def __init__(self, bot: FilmBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="List every command, with what it does.")
    async def help(self, interaction: discord.Interaction[FilmBot]) -> None:
        sections: dict[str, list[CommandHelp]] = {}
        for command in self.bot.tree.walk_commands():
            if isinstance(command, app_commands.Group):
                continue
            cog = command.binding
            section = cog.qualified_name if isinstance(cog, commands.Cog) else "Other"
            sections.setdefault(section, []).append(CommandHelp(usage(command), command.description))
        me = f"@{self.bot.user.name}" if self.bot.user else "@filmbot"
        sections.setdefault("Films", []).append(
            CommandHelp(f"{me} <question>", "ask in the channel; reply to an answer to follow it up")
        )
        await interaction.response.send_message(embed=help_embed(sections), ephemeral=True)

    @app_commands.command(name="about", description="Version, uptime, servers, latency and fact store size.")
    async def about(self, interaction: discord.Interaction[FilmBot]) -> None:
        films, facts = self.bot.films.size()
        latency = self.bot.latency
        info = AboutInfo(
            version=self.bot.version,
            uptime=discord.utils.utcnow() - self.bot.started_at,
            servers=len(self.bot.guilds),
            latency_ms=None if math.isinf(latency) or math.isnan(latency) else latency * 1000,
            films=films,
            facts=facts,
        )
        await interaction.response.send_message(embed=about_embed(info))


async def setup(bot: FilmBot) -> None:
    await bot.add_cog(Meta(bot))
