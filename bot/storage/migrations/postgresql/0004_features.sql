-- Daily features: one schedule per server, and one row per server and local date.
CREATE TABLE feature_schedules (
    guild_id      BIGINT PRIMARY KEY,
    channel_id    BIGINT NOT NULL,
    at            TEXT NOT NULL,           -- HH:MM, wall clock in `zone`
    zone          TEXT NOT NULL,           -- IANA name
    next_date     TEXT COLLATE "C" NOT NULL,  -- the local date of the next post, YYYY-MM-DD
    next_due      BIGINT NOT NULL,         -- its UTC instant, unix seconds: what the loop sleeps until
    paused        BIGINT NOT NULL DEFAULT 0,
    pause_reason  TEXT,                    -- why the bot paused it; NULL when a moderator did
    told          BIGINT NOT NULL DEFAULT 0,  -- moderators were told about pause_reason
    queued_film   TEXT
);
CREATE INDEX feature_schedules_due ON feature_schedules (next_due) WHERE paused = 0;

-- The exactly-once record: a post is 'claimed' (with a nonce) before it is sent and 'sent'
-- after; a claim found at startup is resolved by looking for the message in the channel.
CREATE TABLE feature_posts (
    guild_id    BIGINT NOT NULL,
    day         TEXT COLLATE "C" NOT NULL,  -- local date, YYYY-MM-DD
    status      TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'skipped')),
    film_id     TEXT,
    cycle       BIGINT NOT NULL DEFAULT 0,  -- the rotation's round: no film twice in one cycle
    channel_id  BIGINT,
    nonce       TEXT,
    message_id  BIGINT,
    reason      TEXT,                      -- why a day was skipped
    at          BIGINT NOT NULL,           -- unix seconds of the last change
    PRIMARY KEY (guild_id, day)
);
