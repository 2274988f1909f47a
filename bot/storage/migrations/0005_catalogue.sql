-- Films from the catalogue (Wikidata) beside the curated ones: answers and choices tell them apart.
ALTER TABLE films ADD COLUMN curated INTEGER NOT NULL DEFAULT 1;
