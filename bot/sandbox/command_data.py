"""The data of a slash command or autocomplete interaction, built as Discord's client builds it from
what the driver typed: the subcommand path, the option values with the channels, roles and members
they resolve to, and the values the client would refuse to send (`ClientRefusal`)."""

from __future__ import annotations

from typing import Any

from .interactions import ClientRefusal
from .model import Channel, Member, Role

OPTION_SUBCOMMAND, OPTION_GROUP = 1, 2
OPTION_STRING, OPTION_INTEGER, OPTION_BOOLEAN, OPTION_USER, OPTION_CHANNEL, OPTION_ROLE = 3, 4, 5, 6, 7, 8
OPTION_MENTIONABLE, OPTION_NUMBER = 9, 10


def command_data(
    command: dict[str, Any], path: str, values: dict[str, Any], *, bot_id: int, focused: str | None = None
) -> dict[str, Any]:
    """The data of an invocation of `command` as `path` ("trivia start") with option `values`; with
    `focused`, of an autocomplete while that option is typed (then required options may be missing)."""
    name, *subcommands = path.split()
    data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1, "options": []}
    if "guild_id" in command:
        data["guild_id"] = command["guild_id"]
    resolved: dict[str, dict[str, Any]] = {}
    schema, target = command, data["options"]
    for sub in subcommands:  # descend into subcommand groups and subcommands
        found = next((o for o in schema.get("options", []) if o["name"] == sub and o["type"] <= 2), None)
        if found is None:
            raise KeyError(f"/{path}: {sub!r} is not a subcommand")
        schema = found
        node: dict[str, Any] = {"name": sub, "type": schema["type"], "options": []}
        target.append(node)
        target = node["options"]
    declared = {o["name"]: o for o in schema.get("options", []) if o["type"] > 2}
    for option_name, value in values.items():
        if option_name not in declared:
            raise KeyError(f"/{path} has no option {option_name!r} (it has: {', '.join(declared) or 'none'})")
        option = declared[option_name]
        entry: dict[str, Any] = {"name": option_name, "type": option["type"]}
        if option_name == focused:  # what is being typed: no length or range checks yet
            entry.update(value=str(value), focused=True)
        else:
            entry["value"] = _option_value(option, value, resolved, bot_id)
        target.append(entry)
    if focused is None:
        missing = [n for n, o in declared.items() if o.get("required") and n not in values]
        if missing:
            raise KeyError(f"/{path} needs the option(s): {', '.join(missing)}")
    if resolved:
        data["resolved"] = resolved
    return data


def _option_value(
    option: dict[str, Any], value: Any, resolved: dict[str, dict[str, Any]], bot_id: int
) -> Any:
    """The option's value as the client sends it, its channel, role or member added to `resolved`."""
    kind = option["type"]
    if kind == OPTION_CHANNEL:
        assert isinstance(value, Channel), f"option {option['name']} takes a channel"
        resolved.setdefault("channels", {})[str(value.id)] = {
            **value.payload(),
            "permissions": str(value.guild.permissions_in(value, value.guild.members[bot_id])),
        }
        return str(value.id)
    if kind == OPTION_ROLE:
        assert isinstance(value, Role), f"option {option['name']} takes a role"
        resolved.setdefault("roles", {})[str(value.id)] = value.payload()
        return str(value.id)
    if kind in (OPTION_USER, OPTION_MENTIONABLE):
        assert isinstance(value, Member), f"option {option['name']} takes a member"
        resolved.setdefault("users", {})[str(value.id)] = value.user.payload()
        member = {k: v for k, v in value.payload(permissions=0).items() if k != "user"}
        resolved.setdefault("members", {})[str(value.id)] = member
        return str(value.id)
    if kind in (OPTION_INTEGER, OPTION_NUMBER):
        number = int(value) if kind == OPTION_INTEGER else float(value)
        low, high = option.get("min_value"), option.get("max_value")
        if (low is not None and number < low) or (high is not None and number > high):
            name = option["name"]
            raise ClientRefusal(f"{name} must be between {low} and {high}: Discord would not send {value}")
        _check_choice(option, number)
        return number
    if kind == OPTION_BOOLEAN:
        return bool(value)
    text = str(value)
    if not option.get("min_length", 0) <= len(text) <= option.get("max_length", 6000):
        low, high = option.get("min_length", 0), option.get("max_length", 6000)
        raise ClientRefusal(
            f"{option['name']} is {len(text)} characters: Discord's client sends {low} to {high}"
        )
    _check_choice(option, text)
    return text


def _check_choice(option: dict[str, Any], value: Any) -> None:
    choices = [c["value"] for c in option.get("choices") or []]
    if choices and value not in choices:
        offered = ", ".join(str(c) for c in choices)
        raise ClientRefusal(f"{option['name']} is one of {offered}: Discord's client offers no {value!r}")
