"""The catalogue: basic facts of thousands of films from open data, behind the curated films.

`data/catalog/*.jsonl.gz` holds one JSON object a line: first a header naming the source of the
file's values, then one film a line (see data/catalog/README.md). A catalogue film that is also
curated (the same Wikidata or IMDb id, or the same title and year) is merged into the curated
film: the curated file wins field by field, and the catalogue fills what it lacks, with its source.
A curated value the catalogue holds too is compared with it: one that agrees is sourced to the
film's item ("Wikidata, Q200437"), one that does not is a Difference, explained in
`data/catalog/differences.yaml` (tests/test_catalogue.py fails on one that is not).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .model import BasedOn, Credit, Film

FOLDER = "catalog"
# Fields a catalogue fills in a curated film that lacks them. Not studios: a curated file names the
# production companies alone, where the catalogue's list mixes in distributors (Paramount for Vertigo).
FILLED = ("release_date", "runtime", "writers", "genres", "languages", "countries")
LISTS = ("writers", "genres", "languages", "countries", "studios", "cinematographers", "composers")
COMPLETENESS = ("directors", "writers", "cast", "runtime", "genres", "languages", "countries", "studios")
# Fields compared with the catalogue: the same values, or (for credits that a catalogue lists in
# full, source authors and uncredited players included) every curated value among the catalogue's.
SAME = ("year", "directors", "countries", "languages", "runtime", "release_date")
AMONG = ("writers", "cast", "genres")
# The catalogue's genres (OMDb's words), as the curated files write them; others are not compared.
GENRE_WORDS = {"sci-fi": "science fiction", "sport": "sports"}
GENRES = frozenset(
    "drama comedy romance action crime thriller horror documentary science fiction fantasy adventure "
    "musical biography mystery war family animation western sports history music".split()
) - {"science", "fiction"} | {"science fiction"}


@dataclass(frozen=True)
class Difference:
    """A curated value that its catalogue row does not have."""

    film: str  # the curated film's id
    field: str
    curated: tuple[str, ...]
    catalogue: tuple[str, ...]


def catalogue_files(root: Path) -> list[Path]:
    return sorted((root / FOLDER).glob("*.jsonl.gz"))


EXPLAINED = "differences.yaml"


def unexplained(differences: Iterable[Difference], root: Path) -> tuple[list[Difference], list[str]]:
    """The differences that `root/catalog/differences.yaml` does not explain (by film, field and
    curated values, so a changed value is looked at again), and its entries that no longer differ."""
    path = root / FOLDER / EXPLAINED
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    explained = {(e["film"], e["field"], frozenset(e["curated"])) for e in entries or () if e.get("why")}
    found = {(d.film, d.field, frozenset(d.curated)): d for d in differences}
    stale = [f"{film}: {field} {sorted(values)}" for film, field, values in explained - found.keys()]
    return [d for key, d in found.items() if key not in explained], sorted(stale)


def read_catalogue(path: Path) -> Iterator[Film]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines, "{}"))
        source = header.get("source")
        for line in lines:
            yield film_of(json.loads(line), source)


def leads_first(films: list[Film]) -> list[Film]:
    """Catalogue films with their cast ordered as billing would roughly go, since the catalogue has
    no billing order (Wikidata lists its cast members unordered; the snapshot, alphabetically): the
    actors who appear in the most catalogue films first, the order of the row between equals.
    A star has a long list of films; a bit part is often the actor's only one."""
    films_of: Counter[str] = Counter(c.actor for film in films for c in film.cast)
    return [
        dataclasses.replace(film, cast=tuple(sorted(film.cast, key=lambda c: -films_of[c.actor])))
        for film in films
    ]


def item_source(source: str | None, row: dict[str, Any]) -> str | None:
    """Who says what a row holds: its Wikidata item where the source is Wikidata ("Wikidata,
    Q200437"); another source as its file names it (IMDb's says on what terms)."""
    if source and source.startswith("Wikidata") and row.get("wikidata"):
        return f"Wikidata, {row['wikidata']}"
    return source


