"""Everything the bot shows, built in one place and kept within Discord's limits (bot/limits.py):
the shared parts here, each area's embeds and texts in its module (qa, trivia, features, club, meta)."""

from __future__ import annotations

import discord

from .. import limits

COLOUR = discord.Colour(0x8C6A3F)  # the sepia of an old print


def plural(count: int, word: str) -> str:
    """ "1 post", "2 posts" (for the bot's own regular nouns)."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def truncate(text: str, limit: int) -> str:
    """`text`, cut to at most `limit` characters with an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit_text(text: str) -> str:
    """A message's text within Discord's 2,000 characters."""
    return truncate(text, limits.CONTENT)


def chunk_lines(lines: list[str], limit: int = limits.FIELD_VALUE) -> list[str]:
    """Join lines into as few blocks of at most `limit` characters as possible (long lines are cut)."""
    blocks: list[str] = []
    current = ""
    for line in (truncate(line, limit) for line in lines):
        if current and len(current) + 1 + len(line) > limit:
            blocks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(current)
    return blocks


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """`embed` within Discord's limits: each part cut to its own with "…", fields past the 25th
    left out, then the description and the last fields cut until the whole is within 6,000."""
    if embed.title:
        embed.title = truncate(embed.title, limits.EMBED_TITLE)
    if embed.description:
        embed.description = truncate(embed.description, limits.EMBED_DESCRIPTION)
    if embed.footer.text:
        embed.set_footer(
            text=truncate(embed.footer.text, limits.EMBED_FOOTER), icon_url=embed.footer.icon_url
        )
    if embed.author.name:
        author = embed.author
        embed.set_author(
            name=truncate(author.name or "", limits.EMBED_AUTHOR), url=author.url, icon_url=author.icon_url
        )
    fields = embed.fields[: limits.FIELDS]
    embed.clear_fields()
    for f in fields:
        name, value = truncate(f.name or "", limits.FIELD_NAME), truncate(f.value or "", limits.FIELD_VALUE)
        embed.add_field(name=name, value=value, inline=bool(f.inline))
    if (excess := len(embed) - limits.EMBED_TOTAL) > 0 and embed.description:
        embed.description = truncate(embed.description, max(len(embed.description) - excess, 1))
    for i in reversed(range(len(embed.fields))):
        if (excess := len(embed) - limits.EMBED_TOTAL) <= 0:
            break
        f = embed.fields[i]
        value = f.value or ""
        if len(value) - excess >= 1:
            embed.set_field_at(
                i, name=f.name or "", value=truncate(value, len(value) - excess), inline=bool(f.inline)
            )
        else:
            embed.remove_field(i)
    return embed


def source_line(source: str | None) -> str:
    return f"Source: {source}" if source else "Source: not recorded in the fact store"


def escape(text: str) -> str:
    """A member's name or a typed text, shown as written (no markdown)."""
    return discord.utils.escape_markdown(text)


def quoted(text: str) -> str:
    """What a member typed, in quotes and shown as written (not repr(), which doubles the
    escapes' backslashes: Discord would show them)."""
    return f"'{escape(text)}'"


def message_link(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


# Imported last, as they use the shared parts above; `from bot import render` then has them all.
from . import club, features, meta, qa, trivia  # noqa: E402, F401
