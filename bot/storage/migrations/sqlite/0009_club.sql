-- Club nights, per server: the members' suggestions, the polls that pick a film, the screenings
-- and the members' ratings.
CREATE TABLE club_settings (
    guild_id  INTEGER PRIMARY KEY,
    role_id   INTEGER                  -- its members may run polls and record screenings too
) STRICT;

-- One open suggestion a member; it closes when the club watches the film.
CREATE TABLE club_suggestions (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    name      TEXT NOT NULL,           -- the member's name when they suggested
    film_id   TEXT NOT NULL,
    at        INTEGER NOT NULL,        -- unix seconds (milliseconds from 0010)
    PRIMARY KEY (guild_id, user_id)
) STRICT;

-- A native Discord poll, by its message: Discord counts the votes and says when it has ended;
-- this remembers which film each answer is and what to do once it ends, across restarts.
CREATE TABLE club_polls (
    message_id     INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    channel_id     INTEGER NOT NULL,
    starter_id     INTEGER NOT NULL,
    films          TEXT NOT NULL,      -- the answers' film ids, one a line: answer 1 first
    screening_at   INTEGER,            -- the screening's start, unix seconds, if given
    zone           TEXT,               -- the IANA zone it was given in
    place_channel  INTEGER,            -- the voice or stage channel of the event, or
    place          TEXT,               -- an external event's location
    -- open, decided (the winner known), announced (waiting for its event to end), done
    status         TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'decided', 'announced', 'done')),
    winner         TEXT,               -- the film; NULL once decided means nobody voted
    event_id       INTEGER,
    at             INTEGER NOT NULL
) STRICT;
CREATE INDEX club_polls_pending ON club_polls (guild_id) WHERE status <> 'done';
CREATE INDEX club_polls_event ON club_polls (event_id) WHERE event_id IS NOT NULL;

CREATE TABLE club_screenings (
    guild_id  INTEGER NOT NULL,
    film_id   TEXT NOT NULL,
    day       TEXT NOT NULL,           -- the local date it was watched, YYYY-MM-DD
    at        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, film_id, day)
) STRICT;

-- One rating a member and film, in half stars: 2 is one star, 10 is five.
CREATE TABLE club_ratings (
    guild_id  INTEGER NOT NULL,
    film_id   TEXT NOT NULL,
    user_id   INTEGER NOT NULL,
    name      TEXT NOT NULL,
    halves    INTEGER NOT NULL CHECK (halves BETWEEN 2 AND 10),
    review    TEXT,
    at        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, film_id, user_id)
) STRICT;
CREATE INDEX club_ratings_user ON club_ratings (user_id);
