-- The fact store's index: one file of its own (FILMBOT_INDEX, beside the state database by
-- default), built whole from data/ into a temporary file and renamed into place when the data's
-- content hash or the index format changes; every process opens it read-only.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE films (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    year        INTEGER NOT NULL,
    prominence  INTEGER NOT NULL,
    curated     INTEGER NOT NULL,      -- 1 for a curated film, 0 for the catalogue's
    data        TEXT NOT NULL          -- the whole film as JSON, for cards and answers (last: a
                                       -- film's title, year and kind are read without it)
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
    topics   TEXT NOT NULL,
    about    TEXT NOT NULL,           -- what it is about (FACT_SUBJECTS)
    answers  TEXT NOT NULL            -- the question words it answers
) STRICT;

-- Full-text search over facts and synopses (kind 'fact' with rowid = facts.id, or 'synopsis').
CREATE VIRTUAL TABLE fact_search USING fts5 (
    text, topics, film_id UNINDEXED, kind UNINDEXED, fact_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE fact_people (
    fact_id    INTEGER NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX fact_people_person ON fact_people (person_id);

CREATE TABLE awards (
    fact_id  INTEGER NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    film_id  TEXT NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,           -- "Palme d'Or", "Best Picture"
    event    TEXT NOT NULL,           -- "Cannes Film Festival", "Academy Awards"
    year     INTEGER NOT NULL         -- of the festival or ceremony
) STRICT;

CREATE TABLE film_tags (
    film_id  TEXT NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,           -- genre, country, language
    value    TEXT NOT NULL            -- folded: "science fiction", "soviet union"
) STRICT;
CREATE INDEX film_tags_value ON film_tags (kind, value);
CREATE INDEX film_tags_film ON film_tags (film_id);
CREATE INDEX films_year ON films (year);
CREATE INDEX films_prominence ON films (prominence DESC, title);
CREATE INDEX titles_film ON titles (film_id);
-- The answerer's matchers (phrases, words, typos) follow, written by bot/qa/matchers.py.
