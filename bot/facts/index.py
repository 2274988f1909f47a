"""The fact index: a SQLite file of its own, built from data/ only when the data changed.

It is built whole into a temporary file beside it and renamed into place, so a process that has
the old index open keeps reading it, and a second process starting on the same data finds it
current and builds nothing. Every reader opens it read-only (bot/qa/catalog.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import os
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..qa import matcher_tables
from ..storage.database import StorageUnavailable
from ..storage.sqlite import unavailable
from ..text import match_key
from .catalogue import catalogue_files
from .loader import DataError, Store, load_store
from .model import Film

HASH_KEY = "facts_hash"
INDEX_FORMAT = "6"  # bump when the index tables change meaning, to force a rebuild


def content_hash(root: Path) -> str:
    digest = hashlib.sha256(INDEX_FORMAT.encode())
    for path in sorted([root / "people.yaml", *(root / "films").glob("*.yaml"), *catalogue_files(root)]):
        if path.exists():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class IndexReport:
    rebuilt: bool
    films: int
    facts: int
    seconds: float


async def ensure_index(path: Path, root: Path) -> IndexReport:
    """The index of `root` at `path`, built if the data changed since the file was."""
    return await asyncio.to_thread(build_if_changed, path, root)


def build_if_changed(path: Path, root: Path) -> IndexReport:
    started = time.perf_counter()
    digest = content_hash(root)
    rebuilt = built_from(path) != digest
    if rebuilt:
        store, problems = load_store(root)
        if problems:
            raise DataError(problems)
        build(path, store, digest)
    films, facts = counts(path)
    return IndexReport(rebuilt, films, facts, time.perf_counter() - started)


def built_from(path: Path) -> str | None:
    """The content hash the index at `path` was built from; None for a missing or unreadable one."""
    try:
        with _read(path) as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (HASH_KEY,)).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def counts(path: Path) -> tuple[int, int]:
    with _read(path) as db:
        found = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('films', 'facts')"))
    return int(found.get("films", 0)), int(found.get("facts", 0))


def _read(path: Path) -> closing[sqlite3.Connection]:
    """A read-only connection, closed at the end of the block (sqlite3's own block closes nothing)."""
    return closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True))


