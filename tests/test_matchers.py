"""The answerer's matchers live in the index file and are read on demand (bot/qa/matchers.py)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import SOURCE_DATA_DIR, index_beside
from bot.qa import matchers
from bot.qa.catalog import Catalog, Films
from bot.qa.engine import Answerer
from bot.qa.words import Vocabulary
from bot.text import allowed_typos
from tests.conftest import indexed_database
from tests.test_qa_members import SETS


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of the whole shipped store (curated films and the catalogue)."""
    return index_beside(indexed_database(tmp_path_factory.mktemp("matchers") / "filmbot.db", SOURCE_DATA_DIR))


@pytest.fixture
def traced(index: Path) -> Iterator[tuple[Catalog, list[str]]]:
    """A catalog over the index, with every statement it runs."""
    statements: list[str] = []
    connection = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    connection.set_trace_callback(statements.append)
    catalog = Catalog(connection)
    yield catalog, statements
    catalog.close()


def test_opening_the_catalog_reads_nothing_of_the_store(traced: tuple[Catalog, list[str]]) -> None:
    catalog, statements = traced
    assert statements == []  # so start-up does not grow with the store
    answer = Answerer(catalog).answer("who directed stalker?")
    assert answer.answered and "Tarkovsky" in answer.text
    assert statements  # what the answer needed was read when it was asked


def test_a_question_reads_a_bounded_number_of_rows(traced: tuple[Catalog, list[str]]) -> None:
    catalog, statements = traced
    answerer = Answerer(catalog)
    answerer.answer("who directed stalker?")
    first = len(statements)
    answerer.answer("who directed stalker?")
    assert len(statements) - first < first / 2  # the second time, mostly from the caches


def _typos(word: str, rng: random.Random) -> list[str]:
    i = rng.randrange(len(word))
    letter = rng.choice("aeiorstn")
    return [
        word,
        word[:i] + word[i + 1 :],  # a letter left out
        word[:i] + letter + word[i:],  # one too many
        word[:i] + letter + word[i + 1 :],  # one wrong
        word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :],  # two swapped
        word[: i + 1] + "zq" + word[i + 1 :],  # two too many
    ]


def test_typo_neighbours_on_disk_are_those_the_in_memory_index_gives(index: Path) -> None:
    """The stored deletion index gives, word for word, what the in-memory one (the reference) gives
    over the same words, for words as typed: right, and one or two letters off."""
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as db:
        words = [w for (w,) in db.execute("SELECT word FROM words")]
    reference = Vocabulary()
    reference.add(words)
    catalog = Catalog.open(index)
    rng = random.Random(3)
    asked = [typed for word in rng.sample(words, 1500) for typed in _typos(word, rng)]
    asked += ["tarkovksy", "stalkr", "solyaris", "kubrik", "x", "zzzzzzzz"]
    try:
        differ = [w for w in asked if catalog.vocabulary.near(w) != reference.near(w)]
        assert not differ, differ[:10]
        assert all((w in catalog.vocabulary) == (w in reference) for w in asked)
        near = catalog.vocabulary.near("tarkovksy")
        assert near.get("tarkovsky") == 1 and all(d <= allowed_typos("tarkovksy") for d in near.values())
    finally:
        catalog.close()


def test_an_anchor_of_many_phrases_read_by_groups_finds_what_a_whole_read_finds(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word in many titles is read a group (the word beside it) at a time: the answers are those
    of reading all its phrases at once."""
    asked = [turn["q"] for turns in SETS.values() for conversation in turns for turn in conversation]
    whole = Catalog.open(index)
    by_groups = Catalog.open(index)
    try:
        expected = [Answerer(whole).answer(q).text for q in asked]
        monkeypatch.setattr(matchers, "MANY", 0)  # every anchor is one of many
        assert [Answerer(by_groups).answer(q).text for q in asked] == expected
    finally:
        whole.close()
        by_groups.close()


def test_kept_lets_go_of_the_least_recently_used_past_its_budget() -> None:
    reads: list[str] = []

    def read(key: str) -> tuple[str, int]:
        reads.append(key)
        return key.upper(), len(key)

    kept = matchers.Kept(read, budget=10)
    assert kept("abcd") == "ABCD" and kept("efgh") == "EFGH" and kept("abcd") == "ABCD"
    assert reads == ["abcd", "efgh"]  # the second "abcd" was kept
    kept("ijkl")  # 12 > 10: "efgh", the least recently used, goes
    assert kept.size <= 10
    kept("abcd")
    kept("efgh")
    assert reads == ["abcd", "efgh", "ijkl", "efgh"]


def test_a_titles_films_are_read_with_it_best_known_first(
    index: Path, traced: tuple[Catalog, list[str]]
) -> None:
    """A title of many films ("Hamlet") gives its films' refs in the row of the title, the best
    known first, as the films table has them: no film is read on its own."""
    catalog, statements = traced
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as db:
        shared = db.execute(
            "SELECT key, group_concat(film_id, ' ') FROM titles GROUP BY key "
            "HAVING count(DISTINCT film_id) >= 3 ORDER BY count(*) DESC LIMIT 5"
        ).fetchall()
    assert shared, "the shipped store has titles shared by several films"
    for key, film_ids in shared:
        statements.clear()
        films = catalog.titles.payloads(tuple(key.split()))
        assert len(statements) == 2  # the title's rowid, then its payloads
        assert [f.prominence for f in films] == sorted((f.prominence for f in films), reverse=True)
        assert set(film_ids.split()) <= {f.id for f in films}  # and those it shortens to (subtitles)
        assert list(films) == [catalog.films[f.id] for f in films]
        assert isinstance(films, Films) and films.curated == any(f.curated for f in films)
