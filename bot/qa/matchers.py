"""The answerer's matchers in the index file: titles, people, characters, works and awards as
phrases, and their words with a deletion index for typos (SymSpell).

`write()` derives them from the index's base tables when the index is built; the classes below
read them on demand, each with a small bounded cache, so that opening the index costs the same
for a hundred films as for a million and memory does not grow with the store.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

from ..facts.loader import match_key
from .phrases import Mention
from .search import prefixes
from .words import COMMON, allowed_typos, deletes, tokens, within_typos

T = TypeVar("T", bound=Hashable)

SUBTITLE = re.compile(r"\s*[:–—]\s+")
# Entries kept per lookup: the words and names of a busy bot's recent questions.
CACHE = 4096
ANCHOR_CACHE = NEAR_CACHE = 20_000

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

SCHEMA = """
CREATE TABLE phrases (
    kind       TEXT NOT NULL,     -- title, person, character, work, award
    phrase     TEXT NOT NULL,     -- its words, space-separated
    anchor     TEXT NOT NULL,     -- its rarest word, under which it is looked up
    position   INTEGER NOT NULL,  -- of the anchor in the phrase
    payloads   TEXT NOT NULL,     -- JSON list, in the order they were added
    shortened  INTEGER NOT NULL   -- a title as members shorten it ("cranes are flying")
) STRICT;
CREATE TABLE words (word TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
CREATE TABLE word_deletes (
    deleted  TEXT NOT NULL,       -- the word less one letter
    word     TEXT NOT NULL,
    PRIMARY KEY (deleted, word)
) STRICT, WITHOUT ROWID;
CREATE TABLE title_words (        -- for autocomplete: each word of each title, best known first
    word      TEXT NOT NULL,
    rank      INTEGER NOT NULL,     -- minus the film's prominence
    title_id  INTEGER NOT NULL,     -- titles.rowid
    key       TEXT NOT NULL,        -- the title's
    film_id   TEXT NOT NULL,
    curated   INTEGER NOT NULL,
    PRIMARY KEY (word, rank, title_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE title_vocabulary (word TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
CREATE TABLE person_weights (person_id INTEGER PRIMARY KEY, weight INTEGER NOT NULL) STRICT;
CREATE TABLE tag_values (kind TEXT NOT NULL, value TEXT NOT NULL) STRICT;
-- The beginnings of the words of the facts and synopses, to skip a search that cannot match.
CREATE TABLE fact_prefixes (prefix TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
"""
# Made once the rows are in: faster than keeping them in order row by row.
INDEXES = (
    "CREATE INDEX phrases_anchor ON phrases (anchor)",
    "CREATE UNIQUE INDEX phrases_phrase ON phrases (kind, phrase)",
)


# -- writing, when the index is built ------------------------------------------------------------


class _Phrases:
    def __init__(self) -> None:
        self.payloads: dict[tuple[str, ...], dict[object, None]] = {}  # in order, without repeats

    def add(self, words: list[str], payload: object) -> None:
        if words:
            self.payloads.setdefault(tuple(words), {})[payload] = None

    def rows(self, kind: str, shortened: set[tuple[str, ...]]) -> Iterable[tuple[object, ...]]:
        """Each phrase under its rarest word (common words last, then the longest)."""
        frequency = Counter(word for phrase in self.payloads for word in set(phrase))
        for phrase, payloads in self.payloads.items():
            position = min(
                range(len(phrase)), key=lambda i: (phrase[i] in COMMON, frequency[phrase[i]], -len(phrase[i]))
            )
            yield (
                kind,
                " ".join(phrase),
                phrase[position],
                position,
                json.dumps(list(payloads), separators=(",", ":")),
                int(phrase in shortened),
            )


def write(db: sqlite3.Connection) -> None:
    """Derive the matchers' tables (made from SCHEMA) from the base tables of an index being built."""
    curated_films = {film_id for (film_id,) in db.execute("SELECT id FROM films WHERE curated = 1")}
    titles, shortened = _titles(db)
    kinds = {
        "title": titles,
        "person": _people(db),
        "character": _characters(db, curated_films),
        "work": _works(db),
        "award": _awards(db),
    }
    words: set[str] = set()
    for kind, phrases in kinds.items():
        db.executemany("INSERT INTO phrases VALUES (?, ?, ?, ?, ?, ?)", phrases.rows(kind, shortened))
        words.update(word for phrase in phrases.payloads for word in phrase)
    db.executemany("INSERT INTO words VALUES (?)", ((w,) for w in sorted(words)))
    db.executemany(
        "INSERT INTO word_deletes VALUES (?, ?)",
        sorted((d, w) for w in words if allowed_typos(w) for d in deletes(w)),  # in key order: appended
    )
    db.execute("INSERT INTO tag_values SELECT DISTINCT kind, value FROM film_tags ORDER BY kind, value")
    db.execute("CREATE VIRTUAL TABLE temp.fact_terms USING fts5vocab(main, fact_search, row)")
    terms = prefixes(term for (term,) in db.execute("SELECT term FROM temp.fact_terms"))
    db.executemany("INSERT INTO fact_prefixes VALUES (?)", ((p,) for p in sorted(terms)))
    db.execute("DROP TABLE temp.fact_terms")
    for statement in INDEXES:
        db.execute(statement)


def _titles(db: sqlite3.Connection) -> tuple[_Phrases, set[tuple[str, ...]]]:
    """Titles, and as members shorten them: "cranes are flying", "schindlers list". A title without
    its article may be an everyday phrase, so it counts only where a catalogue title would."""
    titles = _Phrases()
    shortened: set[tuple[str, ...]] = set()
    full: set[tuple[str, ...]] = set()
    title_words: list[tuple[str, int, int, str, str, int]] = []
    rows = db.execute(
        "SELECT t.rowid, t.film_id, t.title, t.key, f.prominence, f.curated FROM titles AS t "
        "JOIN films AS f ON f.id = t.film_id ORDER BY t.rowid"
    ).fetchall()
    for title_id, film_id, title, key, prominence, curated in rows:
        words = key.split()
        full.add(tuple(words))
        titles.add(words, film_id)
        if "'" in title or "’" in title:  # "schindlers list"
            titles.add(tokens(title.replace("'", "").replace("’", "")), film_id)
        if len(words) > 2 and words[0] in ("the", "a", "an"):
            titles.add(words[1:], film_id)
            shortened.add(tuple(words[1:]))
        # "Star Wars: Episode V - The Empire Strikes Back" is "the empire strikes back"
        *_, subtitle = SUBTITLE.split(title)
        if subtitle != title:
            short = tokens(subtitle)
            for part in (short, short[1:] if short[:1] == ["the"] else []):
                if len(part) >= 2:
                    titles.add(part, film_id)
                    shortened.add(tuple(part))
        title_words += [(w, -prominence, title_id, key, film_id, curated) for w in set(words)]
    db.executemany("INSERT INTO title_words VALUES (?, ?, ?, ?, ?, ?)", sorted(title_words))
    db.execute("INSERT INTO title_vocabulary SELECT DISTINCT word FROM title_words ORDER BY word")
    return titles, shortened - full  # a shortened title that is also a title in full is that title


def _people(db: sqlite3.Connection) -> _Phrases:
    """People by their names, and the people of the curated films by surname alone ("Kubrick").
    Among the catalogue's tens of thousands, surnames such as "Killer" or "Michael" would be read
    in any question. How well known each person is: credits in curated films first, then any
    credits. Of two people a name fits ("Tarkovsky": Andrei or Arseny), the better known is meant."""
    weight: dict[int, int] = defaultdict(int)
    for person_id, curated, count in db.execute(
        "SELECT c.person_id, f.curated, count(*) FROM credits AS c JOIN films AS f ON f.id = c.film_id "
        "GROUP BY c.person_id, f.curated"
    ):
        weight[person_id] += count * (100 if curated else 1)
    db.executemany("INSERT INTO person_weights VALUES (?, ?)", sorted(weight.items()))
    curated_people = {p for p, w in weight.items() if w >= 100}
    curated_people |= {row[0] for row in db.execute("SELECT person_id FROM fact_people")}
    surnames: dict[str, list[int]] = defaultdict(list)
    for person_id, name in db.execute("SELECT id, name FROM people ORDER BY id"):
        if person_id in curated_people:
            key = match_key(name)
            *_, surname = key.split() or [""]
            if surname != key and len(surname) >= 3:
                surnames[surname].append(person_id)
    people = _Phrases()
    for surname, ids in surnames.items():
        if len(surname) >= 4 or len(ids) == 1:  # "Ozu", "Ray"; but not "Lee" of several
            for person_id in sorted(ids, key=lambda p: -weight[p]):
                people.add([surname], person_id)
    for person_id, key in db.execute("SELECT person_id, key FROM person_names ORDER BY rowid"):
        people.add(key.split(), person_id)
    for phrase, ids in people.payloads.items():  # of the people a name fits, the best known first
        people.payloads[phrase] = dict.fromkeys(sorted(ids, key=lambda p: -weight.get(p, 0)))
    return people


def _characters(db: sqlite3.Connection, curated_films: set[str]) -> _Phrases:
    characters = _Phrases()
    for film_id, person_id, character in db.execute(
        "SELECT film_id, person_id, character FROM credits WHERE character IS NOT NULL ORDER BY rowid"
    ):
        # "HAL 9000 (voice)" answers to "HAL 9000"
        name = tokens(re.sub(r"\s*\(.*?\)", "", character))
        characters.add(name, (film_id, person_id))
        if len(name) > 1 and len(name[-1]) >= 4 and film_id in curated_films:
            characters.add(name[-1:], (film_id, person_id))  # "Kane" of Charles Foster Kane
    return characters


def _works(db: sqlite3.Connection) -> _Phrases:
    works = _Phrases()
    for film_id, title in db.execute(
        "SELECT id, json_extract(data, '$.based_on.title') FROM films ORDER BY rowid"
    ):
        if title:
            works.add(tokens(title), film_id)
    return works


def _awards(db: sqlite3.Connection) -> _Phrases:
    awards = _Phrases()
    keys = set()
    for name, event in db.execute(
        "SELECT a.name, a.event FROM awards AS a JOIN facts AS f ON f.id = a.fact_id ORDER BY a.year"
    ):
        keys |= {f"name:{match_key(name)}", f"event:{match_key(event)}"}
        awards.add(tokens(name), f"name:{match_key(name)}")
        awards.add(tokens(event), f"event:{match_key(event)}")
    for alias, payload in AWARD_ALIASES.items():
        if payload in keys:
            awards.add(alias.split(), payload)
    return awards


# -- reading, on demand --------------------------------------------------------------------------


class StoredVocabulary:
    """Every word of the indexed phrases, with their neighbours within the typo tolerance."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._has = functools.lru_cache(maxsize=CACHE)(self._read_has)
        self._near = functools.lru_cache(maxsize=NEAR_CACHE)(self._read_near)

    def __contains__(self, word: str) -> bool:
        return self._has(word)

    def near(self, word: str) -> dict[str, int]:
        """Known words within the typo tolerance of `word`, with their distance (0 for itself)."""
        return self._near(word)

    def _read_has(self, word: str) -> bool:
        return self._db.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone() is not None

    def _read_near(self, word: str) -> dict[str, int]:
        if not allowed_typos(word):
            return {word: 0} if word in self else {}
        keys = [word, *deletes(word)]
        marks = ", ".join("?" * len(keys))
        rows = self._db.execute(
            f"SELECT word FROM word_deletes WHERE deleted IN ({marks}) "
            f"UNION SELECT word FROM words WHERE word IN ({marks})",
            keys + keys,
        )
        return within_typos(word, [w for (w,) in rows])


# The phrases under an anchor by the word beside it: (1, the next word), (-1, the one before), or
# (0, "") for a phrase of one word; each with its anchor's position, its payloads and its order.
Grouped = dict[tuple[int, str], list[tuple[tuple[str, ...], int, tuple[T, ...], int]]]


def _beside(phrase: tuple[str, ...], position: int) -> tuple[int, str]:
    if len(phrase) == 1:
        return (0, "")
    return (1, phrase[position + 1]) if position + 1 < len(phrase) else (-1, phrase[position - 1])


class StoredAnchors:
    """The phrases of every kind under an anchor word, read in one query and kept for a while;
    grouped by the word beside the anchor, so that a question looks only at those it has."""

    def __init__(self, db: sqlite3.Connection, decoders: dict[str, Callable[[object], Any]]) -> None:
        self._db = db
        self._decoders = decoders  # kind -> how its payloads are read from JSON
        self.read = functools.lru_cache(maxsize=ANCHOR_CACHE)(self._read)

    def _read(self, word: str) -> dict[str, Grouped[Any]]:
        kinds: dict[str, Grouped[Any]] = {}
        count: Counter[str] = Counter()
        for kind, text, position, payloads in self._db.execute(
            "SELECT kind, phrase, position, payloads FROM phrases WHERE anchor = ? ORDER BY rowid", (word,)
        ):
            phrase = tuple(text.split())
            decoded = tuple(map(self._decoders[kind], json.loads(payloads)))
            entry = (phrase, position, decoded, count[kind])
            kinds.setdefault(kind, {}).setdefault(_beside(phrase, position), []).append(entry)
            count[kind] += 1
        return kinds

    def payloads(self, kind: str, phrase: tuple[str, ...]) -> tuple[Any, ...]:
        row = self._db.execute(
            "SELECT payloads FROM phrases WHERE kind = ? AND phrase = ?", (kind, " ".join(phrase))
        ).fetchone()
        return tuple(map(self._decoders[kind], json.loads(row[0]))) if row else ()


class StoredPhrases(Generic[T]):
    """The phrases of one kind, anchored on their rarest word, with their payloads."""

    def __init__(self, anchors: StoredAnchors, kind: str) -> None:
        self._anchors = anchors
        self._kind = kind
        self._payloads = functools.lru_cache(maxsize=CACHE)(self._read_payloads)

    def _anchored(self, word: str) -> Grouped[T]:
        return self._anchors.read(word).get(self._kind, {})

    def _read_payloads(self, phrase: tuple[str, ...]) -> tuple[T, ...]:
        return self._anchors.payloads(self._kind, phrase)

    def anchored(self, word: str) -> list[tuple[str, ...]]:
        """The phrases indexed under `word`, in the order they were added."""
        entries = sorted((e for group in self._anchored(word).values() for e in group), key=lambda e: e[3])
        return [phrase for phrase, _, _, _ in entries]

    def payloads(self, phrase: tuple[str, ...]) -> tuple[T, ...]:
        return self._payloads(phrase)

    def find(self, words: list[str], near: list[dict[str, int]]) -> list[Mention[T]]:
        """Every indexed phrase that the words spell out, exactly or within the typo tolerance.

        Of phrases as strong, the first found comes first, as by position, then anchor, then order."""
        found: dict[tuple[int, tuple[str, ...]], tuple[Mention[T], tuple[int, int, int]]] = {}
        for i, candidates in enumerate(near):
            after = near[i + 1] if i + 1 < len(near) else {}
            before = near[i - 1] if i else {}
            for anchor_index, (anchor, anchor_typos) in enumerate(candidates.items()):
                groups = self._anchored(anchor)
                if not groups:
                    continue
                entries = [
                    *groups.get((0, ""), ()),
                    *(e for w in after for e in groups.get((1, w), ())),
                    *(e for w in before for e in groups.get((-1, w), ())),
                ]
                for phrase, position, payloads, order in entries:
                    start = i - position
                    if start < 0 or start + len(phrase) > len(words):
                        continue
                    typos = anchor_typos
                    for offset, expected in enumerate(phrase):
                        if offset == position:
                            continue
                        distance = near[start + offset].get(expected)
                        if distance is None:
                            break
                        typos += distance
                    else:
                        key, seen = (start, phrase), (i, anchor_index, order)
                        if key not in found:
                            found[key] = (Mention(start, start + len(phrase), phrase, typos, payloads), seen)
                        else:
                            mention, first = found[key]
                            if mention.typos > typos:
                                mention = Mention(start, start + len(phrase), phrase, typos, payloads)
                            found[key] = (mention, min(first, seen))
        ranked = sorted(found.values(), key=lambda f: (-f[0].strength, f[0].typos, f[0].start, f[1]))
        return [mention for mention, _ in ranked]


class StoredSet:
    """Whether a key is in the index, by one query (`sql`, a row for a key that is), kept for a while."""

    def __init__(self, db: sqlite3.Connection, sql: str, key: Callable[[Any], str] = str) -> None:
        self._db = db
        self._sql = sql
        self._key = key
        self._has = functools.lru_cache(maxsize=CACHE)(self._read)

    def __contains__(self, item: object) -> bool:
        return self._has(item)

    def _read(self, item: Any) -> bool:
        return self._db.execute(self._sql, (self._key(item),)).fetchone() is not None
