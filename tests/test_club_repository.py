"""The club's state on both backends (the `state_target` fixture): suggestions, polls, screenings
and ratings, and the rules a poll follows (bot/club/model.py)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.club.model import PAGE_SIZE, ClubPoll, Suggestion, tally, winner
from bot.shards import Shards
from bot.storage import State
from bot.storage.database import migrations
from bot.trivia.club_questions import Rated, club_questions


@pytest.fixture
async def state(state_target: Path | str) -> AsyncIterator[State]:
    opened = await State.open(state_target)
    yield opened
    await opened.close()


def poll(message_id: int, guild_id: int = 1, films: tuple[str, ...] = ("a", "b")) -> ClubPoll:
    return ClubPoll(message_id, guild_id, 10, films, None, None, None, None, "open", None, None)


def test_a_poll_offers_the_most_suggested_first_and_the_earlier_in_a_tie() -> None:
    suggestions = [
        Suggestion(1, "ana", "solaris", 100),
        Suggestion(2, "boris", "mirror", 90),
        Suggestion(3, "you", "solaris", 120),
        Suggestion(4, "dana", "stalker", 80),
    ]
    ranked = tally(suggestions)
    assert [(s.film_id, s.members, s.names) for s in ranked] == [
        ("solaris", 2, ("ana", "you")),
        ("stalker", 1, ("dana",)),
        ("mirror", 1, ("boris",)),
    ]


def test_the_winner_has_the_most_votes_a_tie_goes_to_the_answer_offered_first() -> None:
    films = ("solaris", "stalker", "mirror")
    assert winner(films, {2: 3, 3: 1}) == "stalker"
    assert winner(films, {1: 2, 3: 2}) == "solaris"
    assert winner(films, {3: 2, 2: 2}) == "stalker"
    assert winner(films, {}) is None
    assert winner(films, {1: 0, 2: 0}) is None


async def test_one_suggestion_a_member_replaced_and_withdrawn(state: State) -> None:
    club = state.club
    assert await club.suggest(1, 5, "ana", "stalker-1979", 100) is None
    assert await club.suggest(1, 5, "Ana", "mirror-1975", 110) == "stalker-1979"
    assert await club.suggest(1, 6, "boris", "mirror-1975", 120) is None
    assert await club.suggest(2, 5, "ana", "solaris-1972", 130) is None  # another server: its own
    assert await club.suggestions(1) == [
        Suggestion(5, "Ana", "mirror-1975", 110),
        Suggestion(6, "boris", "mirror-1975", 120),
    ]
    assert await club.withdraw(1, 6) == "mirror-1975"
    assert await club.withdraw(1, 6) is None
    assert [s.user_id for s in await club.suggestions(1)] == [5]


async def test_suggestions_kept_in_seconds_before_0010_are_in_milliseconds_after(tmp_path: Path) -> None:
    path = tmp_path / "filmbot.db"
    with sqlite3.connect(path) as old:  # as version 9 left it
        for _, sql in migrations("sqlite")[:9]:
            old.executescript(sql)
        old.executescript(
            "INSERT INTO club_suggestions VALUES (1, 5, 'ana', 'stalker-1979', 1764000000);"
            "PRAGMA user_version = 9;"
        )
    state = await State.open(path)
    try:
        await state.club.suggest(1, 6, "boris", "mirror-1975", 1764000000500)  # half a second later
        assert [(s.user_id, s.at) for s in await state.club.suggestions(1)] == [
            (5, 1764000000000),
            (6, 1764000000500),
        ]
    finally:
        await state.close()


async def test_a_screening_closes_the_film_s_suggestions_and_is_recorded_once(state: State) -> None:
    club = state.club
    await club.suggest(1, 5, "ana", "stalker-1979", 100)
    await club.suggest(1, 6, "boris", "mirror-1975", 100)
    await club.suggest(2, 7, "dana", "stalker-1979", 100)
    assert await club.record_screening(1, "stalker-1979", date(2026, 11, 20), 200)
    assert not await club.record_screening(1, "stalker-1979", date(2026, 11, 20), 210)
    assert await club.record_screening(1, "stalker-1979", date(2026, 12, 2), 220)
    assert [s.film_id for s in await club.suggestions(1)] == ["mirror-1975"]
    assert [s.film_id for s in await club.suggestions(2)] == ["stalker-1979"]
    assert await club.watched_on(1, "stalker-1979") == date(2026, 12, 2)
    assert await club.watched_on(1, "mirror-1975") is None
    assert await club.watched_on(2, "stalker-1979") is None


async def test_ratings_their_average_spread_and_order(state: State) -> None:
    club = state.club
    assert await club.ratings(1, "stalker-1979") is None
    await club.rate(1, "stalker-1979", 5, "ana", 10, "a **slow** marvel", 100)
    await club.rate(1, "stalker-1979", 6, "boris", 7, None, 110)
    before = await club.rate(1, "stalker-1979", 6, "boris", 8, "grew on me", 120)
    assert before is not None and before.halves == 7
    await club.rate(1, "stalker-1979", 7, "you", 8, None, 130)
    await club.rate(1, "mirror-1975", 5, "ana", 6, None, 140)
    await club.rate(1, "solaris-1972", 5, "ana", 9, None, 150)
    await club.rate(2, "mirror-1975", 5, "ana", 10, None, 160)  # another server
    stalker = await club.ratings(1, "stalker-1979")
    assert stalker is not None
    assert (stalker.count, stalker.average, stalker.spread) == (3, 26 / 3 / 2, ((10, 1), (8, 2)))
    assert [(r.film_id, r.average) for r in await club.rated(1)] == [
        ("solaris-1972", 4.5),
        ("stalker-1979", 26 / 6),
        ("mirror-1975", 3.0),
    ]
    assert [r.name for r in await club.reviews(1, "stalker-1979", 5)] == ["boris", "ana"]
    assert await club.member_ratings(1, 5) == {"stalker-1979": 10, "mirror-1975": 6, "solaris-1972": 9}


async def test_history_pages_latest_first_with_averages(state: State) -> None:
    club = state.club
    for day in range(1, PAGE_SIZE + 3):
        await club.record_screening(1, f"film-{day}", date(2026, 10, day), day)
    await club.rate(1, "film-12", 5, "ana", 9, None, 100)
    await club.rate(1, "film-12", 6, "boris", 6, None, 100)
    first, total = await club.history(1, 0)
    assert total == PAGE_SIZE + 2
    assert [s.day.day for s in first] == list(range(PAGE_SIZE + 2, 2, -1))
    assert first[0].ratings is not None and first[0].ratings.average == 3.75
    assert first[1].ratings is None
    second, _ = await club.history(1, 1)
    assert [s.film_id for s in second] == ["film-2", "film-1"]


async def test_a_poll_is_decided_once_and_pending_until_announced(state: State) -> None:
    club = state.club
    await club.add_poll(poll(500, films=("stalker-1979", "mirror-1975")), 5, 100)
    found = await club.open_poll(1)
    assert found is not None and found.films == ("stalker-1979", "mirror-1975")
    assert await club.open_poll(2) is None
    assert await club.decide(500, "mirror-1975")
    assert not await club.decide(500, "stalker-1979")  # a second process, or a second event
    decided = await club.poll(500)
    assert decided is not None and (decided.status, decided.winner) == ("decided", "mirror-1975")
    assert await club.open_poll(1) is None
    await club.set_event(500, 900)
    assert (await club.poll_of_event(1, 900)) == await club.poll(500)
    await club.add_poll(poll(400), 5, 100)  # an older poll whose end nobody has seen
    assert [p.message_id for p in await club.pending()] == [400, 500]
    await club.mark_announced(500)  # it waits for its event to end: after the unannounced
    assert [(p.message_id, p.status) for p in await club.pending()] == [(400, "open"), (500, "announced")]
    assert await club.mark_done(500) and not await club.mark_done(500)
    await club.mark_announced(500)  # an announcement recorded after its event ended: still done
    assert (await club.poll(500)).status == "done"  # type: ignore[union-attr]
    await club.decide(400, None)
    await club.mark_announced(400)  # no event: done at once
    assert await club.pending() == []


async def test_pending_polls_are_those_of_this_process_s_shards(state_target: Path | str) -> None:
    on_shard = [((n * 2 + shard) << 22) | 1 for n, shard in ((0, 0), (0, 1), (1, 1))]
    writer = await State.open(state_target)
    try:
        for guild in on_shard:
            await writer.club.add_poll(poll(guild + 1, guild), 5, 100)
    finally:
        await writer.close()
    second = await State.open(state_target, shards=Shards((1,), 2))
    try:
        assert sorted(p.guild_id for p in await second.club.pending()) == on_shard[1:]
    finally:
        await second.close()


async def test_forget_and_reset(state: State) -> None:
    club = state.club
    await club.set_role(1, 42)
    await club.suggest(1, 5, "ana", "stalker-1979", 100)
    await club.rate(2, "mirror-1975", 5, "ana", 8, "yes", 100)
    await club.rate(3, "mirror-1975", 6, "boris", 8, None, 100)
    await club.add_poll(poll(500), 5, 100)
    assert await club.forget(5) == {1, 2}
    assert await club.forget(5) == set()
    assert await club.suggestions(1) == [] and await club.ratings(2, "mirror-1975") is None
    assert await state._db.fetchone("SELECT starter_id FROM club_polls WHERE message_id = 500") == (0,)
    await club.record_screening(1, "stalker-1979", date(2026, 11, 1), 100)
    assert await club.reset(1) == 2  # the poll and the screening
    assert await club.history(1, 0) == ([], 0) and await club.poll(500) is None
    assert await club.role(1) == 42  # settings stay
    assert await club.ratings(3, "mirror-1975") is not None


def test_club_trivia_asks_which_film_the_server_rated_highest() -> None:
    rated = [
        Rated("Stalker (1979)", "Stalker", 4.5),
        Rated("Mirror (1975)", "Mirror", 4.0),
        Rated("Solaris (1972)", "Solaris", 4.0),
        Rated("Ran (1985)", "Ran", 3.0),
        Rated("Ivan's Childhood (1962)", "Ivan's Childhood", 2.5),
    ]
    questions = club_questions(rated, 10, random.Random(7))
    assert len(questions) == len({frozenset(q.choices) for q in questions}) > 1
    averages = {r.label: r.average for r in rated}
    for q in questions:
        best = max(averages[c] for c in q.choices)
        assert [c for c in q.choices if averages[c] == best] == [q.answer]  # one film on top
        assert q.answers[1] == q.answer.rsplit(" (", 1)[0] and all(c in q.text for c in q.choices)
    tied = [Rated("Mirror (1975)", "Mirror", 4.0), Rated("Solaris (1972)", "Solaris", 4.0)]
    assert club_questions(tied, 5, random.Random(1)) == []
    assert club_questions(rated[:1], 5, random.Random(1)) == []
