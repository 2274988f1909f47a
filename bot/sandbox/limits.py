"""What Discord refuses: message, embed, component and command limits, as Discord's error bodies.

Pure functions over JSON payloads; the REST handlers answer 400 with what they return.
"""

from __future__ import annotations

from typing import Any

ErrorBody = dict[str, Any]
Path = tuple[str, ...]

CONTENT_LIMIT = 2000
EMBEDS_LIMIT = 10
EMBED_TOTAL_LIMIT = 6000
EMBED_LIMITS = {"title": 256, "description": 4096, "footer.text": 2048, "author.name": 256}
FIELDS_LIMIT, FIELD_NAME_LIMIT, FIELD_VALUE_LIMIT = 25, 256, 1024
ROWS_LIMIT, ROW_ITEMS_LIMIT, CUSTOM_ID_LIMIT, LABEL_LIMIT, SELECT_OPTIONS_LIMIT = 5, 5, 100, 80, 25
COMMANDS_LIMIT, OPTIONS_LIMIT, CHOICES_LIMIT = 100, 25, 25
NAME_LIMIT, DESCRIPTION_LIMIT = 32, 100


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

    def body(self) -> ErrorBody | None:
        if not self.tree:
            return None
        return {"code": 50035, "message": "Invalid Form Body", "errors": self.tree}


def _get(data: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


def check_message(payload: dict[str, Any], *, require_content: bool = True) -> ErrorBody | None:
    """Validate a message create or edit payload; edits (require_content=False) may omit everything."""
    errors = _Errors()
    errors.length(("content",), payload.get("content"), 0, CONTENT_LIMIT)
    embeds = payload.get("embeds") or []
    errors.length(("embeds",), embeds, 0, EMBEDS_LIMIT)
    total = 0
    for i, embed in enumerate(embeds):
        where = ("embeds", str(i))
        for dotted, limit in EMBED_LIMITS.items():
            value = _get(embed, dotted)
            errors.length((*where, *dotted.split(".")), value, 0, limit)
            total += len(value or "")
        fields = embed.get("fields") or []
        errors.length((*where, "fields"), fields, 0, FIELDS_LIMIT)
        for j, item in enumerate(fields):
            errors.length(
                (*where, "fields", str(j), "name"), item.get("name"), 1, FIELD_NAME_LIMIT, required=True
            )
            errors.length(
                (*where, "fields", str(j), "value"), item.get("value"), 1, FIELD_VALUE_LIMIT, required=True
            )
            total += len(item.get("name") or "") + len(item.get("value") or "")
    if total > EMBED_TOTAL_LIMIT:
        errors.add(
            ("embeds",), "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL_LIMIT}"
        )
    _check_components(errors, payload.get("components") or [])
    if body := errors.body():
        return body
    empty = not any(
        payload.get(key)
        for key in ("content", "embeds", "components", "attachments", "sticker_ids", "poll", "files")
    )
    if require_content and empty:
        return {"code": 50006, "message": "Cannot send an empty message"}
    return None


def _check_components(errors: _Errors, rows: list[dict[str, Any]]) -> None:
    errors.length(("components",), rows, 0, ROWS_LIMIT)
    for i, row in enumerate(rows):
        items = row.get("components") or []
        errors.length(("components", str(i), "components"), items, 1, ROW_ITEMS_LIMIT)
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
                errors.length((*where, "custom_id"), item.get("custom_id"), 1, CUSTOM_ID_LIMIT, required=True)
            if item.get("type") == 2:
                errors.length((*where, "label"), item.get("label"), 0, LABEL_LIMIT)
            if item.get("type") == 3:
                errors.length((*where, "options"), item.get("options") or [], 1, SELECT_OPTIONS_LIMIT)


def _name_ok(name: str, lowercase: bool) -> bool:
    # Discord: ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, lower case for chat-input commands.
    return all(c.isalnum() or c in "-_'" for c in name) and (not lowercase or name == name.lower())


def _check_name(errors: _Errors, path: Path, name: Any, *, lowercase: bool = True) -> None:
    errors.length((*path, "name"), name, 1, NAME_LIMIT, required=True)
    if isinstance(name, str) and name and not _name_ok(name, lowercase):
        errors.add((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_options(errors: _Errors, path: Path, options: list[dict[str, Any]]) -> None:
    errors.length((*path, "options"), options, 0, OPTIONS_LIMIT)
    seen_optional = False
    for i, option in enumerate(options):
        where = (*path, "options", str(i))
        _check_name(errors, where, option.get("name"))
        errors.length((*where, "description"), option.get("description"), 1, DESCRIPTION_LIMIT, required=True)
        choices = option.get("choices") or []
        errors.length((*where, "choices"), choices, 0, CHOICES_LIMIT)
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
    if len(chat_input) > COMMANDS_LIMIT:
        errors.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {COMMANDS_LIMIT} or fewer in length.")
    seen: set[tuple[int, str]] = set()
    for i, command in enumerate(commands):
        kind, name = command.get("type", 1), command.get("name")
        _check_name(errors, (str(i),), name, lowercase=kind == 1)
        if kind == 1:
            errors.length(
                (str(i), "description"), command.get("description"), 1, DESCRIPTION_LIMIT, required=True
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
