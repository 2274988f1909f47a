"""Settings: defaults < YAML file (--config or FILMBOT_CONFIG) < environment variables."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .logs import OperatorFilter
from .shards import Shards, ShardsError
from .storage.database import SERVER_SCHEMES

DISCORD_API_BASE = "https://discord.com/api/v10"
# The curated data beside the package in a source checkout; installed images set FILMBOT_DATA.
SOURCE_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A setting is missing, unknown or of the wrong type; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)  # never shown in logs or reprs
    api_base: str = DISCORD_API_BASE
    gateway_url: str | None = None
    database: Path | str = Path("filmbot.db")  # a SQLite file, or a postgresql:// URL (a str)
    index: Path | None = None  # the fact index; beside a SQLite database when not set
    data_dir: Path = SOURCE_DATA_DIR
    trivia_packs: Path | None = None  # an operator's folder of extra trivia packs
    message_content: bool = False
    dev_guild: int | None = None
    log_level: str = "INFO"
    shards: str | None = None  # this process's shards, e.g. "0-3"; all of them when not set
    shard_count: int | None = None  # the shards of all processes; unset with shards: Discord recommends
    sync: bool = False  # sync the command tree even without shard 0
    metrics_port: int | None = None  # serve Prometheus metrics at /metrics on this port; off when not set
    metrics_address: str = "127.0.0.1"  # where they are served (0.0.0.0: every interface)

    @property
    def index_path(self) -> Path:
        if self.index:
            return self.index
        return index_beside(self.database) if isinstance(self.database, Path) else Path("filmbot-index.db")

    @property
    def shard_plan(self) -> Shards | None:
        """The shards this process runs, or None for one process running them all."""
        if self.shards is None and self.shard_count is None:
            return None
        if self.shards is None or self.shard_count is None:
            raise ConfigError(
                "shards and shard_count go together: --shards 0-3 --shard-count 8 (or FILMBOT_SHARDS "
                "and FILMBOT_SHARD_COUNT)"
            )
        try:
            return Shards.parse(self.shards, self.shard_count)
        except ShardsError as exc:
            raise ConfigError(f"shards: {exc}") from None


def index_beside(database: Path) -> Path:
    """Where the fact index of a state database lives by default: filmbot.db, filmbot-index.db."""
    return database.with_name(f"{database.stem}-index.db")


# The environment variable of each setting.
ENVIRONMENT = {
    "token": "DISCORD_TOKEN",
    "api_base": "DISCORD_API_BASE",
    "gateway_url": "DISCORD_GATEWAY_URL",
    "database": "FILMBOT_DATABASE",
    "index": "FILMBOT_INDEX",
    "data_dir": "FILMBOT_DATA",
    "trivia_packs": "FILMBOT_TRIVIA_PACKS",
    "message_content": "FILMBOT_MESSAGE_CONTENT",
    "dev_guild": "FILMBOT_DEV_GUILD",
    "log_level": "FILMBOT_LOG_LEVEL",
    "shards": "FILMBOT_SHARDS",
    "shard_count": "FILMBOT_SHARD_COUNT",
    "sync": "FILMBOT_SYNC",
    "metrics_port": "FILMBOT_METRICS_PORT",
    "metrics_address": "FILMBOT_METRICS_ADDRESS",
}
CONFIG_FILE_VARIABLE = "FILMBOT_CONFIG"
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def load_settings(
    config_path: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build the settings from the YAML file (if any) and the environment."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_path or environ.get(CONFIG_FILE_VARIABLE)
    if path:
        values.update(_read_yaml(Path(path)))
    for name, variable in ENVIRONMENT.items():
        if variable in environ:
            values[name] = _from_text(name, variable, environ[variable])
    if isinstance(values.get("log_level"), str):
        values["log_level"] = values["log_level"].upper()
        if values["log_level"] not in LOG_LEVELS:
            raise ConfigError(
                f"log_level: expected one of {', '.join(LOG_LEVELS)}, got {values['log_level']!r}"
            )
    port = values.get("metrics_port")
    if port is not None and not 1 <= port <= 65535:
        raise ConfigError(f"metrics_port: expected a port from 1 to 65535, got {port}")
    if values.get("metrics_address") == "":  # not "every interface" by accident
        raise ConfigError("metrics_address: expected an address to listen on, such as 127.0.0.1, got ''")
    return Settings(**values)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(data).__name__}")
    known = _types()
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key {key!r} (known keys: {', '.join(known)})")
        _check_type(f"{path}: {key}", value, known[key])
    if isinstance(data.get("database"), str):
        data["database"] = database_target(f"{path}: database", data["database"])
    return {
        k: Path(v) if isinstance(v, str) and _is_path(_types()[k]) and k != "database" else v
        for k, v in data.items()
    }


def _is_path(hint: Any) -> bool:
    return Path in (typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,))


def _types() -> dict[str, Any]:
    hints = typing.get_type_hints(Settings)
    return {f.name: hints[f.name] for f in dataclasses.fields(Settings)}


def _check_type(where: str, value: Any, hint: Any) -> None:
    allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    accepted = tuple(str if t is Path else t for t in allowed)
    # bool is an int in Python; a YAML `true` is no server id.
    if isinstance(value, bool) and bool not in accepted:
        ok = False
    else:
        ok = isinstance(value, accepted) or (value is None and type(None) in allowed)
    if not ok:
        names = " or ".join("null" if t is type(None) else "a " + _describe(t) for t in allowed)
        names = names.replace("a path or a string", "a path or a URL")
        raise ConfigError(f"{where}: expected {names}, got {value!r}")


def _describe(t: type) -> str:
    return {str: "string", Path: "path", bool: "boolean", int: "whole number"}.get(t, t.__name__)


def _from_text(name: str, variable: str, text: str) -> Any:
    """Parse an environment variable's text into the setting's type."""
    hint = _types()[name]
    kinds = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if bool in kinds:
        if text.strip().lower() in _TRUE | _FALSE:
            return text.strip().lower() in _TRUE
        raise ConfigError(f"{variable}: expected a boolean (1/0, true/false, yes/no, on/off), got {text!r}")
    if int in kinds:
        if not text.strip():
            return None
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"{variable}: expected a whole number, got {text!r}") from None
    if name == "database":
        return database_target(variable, text)
    if Path in kinds:
        return Path(text) if text.strip() or type(None) not in kinds else None
    return (text or None) if type(None) in kinds else text


_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$")


def database_target(where: str, text: str) -> Path | str:
    """What a database setting names: a SQLite file (a path, or a sqlite:/// URL: sqlite:///relative.db,
    sqlite:////absolute.db), or a PostgreSQL server (a postgresql:// URL, kept as text). Any other
    URL is refused in a sentence."""
    match = _URL.match(text.strip())
    if match is None:
        return Path(text)
    scheme, rest = match[1].lower(), match[2]
    if scheme == "sqlite" and rest.startswith("/") and rest != "/":
        return Path(rest[1:])
    if scheme == "sqlite":
        raise ConfigError(f"{where}: a SQLite URL names its file: sqlite:///filmbot.db, got {text!r}")
    if scheme in SERVER_SCHEMES:
        return text.strip()
    raise ConfigError(
        f"{where}: {scheme}:// databases are not supported: filmbot keeps its state in a SQLite file "
        "(FILMBOT_DATABASE=/data/filmbot.db, or sqlite:///path) or in PostgreSQL "
        "(FILMBOT_DATABASE=postgresql://user@host/filmbot)"
    )


def configure_logging(level: str, *, filename: Path | None = None) -> None:
    """Log to stderr (or a file) at `level`; discord.py's own loggers follow the same level."""
    handler: logging.Handler = logging.FileHandler(filename) if filename else logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s"))
    handler.addFilter(OperatorFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
