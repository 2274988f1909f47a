"""The repository contract: every test runs on SQLite and on PostgreSQL (the `state_target` fixture),
against the real database, and must give the same result on both."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.shards import Shards
from bot.storage import DatabaseBusy, DatabaseError, State, StorageUnavailable
from bot.storage.database import migrations
from bot.trivia.model import Attempt, RunningRound, Standing, TriviaSettings

SHARD_COUNT = 4


def guild_on(shard: int, n: int = 0) -> int:
    """A server id that Discord puts on `shard` of SHARD_COUNT (its id >> 22, modulo the count)."""
    return ((n * SHARD_COUNT + shard) << 22) | 12345


@pytest.fixture
async def state(state_target: Path | str) -> AsyncIterator[State]:
    opened = await State.open(state_target)
    yield opened
    await opened.close()


def answer(user: int, question: int, correct: bool, points: int = 10, streak: int = 1) -> Attempt:
    return Attempt(user, f"member {user}", question, correct, points if correct else 0, streak)


# -- the database ------------------------------------------------------------------------------------


async def test_a_new_database_is_at_the_shipped_version(state: State, state_target: Path | str) -> None:
    dialect = "sqlite" if isinstance(state_target, Path) else "postgresql"
    assert await state._db.version() == len(migrations(dialect)) == len(migrations("sqlite"))


async def test_meta_survives_reopening(state_target: Path | str) -> None:
    first = await State.open(state_target)
    await first.meta.set("k", "one")
    await first.meta.set("k", "two")
    await first.close()
    again = await State.open(state_target)
    try:
        assert await again.meta.get("k") == "two" and await again.meta.get("absent") is None
    finally:
        await again.close()


async def test_two_processes_starting_together_migrate_once(state_target: Path | str) -> None:
    both = await asyncio.gather(State.open(state_target), State.open(state_target))
    try:
        for opened in both:
            assert await opened._db.version() == len(migrations("sqlite"))
        await both[0].meta.set("k", "v")
        assert await both[1].meta.get("k") == "v"
    finally:
        for opened in both:
            await opened.close()


async def test_a_database_of_a_newer_filmbot_is_refused(state: State, state_target: Path | str) -> None:
    newer = len(migrations("sqlite")) + 1
    async with state._db.transaction() as tx:
        if isinstance(state_target, Path):
            await tx.execute(f"PRAGMA user_version = {newer}")
        else:
            await tx.execute("UPDATE filmbot_schema SET version = ?", (newer,))
    with pytest.raises(DatabaseError, match="written by a newer filmbot"):
        await State.open(state_target)


# -- trivia ------------------------------------------------------------------------------------------


async def test_rounds_get_their_own_ids_and_end_with_their_winners(state: State) -> None:
    first = await state.trivia.start_round(1, 10, 7, "films", "buttons", 1000)
    second = await state.trivia.start_round(1, 11, 7, "films", "typed", 1001)
    assert second > first
    await state.trivia.record_answers(first, 1, [answer(5, 0, True), answer(6, 0, True)], 1002)
    await state.trivia.end_round(first, "finished", [5], 1003)
    stats = await state.trivia.stats(1, 5)
    assert stats is not None and (stats.rounds_won, stats.rounds_played) == (1, 1)
    assert (await state.trivia.stats(1, 6)).rounds_won == 0  # type: ignore[union-attr]


async def test_a_right_answer_replaces_a_wrong_guess_and_keeps_the_best_streak(state: State) -> None:
    round_id = await state.trivia.start_round(1, 10, 7, "films", "typed", 1000)
    await state.trivia.record_answer(round_id, 1, answer(5, 0, False, streak=4), 1001)
    await state.trivia.record_answer(round_id, 1, answer(5, 0, True, streak=2), 1002)
    await state.trivia.record_answer(round_id, 1, answer(5, 1, True, points=15, streak=3), 1003)
    stats = await state.trivia.stats(1, 5)
    assert stats is not None
    assert (stats.points, stats.correct, stats.answered, stats.best_streak) == (25, 2, 2, 4)
    assert (stats.last_played, stats.rank, stats.name) == (1003, 1, "member 5")


async def test_the_leaderboard_ranks_ties_together_and_pages(state: State) -> None:
    round_id = await state.trivia.start_round(1, 10, 7, "films", "typed", 1000)
    points = {user: 10 * (user % 5) for user in range(1, 31)}  # six members each on 10..40, six on 0
    await state.trivia.record_answers(
        round_id, 1, [answer(user, 0, p > 0, points=p) for user, p in points.items()], 1001
    )
    other = await state.trivia.start_round(2, 20, 7, "films", "typed", 1000)
    await state.trivia.record_answer(other, 2, answer(1, 0, True, points=99), 1001)  # another server
    first, total = await state.trivia.leaderboard(1, 0, 0)
    assert total == 24  # no one with no points is ranked
    assert [s.points for s in first[:6]] == [40] * 6 and {s.rank for s in first[:6]} == {1}
    assert first[6].rank == 7 and first[6].points == 30
    assert [s.name for s in first[:6]] == sorted(s.name for s in first[:6])
    pages = [first]
    while sum(map(len, pages)) < total:
        pages.append((await state.trivia.leaderboard(1, 0, len(pages)))[0])
    everyone = [s for page in pages for s in page]
    assert len({s.user_id for s in everyone}) == 24
    assert [s.points for s in everyone] == sorted((p for p in points.values() if p), reverse=True)
    assert await state.trivia.rank_of(1, 4, 0) == Standing(1, 4, "member 4", 40, 1)
    assert await state.trivia.rank_of(1, 5, 0) is None  # answered, but never scored
    assert await state.trivia.leaderboard(3, 0, 0) == ([], 0)


async def test_a_week_board_counts_only_the_answers_since_its_start(state: State) -> None:
    round_id = await state.trivia.start_round(1, 10, 7, "films", "typed", 1000)
    await state.trivia.record_answer(round_id, 1, answer(5, 0, True), 1_000)
    await state.trivia.record_answer(round_id, 1, answer(5, 1, True), 900_000)
    await state.trivia.record_answer(round_id, 1, answer(6, 2, True), 5_000)
    board, total = await state.trivia.leaderboard(1, 604_800, 0)  # a Thursday, not a month's start
    assert (board, total) == ([Standing(1, 5, "member 5", 10, 1)], 1)
    assert (await state.trivia.rank_of(1, 5, 0)).points == 20  # type: ignore[union-attr]


async def test_the_boards_kept_in_totals_equal_the_sum_of_the_answers(state: State) -> None:
    """All time and each month are read from totals kept by triggers; they must always be what
    summing the answers gives, through right answers replacing wrong guesses across a month's end,
    a forgotten member and a reset server."""
    repo = state.trivia
    rng = random.Random(7)
    december, january = 1_796_083_200, 1_798_761_600  # 2026-12-01 and 2027-01-01, 00:00 UTC
    kept: dict[tuple[int, int, int], tuple[int, int, int]] = {}  # (round, question, user) -> answer
    for _ in range(30):
        guild = rng.choice([1, 2])
        now = rng.choice([january - 86_400, rng.randrange(december, january + 86_400 * 20)])
        round_id = await repo.start_round(guild, 1, 1, "films", "typed", now)
        for question in range(5):
            for user in rng.sample(range(1, 9), 4):
                for correct in (False, True) if rng.random() < 0.3 else (rng.random() < 0.5,):
                    now += rng.randrange(0, 3_600)  # near the month's end, a guess is replaced in the next
                    attempt = answer(user, question, correct)
                    await repo.record_answer(round_id, guild, attempt, now)
                    kept[(round_id, question, user)] = (guild, attempt.points, now)

    def expected(guild: int, since: int, until: int) -> dict[int, int]:
        sums: dict[int, int] = {}
        for (_, _, user), (g, points, at) in kept.items():
            if g == guild and since <= at < until:
                sums[user] = sums.get(user, 0) + points
        return {user: points for user, points in sums.items() if points > 0}

    async def check() -> None:
        for guild in (1, 2):
            for since, until in ((0, 2**40), (december, january), (january, 2**40)):
                board, total = await repo.leaderboard(guild, since, 0)
                assert {s.user_id: s.points for s in board} == expected(guild, since, until)
                assert total == len(expected(guild, since, until))

    await check()
    assert await repo.forget(3) == {g for (_, _, user), (g, _, _) in kept.items() if user == 3}
    kept = {key: value for key, value in kept.items() if key[2] != 3}
    await check()
    await repo.reset(1)
    kept = {key: value for key, value in kept.items() if value[0] != 1}
    await check()
    assert await state._db.fetchone(
        "SELECT count(*) FROM trivia_totals WHERE guild_id = 1 OR user_id = 3"
    ) == (0,)


async def test_forget_and_reset_remove_a_member_and_a_server(state: State) -> None:
    mine = await state.trivia.start_round(1, 10, 5, "films", "typed", 1000)
    await state.trivia.record_answers(mine, 1, [answer(5, 0, True), answer(6, 0, True)], 1001)
    theirs = await state.trivia.start_round(2, 20, 6, "films", "typed", 1000)
    await state.trivia.record_answers(theirs, 2, [answer(5, 0, True), answer(6, 0, True)], 1001)
    assert await state.trivia.forget(5) == {1, 2}
    assert await state.trivia.stats(1, 5) is None and await state.trivia.stats(2, 5) is None
    assert await state._db.fetchone("SELECT starter_id FROM trivia_rounds WHERE id = ?", (mine,)) == (0,)
    assert await state.trivia.reset(2) == 1
    assert await state.trivia.leaderboard(2, 0, 0) == ([], 0)
    assert (await state.trivia.leaderboard(1, 0, 0))[1] == 1  # the other server keeps member 6


async def test_settings_default_then_saved_and_replaced(state: State) -> None:
    assert await state.trivia.settings(1) == TriviaSettings()
    await state.trivia.save_settings(1, TriviaSettings(5, 30, "typed", False, 2))
    await state.trivia.save_settings(1, TriviaSettings(7, 15, "typed", False, 1))
    assert await state.trivia.settings(1) == TriviaSettings(7, 15, "typed", False, 1)
    assert await state.trivia.settings(2) == TriviaSettings()


async def test_a_restart_interrupts_only_its_own_shards_rounds(state_target: Path | str) -> None:
    low = await State.open(state_target, shards=Shards((0, 1), SHARD_COUNT))
    high = await State.open(state_target, shards=Shards((2, 3), SHARD_COUNT))
    try:
        rounds = {
            shard: await low.trivia.start_round(guild_on(shard, 9), 100 + shard, 7, "films", "typed", 1000)
            for shard in range(SHARD_COUNT)
        }
        finished = await low.trivia.start_round(guild_on(0), 99, 7, "films", "typed", 1000)
        await low.trivia.end_round(finished, "finished", [], 1001)
        assert await low.trivia.interrupt_running(2000) == [
            RunningRound(rounds[s], guild_on(s, 9), 100 + s, "films") for s in (0, 1)
        ]
        assert await low.trivia.interrupt_running(2001) == []
        assert [r.id for r in await high.trivia.interrupt_running(2002)] == [rounds[2], rounds[3]]
    finally:
        await low.close()
        await high.close()


# -- daily features ----------------------------------------------------------------------------------

DAY = date(2026, 12, 2)


async def test_a_schedule_is_saved_replaced_paused_and_deleted(state: State) -> None:
    features = state.features
    assert await features.schedule(1) is None
    await features.save_schedule(1, 10, "09:00", "Europe/Moscow", DAY, 5000)
    await features.queue(1, "stalker-1979")
    await features.set_paused(1, True, "channel gone")
    await features.mark_told(1)
    paused = await features.schedule(1)
    assert paused is not None and (paused.paused, paused.pause_reason, paused.told) == (
        True,
        "channel gone",
        True,
    )
    await features.save_schedule(1, 11, "21:30", "UTC", date(2026, 12, 3), 6000)  # running again
    saved = await features.schedule(1)
    assert saved is not None
    assert (saved.channel_id, saved.at, saved.zone, saved.next_date, saved.next_due) == (
        11,
        "21:30",
        "UTC",
        date(2026, 12, 3),
        6000,
    )
    assert (saved.paused, saved.pause_reason, saved.told, saved.queued_film) == (
        False,
        None,
        False,
        "stalker-1979",
    )
    await features.set_next(1, date(2026, 12, 4), 7000)
    assert (await features.schedule(1)).next_due == 7000  # type: ignore[union-attr]
    assert await features.delete_schedule(1) and not await features.delete_schedule(1)


async def test_due_is_earliest_first_running_only_and_scoped_to_the_shards(state_target: Path | str) -> None:
    every = await State.open(state_target)
    mine = await State.open(state_target, shards=Shards((1, 3), SHARD_COUNT))
    try:
        for n, shard in enumerate([0, 1, 2, 3, 1, 3]):
            await every.features.save_schedule(guild_on(shard, n), 1, "09:00", "UTC", DAY, 1000 - n)
        await every.features.save_schedule(guild_on(1, 20), 1, "09:00", "UTC", DAY, 5000)  # not yet due
        await every.features.save_schedule(guild_on(3, 21), 1, "09:00", "UTC", DAY, 10)
        await every.features.set_paused(guild_on(3, 21), True, "paused")
        assert [s.guild_id for s in await every.features.due(1000)] == [
            guild_on(s, n) for n, s in reversed(list(enumerate([0, 1, 2, 3, 1, 3])))
        ]
        assert [s.guild_id for s in await mine.features.due(1000)] == [
            guild_on(3, 5),
            guild_on(1, 4),
            guild_on(3, 3),
            guild_on(1, 1),
        ]
        assert len(await mine.features.due(1000, limit=2)) == 2
        assert await mine.features.earliest_due() == 995 and await every.features.earliest_due() == 995
    finally:
        await every.close()
        await mine.close()


async def test_a_day_is_claimed_once_by_two_processes_at_the_same_moment(state_target: Path | str) -> None:
    one, two = await State.open(state_target), await State.open(state_target)
    try:
        await one.features.save_schedule(1, 10, "09:00", "UTC", DAY, 1000)
        await one.features.queue(1, "mirror-1975")
        claims = await asyncio.gather(
            one.features.claim(1, DAY, "mirror-1975", 0, 10, "nonce-one", 1000),
            two.features.claim(1, DAY, "stalker-1979", 0, 10, "nonce-two", 1000),
        )
        assert claims[0] == claims[1]  # both see the one claim that won
        won = claims[0]
        assert (won.status, won.cycle, won.channel_id, won.at) == ("claimed", 0, 10, 1000)
        assert (won.film_id, won.nonce) in {("mirror-1975", "nonce-one"), ("stalker-1979", "nonce-two")}
        queued = (await one.features.schedule(1)).queued_film  # type: ignore[union-attr]
        assert queued == (None if won.film_id == "mirror-1975" else "mirror-1975")  # kept if it lost
    finally:
        await one.close()
        await two.close()


async def test_a_confirmed_post_moves_its_schedule_and_counts_in_the_rotation(state: State) -> None:
    features = state.features
    await features.save_schedule(1, 10, "09:00", "UTC", DAY, 1000)
    await features.claim(1, DAY, "stalker-1979", 0, 10, "n1", 1000)
    await features.confirm(1, DAY, 555, date(2026, 12, 3), 2000, 1001)
    post = await features.post(1, DAY)
    assert post is not None and (post.status, post.message_id, post.at) == ("sent", 555, 1001)
    assert (await features.schedule(1)).next_date == date(2026, 12, 3)  # type: ignore[union-attr]
    await features.confirm(1, DAY, 555, date(2026, 12, 2), 1000, 1002)  # a late repeat does not move it back
    assert (await features.schedule(1)).next_due == 2000  # type: ignore[union-attr]
    await features.claim(1, date(2026, 12, 3), "mirror-1975", 0, 10, "n2", 2000)
    await features.claim(1, date(2026, 12, 4), "solaris-1972", 1, 10, "n3", 3000)
    assert await features.rotation(1) == (1, {"solaris-1972"})
    assert await features.rotation(2) == (0, set())
    assert await features.featured_count(1) == 1
    assert await features.film_of_post(1, 555) == "stalker-1979"
    assert await features.film_of_post(1, 556) is None and await features.film_of_post(2, 555) is None
    assert (await features.latest(1, "sent")).day == DAY  # type: ignore[union-attr]


async def test_released_claims_and_skips_free_their_day(state: State) -> None:
    features = state.features
    await features.claim(1, DAY, "stalker-1979", 0, 10, "n1", 1000)
    await features.release(1, DAY)
    assert await features.post(1, DAY) is None
    days = [date(2026, 12, 3), date(2026, 12, 4)]
    await features.claim(1, days[0], "mirror-1975", 0, 10, "n2", 1000)
    await features.skip(1, days, "the bot was offline", 1500)  # a claimed day stays claimed
    assert (await features.post(1, days[0])).status == "claimed"  # type: ignore[union-attr]
    skipped = await features.post(1, days[1])
    assert skipped is not None and (skipped.status, skipped.reason, skipped.film_id) == (
        "skipped",
        "the bot was offline",
        None,
    )
    assert await features.latest(1, "skipped") == skipped
    await features.release(1, days[1])  # only a claim is released by release
    assert await features.post(1, days[1]) == skipped
    await features.release_skip(1, days[1])
    assert await features.post(1, days[1]) is None and await features.latest(1, "skipped") is None


# -- faults of a database server ---------------------------------------------------------------------


async def test_a_lock_held_too_long_is_busy_and_a_dropped_connection_recovers(postgres_url: str) -> None:
    """PostgreSQL only: another program holding a row past the timeout is "busy", not a crash; a
    server that dropped the connections (a restart) answers again on the next call."""
    import asyncpg

    state = await State.open(postgres_url)
    other = await asyncpg.connect(postgres_url)
    try:
        await state.features.save_schedule(1, 10, "09:00", "UTC", DAY, 1000)
        await state.set_busy_timeout(0.2)
        async with other.transaction():
            await other.execute("SELECT * FROM feature_schedules WHERE guild_id = 1 FOR UPDATE")
            with pytest.raises(DatabaseBusy):
                await state.features.set_next(1, DAY, 2000)
        await state.features.set_next(1, DAY, 2000)  # let go: it goes through
        await other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        with contextlib.suppress(StorageUnavailable):  # a statement on a dropped connection fails
            await state.features.schedule(1)
        assert (await state.features.schedule(1)).next_due == 2000  # type: ignore[union-attr]
    finally:
        await other.close()
        await state.close()
