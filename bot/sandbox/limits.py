"""What Discord refuses: message, embed, component and command limits, as Discord's error bodies.

Pure functions over JSON payloads; the REST handlers answer 400 with what they return.
"""

from __future__ import annotations

from typing import Any

from .. import limits
from .model import parse_iso

ErrorBody = dict[str, Any]
Path = tuple[str, ...]

EMBED_PARTS = {
    "title": limits.EMBED_TITLE,
    "description": limits.EMBED_DESCRIPTION,
    "footer.text": limits.EMBED_FOOTER,
    "author.name": limits.EMBED_AUTHOR,
}


class _Errors:
    """Collects errors under their paths, in Discord's nested `errors` shape."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(key, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def length(self, path: Path, value: Any, low: int, high: int, *, required: bool = False) -> None:
        """A string (or list) whose length must be within [low, high]."""
        if value is None:
            if required:
                self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return
        n = len(value)
        if n > high and low == 0:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length.")
        elif not low <= n <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def number(self, path: Path, value: Any, low: int, high: int) -> None:
        """A whole number within [low, high] (discord.py sends a poll's hours as a float: 24.0)."""
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            self.add(path, "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
        elif value < low:
            self.add(path, "NUMBER_TYPE_MIN", f"int value should be greater than or equal to {low}.")
        elif value > high:
            self.add(path, "NUMBER_TYPE_MAX", f"int value should be less than or equal to {high}.")

    def body(self) -> ErrorBody | None:
        if not self.tree:
            return None
        return {"code": 50035, "message": "Invalid Form Body", "errors": self.tree}


def _get(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for key in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def check_message(payload: dict[str, Any], *, require_content: bool = True) -> ErrorBody | None:
    """Validate a message create or edit payload; edits (require_content=False) may omit everything."""
    errors = _Errors()
    errors.length(("content",), payload.get("content"), 0, limits.CONTENT)
    embeds = payload.get("embeds") or []
    errors.length(("embeds",), embeds, 0, limits.EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        where = ("embeds", str(i))
        for dotted, limit in EMBED_PARTS.items():
            value = _get(embed, dotted)
            errors.length((*where, *dotted.split(".")), value, 0, limit)
            total += len(value or "")
        fields = embed.get("fields") or []
        errors.length((*where, "fields"), fields, 0, limits.FIELDS)
        for j, item in enumerate(fields):
            errors.length(
                (*where, "fields", str(j), "name"), item.get("name"), 1, limits.FIELD_NAME, required=True
            )
            errors.length(
                (*where, "fields", str(j), "value"), item.get("value"), 1, limits.FIELD_VALUE, required=True
            )
            total += len(item.get("name") or "") + len(item.get("value") or "")
    if total > limits.EMBED_TOTAL:
        errors.add(
            ("embeds",), "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {limits.EMBED_TOTAL}"
        )
    _check_components(errors, payload.get("components") or [])
    if payload.get("poll") is not None:
        _check_poll(errors, payload["poll"])
    if body := errors.body():
        return body
    empty = not any(
        payload.get(key)
        for key in ("content", "embeds", "components", "attachments", "sticker_ids", "poll", "files")
    )
    if require_content and empty:
        return {"code": 50006, "message": "Cannot send an empty message"}
    return None


def check_poll(poll: dict[str, Any]) -> ErrorBody | None:
    """Validate the poll of a message create payload; errors are under ("poll", ...) as Discord puts them."""
    errors = _Errors()
    _check_poll(errors, poll)
    return errors.body()


def _check_poll(errors: _Errors, poll: dict[str, Any]) -> None:
    question = poll.get("question") or {}
    errors.length(("poll", "question", "text"), question.get("text"), 1, limits.POLL_QUESTION, required=True)
    answers = poll.get("answers")
    errors.length(("poll", "answers"), answers, 1, limits.POLL_ANSWERS, required=True)
    for i, answer in enumerate(answers or []):
        text = (answer.get("poll_media") or {}).get("text")
        errors.length(
            ("poll", "answers", str(i), "poll_media", "text"), text, 1, limits.POLL_ANSWER_TEXT, required=True
        )
    if poll.get("duration") is not None:  # else Discord's default, 24 hours
        errors.number(("poll", "duration"), poll["duration"], 1, limits.POLL_HOURS)


def check_event(payload: dict[str, Any], *, creating: bool, now: float) -> ErrorBody | None:
    """Validate a scheduled event create payload, or an edit's (creating=False: only what it sets).

    The caller fills in an entity_type that discord.py leaves out (rest.py infers it, as Discord does).
    """
    errors = _Errors()
    if creating or "name" in payload:
        errors.length(("name",), payload.get("name"), 1, limits.EVENT_NAME, required=True)
    errors.length(("description",), payload.get("description"), 0, limits.EVENT_DESCRIPTION)
    if payload.get("privacy_level", 2) != 2:
        errors.add(("privacy_level",), "BASE_TYPE_CHOICES", "Value must be one of {2}.")
    start = _event_time(errors, payload, "scheduled_start_time", required=creating)
    if start is not None and start <= now:
        errors.add(
            ("scheduled_start_time",),
            "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
            "Cannot schedule event in the past.",
        )
    end = _event_time(errors, payload, "scheduled_end_time", required=False)
    if start is not None and end is not None and end <= start:
        errors.add(
            ("scheduled_end_time",),
            "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
            "Cannot end event before it starts.",
        )
    kind = payload.get("entity_type")
    if kind is None:
        if creating:
            errors.add(("entity_type",), "BASE_TYPE_REQUIRED", "This field is required")
    elif kind not in (1, 2, 3):
        errors.add(("entity_type",), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
    elif kind == 3:  # external: a place, and an end
        location = (payload.get("entity_metadata") or {}).get("location")
        errors.length(("entity_metadata", "location"), location, 1, limits.EVENT_LOCATION, required=True)
        if payload.get("scheduled_end_time") is None:
            errors.add(("scheduled_end_time",), "BASE_TYPE_REQUIRED", "This field is required")
    elif payload.get("channel_id") is None:
        errors.add(("channel_id",), "BASE_TYPE_REQUIRED", "This field is required")
    return errors.body()


def _event_time(errors: _Errors, payload: dict[str, Any], key: str, *, required: bool) -> float | None:
    value = payload.get(key)
    if value is None:
        if required:
            errors.add((key,), "BASE_TYPE_REQUIRED", "This field is required")
        return None
    try:
        return parse_iso(str(value))
    except ValueError:
        errors.add((key,), "DATE_TIME_TYPE_PARSE", f"Could not parse {value}. Should be ISO8601.")
        return None


def _check_components(errors: _Errors, rows: list[dict[str, Any]]) -> None:
    errors.length(("components",), rows, 0, limits.ROWS)
    for i, row in enumerate(rows):
        items = row.get("components") or []
        errors.length(("components", str(i), "components"), items, 1, limits.ROW_ITEMS)
        if any(item.get("type") == 3 for item in items) and len(items) > 1:
            errors.add(
                ("components", str(i), "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "A select takes a whole row",
            )
        for j, item in enumerate(items):
            where = ("components", str(i), "components", str(j))
            is_link = item.get("type") == 2 and item.get("style") == 5
            if not is_link:
                errors.length(
                    (*where, "custom_id"), item.get("custom_id"), 1, limits.CUSTOM_ID, required=True
                )
            if item.get("type") == 2:
                errors.length((*where, "label"), item.get("label"), 0, limits.BUTTON_LABEL)
            if item.get("type") == 3:
                errors.length((*where, "options"), item.get("options") or [], 1, limits.SELECT_OPTIONS)


def _name_ok(name: str, lowercase: bool) -> bool:
    # Discord: ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, lower case for chat-input commands.
    return all(c.isalnum() or c in "-_'" for c in name) and (not lowercase or name == name.lower())


def _check_name(errors: _Errors, path: Path, name: Any, *, lowercase: bool = True) -> None:
    errors.length((*path, "name"), name, 1, limits.COMMAND_NAME, required=True)
    if isinstance(name, str) and name and not _name_ok(name, lowercase):
        errors.add((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_options(errors: _Errors, path: Path, options: list[dict[str, Any]]) -> None:
    errors.length((*path, "options"), options, 0, limits.OPTIONS)
    seen_optional = False
    for i, option in enumerate(options):
        where = (*path, "options", str(i))
        _check_name(errors, where, option.get("name"))
        errors.length(
            (*where, "description"), option.get("description"), 1, limits.COMMAND_DESCRIPTION, required=True
        )
        choices = option.get("choices") or []
        errors.length((*where, "choices"), choices, 0, limits.CHOICES)
        for j, choice in enumerate(choices):
            errors.length((*where, "choices", str(j), "name"), choice.get("name"), 1, 100, required=True)
        if option.get("type") in (1, 2):  # subcommand, subcommand group
            _check_options(errors, where, option.get("options") or [])
        elif option.get("required"):
            if seen_optional:
                errors.add(
                    where,
                    "APPLICATION_COMMAND_OPTIONS_ORDER_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True


def check_commands(commands: list[dict[str, Any]]) -> ErrorBody | None:
    """Validate a bulk overwrite of application commands."""
    errors = _Errors()
    chat_input = [c for c in commands if c.get("type", 1) == 1]
    if len(chat_input) > limits.COMMANDS:
        errors.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {limits.COMMANDS} or fewer in length.")
    seen: set[tuple[int, str]] = set()
    for i, command in enumerate(commands):
        kind, name = command.get("type", 1), command.get("name")
        _check_name(errors, (str(i),), name, lowercase=kind == 1)
        if kind == 1:
            errors.length(
                (str(i), "description"),
                command.get("description"),
                1,
                limits.COMMAND_DESCRIPTION,
                required=True,
            )
            _check_options(errors, (str(i),), command.get("options") or [])
        if (kind, name) in seen:
            errors.add(
                (str(i), "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add((kind, str(name)))
    return errors.body()
