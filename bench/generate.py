"""Benchmark generating catalogue trivia: `/trivia start topic: catalogue questions: 50`.

On the shipped store (curated films and the Wikidata catalogue, loaded from data/), it builds the
catalogue topic's generator as the Trivia cog does and times drawing 50 questions, against the
same generator choosing its wrong answers by a full sort of every candidate (how it was first
written; tests/test_trivia_game.py checks that both give the same questions), in the same run,
alternating, --repeats times each with the same seeds. Medians and the ratio, and the first draw
of the bounded search alone (its cache of normalised names still cold).

    .venv/bin/python bench/generate.py           # --questions 50 --repeats 5
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' reference generator

from bot.config import SOURCE_DATA_DIR
from bot.facts.loader import load_store
from bot.trivia.generate import CATALOGUE_SUBJECTS, FilmQuestions
from tests.test_trivia_game import SortedChoices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    store, _ = load_store(SOURCE_DATA_DIR)
    aliases = {p.name: list(p.aliases) for p in store.people}
    times: dict[str, list[float]] = {"bounded search": [], "full sort": []}
    built = {}
    for label, kind in (("bounded search", FilmQuestions), ("full sort", SortedChoices)):
        started = time.perf_counter()
        built[label] = kind(store.films, aliases, same_decade=True, subjects=CATALOGUE_SUBJECTS)
        print(f"{label}: generator built in {time.perf_counter() - started:.2f} s")
    for seed in range(args.repeats):
        for label, generator in built.items():
            started = time.perf_counter()
            questions = generator.questions(args.questions, random.Random(seed))
            times[label].append(time.perf_counter() - started)
            assert len(questions) == args.questions
    fast, slow = (statistics.median(times[label]) * 1000 for label in times)
    print(
        f"{len(store.films):,} films, {args.questions} catalogue questions, medians of {args.repeats}: "
        f"bounded search {fast:.1f} ms, full sort {slow:.1f} ms (ratio {fast / slow:.3f}); the first "
        f"draw (names not yet normalised and cached) {times['bounded search'][0] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
