-- Trivia: rounds, every answer (the scoreboard is their sum), players' names and records, settings.
CREATE TABLE trivia_rounds (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    starter_id  INTEGER NOT NULL,
    topic       TEXT NOT NULL,
    mode        TEXT NOT NULL,
    started_at  INTEGER NOT NULL,     -- unix seconds
    ended_at    INTEGER,
    status      TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'finished', 'stopped', 'interrupted'))
) STRICT;
CREATE INDEX trivia_rounds_running ON trivia_rounds (status) WHERE status = 'running';

-- One row per member per question answered; committed when the answer is given.
CREATE TABLE trivia_answers (
    round_id  INTEGER NOT NULL REFERENCES trivia_rounds (id) ON DELETE CASCADE,
    question  INTEGER NOT NULL,
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    correct   INTEGER NOT NULL,
    points    INTEGER NOT NULL,
    at        INTEGER NOT NULL,       -- unix seconds
    PRIMARY KEY (round_id, question, user_id)
) STRICT;
CREATE INDEX trivia_answers_board ON trivia_answers (guild_id, at, user_id, points, correct);
CREATE INDEX trivia_answers_user ON trivia_answers (user_id);

-- Names come from the answers themselves: no privileged members intent needed.
CREATE TABLE trivia_players (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    rounds_won   INTEGER NOT NULL DEFAULT 0,
    best_streak  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, user_id)
) STRICT;
CREATE INDEX trivia_players_user ON trivia_players (user_id);

CREATE TABLE trivia_settings (
    guild_id    INTEGER PRIMARY KEY,
    questions   INTEGER NOT NULL,
    seconds     INTEGER NOT NULL,
    mode        TEXT NOT NULL,
    reveal      INTEGER NOT NULL,
    unanswered  INTEGER NOT NULL
) STRICT;
