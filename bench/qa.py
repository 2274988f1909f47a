"""Benchmark question answering: index build time and answer/autocomplete latency (p50, p99).

Runs on the shipped fact store and on a generated store of 100,000 films (pass --films N to
change it). Prints medians and 99th percentiles; nothing here is a pass/fail test.

    .venv/bin/python bench/qa.py
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.config import SOURCE_DATA_DIR
from bot.facts.index import ensure_index, write_index
from bot.facts.loader import Store
from bot.facts.model import Credit, Fact, Film
from bot.qa.catalog import Catalog
from bot.qa.engine import Answerer
from bot.storage import Database

SYLLABLES = "ka lo mi ra ne to su va de li po an er in on el ar us or is".split()


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def name(rng: random.Random) -> str:
    return f"{word(rng).title()} {word(rng).title()}"


def generated_store(count: int, seed: int = 7) -> Store:
    rng = random.Random(seed)
    vocabulary = [word(rng) for _ in range(6000)]
    directors = [name(rng) for _ in range(count // 5)]
    actors = [name(rng) for _ in range(count // 2)]
    films = []
    for i in range(count):
        title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 4))).title()
        year = rng.randint(1900, 2024)
        cast = tuple(Credit(rng.choice(actors), name(rng).split()[0]) for _ in range(4))
        films.append(
            Film(
                id=f"film-{i}-{year}",
                title=title,
                year=year,
                directors=(rng.choice(directors),),
                synopsis=" ".join(rng.choice(vocabulary) for _ in range(40)),
                cast=cast,
                runtime=rng.randint(70, 200),
                prominence=rng.randint(0, 100),
                facts=tuple(
                    Fact(" ".join(rng.choice(vocabulary) for _ in range(25)), "generated") for _ in range(2)
                ),
            )
        )
    return Store(films=films)


def questions(catalog: Catalog, count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    films = list(catalog.films.values())
    asked = []
    for _ in range(count):
        title = rng.choice(films).title
        if rng.random() < 0.3 and len(title) > 6:  # a typo
            i = rng.randrange(1, len(title) - 1)
            title = title[:i] + title[i + 1] + title[i] + title[i + 2 :]
        template = rng.choice(
            [
                "who directed {}?",
                "what year did {} come out",
                "who starred in {}",
                "how long is {}",
                "what is {} about?",
            ]
        )
        asked.append(template.format(title))
    asked += ["who directed a film nobody made?"] * (count // 20)
    return asked


def percentiles(call: Callable[[str], object], inputs: list[str]) -> tuple[float, float]:
    timings = []
    for text in inputs:
        started = time.perf_counter()
        call(text)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


async def measure(label: str, build: Callable[[Database], object], path: Path, count: int) -> None:
    db = await Database.open(path)
    started = time.perf_counter()
    await build(db)  # type: ignore[misc]
    built = time.perf_counter() - started
    await db.close()
    started = time.perf_counter()
    catalog = Catalog.open(path)
    loaded = time.perf_counter() - started
    answerer = Answerer(catalog)
    asked = questions(catalog, count)
    answerer.answer(asked[0])  # warm caches
    p50, p99 = percentiles(answerer.answer, asked)
    prefixes = [q.split(" ", 2)[-1][:5] for q in asked]
    c50, c99 = percentiles(lambda text: catalog.search_titles(text, 25), prefixes)
    print(
        f"{label}: {len(catalog.films):,} films; index build {built:.2f} s; catalog load {loaded:.2f} s; "
        f"answer p50 {p50:.2f} ms, p99 {p99:.2f} ms ({len(asked)} questions); "
        f"autocomplete p50 {c50:.2f} ms, p99 {c99:.2f} ms"
    )
    catalog.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--films", type=int, default=100_000, help="size of the generated store")
    parser.add_argument("--questions", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        await measure(
            "shipped", lambda db: ensure_index(db, SOURCE_DATA_DIR), Path(tmp) / "a.db", args.questions
        )
        store = generated_store(args.films)
        await measure("generated", lambda db: write_index(db, store), Path(tmp) / "b.db", args.questions)


if __name__ == "__main__":
    asyncio.run(main())
