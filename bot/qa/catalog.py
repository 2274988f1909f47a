"""The fact store as question answering reads it: matchers in memory, details from SQLite."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from ..facts.index import film_from_json, match_key
from ..facts.model import Film, film_label
from .phrases import PhraseIndex
from .search import prefixes
from .words import Vocabulary, stem, tokens

SUBTITLE = re.compile(r"\s*[:–—]\s+")


@dataclass(frozen=True)
class FilmRef:
    id: str
    title: str
    year: int
    prominence: int
    curated: bool = True  # False for a catalogue (Wikidata) film

    @property
    def label(self) -> str:
        return film_label(self.title, self.year)


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
class Credit:
    film_id: str
    role: str
    character: str | None


class Catalog:
    """Read-only view of the indexed fact store, for one thread (the event loop's)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self.vocabulary = Vocabulary()
        self.films: dict[str, FilmRef] = {}
        self.titles: PhraseIndex[str] = PhraseIndex(self.vocabulary)
        self.people: PhraseIndex[int] = PhraseIndex(self.vocabulary)
        self.person_names: dict[int, str] = {}
        self.characters: PhraseIndex[tuple[str, int]] = PhraseIndex(self.vocabulary)  # (film, actor)
        self.works: PhraseIndex[str] = PhraseIndex(self.vocabulary)
        self.award_names: PhraseIndex[str] = PhraseIndex(self.vocabulary)  # "name:..." or "event:..."
        self.awards: list[AwardRow] = []
        self.tags: dict[str, set[str]] = {}  # kind -> the folded values the films have
        self._load()

    @classmethod
    def open(cls, path: str | Path) -> Catalog:
        connection = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    def _load(self) -> None:
        db = self._db
        for film_id, title, year, prominence, curated in db.execute(
            "SELECT id, title, year, prominence, curated FROM films"
        ):
            self.films[film_id] = FilmRef(film_id, title, year, prominence, bool(curated))
        self._title_keys: list[str] = []
        self._title_films: list[str] = []
        self._by_word: dict[str, list[int]] = defaultdict(list)  # title word -> indexes of _title_keys
        # Titles as members shorten them: "cranes are flying", "schindlers list". A title without its
        # article may be an everyday phrase, so it counts only where a catalogue title would.
        self.shortened: set[tuple[str, ...]] = set()
        for film_id, title, key in db.execute("SELECT film_id, title, key FROM titles"):
            words = key.split()
            self.titles.add(words, film_id)
            if "'" in title or "’" in title:  # "schindlers list"
                self.titles.add(tokens(title.replace("'", "").replace("’", "")), film_id)
            if len(words) > 2 and words[0] in ("the", "a", "an"):
                self.titles.add(words[1:], film_id)
                self.shortened.add(tuple(words[1:]))
            # "Star Wars: Episode V - The Empire Strikes Back" is "the empire strikes back"
            *_, subtitle = SUBTITLE.split(title)
            if subtitle != title:
                short = tokens(subtitle)
                for part in (short, short[1:] if short[:1] == ["the"] else []):
                    if len(part) >= 2:
                        self.titles.add(part, film_id)
                        self.shortened.add(tuple(part))
            for word in set(words):
                self._by_word[word].append(len(self._title_keys))
            self._title_keys.append(key)
            self._title_films.append(film_id)
        self.shortened -= {tuple(key.split()) for key in self._title_keys}  # also a title in full
        self._words = sorted(self._by_word)
        self._directors = dict(
            db.execute(
                "SELECT c.film_id, p.name FROM credits AS c JOIN people AS p ON p.id = c.person_id "
                "WHERE c.role = 'director' AND c.position = 0"
            )
        )
        # A surname alone ("Kubrick") names the people of the curated films; among the catalogue's
        # tens of thousands, surnames such as "Killer" or "Michael" would be read in any question.
        # How well known each person is: credits in curated films first, then any credits. Of two
        # people a name fits ("Tarkovsky": Andrei or Arseny), the better known is meant.
        self.person_weight: dict[int, int] = defaultdict(int)
        for person_id, curated, count in db.execute(
            "SELECT c.person_id, f.curated, count(*) FROM credits AS c JOIN films AS f ON f.id = c.film_id "
            "GROUP BY c.person_id, f.curated"
        ):
            self.person_weight[person_id] += count * (100 if curated else 1)
        curated_people = {p for p, w in self.person_weight.items() if w >= 100}
        curated_people |= {row[0] for row in db.execute("SELECT person_id FROM fact_people")}
        surnames: dict[str, list[int]] = defaultdict(list)
        for person_id, name in db.execute("SELECT id, name FROM people"):
            self.person_names[person_id] = name
            if person_id in curated_people:
                key = match_key(name)
                *_, surname = key.split() or [""]
                if surname != key and len(surname) >= 3:
                    surnames[surname].append(person_id)
        for surname, ids in surnames.items():
            if len(surname) >= 4 or len(ids) == 1:  # "Ozu", "Ray"; but not "Lee" of several
                for person_id in sorted(ids, key=lambda p: -self.person_weight[p]):
                    self.people.add([surname], person_id)
        for person_id, key in db.execute("SELECT person_id, key FROM person_names"):
            self.people.add(key.split(), person_id)
        for film_id, person_id, character in db.execute(
            "SELECT film_id, person_id, character FROM credits WHERE character IS NOT NULL"
        ):
            # "HAL 9000 (voice)" answers to "HAL 9000"
            name = tokens(re.sub(r"\s*\(.*?\)", "", character))
            self.characters.add(name, (film_id, person_id))
            if len(name) > 1 and len(name[-1]) >= 4 and self.films[film_id].curated:
                self.characters.add(name[-1:], (film_id, person_id))  # "Kane" of Charles Foster Kane
        for film_id, data in db.execute("SELECT id, json_extract(data, '$.based_on.title') FROM films"):
            if data:
                self.works.add(tokens(data), film_id)
        for row in db.execute(
            "SELECT a.film_id, a.name, a.event, a.year, f.text, f.source FROM awards AS a "
            "JOIN facts AS f ON f.id = a.fact_id ORDER BY a.year"
        ):
            award = AwardRow(*row)
            self.awards.append(award)
            self.award_names.add(tokens(award.name), f"name:{match_key(award.name)}")
            self.award_names.add(tokens(award.event), f"event:{match_key(award.event)}")
        for alias, payload in AWARD_ALIASES.items():
            if any(
                f"{kind}:{match_key(a.name if kind == 'name' else a.event)}" == payload
                for a in self.awards
                for kind in ("name", "event")
            ):
                self.award_names.add(alias.split(), payload)
        for kind, value in db.execute("SELECT DISTINCT kind, value FROM film_tags"):
            self.tags.setdefault(kind, set()).add(value)
        for index in (self.titles, self.people, self.characters, self.works, self.award_names):
            index.freeze()
        self.fact_count = db.execute("SELECT count(*) FROM facts").fetchone()[0]
        # The words the facts and synopses use (their full-text index's vocabulary), to skip a
        # search that cannot match.
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fact_terms USING fts5vocab(main, fact_search, row)"
        )
        self.fact_prefixes = prefixes(term for (term,) in db.execute("SELECT term FROM temp.fact_terms"))

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
            films = [f for f in self.films.values() if f.curated or not curated_only]
            return sorted(films, key=lambda f: (-f.prominence, f.title))[:limit]
        scored: dict[str, float] = {}
        for index in self._title_candidates(key):
            if curated_only and not self.films[self._title_films[index]].curated:
                continue
            title_key = self._title_keys[index]
            score = fuzz.WRatio(key, title_key) + (20 if title_key.startswith(key) else 0)
            film_id = self._title_films[index]
            scored[film_id] = max(score, scored.get(film_id, 0))
        ranked = sorted(scored, key=lambda f: (-scored[f], -self.films[f].prominence))
        return [self.films[f] for f in ranked if scored[f] >= 50][:limit]

    def _title_candidates(self, key: str, cap: int = 400) -> set[int]:
        """Titles sharing a word with the text: typed words within typo tolerance, the last as a prefix."""
        *complete, last = key.split()
        found: set[int] = set()
        for word in complete:
            for near in self.vocabulary.near(word) or {word: 0}:
                found.update(self._by_word.get(near, ()))
        start = bisect.bisect_left(self._words, last)
        for word in itertools.islice(self._words, start, start + 50):
            if not word.startswith(last):
                break
            found.update(self._by_word[word])
        for near in self.vocabulary.near(last):
            found.update(self._by_word.get(near, ()))
        if len(found) > cap:  # very common words: keep the titles of the best known films
            found = set(sorted(found, key=lambda i: -self.films[self._title_films[i]].prominence)[:cap])
        return found

    def choice_label(self, ref: FilmRef) -> str:
        """ "Title (Year) — Director", within Discord's 100 characters for a choice name."""
        director = self._directors.get(ref.id)
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

    def credits_of(self, person_id: int) -> list[Credit]:
        rows = self._db.execute(
            "SELECT film_id, role, character FROM credits WHERE person_id = ? ORDER BY film_id, position",
            (person_id,),
        )
        return [Credit(*row) for row in rows]

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
        where, params = "WHERE 1", []
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
        keys = {key for key, film in zip(self._title_keys, self._title_films, strict=True) if film == film_id}
        return [
            self.films[f]
            for key, f in zip(self._title_keys, self._title_films, strict=True)
            if key in keys and f != film_id
        ]

    def person_id(self, name: str) -> int | None:
        """The id of a person by their one name."""
        row = self._db.execute("SELECT id FROM people WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None


# Other ways to name the awards and events that the facts record.
AWARD_ALIASES = {
    "palme": "name:palme d or",
    "golden palm": "name:palme d or",
    "palm d or": "name:palme d or",
    "oscar": "event:academy awards",
    "oscars": "event:academy awards",
    "academy award": "event:academy awards",
    "cannes": "event:cannes film festival",
    "venice": "event:venice film festival",
    "berlin": "event:berlin international film festival",
    "berlinale": "event:berlin international film festival",
}
