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
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from ..text import allowed_typos, match_key
from .phrases import Mention
from .search import prefixes
from .words import COMMON, deletes, tokens, within_typos

T = TypeVar("T", bound=Hashable)

SUBTITLE = re.compile(r"\s*[:–—]\s+")
# Entries kept per lookup: the words and names of a busy bot's recent questions.
CACHE = 4096
NEAR_CACHE = 20_000
# Bytes, about, of the phrases kept by anchor; the groups of many-phrase anchors take 1/8 of it more,
# and each kind's payloads 1/4 (most of it the titles' films).
ANCHOR_BUDGET = 32 << 20

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
    beside     TEXT NOT NULL,     -- the word after the anchor ("+word"), or before it ("-word"), or ""
    payloads   TEXT NOT NULL,     -- JSON list, in the order they were added (a title's: see _films)
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
    # covering what an anchor's look-up reads, so that it does not read the rows (their payloads)
    "CREATE INDEX phrases_anchor ON phrases (anchor, beside, kind, phrase, position)",
    "CREATE UNIQUE INDEX phrases_phrase ON phrases (kind, phrase)",
)


# -- writing, when the index is built ------------------------------------------------------------


def _json(payloads: list[Any]) -> str:
    return json.dumps(payloads, separators=(",", ":"))


def _films(films: list[Any]) -> str:
    """A title's films (catalog.Films): "1" if one of them is curated, else "0", then their refs
    as JSON, so that whether a title is curated is known without reading its films."""
    return f"{int(any(film[4] for film in films))}{_json(films)}"


class _Phrases:
    def __init__(self, encode: Callable[[list[Any]], str] = _json) -> None:
        self.payloads: dict[tuple[str, ...], dict[Any, None]] = {}  # in order, without repeats
        self.encode = encode

    def add(self, words: list[str], payload: Hashable) -> None:
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
                _beside(phrase, position),
                self.encode(list(payloads)),
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
        db.executemany("INSERT INTO phrases VALUES (?, ?, ?, ?, ?, ?, ?)", phrases.rows(kind, shortened))
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
    its article may be an everyday phrase, so it counts only where a catalogue title would.

    A title's payloads are its films, best known first, each as its ref (id, title, year,
    prominence, curated): a title such as "Hamlet" has hundreds, read with the title in one row."""
    titles = _Phrases(_films)
    shortened: set[tuple[str, ...]] = set()
    full: set[tuple[str, ...]] = set()
    title_words: list[tuple[str, int, int, str, str, int]] = []
    rows = db.execute(
        "SELECT t.rowid, t.film_id, t.title, t.key, f.title, f.year, f.prominence, f.curated "
        "FROM titles AS t JOIN films AS f ON f.id = t.film_id ORDER BY t.rowid"
    ).fetchall()
    for title_id, film_id, title, key, label, year, prominence, curated in rows:
        words = key.split()
        full.add(tuple(words))
        film = (film_id, label, year, prominence, bool(curated))  # as a FilmRef
        titles.add(words, film)
        if "'" in title or "’" in title:  # "schindlers list"
            titles.add(tokens(title.replace("'", "").replace("’", "")), film)
        if len(words) > 2 and words[0] in ("the", "a", "an"):
            titles.add(words[1:], film)
            shortened.add(tuple(words[1:]))
        # "Star Wars: Episode V - The Empire Strikes Back" is "the empire strikes back"
        *_, subtitle = SUBTITLE.split(title)
        if subtitle != title:
            short = tokens(subtitle)
            for part in (short, short[1:] if short[:1] == ["the"] else []):
                if len(part) >= 2:
                    titles.add(part, film)
                    shortened.add(tuple(part))
        title_words += [(w, -prominence, title_id, key, film_id, curated) for w in set(words)]
    db.executemany("INSERT INTO title_words VALUES (?, ?, ?, ?, ?, ?)", sorted(title_words))
    db.execute("INSERT INTO title_vocabulary SELECT DISTINCT word FROM title_words ORDER BY word")
    for phrase, films in titles.payloads.items():
        titles.payloads[phrase] = dict.fromkeys(sorted(films, key=lambda f: -f[3]))
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
    for phrase, fitting in people.payloads.items():  # of the people a name fits, the best known first
        people.payloads[phrase] = dict.fromkeys(sorted(fitting, key=lambda p: -weight.get(p, 0)))
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


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """What `read` gives for a key (with its size), the least recently used let go past `budget`:
    a cache bounded by the size of what it keeps, not by how many (a phrase's payloads may be one
    film or thousands)."""

    def __init__(self, read: Callable[[K], tuple[V, int]], budget: int) -> None:
        self._read = read
        self._budget = budget
        self._kept: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self.size = 0

    def __call__(self, key: K) -> V:
        if (kept := self._kept.get(key)) is not None:
            self._kept.move_to_end(key)
            return kept[0]
        value, size = self._read(key)
        self._kept[key] = (value, size)
        self.size += size
        while self.size > self._budget and len(self._kept) > 1:
            self.size -= self._kept.popitem(last=False)[1][1]
        return value


class StoredVocabulary:
    """Every word of the indexed phrases, with their neighbours within the typo tolerance."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._words = StoredSet(db, "SELECT 1 FROM words WHERE word = ?")
        self._near = functools.lru_cache(maxsize=NEAR_CACHE)(self._read_near)

    def __contains__(self, word: str) -> bool:
        return word in self._words

    def near(self, word: str) -> dict[str, int]:
        """Known words within the typo tolerance of `word`, with their distance (0 for itself)."""
        return self._near(word)

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


