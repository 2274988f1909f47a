from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "filmbot.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file_or_environment() -> None:
    settings = load_settings(environ={})
    assert settings == Settings()
    assert settings.api_base == "https://discord.com/api/v10"
    assert settings.database == Path("filmbot.db")
    assert settings.message_content is False


def test_environment_overrides_file(tmp_path: Path) -> None:
    path = write(tmp_path, "database: from-file.db\nlog_level: debug\ndev_guild: 42\n")
    settings = load_settings(
        path, environ={"FILMBOT_DATABASE": "from-env.db", "FILMBOT_MESSAGE_CONTENT": "yes"}
    )
    assert settings.database == Path("from-env.db")
    assert settings.log_level == "DEBUG"
    assert settings.dev_guild == 42
    assert settings.message_content is True


def test_config_file_from_environment_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "api_base: http://127.0.0.1:9/api/v10\n")
    assert load_settings(environ={"FILMBOT_CONFIG": str(path)}).api_base == "http://127.0.0.1:9/api/v10"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("colour: blue\n", "unknown key 'colour'"),
        ("message_content: maybe\n", "message_content: expected a boolean, got 'maybe'"),
        ("dev_guild: true\n", "dev_guild: expected a whole number or null, got True"),
        ("database: [a, b]\n", "database: expected a path or a URL, got ['a', 'b']"),
        ("- just\n- a list\n", "expected a mapping of settings"),
        ("token: [unclosed\n", "filmbot.yaml:2: not valid YAML"),
    ],
)
def test_bad_file_names_the_key_and_what_was_expected(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        load_settings(write(tmp_path, text), environ={})


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("FILMBOT_MESSAGE_CONTENT", "perhaps", "FILMBOT_MESSAGE_CONTENT: expected a boolean"),
        ("FILMBOT_DEV_GUILD", "my-server", "FILMBOT_DEV_GUILD: expected a whole number"),
        ("FILMBOT_LOG_LEVEL", "LOUD", "log_level: expected one of DEBUG, INFO"),
    ],
)
def test_bad_environment_value(variable: str, value: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_settings(environ={variable: value})


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_settings(tmp_path / "absent.yaml", environ={})


def test_token_never_appears_in_repr() -> None:
    settings = load_settings(environ={"DISCORD_TOKEN": "secret-token-value"})
    assert settings.token == "secret-token-value"
    assert "secret-token-value" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("data/filmbot.db", "data/filmbot.db"),
        ("sqlite:///state.db", "state.db"),
        ("sqlite:////srv/f.db", "/srv/f.db"),
    ],
)
def test_the_database_is_a_path_or_a_sqlite_url(text: str, path: str) -> None:
    assert load_settings(environ={"FILMBOT_DATABASE": text}).database == Path(path)


def test_a_postgresql_url_is_kept_and_the_index_goes_to_the_working_folder(tmp_path: Path) -> None:
    url = "postgresql://filmbot:secret@db.example/filmbot"
    settings = load_settings(environ={"FILMBOT_DATABASE": url})
    assert settings.database == url and settings.index_path == Path("filmbot-index.db")
    config = tmp_path / "filmbot.yaml"
    config.write_text(f"database: postgres://db/filmbot\nindex: {tmp_path}/i.db\n", encoding="utf-8")
    settings = load_settings(config, environ={})
    assert settings.database == "postgres://db/filmbot" and settings.index_path == tmp_path / "i.db"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"FILMBOT_SHARDS": "0-3", "FILMBOT_SHARD_COUNT": "8"}, "shards 0,1,2,3 of 8"),
        ({"FILMBOT_SHARDS": "1, 5-6", "FILMBOT_SHARD_COUNT": "8"}, "shards 1,5,6 of 8"),
        ({}, "None"),
    ],
)
def test_shards_of_this_process(environ: dict[str, str], expected: str) -> None:
    assert str(load_settings(environ=environ).shard_plan) == expected


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"FILMBOT_SHARDS": "0-3"}, "go together"),
        ({"FILMBOT_SHARDS": "6-9", "FILMBOT_SHARD_COUNT": "8"}, "shard 8 is not one of 0-7"),
        ({"FILMBOT_SHARDS": "3-1", "FILMBOT_SHARD_COUNT": "8"}, "from low to high"),
        ({"FILMBOT_SHARDS": "all", "FILMBOT_SHARD_COUNT": "8"}, "such as 0-3"),
        ({"FILMBOT_SHARDS": "0", "FILMBOT_SHARD_COUNT": "0"}, "at least 1"),
    ],
)
def test_shards_that_make_no_sense_are_refused_in_a_sentence(environ: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_settings(environ=environ).shard_plan  # noqa: B018


@pytest.mark.parametrize("url", ["mysql://x", "sqlite://"])
def test_a_database_url_the_bot_cannot_use_is_refused_in_a_sentence(url: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^FILMBOT_DATABASE: .*(not supported|names its file)"):
        load_settings(environ={"FILMBOT_DATABASE": url})
    config = tmp_path / "filmbot.yaml"
    config.write_text(f"database: {url}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{config}: database: "):
        load_settings(config)
