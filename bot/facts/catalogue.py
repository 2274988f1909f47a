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

from .model import Credit, Film

FOLDER = "catalog"
# Fields a catalogue fills in a curated film that lacks them.
FILLED = ("release_date", "runtime", "writers", "genres", "languages", "countries", "studios")
COMPLETENESS = ("directors", "writers", "cast", "runtime", "genres", "languages", "countries", "studios")


def catalogue_files(root: Path) -> list[Path]:
    return sorted((root / FOLDER).glob("*.jsonl.gz"))


def read_catalogue(path: Path) -> Iterator[Film]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines, "{}"))
        source = header.get("source")
        for line in lines:
            yield film_of(json.loads(line), source)


def film_of(row: dict[str, object], source: str | None) -> Film:
    """A catalogue row as a Film; it ranks below every curated film, the more complete the higher."""
    values: dict[str, object] = {
        key: tuple(row[key]) if isinstance(row[key], list) else row[key]
        for key in ("release_date", "runtime", "writers", "genres", "languages", "countries", "studios")
        if key in row
    }
    cast = tuple(Credit(str(name)) for name in row.get("cast", []))  # type: ignore[attr-defined]
    filled = sum(1 for key in COMPLETENESS if row.get(key))
    key = str(row.get("wikidata") or row.get("imdb"))
    return Film(
        id=key.lower(),
        title=str(row["title"]),
        year=int(row["year"]),  # type: ignore[call-overload]
        directors=tuple(row.get("directors", ())),  # type: ignore[arg-type]
        synopsis="",
        cast=cast,
        prominence=min(40, 2 * filled + len(cast)),
        source=source,
        wikidata=row.get("wikidata"),  # type: ignore[arg-type]
        imdb=row.get("imdb"),  # type: ignore[arg-type]
        **values,  # type: ignore[arg-type]
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