def _beside(phrase: tuple[str, ...], position: int) -> str:
    """What a phrase has beside its anchor: the next word ("+word"), or the one before ("-word") when
    the anchor is last, or "" for a phrase of one word. A question's words have to match it."""
    if len(phrase) == 1:
        return ""
    return f"+{phrase[position + 1]}" if position + 1 < len(phrase) else f"-{phrase[position - 1]}"


# A phrase as read: its kind, its words, the anchor's position, and its rowid (the order added in).
Entry = tuple[str, tuple[str, ...], int, int]
Grouped = dict[str, list[Entry]]  # by what is beside the anchor
# A phrase a question spells out, by (start, words): its typos, where it was first found
# (question word, anchor, rowid: the order of phrases as strong) and its rowid.
Hit = tuple[int, tuple[int, int, int], int]
Spelled = dict[str, dict[tuple[int, tuple[str, ...]], Hit]]  # by kind
MANY = 100  # phrases under one anchor, past which it is read a group at a time


class StoredAnchors:
    """The phrases of every kind under an anchor word, read in one query and kept for a while,
    grouped by the word beside the anchor. An anchor of many phrases (a word common in titles) is
    read a group at a time instead: a question needs only the groups of the words it has."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.read = Kept(self._read, ANCHOR_BUDGET)
        self.beside: Kept[tuple[str, frozenset[str]], list[Entry]]
        self.beside = Kept(lambda key: self._read_beside(*key), ANCHOR_BUDGET // 8)
        # What the last question spells out, by kind: each kind asks for its own.
        self._last: tuple[list[dict[str, int]], Spelled] | None = None

    def _read(self, anchor: str) -> tuple[Grouped | None, int]:
        """The anchor's phrases by what is beside the anchor (None if there are many), and their size."""
        rows = self._db.execute(  # not ORDER BY rowid: that would read all of an anchor's rows
            "SELECT kind, phrase, position, rowid FROM phrases WHERE anchor = ? LIMIT ?",
            (anchor, MANY + 1),
        ).fetchall()
        if len(rows) > MANY:
            return None, 1
        rows.sort(key=lambda row: row[3])
        entries, size = self._entries(rows)
        grouped: Grouped = {}
        for entry in entries:
            grouped.setdefault(_beside(entry[1], entry[2]), []).append(entry)
        return grouped, size

    def _read_beside(self, anchor: str, wanted: frozenset[str]) -> tuple[list[Entry], int]:
        """The phrases under `anchor` with one of `wanted` beside it."""
        marks = ", ".join("?" * len(wanted))
        rows = self._db.execute(
            f"SELECT kind, phrase, position, rowid FROM phrases WHERE anchor = ? AND beside IN ({marks})",
            (anchor, *wanted),
        )
        return self._entries(rows)

    def anchored(self, anchor: str) -> list[Entry]:
        """Every phrase under `anchor`, in the order they were added (an anchor of many: not kept)."""
        grouped = self.read(anchor)
        if grouped is not None:
            return sorted((e for entries in grouped.values() for e in entries), key=lambda e: e[3])
        rows = self._db.execute(
            "SELECT kind, phrase, position, rowid FROM phrases WHERE anchor = ? ORDER BY rowid", (anchor,)
        )
        return self._entries(rows)[0]

    @staticmethod
    def _entries(rows: Iterable[tuple[str, str, int, int]]) -> tuple[list[Entry], int]:
        """The rows as entries, and their size (about the bytes they take)."""
        entries, size = [], 0
        for kind, phrase, position, rowid in rows:
            entries.append((kind, tuple(phrase.split()), position, rowid))
            size += 200 + 2 * len(phrase)
        return entries, size

    def _candidates(self, anchor: str, wanted: frozenset[str]) -> Iterable[Entry]:
        """The phrases under `anchor` with one of `wanted` beside it (what the question's words
        after and before the anchor could be)."""
        grouped = self.read(anchor)
        if grouped is None:  # an anchor of many phrases: only the groups the words could match
            return self.beside((anchor, wanted))
        return [e for beside, entries in grouped.items() if beside in wanted for e in entries]

    def spelled(self, words: list[str], near: list[dict[str, int]]) -> Spelled:
        """Every phrase of every kind that the words spell out, exactly or within the typo tolerance
        (`near`: each word's neighbours), by kind. One walk over the words serves every kind."""
        if self._last is not None and self._last[0] is near:
            return self._last[1]
        found: Spelled = {}
        for i, candidates in enumerate(near):
            after = near[i + 1] if i + 1 < len(near) else {}
            before = near[i - 1] if i else {}
            wanted = frozenset(("", *(f"+{w}" for w in after), *(f"-{w}" for w in before)))
            for anchor_index, (anchor, anchor_typos) in enumerate(candidates.items()):
                for kind, phrase, position, rowid in self._candidates(anchor, wanted):
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
                        hits = found.setdefault(kind, {})
                        key, seen = (start, phrase), (i, anchor_index, rowid)
                        if (
                            earlier := hits.get(key)
                        ) is not None:  # fewer typos win; the first found keeps its place
                            typos, seen = min(typos, earlier[0]), min(seen, earlier[1])
                        hits[key] = (typos, seen, rowid)
        self._last = (near, found)
        return found

    def payloads(self, rowid: int) -> str:
        """A phrase's payloads (JSON), read only for a phrase a question spells out."""
        return str(self._db.execute("SELECT payloads FROM phrases WHERE rowid = ?", (rowid,)).fetchone()[0])

    def rowid(self, kind: str, phrase: tuple[str, ...]) -> int | None:
        row = self._db.execute(
            "SELECT rowid FROM phrases WHERE kind = ? AND phrase = ?", (kind, " ".join(phrase))
        ).fetchone()
        return row[0] if row else None


