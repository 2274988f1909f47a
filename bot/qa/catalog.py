"""The fact store as question answering reads it, from the index file on demand."""

from __future__ import annotations

import functools
import heapq
import itertools
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, overload

from rapidfuzz import fuzz, process

from ..facts.index import film_from_json
from ..facts.model import Film, film_label
from ..text import match_key
from . import matchers
from .words import stem

FILM_CACHE = 50_000  # films whose title, year and prominence are kept


class FilmRef(NamedTuple):
    """A film as lists and matches show it (a tuple: a title's films are read by the hundred)."""

    id: str
    title: str
    year: int
    prominence: int
    curated: bool = True  # False for a catalogue (Wikidata) film

    @property
    def label(self) -> str:
        return film_label(self.title, self.year)


class Films(Sequence[FilmRef]):
    """A title's films, best known first, as read with it (matcher_tables._films): read and made refs
    only when looked at, since a question spells out many titles it is not about, some of hundreds
    of films."""

    __slots__ = ("_rows", "_text", "curated")

    def __init__(self, text: str) -> None:
        self._text = text
        self._rows: list[list[Any]] | None = None
        self.curated = text[:1] == "1"  # one of them is

    def _all(self) -> list[list[Any]]:
        if self._rows is None:
            self._rows = json.loads(self._text[1:])
        return self._rows

    def __len__(self) -> int:
        return len(self._all())

    @overload
    def __getitem__(self, i: int) -> FilmRef: ...
    @overload
    def __getitem__(self, i: slice) -> list[FilmRef]: ...
    def __getitem__(self, i: int | slice) -> FilmRef | list[FilmRef]:
        if isinstance(i, slice):
            return [FilmRef._make(row) for row in self._all()[i]]
        return FilmRef._make(self._all()[i])

    def __iter__(self) -> Iterator[FilmRef]:
        return map(FilmRef._make, self._all())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Films) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)


@dataclass(frozen=True)
class FactHit:
    film_id: str
    text: str
    source: str | None
    topics: str  # with what the fact is about
    kind: str  # "fact" or "synopsis"
    answers: str = ""  # the question words it answers, comma-separated


@dataclass(frozen=True)
class AwardRow:
    film_id: str
    name: str
    event: str
    year: int
    text: str  # the fact that records it
    source: str | None


@dataclass(frozen=True)
class PersonCredit:
    """A person's credit in a film (a film's own credits are facts.model.Credit)."""

    film_id: str
    role: str
    character: str | None


