"""End to end: /ask, /film and its autocomplete, through the sandbox, as members use them."""

import pytest

from bot.sandbox import ClientRefusal
from bot.sandbox.messages import EPHEMERAL
from tests.conftest import Running


async def test_ask_answers_with_the_film_and_the_source(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    reply = (await sandbox.slash(demo.film_club, demo.ana, "ask", question="who directed Stalker?")).reply
    (embed,) = reply.embeds
    assert embed["title"] == "Stalker (1979)"
    assert "Andrei Tarkovsky" in embed["description"]
    assert embed["footer"]["text"] == (
        "Source: The Dark Dystopian Sci-Fi Classic Still Mesmerizing Audiences Nearly 50 Years Later"
    )
    assert embed["fields"][0]["value"] == "who directed Stalker?"


async def test_ask_says_it_does_not_know_instead_of_guessing(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    reply = (await sandbox.slash(demo.general, demo.ana, "ask", question="who directed Stalkerz 2?")).reply
    (embed,) = reply.embeds
    assert embed["title"] == "I don't know"
    assert "Did you mean Stalker (1979)?" in embed["description"]
    assert "footer" not in embed


async def test_hostile_questions_are_shown_harmlessly(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    question = "@everyone **who** directed <@&1> `Stalker`? " + "ä" * 250
    reply = (await sandbox.slash(demo.general, demo.boris, "ask", question=question)).reply
    assert not reply.pings_anyone()
    shown = reply.embeds[0]["fields"][0]["value"]
    assert r"\*\*who\*\*" in shown  # markdown in the question is shown, not rendered


async def test_over_long_question_is_stopped_by_discord_and_harmless_to_the_engine(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    with pytest.raises(ClientRefusal, match="characters: Discord's client sends 1 to"):
        await sandbox.slash(demo.general, demo.ana, "ask", question="who directed Stalker? " * 20)
    answer = running.bot.answerer.answer("who directed Stalker? " * 1000)  # e.g. from `filmbot ask`
    assert answer.answered and answer.film is not None and answer.film.title == "Stalker"


async def test_film_card_and_autocomplete(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    choices = await sandbox.autocomplete(demo.general, demo.ana, "film", "title", title="stalkr")
    assert choices[0] == {"name": "Stalker (1979) — Andrei Tarkovsky", "value": "stalker-1979"}
    assert len(choices) <= 25
    card = (await sandbox.slash(demo.general, demo.ana, "film", title=choices[0]["value"])).reply.embeds[0]
    assert card["title"] == "Stalker (1979)"
    fields = {f["name"]: f["value"] for f in card["fields"]}
    assert fields["Original title"] == "Сталкер"
    assert fields["Directed by"] == "Andrei Tarkovsky"
    assert "Alexander Kaidanovsky (Stalker)" in fields["Cast"]
    assert fields["Based on"].startswith("Roadside Picnic (1972)")
    assert fields["Runtime"] == "163 minutes"
    assert "Source: " in fields["A fact"]
    wikidata, imdb = "https://www.wikidata.org/wiki/Q200437", "https://www.imdb.com/title/tt0079944/"
    assert fields["Links"] == f"[Wikidata]({wikidata}) · [IMDb]({imdb})"


async def test_film_by_typed_title_and_unknown_title(running: Running) -> None:
    sandbox, demo = running.sandbox, running.demo
    card = (await sandbox.slash(demo.general, demo.ana, "film", title="Сталкер")).reply.embeds[0]
    assert card["title"] == "Stalker (1979)"
    for typed, title in [
        ("ran", "Ran (1985)"),
        ("m 1931", "M (1931)"),
        ("the seventh seal", "The Seventh Seal (1957)"),
    ]:
        card = (await sandbox.slash(demo.general, demo.ana, "film", title=typed)).reply.embeds[0]
        assert card["title"] == title, typed  # a short title typed in lower case, without autocomplete
    unknown = (await sandbox.slash(demo.general, demo.ana, "film", title="Stalkerz Returns")).reply
    assert unknown.flags & EPHEMERAL
    assert unknown.content.startswith("I don't know a film called 'Stalkerz Returns'.")
    marked = (await sandbox.slash(demo.general, demo.ana, "film", title="**zz** _x_")).reply
    assert marked.content.startswith("I don't know a film called '\\*\\*zz\\*\\* \\_x\\_'.")  # as typed


async def test_the_film_and_schedule_options_are_declared_as_discord_shows_them(running: Running) -> None:
    """The transformers' options, as the bot synced them: autocompleted, with the lengths Discord
    enforces in its client."""
    synced = {c["name"]: c for c in running.sandbox.commands[None]}
    (title,) = synced["film"]["options"]
    assert (title["type"], title["autocomplete"], title["min_length"], title["max_length"]) == (
        3,
        True,
        1,
        200,
    )
    schedule = next(o for o in synced["feature"]["options"] if o["name"] == "schedule")
    options = {o["name"]: o for o in schedule["options"]}
    assert options["timezone"]["autocomplete"] is True and options["timezone"]["max_length"] == 64
    assert not options["time"].get("autocomplete") and options["time"]["max_length"] == 10
    queue = next(o for o in synced["feature"]["options"] if o["name"] == "queue")
    assert queue["options"][0]["autocomplete"] is True
