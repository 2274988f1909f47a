-- Suggestions are timed in milliseconds: a tie in the poll goes to the earlier suggestion, and
-- members (or a pasted script) often suggest within the same second.
UPDATE club_suggestions SET at = at * 1000;
