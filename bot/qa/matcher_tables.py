"""The matchers' tables in the index file (read by bot/qa/matchers.py): derived from the index's
base tables when it is built. Each phrase is stored under its rarest word, its anchor, with the
word beside the anchor, so that a question's words find it in one look-up.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from ..text import allowed_typos, match_key
from .search import prefixes
from .words import COMMON, deletes, tokens

SUBTITLE = re.compile(r"\s*[:–—]\s+")
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
                beside(phrase, position),
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


def beside(phrase: tuple[str, ...], position: int) -> str:
    """What a phrase has beside its anchor: the next word ("+word"), or the one before ("-word") when
    the anchor is last, or "" for a phrase of one word. A question's words have to match it."""
    if len(phrase) == 1:
        return ""
    return f"+{phrase[position + 1]}" if position + 1 < len(phrase) else f"-{phrase[position - 1]}"