class StoredPhrases(Generic[T]):
    """The phrases of one kind, anchored on their rarest word, with their payloads."""

    def __init__(self, anchors: StoredAnchors, kind: str, decode: Callable[[str], Sequence[T]]) -> None:
        self._anchors = anchors
        self._kind = kind
        self._decode = decode
        # Payloads are read only for the phrases a question spells out.
        self._payloads = Kept(self._read_payloads, ANCHOR_BUDGET // 4)

    def _read_payloads(self, rowid: int) -> tuple[Sequence[T], int]:
        payloads = self._anchors.payloads(rowid)
        return self._decode(payloads), 100 + 8 * len(payloads)  # decoded, about 8 bytes a character

    def anchored(self, word: str) -> list[tuple[str, ...]]:
        """The phrases indexed under `word`, in the order they were added."""
        return [phrase for kind, phrase, _, _ in self._anchors.anchored(word) if kind == self._kind]

    def payloads(self, phrase: tuple[str, ...]) -> Sequence[T]:
        rowid = self._anchors.rowid(self._kind, phrase)
        return () if rowid is None else self._payloads(rowid)

    def find(self, words: list[str], near: list[dict[str, int]]) -> list[Mention[T]]:
        """Every indexed phrase that the words spell out, exactly or within the typo tolerance.

        Of phrases as strong, the first found comes first, as by position, then anchor, then order."""
        hits = self._anchors.spelled(words, near).get(self._kind, {})
        found = [
            (Mention(start, start + len(phrase), phrase, typos, self._payloads(rowid)), seen)
            for (start, phrase), (typos, seen, rowid) in hits.items()
        ]
        found.sort(key=lambda f: (-f[0].strength, f[0].typos, f[0].start, f[1]))
        return [mention for mention, _ in found]


def each(decode: Callable[[Any], T]) -> Callable[[str], tuple[T, ...]]:
    """Payloads (JSON) decoded one by one, as they are read."""
    return lambda payloads: tuple(map(decode, json.loads(payloads)))


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


class StoredValues(Generic[K, V]):
    """A value by key, by one query (`sql`, its first column), kept for a while."""

    def __init__(self, db: sqlite3.Connection, sql: str) -> None:
        self._db = db
        self._sql = sql
        self._read = functools.lru_cache(maxsize=CACHE)(self._read_one)

    def _read_one(self, key: K) -> V | None:
        row = self._db.execute(self._sql, (key,)).fetchone()
        return row[0] if row else None

    def __getitem__(self, key: K) -> V:
        if (value := self._read(key)) is None:
            raise KeyError(key)
        return value

    def get(self, key: K, default: V) -> V:
        value = self._read(key)
        return default if value is None else value
