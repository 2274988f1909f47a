"""Import users' own film data into a catalogue file (data/catalog/*.jsonl.gz).

- `import_wikidata`: a Wikidata SPARQL JSON result (`head`/`results.bindings`, one row per value),
  grouped by film; the query is in data/catalog/README.md.
- `import_imdb`: IMDb's non-commercial dataset files, streamed into a temporary SQLite file and
  joined there, so memory stays bounded whatever their size. Films only (`titleType` movie).

Both report what they read, kept and skipped, and why; long work shows progress.
"""

from __future__ import annotations

import csv
import gzip
import json
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IMDB_FILES = ("title.basics.tsv.gz", "title.crew.tsv.gz", "title.principals.tsv.gz", "name.basics.tsv.gz")
PROGRESS_EVERY = 2.0  # seconds between progress lines
Progress = Callable[[str], None]


class ImportFailed(Exception):
    """The input cannot be imported; the message says why."""


@dataclass
class Report:
    read: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        why = "; ".join(f"{n:,} {reason}" for reason, n in self.skipped.most_common())
        return f"read {self.read:,}, kept {self.kept:,}, skipped {sum(self.skipped.values()):,}" + (
            f" ({why})" if why else ""
        )


def write_catalogue(path: Path, header: dict[str, str], films: Iterator[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    # mtime=0: the same films give the same bytes, so the index's content hash changes only with them
    with open(partial, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as out:
        out.write(json.dumps(header).encode() + b"\n")
        for film in films:
            out.write(json.dumps(film, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
    partial.replace(path)  # a failed import leaves the previous catalogue as it was


class Ticker:
    """Calls `progress` at most every PROGRESS_EVERY seconds."""

    def __init__(self, progress: Progress) -> None:
        self.progress, self.last = progress, time.monotonic()

    def __call__(self, text: Callable[[], str]) -> None:
        if time.monotonic() - self.last >= PROGRESS_EVERY:
            self.last = time.monotonic()
            self.progress(text())


def to_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- Wikidata ------------------------------------------------------------------------------------

WIKIDATA_FIELDS = {  # SPARQL variable -> catalogue key
    "directorLabel": "directors",
    "screenwriterLabel": "writers",
    "cinematographerLabel": "cinematographers",
    "composerLabel": "composers",
    "countryLabel": "countries",
    "languageLabel": "languages",
    "genreLabel": "genres",
}


def import_wikidata(source: Path, output: Path, progress: Progress = to_stderr) -> Report:
    try:
        result = json.loads(source.read_text(encoding="utf-8"))
        bindings = result["results"]["bindings"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImportFailed(f"{source}: not a SPARQL JSON result (head/results.bindings): {exc}") from exc
    report = Report()
    films: dict[str, dict[str, Any]] = {}
    tick = Ticker(progress)
    for row in bindings:
        report.read += 1
        tick(lambda: f"{report.read:,} rows read")
        value = {name: cell.get("value", "") for name, cell in row.items() if isinstance(cell, dict)}
        film_uri = value.get("film", "")
        if "/entity/Q" not in film_uri:
            report.skipped["rows without a Wikidata film"] += 1
            continue
        film = films.setdefault(film_uri, {"wikidata": film_uri.rsplit("/", 1)[1], "_years": set()})
        if value.get("filmLabel") and not _is_qid(value["filmLabel"]):
            film["title"] = value["filmLabel"]
        if value.get("imdb"):
            film["imdb"] = value["imdb"]
        date = value.get("date", "")[:10]
        if date[:4].isdigit():
            film["_years"].add(date[:4])
            film.setdefault("_dates", set()).add(date)
        for variable, key in WIKIDATA_FIELDS.items():
            if (name := value.get(variable)) and not _is_qid(name):
                _append(film, key, name)
        if (actor := value.get("castLabel")) and not _is_qid(actor):
            character = value.get("characterLabel")
            entry = (
                {"actor": actor, "character": character} if character and not _is_qid(character) else actor
            )
            _append_cast(film, entry)
        if (work := value.get("basedOnLabel")) and not _is_qid(work):
            film.setdefault("based_on", work)
        if (duration := value.get("duration")) and duration.replace(".", "", 1).isdigit():
            film["runtime"] = round(float(duration))
    write_catalogue(
        output,
        {"source": f"Wikidata (CC0), query result {source.name}", "license": "CC0-1.0"},
        _finished(films.values(), report),
    )
    return report


def _finished(films: Any, report: Report) -> Iterator[dict[str, Any]]:
    for film in films:
        years = sorted(film.pop("_years"))
        dates = sorted(film.pop("_dates", ()))
        if "title" not in film:
            report.skipped["films without a label"] += 1
            continue
        if not years:
            report.skipped["films without a publication date"] += 1
            continue
        film["year"] = int(years[0])  # the first publication
        if dates and dates[0][:4] == years[0] and not dates[0].endswith("-01-01"):
            film["release_date"] = dates[0]
        report.kept += 1
        yield film


def _is_qid(text: str) -> bool:
    """Wikidata labels an item without a label in the language by its id: no name to show."""
    return text[:1] == "Q" and text[1:].isdigit()


def _append(film: dict[str, Any], key: str, value: str) -> None:
    values = film.setdefault(key, [])
    if value not in values:
        values.append(value)


def _append_cast(film: dict[str, Any], entry: str | dict[str, str]) -> None:
    cast = film.setdefault("cast", [])
    actor = entry["actor"] if isinstance(entry, dict) else entry
    for i, existing in enumerate(cast):
        if (existing["actor"] if isinstance(existing, dict) else existing) == actor:
            if isinstance(entry, dict) and not isinstance(existing, dict):
                cast[i] = entry  # the same actor, now with the character
            return
    cast.append(entry)


# -- IMDb ----------------------------------------------------------------------------------------

IMDB_HEADER = {
    "source": "IMDb non-commercial datasets (personal, non-commercial use only)",
    "license": "IMDb non-commercial licence: https://developer.imdb.com/non-commercial-datasets/",
}
CAST_CATEGORIES = ("actor", "actress")


def _rows(path: Path) -> Iterator[list[str]]:
    """An IMDb TSV file's rows after its header: unquoted tabs, \\N for null."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as text:
        reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        yield from reader


def _null(value: str) -> str | None:
    return None if value == "\\N" or value == "" else value


def import_imdb(folder: Path, output: Path, progress: Progress = to_stderr) -> Report:
    missing = [name for name in IMDB_FILES if not (folder / name).exists()]
    if missing:
        raise ImportFailed(f"{folder} lacks {', '.join(missing)} (from https://datasets.imdbws.com/)")
    report = Report()
    tick = Ticker(progress)
    with tempfile.TemporaryDirectory(prefix="filmbot-imdb-") as tmp:
        db = sqlite3.connect(Path(tmp) / "imdb.db")
        db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE movies (tconst TEXT PRIMARY KEY, title TEXT, original TEXT, year INTEGER, "
            "runtime INTEGER, genres TEXT);"
            "CREATE TABLE crew (tconst TEXT PRIMARY KEY, directors TEXT, writers TEXT);"
            "CREATE TABLE principals (tconst TEXT, ordering INTEGER, nconst TEXT, character TEXT);"
            "CREATE TABLE names (nconst TEXT PRIMARY KEY, name TEXT);"
        )

        def load(name: str, table: str, rows: Iterator[tuple[Any, ...]], width: int) -> None:
            marks = ", ".join("?" * width)
            with db:
                db.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", rows)
            progress(f"{name}: loaded")

        def movies() -> Iterator[tuple[Any, ...]]:
            for row in _rows(folder / "title.basics.tsv.gz"):
                report.read += 1
                tick(lambda: f"title.basics: {report.read:,} titles read, {report.kept:,} films")
                if len(row) < 9:
                    report.skipped["malformed lines"] += 1
                elif row[1] != "movie":
                    report.skipped[f"not films ({row[1]})"] += 1
                elif _null(row[5]) is None or not row[5].isdigit():
                    report.skipped["films without a year"] += 1
                else:
                    report.kept += 1
                    runtime = _null(row[7])
                    yield (
                        row[0],
                        row[2],
                        row[3] if row[3] != row[2] else None,
                        int(row[5]),
                        int(runtime) if runtime and runtime.isdigit() else None,
                        _null(row[8]),
                    )

        load("title.basics", "movies", movies(), 6)
        load(
            "title.crew",
            "crew",
            ((r[0], _null(r[1]), _null(r[2])) for r in _rows(folder / "title.crew.tsv.gz") if len(r) >= 3),
            3,
        )
        load(
            "title.principals",
            "principals",
            (
                (r[0], int(r[1]), r[2], _character(_null(r[5])))
                for r in _rows(folder / "title.principals.tsv.gz")
                if len(r) >= 6 and r[3] in CAST_CATEGORIES and r[1].isdigit()
            ),
            4,
        )
        load(
            "name.basics",
            "names",
            ((r[0], r[1]) for r in _rows(folder / "name.basics.tsv.gz") if len(r) >= 2),
            2,
        )
        with db:
            db.execute("CREATE INDEX principals_title ON principals (tconst, ordering)")
        write_catalogue(output, IMDB_HEADER, _imdb_films(db, tick))
        db.close()
    return report


def _character(characters: str | None) -> str | None:
    """IMDb writes characters as a JSON list: '["Stalker"]'."""
    if not characters:
        return None
    try:
        names = json.loads(characters)
    except ValueError:
        return None
    return " / ".join(str(n) for n in names) if isinstance(names, list) and names else None


def _imdb_films(db: sqlite3.Connection, tick: Ticker) -> Iterator[dict[str, Any]]:
    """Films with their credits, by a merge of two ordered scans (no per-film query for the cast)."""
    names = db.cursor()

    def named(ids: str | None) -> list[str]:
        found = []
        for nconst in (ids or "").split(","):
            row = names.execute("SELECT name FROM names WHERE nconst = ?", (nconst,)).fetchone()
            if row and row[0] not in found:
                found.append(row[0])
        return found

    cast_rows = db.execute(
        "SELECT p.tconst, n.name, p.character FROM principals AS p JOIN names AS n ON n.nconst = p.nconst "
        "JOIN movies AS m ON m.tconst = p.tconst ORDER BY p.tconst, p.ordering"
    )
    pending = next(cast_rows, None)
    films = db.execute(
        "SELECT m.*, c.directors, c.writers FROM movies AS m LEFT JOIN crew AS c ON c.tconst = m.tconst "
        "ORDER BY m.tconst"
    )
    for written, (tconst, title, original, year, runtime, genres, directors, writers) in enumerate(films, 1):
        cast: list[Any] = []
        while pending is not None and pending[0] <= tconst:
            if pending[0] == tconst:
                cast.append({"actor": pending[1], "character": pending[2]} if pending[2] else pending[1])
            pending = next(cast_rows, None)
        film: dict[str, Any] = {"imdb": tconst, "title": title, "year": year}
        if original:
            film["original_title"] = original
        if runtime:
            film["runtime"] = runtime
        for key, value in (("directors", named(directors)), ("writers", named(writers)), ("cast", cast)):
            if value:
                film[key] = value
        if genres:
            film["genres"] = genres.split(",")
        tick(lambda: f"writing: {written:,} films")  # noqa: B023 - called at once
        yield film