def film_of(row: dict[str, Any], source: str | None) -> Film:
    """A catalogue row as a Film; it ranks below every curated film, the more complete the higher."""
    values: dict[str, Any] = {key: tuple(row[key]) for key in LISTS if row.get(key)}
    for key in ("release_date", "runtime", "original_title"):
        if row.get(key):
            values[key] = row[key]
    if row.get("based_on"):
        values["based_on"] = BasedOn(str(row["based_on"]))
    cast = tuple(
        Credit(entry["actor"], entry.get("character")) if isinstance(entry, dict) else Credit(str(entry))
        for entry in row.get("cast", [])
    )
    filled = sum(1 for key in COMPLETENESS if row.get(key))
    return Film(
        id=str(row.get("wikidata") or row.get("imdb")).lower(),
        title=str(row["title"]),
        year=int(row["year"]),
        directors=tuple(row.get("directors", ())),
        synopsis="",
        cast=cast,
        prominence=min(40, 2 * filled + len(cast)),
        source=item_source(source, row),
        wikidata=row.get("wikidata"),
        imdb=row.get("imdb"),
        **values,
    )


def merge(
    curated: list[Film],
    catalogue: Iterable[Film],
    match_key: Callable[[str], str],
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[Film], list[Difference]]:
    """The curated films, completed from their catalogue rows, then every other catalogue film; and
    where a curated value differs from its row. `aliases` maps the key of a person's other name
    (data/people.yaml) to the key of their name."""
    by_id: dict[str, int] = {}
    by_title: dict[tuple[str, int], int] = {}
    for i, film in enumerate(curated):
        for ident in (film.wikidata, film.imdb):
            if ident:
                by_id[ident] = i
        for title in film.titles:
            by_title.setdefault((match_key(title), film.year), i)
    merged = list(curated)
    others: list[Film] = []
    differences: list[Difference] = []
    for row in catalogue:
        found = by_id.get(row.wikidata or "", by_id.get(row.imdb or ""))
        if found is not None and row.wikidata and curated[found].wikidata not in (None, row.wikidata):
            found = None  # another item with the film's IMDb id: Apocalypse Now Redux is not the 1979 cut
        if found is None:
            found = by_title.get((match_key(row.title), row.year))
        if found is None:
            others.append(row)
        else:
            agreed, differ = compare(merged[found], row, match_key, aliases or {})
            merged[found] = complete(merged[found], row, agreed)
            differences += differ
    return merged + others, differences


def _values(film: Film, key: str) -> tuple[str, ...]:
    value = getattr(film, key)
    if key == "cast":
        return tuple(c.actor for c in value)
    if key == "genres":
        return tuple(GENRE_WORDS.get(g.lower(), g.lower()) for g in value)
    if isinstance(value, tuple):
        return value
    return (str(value),) if value else ()


def compare(
    film: Film, row: Film, match_key: Callable[[str], str], aliases: Mapping[str, str]
) -> tuple[list[str], list[Difference]]:
    """The fields of curated `film` that its catalogue `row` agrees with, and those it does not."""
    agreed, differ = [], []
    for key in (*SAME, *AMONG):
        ours, theirs = _values(film, key), _values(row, key)
        comparable = tuple(g for g in ours if g in GENRES) if key == "genres" else ours
        if not comparable or not theirs:
            continue
        mine = {match_key(v) for v in comparable}
        other = {aliases.get(name, name) for name in map(match_key, theirs)}
        if mine == other or (key in AMONG and mine <= other):
            if comparable == ours:  # the whole field is what the row says
                agreed.append(key)
        else:
            differ.append(Difference(film.id, key, comparable, theirs))
    return agreed, differ


def complete(film: Film, row: Film, agreed: Iterable[str] = ()) -> Film:
    """`film` with the fields it lacks taken from its catalogue `row`, and the fields the row agrees
    with, sourced to it (a source the curated file names stays)."""
    changes: dict[str, Any] = {"wikidata": film.wikidata or row.wikidata, "imdb": film.imdb or row.imdb}
    sources = dict(film.sources)
    for key in FILLED:
        if not getattr(film, key) and getattr(row, key):
            changes[key] = getattr(row, key)
            if row.source:
                sources[key] = row.source
    if row.source:
        for key in agreed:
            sources.setdefault(key, row.source)
    return dataclasses.replace(film, sources=sources, **changes)
