"""The demo server of the console and the end-to-end tests: two text channels and a voice channel,
a moderator, two members."""

from __future__ import annotations

from dataclasses import dataclass

from .model import MANAGE_EVENTS, MANAGE_GUILD, VOICE, Channel, Guild, Member
from .sandbox import Sandbox


@dataclass(frozen=True)
class Demo:
    guild: Guild
    general: Channel
    film_club: Channel
    you: Member  # a moderator (Manage Server)
    ana: Member
    boris: Member
    screening_room: Channel  # a voice channel, for the club's scheduled screenings

    @property
    def members(self) -> list[Member]:
        return [self.you, self.ana, self.boris]


def build_demo(sandbox: Sandbox) -> Demo:
    guild = sandbox.add_guild("Film Club")
    # A server that invites a film club bot lets it schedule the screenings; tests of the refusal
    # take it away with sandbox.set_permissions.
    sandbox.bot_role(guild).permissions |= MANAGE_EVENTS
    return Demo(
        guild=guild,
        general=sandbox.add_channel(guild, "general"),
        film_club=sandbox.add_channel(guild, "film-club"),
        you=sandbox.add_member(guild, "you", permissions=MANAGE_GUILD),
        ana=sandbox.add_member(guild, "ana"),
        boris=sandbox.add_member(guild, "boris"),
        screening_room=sandbox.add_channel(guild, "screening-room", type=VOICE),
    )
