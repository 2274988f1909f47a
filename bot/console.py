"""`filmbot console`: the real bot on a local Discord sandbox, played from the terminal."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import sys
import tempfile
import textwrap
import time
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from .config import Settings, configure_logging
from .sandbox import ClientRefusal, Message, Sandbox, SandboxTimeout
from .sandbox.command_data import OPTION_BOOLEAN, OPTION_CHANNEL, OPTION_INTEGER, OPTION_NUMBER, OPTION_USER
from .sandbox.demo import Demo, build_demo
from .sandbox.events import EXTERNAL, ScheduledEvent
from .sandbox.harness import bot_on_sandbox
from .sandbox.messages import LOADING
from .sandbox.polls import POLL_RESULT, Poll

log = logging.getLogger(__name__)
REPLY_SECONDS = 5.0  # how long a message to filmbot waits for its reply (none comes when rate-limited)
QUIET_SECONDS = 0.3  # at end of input: exit once the bot has been quiet this long
MAX_DRAIN_SECONDS = 10.0
HELP = (
    "Type a slash command (/help lists them), or any other text to chat. "
    "@filmbot QUESTION asks in the channel, !reply TEXT replies to filmbot's last answer. "
    "#channel switches channel, @name switches who speaks, !click N presses button N of the last "
    "message with buttons, !vote N votes for answer N of the channel's latest poll, !end-poll ends "
    "that poll now, !end-event ends the server's latest scheduled event, !quit leaves."
)
EVENT_STATUS = {1: "scheduled", 2: "active", 3: "completed", 4: "canceled"}


class ConsoleError(Exception):
    """A line the console cannot act on; shown to the user as it is."""


class Console:
    def __init__(self, sandbox: Sandbox, demo: Demo, out: TextIO) -> None:
        self.sandbox = sandbox
        self.demo = demo
        self.out = out
        self.channel = demo.general
        self.speaker = demo.you
        self.last_buttons: list[dict[str, Any]] = []
        self.last_buttons_message: Message | None = None
        self.last_event = time.monotonic()
        sandbox.listeners.append(self.on_message)
        sandbox.event_listeners.append(self.on_event)

    @property
    def prompt(self) -> str:
        return f"#{self.channel.name} @{self.speaker.name}> "

    def banner(self) -> str:
        guild = self.demo.guild
        channels = ", ".join(f"#{c.name}" for c in (self.demo.general, self.demo.film_club))
        channels += f", #{self.demo.screening_room.name} (voice)"
        return "\n".join(
            [
                "filmbot console: the real bot on a local Discord sandbox (127.0.0.1), no token needed.",
                "To run it on Discord instead, set DISCORD_TOKEN and run `make run` (or `filmbot run`).",
                f"Server {guild.name!r}: {channels}. You are @you (moderator, Manage Server); "
                "also here: @ana and @boris.",
                HELP,
            ]
        )

    # -- output ----------------------------------------------------------------------------------

    def on_message(self, event: str, message: Message) -> None:
        self.last_event = time.monotonic()
        if message.author.id != self.sandbox.bot_user.id:
            return  # what members type is already on the screen
        if message.flags & LOADING:
            if event == "create":
                self.write(f"[#{message.channel.name}] filmbot is thinking…")
            return
        if event == "delete":
            self.write(f"[#{message.channel.name}] (filmbot deleted a message)")
            return
        # A poll's final results come as an update of its message, not an edit by its author.
        self.write(self.format(message, edited=event == "edit" and message.edited_at is not None))

    def on_event(self, change: str, event: ScheduledEvent) -> None:
        self.last_event = time.monotonic()
        self.write(self.event_line(event, deleted=change == "delete"))

    def event_line(self, event: ScheduledEvent, *, deleted: bool = False) -> str:
        if deleted:
            return f"event deleted: {event.name}"
        start = f"{datetime.fromtimestamp(event.start).astimezone():%a %d %b %Y %H:%M %Z}"
        channel = self.sandbox.channels.get(event.channel_id or 0)
        place = event.location if event.entity_type == EXTERNAL else f"#{channel.name if channel else '?'}"
        return f"event: {event.name}, {start}, at {place}, {EVENT_STATUS.get(event.status, '?')}"

    def format(self, message: Message, *, edited: bool = False) -> str:
        if message.type == POLL_RESULT and message.reference and message.reference.poll:
            return f"[#{message.channel.name}] {poll_result_line(message.reference.poll)}"
        header = f"[#{message.channel.name}] filmbot"
        if message.reference is not None:
            header += f" (replying to @{message.reference.author.name})"
        if message.visible_to is not None:
            viewer = message.channel.guild.members.get(message.visible_to)
            header += f" (only visible to @{viewer.name if viewer else '?'})"
        if edited:
            header += " (edited)"
        lines = [header + ":"]
        if message.content:
            lines += textwrap.indent(self.readable(message.content), "  ").splitlines()
        for embed in message.embeds:
            lines += ["  ┃ " + self.readable(line) for line in embed_lines(embed)]
        if message.poll is not None:
            lines += ["  " + line for line in poll_lines(message.poll)]
        if message.buttons:
            self.last_buttons, self.last_buttons_message = message.buttons, message
            labels = [
                f"[{i}] {b.get('label') or b.get('emoji', {}).get('name', '?')}"
                for i, b in enumerate(message.buttons, 1)
            ]
            lines.append("  buttons: " + "  ".join(labels) + "   (!click N)")
        return "\n".join(lines)

    def readable(self, text: str) -> str:
        """Channel mentions and timestamps as a Discord client shows them: #name, a local time."""

        def channel(match: re.Match[str]) -> str:
            found = self.sandbox.channels.get(int(match[1]))
            return f"#{found.name}" if found else match[0]

        def timestamp(match: re.Match[str]) -> str:
            moment = datetime.fromtimestamp(int(match[1])).astimezone()
            if match[2] == "R":
                seconds = round(moment.timestamp() - time.time())
                amount = f"{abs(seconds)} s" if abs(seconds) < 90 else f"{round(abs(seconds) / 60)} min"
                return f"in {amount}" if seconds >= 0 else f"{amount} ago"
            return f"{moment:%a %d %b %Y %H:%M %Z}"

        def user(match: re.Match[str]) -> str:
            member = self.demo.guild.members.get(int(match[1]))
            return f"@{member.name}" if member else match[0]

        return _USER.sub(user, _TIMESTAMP.sub(timestamp, _CHANNEL.sub(channel, text)))

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    # -- input -------------------------------------------------------------------------------------

    async def handle(self, line: str) -> bool:
        """Act on one input line; returns False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        try:
            if line in ("!quit", "!exit"):
                return False
            if line == "!help":
                self.write(HELP)
            elif line.startswith("!click"):
                await self.click(line.removeprefix("!click").strip())
            elif line.startswith("!vote"):
                await self.vote(line.removeprefix("!vote").strip())
            elif line == "!end-poll":
                await self.end_poll()
            elif line == "!end-event":
                await self.end_event()
            elif line.startswith("!reply"):
                await self.reply(line.removeprefix("!reply").strip())
            elif line.startswith("/"):
                await self.slash(line[1:])
            elif re.fullmatch(r"#\S+", line):
                self.channel = self.demo.guild.channel_named(line)
                self.write(f"(now in #{self.channel.name})")
            elif re.fullmatch(r"@\S+", line) and line[1:].lower() != self.sandbox.bot_user.name:
                self.speaker = self.demo.guild.member_named(line)
                self.write(f"(now speaking as @{self.speaker.name})")
            else:
                await self.say(self.mentions(line))
        except (ConsoleError, KeyError) as exc:
            self.write(f"console: {exc.args[0] if exc.args else exc}")
        except ClientRefusal as exc:  # as Discord's client does: the command is not sent
            self.write(f"console: Discord would not send that: {exc}")
        except SandboxTimeout as exc:
            self.write(f"console: {exc}")
        return True

    def mentions(self, text: str) -> str:
        """ "@filmbot who directed Stalker?": @name of a member as Discord's client sends it, <@id>."""

        def mention(match: re.Match[str]) -> str:
            members = self.demo.guild.members.values()
            found = next((m for m in members if m.name.lower() == match[1].lower()), None)
            return f"<@{found.id}>" if found else match[0]

        return re.sub(r"(?<!\w)@(\w+)", mention, text)

    async def reply(self, text: str) -> None:
        """Reply to filmbot's last message in this channel (a follow-up to an answer)."""
        mine = [
            m for m in self.sandbox.channel_messages(self.channel) if m.author.id == self.sandbox.bot_user.id
        ]
        if not mine:
            raise ConsoleError("filmbot has not said anything in this channel yet")
        if not text:
            raise ConsoleError("type what to reply, e.g. !reply and who wrote it?")
        await self.say(self.mentions(text), reply_to=mine[-1])

    async def say(self, content: str, reply_to: Message | None = None) -> None:
        """Chat; a message to filmbot waits for its answer, so that piped lines follow each other."""
        message = await self.sandbox.say(self.channel, self.speaker, content, reply_to=reply_to)
        if reply_to is not None or f"<@{self.sandbox.bot_user.id}>" in content:
            with contextlib.suppress(SandboxTimeout, TimeoutError):
                await self.sandbox.reply_to(message, timeout=REPLY_SECONDS)

    async def click(self, which: str) -> None:
        if not which.isdigit() or not 1 <= int(which) <= len(self.last_buttons):
            raise ConsoleError(
                f"!click takes a button number from 1 to {len(self.last_buttons)}"
                if self.last_buttons
                else "there is no button to click yet"
            )
        assert self.last_buttons_message is not None
        button = self.last_buttons[int(which) - 1]
        await self.sandbox.click(self.last_buttons_message, button["custom_id"], self.speaker)

    def latest_poll(self) -> Message:
        polls = self.sandbox.polls(self.channel)
        if not polls:
            raise ConsoleError(f"there is no poll in #{self.channel.name} yet")
        return polls[-1]

    async def vote(self, which: str) -> None:
        """The speaker votes for answer `which` of the channel's latest poll."""
        message = self.latest_poll()
        assert message.poll is not None
        count = len(message.poll.answers)
        if not which.isdigit() or not 1 <= int(which) <= count:
            raise ConsoleError(f"!vote takes an answer number from 1 to {count}")
        await self.sandbox.vote(message, self.speaker, int(which))
        self.write(f"(@{self.speaker.name} voted for [{which}] {message.poll.text(int(which))})")

    async def end_poll(self) -> None:
        """The time of the channel's latest poll runs out now."""
        message = self.latest_poll()
        assert message.poll is not None
        if message.poll.finalized:
            raise ConsoleError(f"the latest poll in #{self.channel.name} has already ended")
        await self.sandbox.end_poll(message)

    async def end_event(self) -> None:
        """The server's latest scheduled event that is not over ends now."""
        events = [e for e in self.demo.guild.scheduled_events.values() if not e.finished]
        if not events:
            raise ConsoleError("there is no scheduled event to end")
        await self.sandbox.end_event(max(events, key=lambda e: e.id))

    async def slash(self, text: str) -> None:
        path, options = self.parse_command(text)
        await self.sandbox.slash(self.channel, self.speaker, path, **options)

    def parse_command(self, text: str) -> tuple[str, dict[str, Any]]:
        """`trivia start questions: 5` -> ("trivia start", {"questions": 5})."""
        words = text.split()
        if not words:
            raise ConsoleError("type a command name after /, e.g. /help")
        try:
            schema = self.sandbox.find_command(self.demo.guild, words[0])
        except KeyError:
            raise ConsoleError(f"/{words[0]} is not a command; /help lists them") from None
        path = [words[0]]
        rest = text.split(maxsplit=1)[1] if len(words) > 1 else ""
        while (sub := _subcommand(schema, rest.split(maxsplit=1)[0] if rest else "")) is not None:
            schema, path = sub, [*path, sub["name"]]
            rest = rest.split(maxsplit=1)[1] if len(rest.split(maxsplit=1)) > 1 else ""
        if any(o["type"] <= 2 for o in schema.get("options", [])):
            names = ", ".join(o["name"] for o in schema["options"])
            raise ConsoleError(f"/{' '.join(path)} needs a subcommand: {names}")
        declared = {o["name"]: o for o in schema.get("options", [])}
        raw = _split_options(rest, declared)
        if raw is None:  # free text: the only required option (or the only option) if it takes text
            required = [o for o in declared.values() if o.get("required")] or list(declared.values())
            if len(required) != 1 or required[0]["type"] != 3:
                raise ConsoleError(
                    f"write the options as name: value (options: {', '.join(declared) or 'none'})"
                )
            raw = {required[0]["name"]: rest}
        return " ".join(path), {name: self.convert(declared[name], value) for name, value in raw.items()}

    def convert(self, option: dict[str, Any], value: str) -> Any:
        kind, name = option["type"], option["name"]
        try:
            if kind == OPTION_INTEGER:
                return int(value)
            if kind == OPTION_NUMBER:
                return float(value)
        except ValueError:
            raise ConsoleError(f"{name} takes a number, not {value!r}") from None
        if kind == OPTION_BOOLEAN:
            if value.lower() not in ("true", "false", "yes", "no"):
                raise ConsoleError(f"{name} takes true or false, not {value!r}")
            return value.lower() in ("true", "yes")
        if kind == OPTION_CHANNEL:
            return self.demo.guild.channel_named(value)
        if kind == OPTION_USER:
            return self.demo.guild.member_named(value)
        return value

    async def drain(self) -> None:
        """Wait until the bot has been quiet for a moment (bounded), so its last replies are shown."""
        deadline = time.monotonic() + MAX_DRAIN_SECONDS
        while time.monotonic() < deadline and time.monotonic() - self.last_event < QUIET_SECONDS:
            await asyncio.sleep(0.05)