def build(path: Path, store: Store, digest: str) -> None:
    """Write the index of `store` to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        db = sqlite3.connect(temporary)
        try:
            db.execute("PRAGMA journal_mode = OFF")  # a new file, renamed into place only when whole
            db.executescript(resources.files(__package__).joinpath("schema.sql").read_text("utf-8"))
            db.executescript(matcher_tables.SCHEMA)
            with db:  # one transaction
                write_rows(db, IndexRows.of(store))
                matcher_tables.write(db)
                for table in ("films", "facts"):  # counted once, not at every start
                    db.execute(f"INSERT INTO meta SELECT '{table}', CAST(count(*) AS TEXT) FROM {table}")
                db.execute("INSERT INTO meta VALUES (?, ?)", (HASH_KEY, digest))
        finally:
            db.close()
        os.replace(temporary, path)
    except sqlite3.Error as exc:
        raise unavailable(exc) from exc
    except OSError as exc:  # no room for the file, or no right to write there
        raise StorageUnavailable(f"the index file could not be written ({exc.strerror})") from exc
    finally:
        temporary.unlink(missing_ok=True)


def write_rows(conn: sqlite3.Connection, rows: IndexRows) -> None:
    conn.executemany(
        "INSERT INTO films (id, title, year, prominence, data, curated) VALUES (?, ?, ?, ?, ?, ?)",
        rows.films,
    )
    conn.executemany("INSERT INTO titles VALUES (?, ?, ?, ?)", rows.titles)
    conn.executemany("INSERT INTO people VALUES (?, ?)", rows.people)
    conn.executemany("INSERT INTO person_names VALUES (?, ?, ?)", rows.person_names)
    conn.executemany("INSERT INTO credits VALUES (?, ?, ?, ?, ?)", rows.credits)
    conn.executemany(
        "INSERT INTO facts (id, film_id, text, source, topics, about, answers) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows.facts,
    )
    conn.executemany(
        "INSERT INTO fact_search (text, topics, film_id, kind, fact_id) VALUES (?, ?, ?, ?, ?)",
        rows.search,
    )
    conn.executemany("INSERT INTO fact_people VALUES (?, ?)", rows.fact_people)
    conn.executemany("INSERT INTO awards VALUES (?, ?, ?, ?, ?)", rows.awards)
    conn.executemany("INSERT INTO film_tags VALUES (?, ?, ?)", rows.tags)


@dataclass
class IndexRows:
    films: list[tuple[str, str, int, int, str, int]] = field(default_factory=list)
    titles: list[tuple[str, str, str, str]] = field(default_factory=list)
    people: list[tuple[int, str]] = field(default_factory=list)
    person_names: list[tuple[int, str, str]] = field(default_factory=list)
    credits: list[tuple[str, int, str, str | None, int]] = field(default_factory=list)
    facts: list[tuple[int, str, str, str | None, str, str, str]] = field(default_factory=list)
    search: list[tuple[str, str, str, str, int | None]] = field(default_factory=list)
    fact_people: list[tuple[int, int]] = field(default_factory=list)
    awards: list[tuple[int, str, str, str, int]] = field(default_factory=list)
    tags: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, store: Store) -> IndexRows:
        rows = cls()
        person_ids: dict[str, int] = {}

        def person(name: str) -> int:
            if name not in person_ids:
                person_ids[name] = len(person_ids) + 1
                rows.people.append((person_ids[name], name))
                rows.person_names.append((person_ids[name], name, match_key(name)))
            return person_ids[name]

        for known in store.people:
            pid = person(known.name)
            rows.person_names += [(pid, alias, match_key(alias)) for alias in known.aliases]
        for number, film in enumerate(store.films):
            curated = int(number < store.curated)
            rows.films.append((film.id, film.title, film.year, film.prominence, film_to_json(film), curated))
            kinds = ["title"] + (["original"] if film.original_title else []) + ["alias"] * len(film.aliases)
            seen = set()
            for title, kind in zip(film.titles, kinds, strict=True):
                if (key := match_key(title)) not in seen:
                    seen.add(key)
                    rows.titles.append((film.id, title, key, kind))
            credits = [
                *(("director", n, None) for n in film.directors),
                *(("writer", n, None) for n in film.writers),
                *(("actor", c.actor, c.character) for c in film.cast),
                *(("cinematographer", n, None) for n in film.cinematographers),
                *(("composer", n, None) for n in film.composers),
                *(("author", n, None) for n in (film.based_on.authors if film.based_on else ())),
            ]
            for position, (role, name, character) in enumerate(credits):
                rows.credits.append((film.id, person(name), role, character, position))
            for kind, values in (
                ("genre", film.genres),
                ("country", film.countries),
                ("language", film.languages),
            ):
                rows.tags += [(film.id, kind, tag) for tag in dict.fromkeys(match_key(v) for v in values)]
            if film.synopsis:
                rows.search.append((film.synopsis, "synopsis plot about story", film.id, "synopsis", None))
            for fact in film.facts:
                fact_id = len(rows.facts) + 1
                topics = " ".join([*fact.topics, *fact.about])
                answers = ",".join(fact.answers)
                rows.facts.append(
                    (fact_id, film.id, fact.shown, fact.source, topics, " ".join(fact.about), answers)
                )
                rows.search.append((fact.text, topics, film.id, "fact", fact_id))
                rows.fact_people += [(fact_id, person(name)) for name in dict.fromkeys(fact.people)]
                rows.awards += [(fact_id, film.id, a.name, a.event, a.year) for a in fact.awards]
        return rows


def film_to_json(film: Film) -> str:
    return json.dumps(dataclasses.asdict(film), ensure_ascii=False, separators=(",", ":"))


def film_from_json(text: str) -> Film:
    from .model import Award, BasedOn, Credit, Fact

    data = json.loads(text)
    for key, value in data.items():
        if isinstance(value, list):
            data[key] = tuple(value)
    data["cast"] = tuple(Credit(**c) for c in data["cast"])
    data["facts"] = tuple(
        Fact(
            **{
                **f,
                **{key: tuple(f[key]) for key in ("topics", "about", "people", "answers")},
                "awards": tuple(Award(**a) for a in f["awards"]),
            }
        )
        for f in data["facts"]
    )
    if data["based_on"]:
        data["based_on"] = BasedOn(**{**data["based_on"], "authors": tuple(data["based_on"]["authors"])})
    return Film(**data)
