"""Importing users' own data: IMDb's dataset files and Wikidata SPARQL results, then asking about it."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from bot.config import SOURCE_DATA_DIR
from bot.facts.catalogue import read_catalogue

FILMBOT = Path(sys.executable).with_name("filmbot")


def data_folder(tmp_path: Path) -> Path:
    """A data folder with the curated films and an empty catalogue: where the imports go."""
    data = tmp_path / "data"
    (data / "catalog").mkdir(parents=True)
    for name in ("films", "people.yaml", "trivia"):
        (data / name).symlink_to(SOURCE_DATA_DIR / name)
    return data


def filmbot(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "FILMBOT_DATA": str(tmp_path / "data"),
        "FILMBOT_DATABASE": str(tmp_path / "f.db"),
    }
    return subprocess.run(
        [str(FILMBOT), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def tsv(path: Path, header: str, rows: list[str]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(header + "\n" + "".join(row + "\n" for row in rows))


def imdb_files(folder: Path) -> None:
    folder.mkdir()
    tsv(
        folder / "title.basics.tsv.gz",
        "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
        [
            "tt9000001\tmovie\tThe Lighthouse Keeper's Winter\tZima smotritelya\t0\t1987\t\\N\t94\t"
            "Drama,Mystery",
            "tt9000002\tshort\tA Short One\tA Short One\t0\t1990\t\\N\t9\tShort",
            "tt9000003\ttvSeries\tA Series\tA Series\t0\t1999\t2001\t45\tDrama",
            "tt9000004\tmovie\tNo Year Yet\tNo Year Yet\t0\t\\N\t\\N\t\\N\t\\N",
            'tt9000005\tmovie\t"Quoted" Title\t"Quoted" Title\t0\t2001\t\\N\t\\N\tComedy',
            "broken line",
        ],
    )
    tsv(
        folder / "title.crew.tsv.gz",
        "tconst\tdirectors\twriters",
        ["tt9000001\tnm0000001\tnm0000001,nm0000002", "tt9000005\tnm0000002\t\\N"],
    )
    tsv(
        folder / "title.principals.tsv.gz",
        "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
        [
            'tt9000001\t1\tnm0000003\tactress\t\\N\t["Vera"]',
            'tt9000001\t2\tnm0000004\tactor\t\\N\t["The Keeper"]',
            "tt9000001\t3\tnm0000001\tdirector\t\\N\t\\N",
            "tt9000005\t1\tnm0000004\tactor\t\\N\t\\N",
        ],
    )
    tsv(
        folder / "name.basics.tsv.gz",
        "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
        [
            "nm0000001\tIrina Volkova\t1950\t\\N\tdirector\ttt9000001",
            "nm0000002\tPavel Orlov\t1948\t\\N\twriter\ttt9000001",
            "nm0000003\tDaria Lenz\t1960\t\\N\tactress\ttt9000001",
            "nm0000004\tOskar Brandt\t1955\t\\N\tactor\ttt9000001",
        ],
    )


def test_imdb_files_import_and_answer(tmp_path: Path) -> None:
    data_folder(tmp_path)
    imdb_files(tmp_path / "imdb")
    done = filmbot(tmp_path, "data", "import", "imdb", str(tmp_path / "imdb"))
    assert done.returncode == 0, done.stderr
    assert "read 6, kept 2, skipped 4 (" in done.stdout
    for reason in (
        "1 not films (short)",
        "1 not films (tvSeries)",
        "1 films without a year",
        "1 malformed lines",
    ):
        assert reason in done.stdout
    keeper, quoted = read_catalogue(tmp_path / "data" / "catalog" / "imported-imdb.jsonl.gz")
    assert (keeper.title, keeper.year, keeper.runtime, keeper.original_title) == (
        "The Lighthouse Keeper's Winter",
        1987,
        94,
        "Zima smotritelya",
    )
    assert keeper.directors == ("Irina Volkova",) and keeper.writers == ("Irina Volkova", "Pavel Orlov")
    assert [(c.actor, c.character) for c in keeper.cast] == [
        ("Daria Lenz", "Vera"),
        ("Oskar Brandt", "The Keeper"),
    ]
    assert keeper.genres == ("Drama", "Mystery") and keeper.source and "non-commercial" in keeper.source
    assert quoted.title == '"Quoted" Title'  # IMDb's TSV is unquoted: quotes are part of the title

    asked = filmbot(
        tmp_path,
        "ask",
        "--json",
        "-",
        stdin="who directed The Lighthouse Keeper's Winter?\n"
        "who played Vera in The Lighthouse Keeper's Winter?\n",
    )
    director, vera = (json.loads(line) for line in asked.stdout.splitlines())
    assert director["text"] == "The Lighthouse Keeper's Winter (1987) was directed by Irina Volkova."
    assert "non-commercial" in director["source"]
    assert "Daria Lenz" in vera["text"]


def test_imdb_import_names_missing_files(tmp_path: Path) -> None:
    data_folder(tmp_path)
    (tmp_path / "empty").mkdir()
    done = filmbot(tmp_path, "data", "import", "imdb", str(tmp_path / "empty"))
    assert done.returncode == 1
    assert "lacks title.basics.tsv.gz, title.crew.tsv.gz" in done.stderr


def cell(value: str, kind: str = "literal") -> dict[str, str]:
    return {"type": kind, "value": value}


def test_wikidata_sparql_result_import_and_answer(tmp_path: Path) -> None:
    data_folder(tmp_path)
    film = cell("http://www.wikidata.org/entity/Q99990001", "uri")
    rows = [
        {"film": film, "filmLabel": cell("Winter Orchard"), "directorLabel": cell("Mira Sandoval"),
         "date": cell("1983-10-02T00:00:00Z"), "duration": cell("101"), "countryLabel": cell("Chile"),
         "castLabel": cell("Tomas Reyes"), "characterLabel": cell("The Gardener")},
        {"film": film, "filmLabel": cell("Winter Orchard"), "castLabel": cell("Ana Flores"),
         "date": cell("1984-01-01T00:00:00Z"), "composerLabel": cell("Q123456")},
        {"film": cell("http://www.wikidata.org/entity/Q99990002", "uri"), "filmLabel": cell("Q99990002")},
        {"filmLabel": cell("no film")},
    ]  # fmt: skip
    source = tmp_path / "query.json"
    source.write_text(
        json.dumps({"head": {"vars": ["film"]}, "results": {"bindings": rows}}), encoding="utf-8"
    )
    done = filmbot(tmp_path, "data", "import", "wikidata", str(source))
    assert done.returncode == 0, done.stderr
    assert (
        "read 4, kept 1, skipped 2 (1 rows without a Wikidata film; 1 films without a label)" in done.stdout
    )
    (orchard,) = read_catalogue(tmp_path / "data" / "catalog" / "imported-wikidata.jsonl.gz")
    assert (orchard.id, orchard.year, orchard.release_date, orchard.runtime) == (
        "q99990001",
        1983,
        "1983-10-02",
        101,
    )
    assert [(c.actor, c.character) for c in orchard.cast] == [
        ("Tomas Reyes", "The Gardener"),
        ("Ana Flores", None),
    ]
    assert orchard.composers == ()  # an unlabelled item (Q123456) is no name

    asked = filmbot(tmp_path, "ask", "--json", "-", stdin="who played the Gardener in Winter Orchard?\n")
    answer = json.loads(asked.stdout)
    assert answer["text"] == "In Winter Orchard (1983), Tomas Reyes plays the role of The Gardener."


def test_a_bad_sparql_file_is_refused(tmp_path: Path) -> None:
    data_folder(tmp_path)
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    done = filmbot(tmp_path, "data", "import", "wikidata", str(tmp_path / "bad.json"))
    assert done.returncode == 1 and "not a SPARQL JSON result" in done.stderr
