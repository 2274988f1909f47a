"""Build the SQLite index of the fact store from the YAML, only when the YAML changed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..storage import Database, MetaRepository
from .catalogue import catalogue_files
from .loader import DataError, Store, load_store, match_key
from .model import Film

HASH_KEY = "facts_hash"
INDEX_FORMAT = "4"  # bump when the index tables change meaning, to force a rebuild


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


async def ensure_index(db: Database, root: Path) -> IndexReport:
    """Rebuild the index from `root` if its content changed since the last build."""
    started = time.perf_counter()
    meta = MetaRepository(db)
    digest = content_hash(root)
    rebuilt = await meta.get(HASH_KEY) != digest
    if rebuilt:
        store, problems = load_store(root)
        if problems:
            raise DataError(problems)
        await write_index(db, store)
        await meta.set(HASH_KEY, digest)
    films, facts = await counts(db)
    return IndexReport(rebuilt, films, facts, time.perf_counter() - started)


async def counts(db: Database) -> tuple[int, int]:
    async with db.connection.execute(
        "SELECT (SELECT count(*) FROM films), (SELECT count(*) FROM facts)"
    ) as cur:
        row = await cur.fetchone()
    return (row[0], row[1]) if row else (0, 0)


async def write_index(db: Database, store: Store) -> None:
    """Replace the whole index with `store`, in one transaction."""
    rows = IndexRows.of(store)
    tables = "film_tags awards fact_people fact_search facts credits person_names people titles films".split()
    async with db.transaction() as conn:
        for table in tables:
            await conn.execute(f"DELETE FROM {table}")
        await conn.executemany(
            "INSERT INTO films (id, title, year, prominence, data, curated) VALUES (?, ?, ?, ?, ?, ?)",
            rows.films,
        )
        await conn.executemany("INSERT INTO titles VALUES (?, ?, ?, ?)", rows.titles)
        await conn.executemany("INSERT INTO people VALUES (?, ?)", rows.people)
        await conn.executemany("INSERT INTO person_names VALUES (?, ?, ?)", rows.person_names)
        await conn.executemany("INSERT INTO credits VALUES (?, ?, ?, ?, ?)", rows.credits)
        await conn.executemany(
            "INSERT INTO facts (id, film_id, text, source, topics, about, answers) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows.facts,
        )
        await conn.executemany(
            "INSERT INTO fact_search (text, topics, film_id, kind, fact_id) VALUES (?, ?, ?, ?, ?)",
            rows.search,
        )
        await conn.executemany("INSERT INTO fact_people VALUES (?, ?)", rows.fact_people)
        await conn.executemany("INSERT INTO awards VALUES (?, ?, ?, ?, ?)", rows.awards)
        await conn.executemany("INSERT INTO film_tags VALUES (?, ?, ?)", rows.tags)


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
