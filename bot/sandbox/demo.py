"""The demo server of the console and the end-to-end tests: two channels, a moderator, two members."""

from __future__ import annotations

from dataclasses import dataclass

from .model import MANAGE_GUILD, Channel, Guild, Member
from .sandbox import Sandbox


@dataclass(frozen=True)
class Demo:
    guild: Guild
    general: Channel
    film_club: Channel
    you: Member  # a moderator (Manage Server)
    ana: Member
    boris: Member

    @property
    def members(self) -> list[Member]:
        return [self.you, self.ana, self.boris]


def build_demo(sandbox: Sandbox) -> Demo:
    guild = sandbox.add_guild("Film Club")
    return Demo(
        guild=guild,
        general=sandbox.add_channel(guild, "general"),
        film_club=sandbox.add_channel(guild, "film-club"),
        you=sandbox.add_member(guild, "you", permissions=MANAGE_GUILD),
        ana=sandbox.add_member(guild, "ana"),
        boris=sandbox.add_member(guild, "boris"),
    )
