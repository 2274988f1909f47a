-- The fact index for typed answers: what facts are about and answer, the people they name, the
-- awards they record, and films' genres, countries and languages for lists ("Japanese films").
ALTER TABLE facts ADD COLUMN about TEXT NOT NULL DEFAULT '';
ALTER TABLE facts ADD COLUMN answers TEXT NOT NULL DEFAULT '';

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