class FilmRefs(Mapping[str, FilmRef]):
    """The films by id, read from the index on demand (a bounded cache of the recent ones)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._read = functools.lru_cache(maxsize=FILM_CACHE)(self._read_ref)

    def _read_ref(self, film_id: str) -> FilmRef | None:
        row = self._db.execute(
            "SELECT id, title, year, prominence, curated FROM films WHERE id = ?", (film_id,)
        ).fetchone()
        return FilmRef(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def __getitem__(self, film_id: str) -> FilmRef:
        if not isinstance(film_id, str) or (ref := self._read(film_id)) is None:
            raise KeyError(film_id)
        return ref

    def __iter__(self) -> Iterator[str]:
        return (film_id for (film_id,) in self._db.execute("SELECT id FROM films ORDER BY rowid").fetchall())

    @functools.cached_property
    def _count(self) -> int:
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'films'").fetchone()[0])

    def __len__(self) -> int:
        return self._count

    def curated_ids(self) -> list[str]:
        return [film_id for (film_id,) in self._db.execute("SELECT id FROM films WHERE curated = 1")]


class Catalog:
    """Read-only view of the indexed fact store, for one thread (the event loop's). Opening it reads
    nothing: films, names and the matchers are read from the index file as questions need them."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = db = connection
        self.vocabulary = matchers.StoredVocabulary(db)
        self.films = FilmRefs(db)
        anchors = matchers.StoredAnchors(db)
        self.titles = matchers.StoredPhrases(anchors, "title", Films)
        self.people = matchers.StoredPhrases(anchors, "person", matchers.each(int))
        self.characters = matchers.StoredPhrases(anchors, "character", matchers.each(_film_and_person))
        self.works = matchers.StoredPhrases(anchors, "work", matchers.each(str))
        self.award_names = matchers.StoredPhrases(anchors, "award", matchers.each(str))  # "name:…", "event:…"
        # Title phrases as members shorten them ("cranes are flying"), not a title in full.
        self.shortened = matchers.StoredSet(
            db, "SELECT 1 FROM phrases WHERE kind = 'title' AND phrase = ? AND shortened", " ".join
        )
        # The beginnings of the words the facts and synopses use, to skip a search that cannot match.
        self.fact_prefixes = matchers.StoredSet(db, "SELECT 1 FROM fact_prefixes WHERE prefix = ?")
        self.person_names: matchers.StoredValues[int, str] = matchers.StoredValues(
            db, "SELECT name FROM people WHERE id = ?"
        )
        # How well known each person is (a credit in a curated film counts 100, any other 1).
        self.person_weight: matchers.StoredValues[int, int] = matchers.StoredValues(
            db, "SELECT weight FROM person_weights WHERE person_id = ?"
        )
        # Each film's first director, for the choices of autocomplete.
        self._directors: matchers.StoredValues[str, str] = matchers.StoredValues(
            db,
            "SELECT p.name FROM credits AS c JOIN people AS p ON p.id = c.person_id "
            "WHERE c.film_id = ? AND c.role = 'director' AND c.position = 0",
        )

    @classmethod
    def open(cls, path: str | Path) -> Catalog:
        connection = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    @functools.cached_property
    def awards(self) -> list[AwardRow]:
        rows = self._db.execute(
            "SELECT a.film_id, a.name, a.event, a.year, f.text, f.source FROM awards AS a "
            "JOIN facts AS f ON f.id = a.fact_id ORDER BY a.year"
        )
        return [AwardRow(*row) for row in rows]

    @functools.cached_property
    def tags(self) -> dict[str, set[str]]:
        """Kind -> the folded values the films have."""
        tags: dict[str, set[str]] = {}
        for kind, value in self._db.execute("SELECT kind, value FROM tag_values"):
            tags.setdefault(kind, set()).add(value)
        return tags

    @functools.cached_property
    def fact_count(self) -> int:
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'facts'").fetchone()[0])

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one catalog lives as long as the bot
    def film(self, film_id: str) -> Film:
        row = self._db.execute("SELECT data FROM films WHERE id = ?", (film_id,)).fetchone()
        if row is None:
            raise KeyError(film_id)
        return film_from_json(row[0])

    def search_titles(self, text: str, limit: int, *, curated_only: bool = False) -> list[FilmRef]:
        """Films whose titles match `text` (fuzzy, prefixes first); the best known when it is empty."""
        key = match_key(text)
        if not key:
            rows = self._db.execute(
                "SELECT id FROM films WHERE curated >= ? ORDER BY prominence DESC, title LIMIT ?",
                (int(curated_only), limit),
            ).fetchall()
            return [self.films[film_id] for (film_id,) in rows]
        candidates = [c for c in self._title_candidates(key) if c[3] or not curated_only]
        scores = process.extract(key, [c[0] for c in candidates], scorer=fuzz.WRatio, limit=None)
        scored: dict[str, tuple[float, int]] = {}  # film -> its best score, its prominence
        for title_key, score, n in scores:
            _, film_id, prominence, _ = candidates[n]
            score += 20 if title_key.startswith(key) else 0
            scored[film_id] = max((score, prominence), scored.get(film_id, (0, 0)))
        ranked = sorted(scored, key=lambda f: (-scored[f][0], -scored[f][1]))
        return [self.films[f] for f in itertools.islice((f for f in ranked if scored[f][0] >= 50), limit)]

    def _title_candidates(self, key: str, cap: int = 400) -> list[tuple[str, str, int, int]]:
        """(key, film, prominence, curated) of the titles sharing a word with the text: typed words
        within typo tolerance, the last as a prefix; of very common words, the best known films'."""
        *complete, last = key.split()
        words: set[str] = set()
        for word in complete:
            words.update(self.vocabulary.near(word) or {word: 0})
        words.update(
            word
            for (word,) in self._db.execute(
                "SELECT word FROM title_vocabulary WHERE word >= ? ORDER BY word LIMIT 50", (last,)
            )
            if word.startswith(last)
        )
        words.update(self.vocabulary.near(last))
        # The titles of each word, best known first, merged: only the first `cap` are read.
        each = [
            self._db.execute(
                "SELECT rank, title_id, key, film_id, curated FROM title_words WHERE word = ? "
                "ORDER BY rank, title_id",
                (word,),
            )
            for word in sorted(words)
        ]
        best: dict[int, tuple[str, str, int, int]] = {}
        for rank, title_id, title_key, film_id, curated in heapq.merge(*each):
            best[title_id] = (title_key, film_id, -rank, curated)
            if len(best) == cap:
                break
        return [best[title_id] for title_id in sorted(best)]

    def choice_label(self, ref: FilmRef) -> str:
        """ "Title (Year) — Director", within Discord's 100 characters for a choice name."""
        director = self._directors.get(ref.id, "")
        label = f"{ref.label} — {director}" if director else ref.label
        return label if len(label) <= 100 else label[:99] + "…"

    def stored_films(self, *, curated: bool) -> list[Film]:
        """The curated films, or those known only from the catalogue, read in one pass."""
        rows = self._db.execute("SELECT data FROM films WHERE curated = ?", (int(curated),))
        return [film_from_json(data) for (data,) in rows]

    def person_aliases(self) -> dict[str, list[str]]:
        """Each person's other recorded spellings, by name."""
        aliases: dict[str, list[str]] = defaultdict(list)
        for name, alias in self._db.execute(
            "SELECT p.name, n.name FROM people AS p JOIN person_names AS n ON n.person_id = p.id "
            "WHERE n.name != p.name"
        ):
            aliases[name].append(alias)
        return dict(aliases)

    def credits_of(self, person_id: int) -> list[PersonCredit]:
        rows = self._db.execute(
            "SELECT film_id, role, character FROM credits WHERE person_id = ? ORDER BY film_id, position",
            (person_id,),
        )
        return [PersonCredit(*row) for row in rows]

    def search_facts(self, words: list[str], film_id: str | None = None, limit: int = 5) -> list[FactHit]:
        """Facts and synopses matching any of `words` (best first), optionally of one film."""
        terms = [w for w in words if re.fullmatch(r"\w+", w)]
        if not terms:
            return []
        query = " OR ".join(f'"{stem(w)}"*' for w in terms)
        sql = (
            "SELECT s.film_id, s.text, f.source, s.topics, s.kind, coalesce(f.answers, '') "
            "FROM fact_search AS s "
            "LEFT JOIN facts AS f ON f.id = s.fact_id WHERE fact_search MATCH ?"
        )
        params: list[object] = [query]
        if film_id is not None:
            sql += " AND s.film_id = ?"
            params.append(film_id)
        sql += " ORDER BY bm25(fact_search, 1.0, 2.0) LIMIT ?"
        params.append(limit)
        return [FactHit(*row) for row in self._db.execute(sql, params)]

    def facts_naming(self, person_id: int) -> list[FactHit]:
        """The facts that name a person."""
        rows = self._db.execute(
            "SELECT f.film_id, f.text, f.source, f.topics, 'fact', f.answers FROM fact_people AS p "
            "JOIN facts AS f ON f.id = p.fact_id WHERE p.person_id = ? ORDER BY f.id",
            (person_id,),
        )
        return [FactHit(*row) for row in rows]

    def films_where(
        self,
        *,
        tags: dict[str, set[str]] | None = None,
        years: tuple[int, int] | None = None,
        limit: int = 50,
    ) -> tuple[list[FilmRef], int]:
        """The best known films (curated first) with every kind of tag asked (any value of each), in
        the years, at most `limit` of them; and how many there are in all."""
        where, params = "WHERE 1", list[object]()
        if years is not None:
            where += " AND year BETWEEN ? AND ?"
            params += list(years)
        for kind, values in (tags or {}).items():
            marks = ", ".join("?" * len(values))
            where += f" AND id IN (SELECT film_id FROM film_tags WHERE kind = ? AND value IN ({marks}))"
            params += [kind, *sorted(values)]
        rows = self._db.execute(
            f"SELECT id, count(*) OVER () FROM films {where} "
            "ORDER BY curated DESC, prominence DESC, year, title LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [self.films[film_id] for film_id, _ in rows], (rows[0][1] if rows else 0)

    def films_sharing(self, person_ids: list[int]) -> dict[str, set[tuple[int, str]]]:
        """Films crediting any of the people: film id -> (person, role) credited there."""
        if not person_ids:
            return {}
        marks = ", ".join("?" * len(person_ids))
        found: dict[str, set[tuple[int, str]]] = defaultdict(set)
        for film_id, person_id, role in self._db.execute(
            f"SELECT film_id, person_id, role FROM credits WHERE person_id IN ({marks})", person_ids
        ):
            found[film_id].add((person_id, role))
        return found

    def tags_of(self, film_ids: set[str]) -> dict[tuple[str, str], set[str]]:
        """(film, kind) -> its folded genres, countries or languages, for many films at once."""
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        ids = sorted(film_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for film_id, kind, value in self._db.execute(
                f"SELECT film_id, kind, value FROM film_tags WHERE film_id IN ({marks})", chunk
            ):
                found[(film_id, kind)].add(value)
        return found

    def same_title(self, film_id: str) -> list[FilmRef]:
        """Other films with a title of this one (remakes, namesakes)."""
        rows = self._db.execute(
            "SELECT other.film_id FROM titles AS other WHERE other.film_id != ? AND other.key IN "
            "(SELECT key FROM titles WHERE film_id = ?) ORDER BY other.rowid",
            (film_id, film_id),
        ).fetchall()
        return [self.films[f] for (f,) in rows]

    def person_id(self, name: str) -> int | None:
        """The id of a person by their one name."""
        row = self._db.execute("SELECT id FROM people WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None


def _film_and_person(payload: Any) -> tuple[str, int]:
    film_id, person_id = payload  # a JSON pair
    return str(film_id), int(person_id)
