"""The film data loader: every problem reported as file:line: message; the shipped data is clean."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import SOURCE_DATA_DIR
from bot.facts.catalogue import unexplained
from bot.facts.loader import load_store
from tests.conftest import curated_data

GOOD = """\
title: Test Film
year: 1999
directors: [Some One]
synopsis: A film made for a test.
"""


def store_with(tmp_path: Path, files: dict[str, str], people: str | None = None) -> list[str]:
    (tmp_path / "films").mkdir()
    for name, text in files.items():
        (tmp_path / "films" / name).write_text(text, encoding="utf-8")
    if people is not None:
        (tmp_path / "people.yaml").write_text(people, encoding="utf-8")
    _, problems = load_store(tmp_path)
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in problems]


def test_the_shipped_data_is_clean() -> None:
    store, problems = load_store(SOURCE_DATA_DIR)
    assert [str(p) for p in problems] == []
    assert unexplained(store.differences, SOURCE_DATA_DIR) == ([], [])  # as `filmbot data check` asks
    stalker = next(f for f in store.films if f.id == "stalker-1979")
    assert stalker.directors == ("Andrei Tarkovsky",)
    assert stalker.original_title == "Сталкер"
    assert all(f.source for f in stalker.facts)  # Stalker's facts carry their source


def test_a_good_file_loads(tmp_path: Path) -> None:
    assert store_with(tmp_path, {"test-film-1999.yaml": GOOD}) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + "colour: red\n", "test-film-1999.yaml:5: unknown key 'colour' in a film"),
        (
            GOOD.replace("directors: [Some One]\n", ""),
            "test-film-1999.yaml:1: missing required key 'directors'",
        ),
        (
            GOOD.replace("year: 1999", "year: 19999"),
            "test-film-1999.yaml:2: year must be between 1878 and 2100",
        ),
        (GOOD.replace("year: 1999", "year: '99"), "test-film-1999.yaml:2: not valid YAML"),
        (GOOD.replace("year: 1999", "year: nineteen"), "test-film-1999.yaml:2: year must be a whole number"),
        (GOOD.replace("[Some One]", "Some One"), "test-film-1999.yaml:3: directors must be a list"),
        (GOOD + "runtime: long\n", "test-film-1999.yaml:5: runtime must be a whole number"),
        (GOOD + "cast:\n  - character: Nobody\n", "test-film-1999.yaml:6: missing required key 'actor'"),
        (GOOD + "release_date: 1999-02-30\n", "test-film-1999.yaml:5: release_date must be a date"),
        (GOOD + "release_date: 2001-01-01\n", "test-film-1999.yaml:5: release_date 2001-01-01 is not in"),
        (GOOD + "title: Again\n", "test-film-1999.yaml:5: duplicate key 'title'"),
        (
            GOOD + "facts:\n  - source: nowhere\n",
            "test-film-1999.yaml:6: missing required key 'text' in a fact",
        ),
        ("title: [unclosed\n", "test-film-1999.yaml:1: not valid YAML"),  # where the bracket opened
        ("", "test-film-1999.yaml:1: the file is empty"),
    ],
)
def test_each_problem_names_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    problems = store_with(tmp_path, {"test-film-1999.yaml": text})
    assert any(p.startswith(expected) for p in problems), problems


def test_file_name_must_carry_the_year(tmp_path: Path) -> None:
    problems = store_with(tmp_path, {"test-film-2000.yaml": GOOD, "Bad Name.yaml": GOOD})
    assert "test-film-2000.yaml:2: year 1999 does not match the file name test-film-2000.yaml" in problems
    assert any(p.startswith("Bad Name.yaml:1: the file name must be") for p in problems)


def test_duplicate_film_and_alias_used_as_a_name(tmp_path: Path) -> None:
    people = "- name: Some One\n  aliases: [Someone Else]\n"
    twin = GOOD.replace("Some One", "Someone Else")
    problems = store_with(tmp_path, {"test-film-1999.yaml": GOOD, "test-film-again-1999.yaml": twin}, people)
    assert any("duplicate film: Test Film (1999)" in p for p in problems)
    assert any("write 'Some One' instead of 'Someone Else'" in p for p in problems)


def test_titles_that_look_like_numbers_stay_text(tmp_path: Path) -> None:
    (tmp_path / "films").mkdir()
    (tmp_path / "films" / "1984-1984.yaml").write_text(
        GOOD.replace("Test Film", "1984").replace("1999", "1984")
    )
    store, problems = load_store(tmp_path)
    assert problems == [] and store.films[0].title == "1984"


def test_data_check_command(tmp_path: Path) -> None:
    # The shipped data with its catalogue is checked by `make test` itself; the curated films are
    # enough to read what the command says.
    filmbot = Path(sys.executable).with_name("filmbot")
    clean = subprocess.run(
        [filmbot, "data", "check", str(curated_data())], capture_output=True, text=True, timeout=120
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
    summary, sourced, built = clean.stdout.splitlines()
    assert re.search(r": \d+ curated films, \d+ facts, \d+ people, 0 more films from the catalogue", summary)
    share = r"sourced: \d+ of the \d+ values and facts of the curated films \(\d+\.\d%\)"
    assert re.fullmatch(share, sourced)
    assert re.fullmatch(r"index built in \d+\.\d\d s", built)
    broken = tmp_path / "data"
    shutil.copytree(curated_data(), broken, symlinks=False)
    stalker = broken / "films" / "stalker-1979.yaml"
    stalker.write_text(
        stalker.read_text(encoding="utf-8").replace("year: 1979", "year: 1979x"), encoding="utf-8"
    )
    failed = subprocess.run(
        [filmbot, "data", "check", str(broken)], capture_output=True, text=True, timeout=120
    )
    assert failed.returncode == 1
    assert "stalker-1979.yaml:4: year must be a whole number like 1979, got '1979x'" in failed.stdout


REQUIRED = """Stalker 1979, Solaris 1972, Solaris 2002, Andrei Rublev, Mirror, Ivan's Childhood, Nostalghia,
The Sacrifice, Citizen Kane, Vertigo, Psycho, Rear Window, North by Northwest, Tokyo Story, Late Spring,
Seven Samurai, Rashomon, Ikiru, 2001: A Space Odyssey, Dr. Strangelove, A Clockwork Orange, The Shining,
The Godfather, The Godfather Part II, Apocalypse Now, Metropolis, M, Nosferatu 1922, Sunrise,
Battleship Potemkin, Man with a Movie Camera, The Passion of Joan of Arc, Casablanca, Singin' in the Rain,
Sunset Boulevard, Some Like It Hot, Bicycle Thieves, La Dolce Vita, 8½, L'Avventura, Breathless 1960,
The 400 Blows, Persona, The Seventh Seal, Wild Strawberries, Lawrence of Arabia, The Searchers, Taxi Driver,
Raging Bull, Blade Runner, Alien, Star Wars 1977, Jaws, Chinatown, Pather Panchali, In the Mood for Love,
Spirited Away, Mulholland Drive, Jeanne Dielman 23 quai du Commerce 1080 Bruxelles, Cléo from 5 to 7,
Playtime, The Rules of the Game, The Cranes Are Flying, Come and See, Ballad of a Soldier,
Moscow Does Not Believe in Tears, Kin-dza-dza!, Planet of the Apes 1968, The Day the Earth Stood Still 1951"""


def test_the_canon_is_all_there() -> None:
    from bot.facts.index import match_key

    store, _ = load_store(SOURCE_DATA_DIR)
    curated = store.films[: store.curated]  # the canon is curated, not only in the catalogue
    assert len(curated) >= 120
    known = {(match_key(t), f.year) for f in curated for t in f.titles} | {
        (match_key(t), None) for f in curated for t in f.titles
    }
    missing = []
    for entry in " ".join(REQUIRED.split()).split(", "):
        *words, last = entry.split()
        title, year = (" ".join(words), int(last)) if last.isdigit() and len(last) == 4 else (entry, None)
        if (match_key(title), year) not in known:
            missing.append(entry)
    assert missing == []
