"""Typed answers: what counts as right, and what must not."""

import pytest

from bot.text import typo_tolerance
from bot.trivia.matching import AnswerMatcher, normalise

TARKOVSKY = ["Andrei Tarkovsky", "Andrey Tarkovsky", "Andrey Tarkovskiy", "Tarkovsky", "Андрей Тарковский"]

ACCEPTED = [
    (TARKOVSKY, "tarkovsky"),
    (TARKOVSKY, "Andrei Tarkovsky"),
    (TARKOVSKY, "Andrey Tarkovskiy"),
    (TARKOVSKY, "andrei tarkovskiy"),
    (TARKOVSKY, "ANDREI TARKOVSKY!!!"),
    (TARKOVSKY, "Tarkovski"),
    (TARKOVSKY, "Андрей Тарковский"),
    (TARKOVSKY, "  andrei   tarkovsky  "),
    (TARKOVSKY, "Andrei Tarkovksy"),
    (["Seven Samurai", "七人の侍"], "seven samurai"),
    (["Seven Samurai"], "The Seven Samurai"),
    (["Seven Samurai"], "Seven Samuria"),
    (["Seven Samurai"], "sevensamurai"),
    (["The Godfather"], "godfather"),
    (["The Godfather"], "the godfather"),
    (["The Godfather"], "Godfather."),
    (["La Strada"], "strada"),
    (["Das Boot"], "boot"),
    (["Amélie"], "amelie"),
    (["Amélie"], "AMÉLIE"),
    (["Roadside Picnic", "Пикник на обочине"], "roadside picnic"),
    (["Roadside Picnic", "Пикник на обочине"], "пикник на обочине"),
    (["Roadside Picnic"], "Roadside-Picnic"),
    (["Roadside Picnic"], "roadsde picnic"),
    (["1979"], "1979"),
    (["1979"], " 1979. "),
    (["Kodak 5247"], "kodak 5247"),
    (["Kodak 5247"], "Kodack 5247"),
    (["Mosfilm"], "mosfilm"),
    (["Mosfilm"], "Mosflim"),
    (["Eduard Artemyev", "Artemyev"], "artemyev"),
    (["Eduard Artemyev", "Artemyev"], "Eduard Artemiev"),
    (["Tom & Jerry"], "tom and jerry"),
    (["Schindler's List"], "schindlers list"),
    (["Schindler's List"], "Schindler’s List"),
    (["Schindler's List"], "schindler's list"),
    (["2001: A Space Odyssey"], "2001 a space odyssey"),
    (["2001: A Space Odyssey"], "2001 space odyssey"),
    (["yes"], "Yes"),
    (["3.14"], "3.14"),
    (["Akira Kurosawa", "Kurosawa"], "kurosawa"),
    (["Wong Kar-wai"], "wong kar wai"),
    (["Wong Kar-wai"], "Wong Karwai"),
    (["Bong Joon-ho"], "bong joon ho"),
    (["M"], "m"),
    (["Ran"], "ran"),
    (["Alexander Kaidanovsky", "Kaidanovsky", "Kaydanovsky"], "kaydanovsky"),
    (["Alexander Kaidanovsky"], "Aleksander Kaidanovsky"),
    # A unit after the number the question asks for.
    (["163"], "163 min"),
    (["163"], "163min"),
    (["163"], "163 minutes"),
    (["163 minutes"], "163"),
    (["3"], "3 Oscars"),
    (["1979"], "1979 year"),
    # Other scripts, abbreviations and dotted initials of the same name.
    (["Soviet Union"], "СССР"),
    (["Soviet Union"], "USSR"),
    (["Soviet Union"], "U.S.S.R."),
    (["Soviet Union"], "советский союз"),
    (["Soviet Union"], "the Soviet Union"),
    (["United States"], "USA"),
    (["United States"], "the U.S.A."),
    (["United States"], "US"),
    (["United Kingdom"], "UK"),
    (["West Germany"], "BRD"),
    (["Japan"], "日本"),
    (["M*A*S*H"], "mash"),
]

REJECTED = [
    (TARKOVSKY, "Tarantino"),
    (TARKOVSKY, "Andrei Konchalovsky"),
    (TARKOVSKY, "andrei"),
    (TARKOVSKY, ""),
    (TARKOVSKY, "!!!"),
    (TARKOVSKY, "tark"),
    (["1979"], "1978"),
    (["1979"], "1997"),
    (["1979"], "in 1979 or 1980"),
    (["Kodak 5247"], "kodak 5254"),
    (["Seven Samurai"], "samurai"),
    (["Seven Samurai"], "seven"),
    (["Seven Samurai"], "The Magnificent Seven"),
    (["M"], "n"),
    (["Ran"], "run"),
    (["Ran"], "rain"),
    (["The Godfather"], "the"),
    (["The Godfather"], "godfather part ii"),
    (["Mosfilm"], "lenfilm"),
    (["Roadside Picnic"], "picnic"),
    (["2001: A Space Odyssey"], "2010 a space odyssey"),
    (["yes"], "no"),
    (["Alien"], "aliens2"),
    (["Solaris"], "stalker"),
    (["Amélie"], "emily"),
    (["Writer"], "professor"),
    (["163"], "162 min"),
    (["163"], "163 million"),
    (["163"], "about 163"),
    (["3"], "30 oscars"),
    (["Soviet Union"], "Russia"),
    (["Soviet Union"], "USA"),
    (["West Germany"], "GDR"),
    (["Germany"], "West Germany"),
    (["Us (2019)", "Us"], "USA"),  # a film called Us is not the United States
    (["Us"], "United States"),
]


@pytest.mark.parametrize(("accepted", "guess"), ACCEPTED)
def test_accepted(accepted: list[str], guess: str) -> None:
    assert AnswerMatcher(accepted).matches(guess)


@pytest.mark.parametrize(("accepted", "guess"), REJECTED)
def test_rejected(accepted: list[str], guess: str) -> None:
    assert not AnswerMatcher(accepted).matches(guess)


def test_there_are_enough_cases() -> None:
    assert len(ACCEPTED) + len(REJECTED) >= 60


def test_normalise_and_tolerance() -> None:
    assert normalise("The  Seven-Samurai!") == "seven samurai"
    assert normalise("The") == "the"  # an article alone is kept
    assert normalise("Сталкер") == "stalker"
    assert [
        typo_tolerance(normalise(a)) for a in ("Ran", "Stalker", "Seven Samurai", "Andrei Tarkovsky")
    ] == [
        0,
        1,
        2,
        3,
    ]
