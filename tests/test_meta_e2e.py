"""End to end: the real FilmBot on the sandbox, driven as a member would."""

import asyncio
import logging
import re

import pytest
from discord import app_commands

from bot.sandbox.harness import bot_on_sandbox
from tests.conftest import Running


async def test_help_lists_every_registered_command_with_its_description(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    reply = (await sandbox.slash(demo.general, demo.ana, "help")).reply
    assert reply.ephemeral and reply.visible_to == demo.ana.id
    (embed,) = reply.embeds
    text = "\n".join(f["name"] + "\n" + f["value"] for f in embed["fields"])
    registered = sandbox.commands[None]
    assert {c["name"] for c in registered} >= {"help", "about"}
    for command in registered:
        subcommands = [o for o in command.get("options", []) if o["type"] == 1]
        for entry, name in [(s, f"{command['name']} {s['name']}") for s in subcommands] or [
            (command, command["name"])
        ]:
            assert f"`/{name}" in text
            assert entry["description"] in text
    assert {f["name"] for f in embed["fields"]} >= {"General", "Films", "Trivia"}  # grouped by cog


async def test_about_shows_version_uptime_servers_latency_and_fact_store(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    reply = (await sandbox.slash(demo.film_club, demo.you, "about")).reply
    assert not reply.ephemeral
    fields = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}
    assert fields["Version"] == running.bot.version
    assert fields["Servers"] == "1"
    assert re.fullmatch(r"\d+ s", fields["Uptime"])
    assert re.fullmatch(r"\d+ ms", fields["Gateway latency"])
    films, facts = running.bot.films.size()
    assert films >= 1 and facts >= 1
    assert fields["Fact store"] == f"{films} films, {facts} facts"


async def test_nothing_the_bot_posts_can_ping(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    await sandbox.slash(demo.general, demo.you, "about")
    await sandbox.slash(demo.general, demo.you, "help")
    channel = running.bot.get_channel(demo.general.id)
    await channel.send(f"@everyone look, <@{demo.ana.id}> and <@&{demo.guild.id}>")
    posted = [m for m in sandbox.messages_by_id.values() if m.author.id == sandbox.bot_user.id]
    assert len(posted) == 3
    for message in posted:
        assert message.allowed_mentions is not None
        assert message.allowed_mentions["parse"] == []
        assert not message.allowed_mentions.get("users") and not message.allowed_mentions.get("roles")
        assert not message.pings_anyone()


async def test_a_failing_command_shows_an_error_id_that_the_log_has_with_the_traceback(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    bot, sandbox, demo = running.bot, running.sandbox, running.demo

    @app_commands.command(name="explode", description="Fails on purpose.")
    async def explode(interaction):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("boom")

    bot.tree.add_command(explode)
    assert await bot.sync_commands()
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        reply = (await sandbox.slash(demo.general, demo.boris, "explode")).reply
    assert reply.ephemeral
    match = re.search(r"error id `([0-9a-f]{8})`", reply.content)
    assert match, reply.content
    assert "Traceback" not in reply.content and "ZeroDivisionError" not in reply.content
    (record,) = [r for r in caplog.records if match[1] in r.getMessage()]
    assert record.exc_info and record.exc_info[0] is ZeroDivisionError


async def test_commands_are_synced_only_when_the_tree_changed(sandbox, demo, settings) -> None:  # type: ignore[no-untyped-def]
    def syncs() -> int:
        return sum(1 for r in sandbox.requests if r.method == "PUT" and r.path.endswith("/commands"))

    async with bot_on_sandbox(sandbox, settings):
        pass
    assert syncs() == 1
    async with bot_on_sandbox(sandbox, settings) as bot:  # same tree, same database: no sync
        assert syncs() == 1

        @app_commands.command(name="extra", description="A new command.")
        async def extra(interaction):  # type: ignore[no-untyped-def]
            await interaction.response.send_message("extra")

        bot.tree.add_command(extra)
        assert await bot.sync_commands()
    assert syncs() == 2
    assert "extra" in {c["name"] for c in sandbox.commands[None]}


async def test_dev_guild_setting_syncs_to_that_server_only(sandbox, demo, settings) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    async with bot_on_sandbox(sandbox, dataclasses.replace(settings, dev_guild=demo.guild.id)):
        assert None not in sandbox.commands
        assert {c["name"] for c in sandbox.commands[demo.guild.id]} >= {"help", "about"}
        reply = (await sandbox.slash(demo.general, demo.you, "about")).reply
        assert reply.embeds[0]["title"] == "About filmbot"


async def test_bot_resumes_after_the_gateway_drops_and_still_answers(running: Running) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    resumed = asyncio.create_task(bot.wait_for("resumed", timeout=15))
    (session,) = sandbox.gateway.sessions.values()
    await sandbox.gateway.drop_connections()
    await resumed
    assert list(sandbox.gateway.sessions.values()) == [session]  # the same session, resumed
    reply = (await sandbox.slash(demo.general, demo.you, "about")).reply
    assert reply.embeds[0]["title"] == "About filmbot"


async def test_typed_messages_reach_the_bot_without_content_unless_it_has_the_intent(
    running: Running,
) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    seen = asyncio.create_task(bot.wait_for("message", timeout=5))
    await sandbox.say(demo.general, demo.ana, "who directed Stalker?")
    message = await seen
    assert message.author.id == demo.ana.id
    assert message.content == ""  # the default bot has no message-content intent


async def test_with_the_message_content_intent_typed_messages_carry_their_text(
    sandbox, demo, settings
) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    async with bot_on_sandbox(sandbox, dataclasses.replace(settings, message_content=True)) as bot:
        seen = asyncio.create_task(bot.wait_for("message", timeout=5))
        await sandbox.say(demo.general, demo.ana, "Tarkovsky")
        assert (await seen).content == "Tarkovsky"
