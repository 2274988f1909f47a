-- The fact index moved to a file of its own (bot/facts/schema.sql): the state database keeps
-- meta, trivia and features only.
DROP TABLE IF EXISTS fact_search;
DROP TABLE IF EXISTS film_tags;
DROP TABLE IF EXISTS awards;
DROP TABLE IF EXISTS fact_people;
DROP TABLE IF EXISTS facts;
DROP TABLE IF EXISTS credits;
DROP TABLE IF EXISTS person_names;
DROP TABLE IF EXISTS people;
DROP TABLE IF EXISTS titles;
DROP TABLE IF EXISTS films;
DELETE FROM meta WHERE key = 'facts_hash';
