"""A question as a member typed it in Discord, made plain: markdown, mentions and links removed."""

from __future__ import annotations

import re

_CODE_BLOCK = re.compile(r"```(?:[a-z0-9_+-]*\n)?(.*?)```", re.DOTALL | re.IGNORECASE)
_MARKUP = [
    (re.compile(r"<a?:\w+:\d+>"), " "),  # custom emoji
    (re.compile(r"<(?:@[!&]?|#)\d+>"), " "),  # user, role and channel mentions
    (re.compile(r"<t:\d+(?::[a-zA-Z])?>"), " "),  # timestamps
    (re.compile(r"@(?:everyone|here)\b"), " "),
    (re.compile(r"<?https?://\S+>?"), " "),
    (re.compile(r"^\s*(?:>>>|>|#{1,3}|-#)\s+", re.MULTILINE), ""),  # quotes, headings, subtext
    (re.compile(r"\|\||\*\*|__|~~|`"), ""),  # spoilers, bold, underline, strike, code
    (re.compile(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)"), ""),  # *italics* and _italics_, not snake_case
]


def plain(text: str) -> str:
    """The words of a Discord message without its markup: `**who** directed ||Stalker||` -> text."""
    text = _CODE_BLOCK.sub(r"\1", text)
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())