def _subcommand(schema: dict[str, Any], word: str) -> dict[str, Any] | None:
    return next((o for o in schema.get("options", []) if o["type"] <= 2 and o["name"] == word), None)


def _split_options(text: str, declared: dict[str, Any]) -> dict[str, str] | None:
    """Split `a: 1 b: two words` by the declared option names; None when no `name:` is present."""
    if not text.strip():
        return {}
    names = "|".join(re.escape(n) for n in sorted(declared, key=len, reverse=True))
    if not names:
        raise ConsoleError("this command takes no options")
    marks = list(re.finditer(rf"(?:^|\s)({names}):", text))
    if not marks or text[: marks[0].start()].strip():
        return None
    values = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(text)
        values[mark[1]] = text[mark.end() : end].strip()
    return values


_CHANNEL = re.compile(r"<#(\d+)>")
_USER = re.compile(r"<@!?(\d+)>")
_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")


def embed_lines(embed: dict[str, Any]) -> list[str]:
    lines = []
    if title := embed.get("title"):
        lines.append(f"**{title}**")
    if description := embed.get("description"):
        lines += description.splitlines()
    for field in embed.get("fields", []):
        value = field["value"].splitlines()
        if len(value) == 1:
            lines.append(f"{field['name']}: {value[0]}")
        else:
            lines += [f"{field['name']}:", *("  " + line for line in value)]
    if footer := embed.get("footer", {}).get("text"):
        lines.append(f"— {footer}")
    return lines


