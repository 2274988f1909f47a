-- Each member's points and right answers per server, all time (period 0) and per calendar month in
-- UTC (period 202612 for December 2026), kept by triggers in the same transaction as the answers:
-- the all-time and monthly boards read these instead of summing years of answers.
CREATE TABLE trivia_totals (
    guild_id  INTEGER NOT NULL,
    period    INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    points    INTEGER NOT NULL,
    correct   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, period, user_id)
) STRICT;
CREATE INDEX trivia_totals_user ON trivia_totals (user_id);

CREATE TRIGGER trivia_totals_insert AFTER INSERT ON trivia_answers BEGIN
    INSERT INTO trivia_totals VALUES (NEW.guild_id, 0, NEW.user_id, NEW.points, NEW.correct)
        ON CONFLICT DO UPDATE SET points = points + excluded.points, correct = correct + excluded.correct;
    INSERT INTO trivia_totals
        VALUES (NEW.guild_id, CAST(strftime('%Y%m', NEW.at, 'unixepoch') AS INTEGER), NEW.user_id,
                NEW.points, NEW.correct)
        ON CONFLICT DO UPDATE SET points = points + excluded.points, correct = correct + excluded.correct;
END;

CREATE TRIGGER trivia_totals_delete AFTER DELETE ON trivia_answers BEGIN
    UPDATE trivia_totals SET points = points - OLD.points, correct = correct - OLD.correct
        WHERE guild_id = OLD.guild_id AND user_id = OLD.user_id
          AND period IN (0, CAST(strftime('%Y%m', OLD.at, 'unixepoch') AS INTEGER));
END;

CREATE TRIGGER trivia_totals_update AFTER UPDATE ON trivia_answers BEGIN
    UPDATE trivia_totals SET points = points - OLD.points, correct = correct - OLD.correct
        WHERE guild_id = OLD.guild_id AND user_id = OLD.user_id
          AND period IN (0, CAST(strftime('%Y%m', OLD.at, 'unixepoch') AS INTEGER));
    INSERT INTO trivia_totals VALUES (NEW.guild_id, 0, NEW.user_id, NEW.points, NEW.correct)
        ON CONFLICT DO UPDATE SET points = points + excluded.points, correct = correct + excluded.correct;
    INSERT INTO trivia_totals
        VALUES (NEW.guild_id, CAST(strftime('%Y%m', NEW.at, 'unixepoch') AS INTEGER), NEW.user_id,
                NEW.points, NEW.correct)
        ON CONFLICT DO UPDATE SET points = points + excluded.points, correct = correct + excluded.correct;
END;

INSERT INTO trivia_totals
    SELECT guild_id, 0, user_id, sum(points), sum(correct) FROM trivia_answers GROUP BY guild_id, user_id;
INSERT INTO trivia_totals
    SELECT guild_id, CAST(strftime('%Y%m', at, 'unixepoch') AS INTEGER) AS month, user_id, sum(points),
           sum(correct)
    FROM trivia_answers GROUP BY guild_id, month, user_id;
