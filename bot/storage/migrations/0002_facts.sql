-- The fact store's index: rebuilt from data/ whenever the YAML's content hash changes.
CREATE TABLE films (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    year        INTEGER NOT NULL,
    prominence  INTEGER NOT NULL,
    data        TEXT NOT NULL          -- the whole film as JSON, for cards and answers
) STRICT;

CREATE TABLE titles (
    film_id  TEXT NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    title    TEXT NOT NULL,
    key      TEXT NOT NULL,           -- folded and transliterated, for matching
    kind     TEXT NOT NULL            -- title, original, alias
) STRICT;
CREATE INDEX titles_key ON titles (key);

CREATE TABLE people (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE person_names (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    key        TEXT NOT NULL
) STRICT;
CREATE INDEX person_names_key ON person_names (key);

CREATE TABLE credits (
    film_id    TEXT NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,         -- director, writer, actor, cinematographer, composer, author
    character  TEXT,
    position   INTEGER NOT NULL
) STRICT;
CREATE INDEX credits_person ON credits (person_id, role);
CREATE INDEX credits_film ON credits (film_id, role);

CREATE TABLE facts (
    id       INTEGER PRIMARY KEY,
    film_id  TEXT NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    text     TEXT NOT NULL,
    source   TEXT,
    topics   TEXT NOT NULL
) STRICT;

-- Full-text search over facts and synopses (kind 'fact' with rowid = facts.id, or 'synopsis').
CREATE VIRTUAL TABLE fact_search USING fts5 (
    text, topics, film_id UNINDEXED, kind UNINDEXED, fact_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
