-- Each member's points and right answers per server, all time (period 0) and per calendar month in
-- UTC (period 202612 for December 2026), kept by a trigger in the same transaction as the answers:
-- the all-time and monthly boards read these instead of summing years of answers.
CREATE TABLE trivia_totals (
    guild_id  BIGINT NOT NULL,
    period    BIGINT NOT NULL,
    user_id   BIGINT NOT NULL,
    points    BIGINT NOT NULL,
    correct   BIGINT NOT NULL,
    PRIMARY KEY (guild_id, period, user_id)
);
CREATE INDEX trivia_totals_user ON trivia_totals (user_id);

CREATE FUNCTION trivia_month(at BIGINT) RETURNS BIGINT IMMUTABLE LANGUAGE SQL
    RETURN CAST(to_char(to_timestamp(at) AT TIME ZONE 'UTC', 'YYYYMM') AS BIGINT);

CREATE FUNCTION trivia_totals_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE trivia_totals SET points = points - OLD.points, correct = correct - OLD.correct
            WHERE guild_id = OLD.guild_id AND user_id = OLD.user_id
              AND period IN (0, trivia_month(OLD.at));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO trivia_totals AS t
            VALUES (NEW.guild_id, 0, NEW.user_id, NEW.points, NEW.correct),
                   (NEW.guild_id, trivia_month(NEW.at), NEW.user_id, NEW.points, NEW.correct)
            ON CONFLICT (guild_id, period, user_id) DO UPDATE
            SET points = t.points + excluded.points, correct = t.correct + excluded.correct;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER trivia_totals_keep AFTER INSERT OR UPDATE OR DELETE ON trivia_answers
    FOR EACH ROW EXECUTE FUNCTION trivia_totals_keep();

INSERT INTO trivia_totals
    SELECT guild_id, 0, user_id, sum(points), sum(correct) FROM trivia_answers GROUP BY guild_id, user_id;
INSERT INTO trivia_totals
    SELECT guild_id, trivia_month(at) AS month, user_id, sum(points), sum(correct)
    FROM trivia_answers GROUP BY guild_id, month, user_id;
