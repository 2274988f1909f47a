"""The catalogue: basic facts of thousands of films from open data, behind the curated films.

`data/catalog/*.jsonl.gz` holds one JSON object a line: first a header naming the source of the
file's values, then one film a line (see data/catalog/README.md). A catalogue film that is also
curated (the same Wikidata or IMDb id, or the same title and year) is merged into the curated
film: the curated file wins field by field, and the catalogue fills what it lacks, with its source.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .model import BasedOn, Credit, Film

FOLDER = "catalog"
# Fields a catalogue fills in a curated film that lacks them.
FILLED = ("release_date", "runtime", "writers", "genres", "languages", "countries", "studios")
LISTS = ("writers", "genres", "languages", "countries", "studios", "cinematographers", "composers")
COMPLETENESS = ("directors", "writers", "cast", "runtime", "genres", "languages", "countries", "studios")


def catalogue_files(root: Path) -> list[Path]:
    return sorted((root / FOLDER).glob("*.jsonl.gz"))


def read_catalogue(path: Path) -> Iterator[Film]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines, "{}"))
        source = header.get("source")
        for line in lines:
            yield film_of(json.loads(line), source)


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
        source=source,
        wikidata=row.get("wikidata"),
        imdb=row.get("imdb"),
        **values,
    )


def merge(curated: list[Film], catalogue: Iterable[Film], match_key: Callable[[str], str]) -> list[Film]:
    """The curated films, completed from their catalogue rows, then every other catalogue film."""
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
    for row in catalogue:
        found = by_id.get(row.wikidata or "", by_id.get(row.imdb or ""))
        if found is None:
            found = by_title.get((match_key(row.title), row.year))
        if found is None:
            others.append(row)
        else:
            merged[found] = complete(merged[found], row)
    return merged + others


def complete(film: Film, row: Film) -> Film:
    """`film` with the fields it lacks taken from its catalogue `row`, each with the row's source."""
    changes: dict[str, object] = {"wikidata": film.wikidata or row.wikidata, "imdb": film.imdb or row.imdb}
    sources = dict(film.sources)
    for key in FILLED:
        if not getattr(film, key) and getattr(row, key):
            changes[key] = getattr(row, key)
            if row.source:
                sources[key] = row.source
    return dataclasses.replace(film, sources=sources, **changes)  # type: ignore[arg-type]
