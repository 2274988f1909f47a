"""The answerer's matchers in the index file, read on demand: titles, people, characters, works
and awards as phrases, and their words with a deletion index for typos (SymSpell). Each class
keeps a small bounded cache, so that opening the index costs the same for a hundred films as for
a million and memory does not grow with the store. The tables are written by
bot/qa/matcher_tables.py when the index is built.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from ..text import allowed_typos
from .matcher_tables import beside
from .phrases import Mention
from .words import deletes, within_typos

T = TypeVar("T", bound=Hashable)

# Entries kept per lookup: the words and names of a busy bot's recent questions.
CACHE = 4096
NEAR_CACHE = 20_000
# Bytes, about, of the phrases kept by anchor; the groups of many-phrase anchors take 1/8 of it more,
# and each kind's payloads 1/4 (most of it the titles' films).
ANCHOR_BUDGET = 32 << 20


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
        self.beside = Kept(lambda key: self._readbeside(*key), ANCHOR_BUDGET // 8)
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
            grouped.setdefault(beside(entry[1], entry[2]), []).append(entry)
        return grouped, size

    def _readbeside(self, anchor: str, wanted: frozenset[str]) -> tuple[list[Entry], int]:
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
