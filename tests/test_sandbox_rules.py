"""The sandbox rejects what Discord rejects, answering 400/404 with Discord's error JSON.

Each payload goes through discord.py's own HTTP client, as the bot's would.
"""

import asyncio
from typing import Any

import aiohttp
import discord
import pytest
from discord.http import Route

from bot.sandbox.interactions import COMPONENT
from tests.conftest import Running


def embed(**fields: Any) -> dict[str, Any]:
    return {"type": "rich", **fields}


def button(custom_id: str = "b") -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "Go", "custom_id": custom_id}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


BAD_MESSAGES = [
    pytest.param({"content": "x" * 2001}, 50035, "content", id="content over 2000"),
    pytest.param({"content": ""}, 50006, None, id="empty message"),
    pytest.param({"embeds": [embed(title="t" * 257)]}, 50035, "embeds", id="embed title over 256"),
    pytest.param({"embeds": [embed(description="d" * 4097)]}, 50035, "embeds", id="description over 4096"),
    pytest.param(
        {"embeds": [embed(fields=[{"name": "n", "value": "v"}] * 26)]}, 50035, "embeds", id="over 25 fields"
    ),
    pytest.param(
        {"embeds": [embed(fields=[{"name": "n" * 257, "value": "v"}])]}, 50035, "embeds", id="field name"
    ),
    pytest.param(
        {"embeds": [embed(fields=[{"name": "n", "value": "v" * 1025}])]}, 50035, "embeds", id="field value"
    ),
    pytest.param({"embeds": [embed(footer={"text": "f" * 2049})]}, 50035, "embeds", id="footer over 2048"),
    pytest.param(
        {"embeds": [embed(description="d" * 4000), embed(description="d" * 2001)]},
        50035,
        "embeds",
        id="total 6000",
    ),
    pytest.param({"embeds": [embed(title="t")] * 11}, 50035, "embeds", id="over 10 embeds"),
    pytest.param({"components": [row(button(f"b{i}")) for i in range(6)]}, 50035, "components", id="6 rows"),
    pytest.param(
        {"components": [row(*(button(f"b{i}") for i in range(6)))]}, 50035, "components", id="6 buttons"
    ),
    pytest.param({"components": [row(button("c" * 101))]}, 50035, "components", id="custom_id over 100"),
]


@pytest.mark.parametrize(("payload", "code", "field"), BAD_MESSAGES)
async def test_bad_channel_message_is_refused(
    running: Running, payload: dict, code: int, field: str | None
) -> None:
    http = running.bot.http
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=running.demo.general.id)
    with pytest.raises(discord.HTTPException) as caught:
        await http.request(route, json=payload)
    assert caught.value.status == 400
    assert caught.value.code == code
    if field is not None:
        assert field in caught.value.text  # discord.py flattens Discord's nested errors into the text
    assert not running.sandbox.channel_messages(running.demo.general)


async def test_limits_are_inclusive(running: Running) -> None:
    channel = running.bot.get_channel(running.demo.general.id)
    message = await channel.send("x" * 2000, embed=discord.Embed(title="t" * 256, description="d" * 4096))
    assert len(message.content) == 2000


@pytest.mark.parametrize(
    "command",
    [
        pytest.param({"name": "Ask", "description": "d"}, id="uppercase name"),
        pytest.param({"name": "a" * 33, "description": "d"}, id="name over 32"),
        pytest.param({"name": "two words", "description": "d"}, id="space in name"),
        pytest.param({"name": "ask", "description": ""}, id="empty description"),
        pytest.param({"name": "ask", "description": "d" * 101}, id="description over 100"),
        pytest.param(
            {
                "name": "ask",
                "description": "d",
                "options": [{"type": 3, "name": f"o{i}", "description": "d"} for i in range(26)],
            },
            id="26 options",
        ),
    ],
)
async def test_bad_command_is_refused(running: Running, command: dict) -> None:
    with pytest.raises(discord.HTTPException) as caught:
        await running.bot.http.bulk_upsert_global_commands(running.bot.application_id, payload=[command])
    assert caught.value.status == 400 and caught.value.code == 50035


async def callback(running: Running, interaction_id: int, token: str, body: dict) -> tuple[int, dict]:
    url = f"{running.sandbox.api_base}/interactions/{interaction_id}/{token}/callback"
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        return response.status, await response.json()


async def test_second_callback_to_an_interaction_is_refused(running: Running) -> None:
    answered = await running.sandbox.slash(running.demo.general, running.demo.you, "about")
    status, body = await callback(
        running, answered.id, answered.token, {"type": 4, "data": {"content": "again"}}
    )
    assert (status, body["code"]) == (400, 40060)


async def test_callback_after_three_seconds_is_unknown_interaction(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    sandbox.interaction_deadline = 0.2  # Discord's 3 seconds, shortened for the test
    message = await running.bot.get_channel(demo.general.id).send("press nothing")
    stored = sandbox.messages_by_id[message.id]
    stored.components = [row(button("nobody-handles-this"))]
    late = await sandbox.interact(
        COMPONENT,
        demo.general,
        demo.you,
        {"custom_id": "nobody-handles-this", "component_type": 2},
        message=stored,
    )
    await asyncio.sleep(0.3)
    status, body = await callback(running, late.id, late.token, {"type": 6})
    assert (status, body["code"]) == (404, 10062)


async def test_follow_up_before_any_response_is_refused(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    message = await running.bot.get_channel(demo.general.id).send("x")
    stored = sandbox.messages_by_id[message.id]
    stored.components = [row(button("unhandled"))]
    pending = await sandbox.interact(
        COMPONENT, demo.general, demo.you, {"custom_id": "unhandled", "component_type": 2}, message=stored
    )
    url = f"{sandbox.api_base}/webhooks/{sandbox.application_id}/{pending.token}"
    async with aiohttp.ClientSession() as session, session.post(url, json={"content": "hi"}) as response:
        assert response.status == 404
        assert (await response.json())["code"] == 10015


async def test_requests_without_the_token_are_unauthorized(running: Running) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{running.sandbox.api_base}/users/@me") as response,
    ):
        assert response.status == 401
        assert await response.json() == {"message": "401: Unauthorized", "code": 0}


async def test_sending_without_permission_is_forbidden_and_to_a_deleted_channel_unknown(
    running: Running,
) -> None:
    from bot.sandbox.model import SEND_MESSAGES, Overwrite

    demo = running.demo
    channel = running.bot.get_channel(demo.film_club.id)
    demo.film_club.overwrites.append(Overwrite(running.sandbox.bot_user.id, kind=1, deny=SEND_MESSAGES))
    with pytest.raises(discord.Forbidden) as forbidden:
        await channel.send("hello")
    assert forbidden.value.code == 50013
    demo.film_club.deleted = True
    with pytest.raises(discord.NotFound) as gone:
        await channel.send("hello")
    assert gone.value.code == 10003
