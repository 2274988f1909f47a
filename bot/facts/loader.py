"""Read and validate `data/films/*.yaml` and `data/people.yaml`.

Every problem is reported as `file:line: message`, all of them at once, so that a curator can
fix a whole batch in one pass. Values are read from the YAML nodes (not PyYAML's implicit
types), so a title such as `1984` stays text and a date stays a string.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import Node, ScalarNode

from ..text import fold, match_key
from ..yamlnodes import NodeReader, Problem, compose, display_path
from .catalogue import Difference, catalogue_files, leads_first, merge, read_catalogue
from .model import CREDITS, FACT_ANSWERS, FACT_SUBJECTS, FILM, Award, BasedOn, Credit, Fact, Film, Person

FILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-(\d{4})$")
MIN_YEAR, MAX_YEAR = 1878, 2100


class DataError(Exception):
    """The data has problems; `problems` lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class Store:
    films: list[Film] = field(default_factory=list)  # the curated films first, then the catalogue's
    people: list[Person] = field(default_factory=list)
    curated: int = 0  # how many of `films` are curated
    differences: list[Difference] = field(default_factory=list)  # curated values the catalogue lacks


FILM_KEYS = (
    "title original_title aliases year release_date directors writers based_on cast cinematographers "
    "composers studios distributors countries languages runtime genres budget box_office prominence "
    "synopsis facts source sources wikidata imdb"
).split()
REQUIRED_FILM_KEYS = ("title", "year", "directors", "synopsis")


def read_film(path: Path, text: str, display: str) -> tuple[Film | None, list[Problem]]:
    """Parse and validate one film file."""
    r = NodeReader(display)
    root = compose(text, r)
    if root is None:
        return None, r.problems
    keys = r.mapping(root, "a film", FILM_KEYS, REQUIRED_FILM_KEYS)
    year = r.integer(keys.get("year"), "year", MIN_YEAR, MAX_YEAR, "1979")
    match = FILE_NAME.match(path.stem)
    if not match:
        r.problem(
            None, "the file name must be <title-slug>-<year>.yaml in lower case, e.g. stalker-1979.yaml"
        )
    elif year is not None and int(match[1]) != year:
        r.problem(keys.get("year"), f"year {year} does not match the file name {path.name}")
    release_date = _date(r, keys.get("release_date"), year)
    film_values: dict[str, Any] = {
        "title": r.text(keys.get("title"), "title"),
        "original_title": r.text(keys.get("original_title"), "original_title"),
        "aliases": r.texts(keys.get("aliases"), "aliases"),
        "directors": r.texts(keys.get("directors"), "directors", non_empty=True),
        "writers": r.texts(keys.get("writers"), "writers"),
        "based_on": _based_on(r, keys.get("based_on")),
        "cast": r.items(keys.get("cast"), "cast", lambda n: _credit(r, n)),
        "runtime": r.integer(keys.get("runtime"), "runtime", 1, 1500, "163 (minutes)"),
        "prominence": r.integer(keys.get("prominence"), "prominence", 0, 100, "80"),
        "synopsis": r.text(keys.get("synopsis"), "synopsis"),
        "facts": r.items(keys.get("facts"), "facts", lambda n: _fact(r, n)),
        "budget": r.text(keys.get("budget"), "budget"),
        "box_office": r.text(keys.get("box_office"), "box_office"),
        "source": r.text(keys.get("source"), "source"),
        "wikidata": r.text(keys.get("wikidata"), "wikidata"),
        "imdb": r.text(keys.get("imdb"), "imdb"),
        "sources": _sources(r, keys.get("sources")),
    }
    for key in (
        "cinematographers",
        "composers",
        "studios",
        "distributors",
        "countries",
        "languages",
        "genres",
    ):
        film_values[key] = r.texts(keys.get(key), key)
    if r.problems or year is None:
        return None, r.problems
    values = {k: v for k, v in film_values.items() if v is not None}
    return Film(id=path.stem, year=year, release_date=release_date, **values), r.problems


def _date(r: NodeReader, node: Node | None, year: int | None) -> str | None:
    value = r.text(node, "release_date")
    if value is None:
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        r.problem(node, f"release_date must be a date like 1979-05-25, got {value!r}")
        return None
    if year is not None and date.year != year:
        r.problem(node, f"release_date {value} is not in the film's year {year}")
    return value


def _based_on(r: NodeReader, node: Node | None) -> BasedOn | None:
    if node is None:
        return None
    keys = r.mapping(node, "based_on", ("title", "original_title", "authors", "year", "kind"), ("title",))
    title = r.text(keys.get("title"), "based_on title")
    if title is None:
        return None
    return BasedOn(
        title=title,
        authors=r.texts(keys.get("authors"), "based_on authors"),
        year=r.integer(keys.get("year"), "based_on year", 1, MAX_YEAR, "1972"),
        kind=r.text(keys.get("kind"), "based_on kind"),
        original_title=r.text(keys.get("original_title"), "based_on original_title"),
    )


def _credit(r: NodeReader, node: Node) -> Credit | None:
    keys = r.mapping(node, "a cast entry", ("actor", "character"), ("actor",))
    actor = r.text(keys.get("actor"), "actor")
    return Credit(actor, r.text(keys.get("character"), "character")) if actor else None