def poll_lines(poll: Poll) -> list[str]:
    """A poll as the console shows it: its question, numbered answers with their votes, and when it ends."""
    lines = [f"poll: {poll.question}"]
    for answer_id, text in poll.answers:
        votes = poll.count(answer_id)
        lines.append(f"  [{answer_id}] {text} — {votes} vote{'' if votes == 1 else 's'}")
    if poll.finalized:
        lines.append("final results")
    else:
        ends = datetime.fromtimestamp(poll.expiry).astimezone()
        lines.append(f"ends {ends:%a %d %b %Y %H:%M %Z}   (!vote N)")
    return lines


def poll_result_line(poll: Poll) -> str:
    """Discord's "poll result" system message, in words."""
    total = sum(poll.count(answer_id) for answer_id, _ in poll.answers)
    victor = poll.victor()
    if victor is None:
        outcome = "no single winner" if total else "no votes"
        return f"filmbot's poll {poll.question!r} has ended: {outcome} ({total} votes)."
    return (
        f"filmbot's poll {poll.question!r} has ended: {poll.text(victor)} won "
        f"with {poll.count(victor)} of {total} votes."
    )


async def run_console(settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    interactive = stdin.isatty()
    log_file = Path(tempfile.gettempdir()) / "filmbot-console.log"
    configure_logging(settings.log_level, filename=log_file)
    sandbox = Sandbox()
    demo = build_demo(sandbox)
    await sandbox.start()
    try:
        with tempfile.TemporaryDirectory(prefix="filmbot-console-") as tmp:
            # The console's server is new each time, so its state goes in a throwaway database; the
            # fact index is kept between runs (built in seconds, and only when the data changed).
            # Typed trivia answers work because nobody has to approve the intent here.
            local = dataclasses.replace(
                settings,
                database=Path(tmp) / "filmbot.db",
                index=settings.index or Path(tempfile.gettempdir()) / "filmbot-console-index.db",
                message_content=True,
                dev_guild=None,
            )
            async with bot_on_sandbox(sandbox, local):
                console = Console(sandbox, demo, out)
                console.write(console.banner())
                console.write(f"(the bot's log is in {log_file})")
                while True:
                    if interactive:
                        out.write(console.prompt)
                        out.flush()
                    line = await asyncio.to_thread(stdin.readline)
                    if not line:
                        break
                    if not interactive and line.strip():
                        console.write(console.prompt + line.rstrip("\n"))
                    if not await console.handle(line):
                        break
                await console.drain()
    finally:
        await sandbox.close()
    return 0
