"""The sandbox as the tests and the console use it, with discord.py's own commands and views."""

import asyncio
import io

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from bot.console import Console
from bot.sandbox import Sandbox
from bot.sandbox.demo import Demo
from bot.sandbox.harness import bot_on_sandbox
from tests.conftest import Running


class Counter(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.count = 0

    @discord.ui.button(label="Add one", custom_id="counter:add")
    async def add(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"count: {self.count}", view=self)

    @discord.ui.button(label="Say hi", custom_id="counter:hi")
    async def hi(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message(f"hi {interaction.user.name}", ephemeral=True)


async def test_click_updates_the_message_and_ephemeral_replies_reach_only_the_clicker(
    running: Running,
) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    view = Counter()
    sent = await bot.get_channel(demo.general.id).send("count: 0", view=view)
    message = sandbox.messages_by_id[sent.id]
    assert [b["label"] for b in message.buttons] == ["Add one", "Say hi"]

    await sandbox.click(message, "counter:add", demo.ana)
    await sandbox.click(message, "counter:add", demo.boris)
    assert message.content == "count: 2" and message.edited_at is not None

    hi = await sandbox.click(message, "counter:hi", demo.boris)
    assert hi.reply.content == "hi boris" and hi.reply.visible_to == demo.boris.id
    assert hi.reply not in sandbox.channel_messages(demo.general, viewer=demo.ana)
    assert hi.reply in sandbox.channel_messages(demo.general, viewer=demo.boris)


async def test_options_autocomplete_and_resolved_channels(running: Running) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    films = ["Stalker", "Solaris", "Mirror", "Seven Samurai"]

    @app_commands.command(name="pick", description="Pick a film for a channel.")
    async def pick(
        interaction: discord.Interaction, title: str, channel: discord.TextChannel, count: int = 1
    ) -> None:
        await interaction.response.send_message(f"{title} x{count} in #{channel.name}")

    @pick.autocomplete("title")
    async def titles(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f, value=f) for f in films if f.lower().startswith(current.lower())]

    bot.tree.add_command(pick)
    await bot.sync_commands()
    choices = await sandbox.autocomplete(demo.general, demo.you, "pick", "title", title="s")
    assert [c["name"] for c in choices] == ["Stalker", "Solaris", "Seven Samurai"]
    reply = (
        await sandbox.slash(demo.general, demo.you, "pick", title="Mirror", channel=demo.film_club, count=2)
    ).reply
    assert reply.content == "Mirror x2 in #film-club"


async def test_console_parses_options_and_clicks_buttons(running: Running) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot

    @app_commands.command(name="echo", description="Repeat text.")
    async def echo(interaction: discord.Interaction, text: str, times: int = 1) -> None:
        await interaction.response.send_message(" ".join([text] * times), view=Counter())

    @app_commands.command(name="shout", description="Shout text, or hey.")
    async def shout(interaction: discord.Interaction, text: str = "hey") -> None:
        await interaction.response.send_message(text.upper())

    bot.tree.add_command(echo)
    bot.tree.add_command(shout)
    await bot.sync_commands()
    out = io.StringIO()
    console = Console(sandbox, demo, out)
    await console.handle("/echo text: two words times: 2")
    await console.handle("/shout an optional text option")
    await console.handle("/echo free text without option names")
    await console.handle("/echo times: lots")
    await console.handle("!click 1")
    await console.handle("!click 9")
    await console.handle("@nobody")
    text = out.getvalue()
    assert "two words two words" in text
    assert "free text without option names" in text
    assert "AN OPTIONAL TEXT OPTION" in text
    assert "console: times takes a number, not 'lots'" in text
    assert "count: 1" in text and "(edited)" in text
    assert "console: !click takes a button number from 1 to 2" in text
    assert "console: no member @nobody" in text


async def test_gateway_url_setting_wins_over_what_discord_advertises(
    sandbox: Sandbox, demo: Demo, settings
) -> None:  # type: ignore[no-untyped-def]
    sandbox.advertised_gateway_url = "ws://127.0.0.1:9/nowhere"  # nothing listens there
    async with bot_on_sandbox(sandbox, settings, gateway_url=sandbox.gateway_url):
        assert sandbox.gateway.live_sessions
        assert yarl.URL(sandbox.gateway_url) == DiscordWebSocket.DEFAULT_GATEWAY


async def test_after_an_invalidated_session_the_bot_identifies_again_with_the_sandbox(
    running: Running,
) -> None:
    sandbox, demo, bot = running.sandbox, running.demo, running.bot
    # discord.py reconnects to DiscordWebSocket.DEFAULT_GATEWAY here: it must be the sandbox, not Discord.
    assert yarl.URL(sandbox.gateway_url) == DiscordWebSocket.DEFAULT_GATEWAY
    (old,) = sandbox.gateway.sessions
    ready_again = asyncio.create_task(bot.wait_for("shard_ready", timeout=20))
    await sandbox.gateway.invalidate_sessions()
    await ready_again
    assert list(sandbox.gateway.sessions) != [old]
    reply = (await sandbox.slash(demo.general, demo.you, "about")).reply
    assert reply.embeds[0]["title"] == "About filmbot"