FACT_KEYS = ("text", "source", "attributed", "topics", "about", "people", "answers", "awards")


def _fact(r: NodeReader, node: Node) -> Fact | None:
    keys = r.mapping(node, "a fact", FACT_KEYS, ("text",))
    text = r.text(keys.get("text"), "fact text")
    source = r.text(keys.get("source"), "fact source")
    if text is None:
        return None
    attributed = keys.get("attributed")
    if attributed is not None:
        if not (isinstance(attributed, ScalarNode) and attributed.value in ("true", "false")):
            r.problem(attributed, "attributed must be true or false")
        elif attributed.value == "true" and not source:
            r.problem(attributed, "an attributed fact needs the source it is attributed to")
    return Fact(
        text,
        source,
        r.texts(keys.get("topics"), "fact topics"),
        about=_one_of(r, keys.get("about"), "fact about", FACT_SUBJECTS),
        people=r.texts(keys.get("people"), "fact people"),
        answers=_one_of(r, keys.get("answers"), "fact answers", FACT_ANSWERS),
        awards=r.items(keys.get("awards"), "fact awards", lambda n: _award(r, n)),
        attributed=attributed is not None and attributed.value == "true" and source is not None,
    )


def _one_of(r: NodeReader, node: Node | None, what: str, allowed: frozenset[str]) -> tuple[str, ...]:
    values = r.texts(node, what)
    wrong = [v for v in values if v not in allowed]
    if wrong and node is not None:
        r.problem(node, f"{what}: {', '.join(map(repr, wrong))} not one of: {', '.join(sorted(allowed))}")
    return tuple(v for v in values if v in allowed)


def _award(r: NodeReader, node: Node) -> Award | None:
    keys = r.mapping(node, "an award", ("name", "event", "year"), ("name", "event", "year"))
    name, event = r.text(keys.get("name"), "award name"), r.text(keys.get("event"), "award event")
    year = r.integer(keys.get("year"), "award year", MIN_YEAR, MAX_YEAR, "1979")
    return Award(name, event, year) if name and event and year else None


def _sources(r: NodeReader, node: Node | None) -> dict[str, str]:
    if node is None:
        return {}
    keys = r.mapping(node, "sources", (*FILM_KEYS, "characters", CREDITS, FILM))
    values = {key: r.text(value, f"the source of {key}") for key, value in keys.items()}
    return {k: v for k, v in values.items() if v is not None}


def read_people(text: str, display: str) -> tuple[list[Person], list[Problem]]:
    r = NodeReader(display)
    root = compose(text, r)
    if root is None:
        return [], r.problems

    def person(node: Node) -> Person | None:
        keys = r.mapping(node, "a person", ("name", "aliases"), ("name",))
        name = r.text(keys.get("name"), "name")
        return Person(name, r.texts(keys.get("aliases"), "aliases")) if name else None

    return list(r.items(root, "people", person)), r.problems


def load_store(root: Path) -> tuple[Store, list[Problem]]:
    """Read `root/films/*.yaml` and `root/people.yaml`; returns the store and every problem found."""
    store, problems = Store(), []
    people_file = root / "people.yaml"
    if people_file.exists():
        store.people, found = read_people(people_file.read_text(encoding="utf-8"), display_path(people_file))
        problems += found
    files = sorted((root / "films").glob("*.yaml"))
    if not files:
        problems.append(Problem(display_path(root / "films"), 1, "no film files (*.yaml) found"))
    for path in files:
        film, found = read_film(path, path.read_text(encoding="utf-8"), display_path(path))
        problems += found
        if film is not None:
            store.films.append(film)
    problems += _cross_checks(
        store, {f.id: display_path(root / "films" / f"{f.id}.yaml") for f in store.films}
    )
    store.curated = len(store.films)
    aliases = {match_key(alias): match_key(p.name) for p in store.people for alias in p.aliases}
    for path in catalogue_files(root):
        store.films, differences = merge(store.films, read_catalogue(path), match_key, aliases)
        store.differences += differences
    store.films[store.curated :] = leads_first(store.films[store.curated :])
    return store, sorted(problems)


def _cross_checks(store: Store, paths: dict[str, str]) -> list[Problem]:
    """Duplicate films, and people written under an alias instead of their one name."""
    problems = []
    seen: dict[tuple[str, int], Film] = {}
    for film in store.films:
        key = (fold(film.title), film.year)
        if key in seen:
            problems.append(
                Problem(paths[film.id], 1, f"duplicate film: {film.label} is also {seen[key].id}.yaml")
            )
        seen.setdefault(key, film)
    canonical: dict[str, str] = {}
    for person in store.people:
        for alias in person.aliases:
            canonical[fold(alias)] = person.name
    for film in store.films:
        for name in _people_of(film):
            if fold(name) in canonical and fold(canonical[fold(name)]) != fold(name):
                problems.append(
                    Problem(
                        paths[film.id],
                        1,
                        f"write {canonical[fold(name)]!r} instead of {name!r} (people.yaml)",
                    )
                )
    return problems


def _people_of(film: Film) -> Iterable[str]:
    yield from film.directors
    yield from film.writers
    yield from (c.actor for c in film.cast)
    yield from film.cinematographers
    yield from film.composers
    if film.based_on:
        yield from film.based_on.authors
    for fact in film.facts:
        yield from fact.people
