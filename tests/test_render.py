"""Every embed and text the bot builds fits Discord's limits, as the sandbox's validator checks them."""

from __future__ import annotations

import discord
from discord import app_commands

from bot import limits, render
from bot.club.model import FilmRatings
from bot.config import SOURCE_DATA_DIR
from bot.errors import explain
from bot.facts.model import Fact, Film
from bot.qa.answer import Answer
from bot.sandbox.limits import check_message
from bot.trivia.game import Mode, Round
from bot.trivia.packs import load_packs


def _payload(embed: discord.Embed) -> dict[str, object]:
    return {"embeds": [embed.to_dict()]}


def test_an_embed_over_every_limit_is_cut_to_fit_them_all() -> None:
    embed = discord.Embed(title="T" * 300, description="D" * 5000)
    for i in range(30):
        embed.add_field(name=f"name {i} " + "n" * 300, value="v" * 2000)
    embed.set_footer(text="f" * 3000)
    embed.set_author(name="a" * 300)
    assert check_message(_payload(embed)) is not None  # Discord would refuse it
    fitted = render.fit_embed(embed)
    assert check_message(_payload(fitted)) is None
    assert len(fitted) <= limits.EMBED_TOTAL and len(fitted.fields) <= limits.FIELDS
    assert fitted.title and fitted.title.endswith("…") and len(fitted.title) == limits.EMBED_TITLE
    assert fitted.footer.text and len(fitted.footer.text) == limits.EMBED_FOOTER


def test_an_embed_within_the_limits_is_left_as_it_was() -> None:
    embed = discord.Embed(title="Stalker (1979)", description="A guide leads two men into the Zone.")
    embed.add_field(name="Directed by", value="Andrei Tarkovsky")
    before = embed.to_dict()
    assert render.fit_embed(embed).to_dict() == before


def test_a_long_answer_and_film_card_go_out_within_the_limits() -> None:
    long = "word " * 2000
    answer = Answer(True, long, source="Wikidata " * 500)
    assert check_message(_payload(render.qa.answer_embed(long, answer))) is None
    film = Film(
        id="x-2000",
        title="X" * 400,
        year=2000,
        directors=tuple(f"Director {i}" for i in range(300)),
        synopsis=long,
        facts=tuple(Fact(long, "source " * 100) for _ in range(3)),
        source="Wikidata " * 400,
    )
    assert check_message(_payload(render.qa.film_embed(film))) is None


def test_a_text_over_two_thousand_characters_is_cut() -> None:
    text = render.fit_text("topic, " * 1000)
    assert len(text) == limits.CONTENT and text.endswith("…")
    assert check_message({"content": text}) is None


def test_a_club_average_is_rounded_as_members_round() -> None:
    def shown(*halves: int) -> str:
        return render.club.average(FilmRatings("x-2000", len(halves), sum(halves)))

    assert shown(7, 6) == "3.3 of 5 from 2 ratings"  # 3.25
    assert shown(10) == "5.0 of 5 from 1 rating"
    assert shown(2, 2, 3) == "1.2 of 5 from 3 ratings"  # 1.1666…
    assert shown(9, 8, 8) == "4.2 of 5 from 3 ratings"  # 4.1666…
    assert shown(3, 2, 2, 2) == "1.1 of 5 from 4 ratings"  # 1.125


def test_counts_of_one_are_singular() -> None:
    cooldown = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 30.0), 0.4)
    assert explain(cooldown, "/ask") == "Slow down: try again in 1 second."
    later = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 30.0), 12.2)
    assert explain(later, "/ask") == "Slow down: try again in 13 seconds."
    pack = load_packs([SOURCE_DATA_DIR / "trivia"])[0]["stalker"]
    game = Round(1, 1, "stalker", Mode.BUTTONS, list(pack.questions[:1]), 20)
    assert render.trivia.round_start_text(game, "Stalker (1979)", "ana").startswith(
        "Trivia: **Stalker (1979)**, 1 question, 20 s each;"
    )
