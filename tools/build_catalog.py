"""Build data/catalog/wikidata-films.jsonl.gz from bokeh-sampledata's Wikidata snapshot.

    pip download --no-deps bokeh-sampledata==2026.1 && unzip -j bokeh_sampledata-2026.1-*.whl \\
        bokeh_sampledata/_data/movies.db
    .venv/bin/python tools/build_catalog.py movies.db

`movies.db` keeps Wikidata's values in the legacy OMDb schema (tables `omdb`, `tomatoes`). Its
known defects are handled here: release dates padded to -01-01 mean only the year is known (the
date is dropped); titles repeat across remakes, so a film's key is its Wikidata id, and title and
year together; empty strings mean "no value" and are left out. Box office figures are left out:
their scope (domestic or worldwide) varies by source statement.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from bot.facts.imports import write_catalogue

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "catalog" / "wikidata-films.jsonl.gz"
SNAPSHOT = "2026-10-18"


SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "Inc.", "Inc", "Ltd.", "Ltd", "LLC"}


def names(text: str | None) -> list[str]:
    """The comma-joined list as names; "Sammy Davis, Jr." stays one name."""
    found: list[str] = []
    for part in (p.strip() for p in (text or "").split(",")):
        if part in SUFFIXES and found:
            found[-1] += f", {part}"
        elif part:
            found.append(part)
    return found


def rows(db: sqlite3.Connection) -> list[dict[str, object]]:
    films = []
    query = (
        "SELECT o.ID, o.imdbID, o.Title, o.Year, o.Runtime, o.Genre, o.Released, o.Director, o.Writer, "
        'o."Cast", o.Language, o.Country, t.Production FROM omdb AS o LEFT JOIN tomatoes AS t ON t.ID = o.ID '
        "ORDER BY o.ID"
    )
    for (
        wikidata,
        imdb,
        title,
        year,
        runtime,
        genre,
        released,
        director,
        writer,
        cast,
        language,
        country,
        studio,
    ) in db.execute(query):
        film: dict[str, object] = {"wikidata": f"Q{wikidata}", "title": title.strip(), "year": int(year)}
        if imdb:
            film["imdb"] = imdb
        if released and not released.endswith("-01-01") and released.startswith(str(year)):
            film["release_date"] = released
        if runtime:
            film["runtime"] = round(runtime)
        for key, value in (
            ("directors", director),
            ("writers", writer),
            ("cast", cast),
            ("genres", genre),
            ("languages", language),
            ("countries", country),
            ("studios", studio),
        ):
            if found := names(value):
                film[key] = found
        films.append(film)
    return films


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("movies_db", type=Path, help="bokeh_sampledata/_data/movies.db")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with sqlite3.connect(f"file:{args.movies_db}?mode=ro", uri=True) as db:
        films = rows(db)
    header = {
        "source": f"Wikidata (CC0), snapshot of {SNAPSHOT}",
        "license": "CC0-1.0",
        "attribution": "Wikidata contributors",
        "via": "bokeh-sampledata 2026.1, bokeh_sampledata/_data/movies.db",
    }
    write_catalogue(args.output, header, iter(films))
    print(
        f"{len(films):,} films written to {args.output} ({args.output.stat().st_size / 2**20:.1f} MiB)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
