"""Benchmark asking by mention against /ask: the round trip of the same questions, through the sandbox.

The real FilmBot runs on the shipped store (curated films and the catalogue) against the sandbox on
127.0.0.1. Each question of the members' sets (tests/questions) is asked twice, once as /ask and
once as a message mentioning the bot, alternating, each from a member of its own so that the
mention cooldown does not apply; a round trip runs from the member's action to the bot's answer in
the channel. Prints medians and 99th percentiles of both and what the mention path adds.

    .venv/bin/python bench/ask.py            # --questions N (default: all of them)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from bot.config import SOURCE_DATA_DIR, Settings, index_beside
from bot.facts.index import ensure_index
from bot.sandbox import Sandbox
from bot.sandbox.demo import build_demo
from bot.sandbox.harness import bot_on_sandbox

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "questions"


def member_questions() -> list[str]:
    asked = []
    for path in sorted(QUESTIONS.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            asked += [turn["q"] for turn in entry.get("conversation", [entry])]
    return [q for q in asked if 0 < len(q.strip()) <= 300]


def summary(label: str, timings: list[float]) -> str:
    timings = sorted(timings)
    p99 = timings[max(0, int(len(timings) * 0.99) - 1)]
    return f"{label}: p50 {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=0, help="how many (default: all)")
    args = parser.parse_args()
    asked = member_questions()
    asked = asked[: args.questions] if args.questions else asked
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "filmbot.db"
        await ensure_index(index_beside(database), SOURCE_DATA_DIR)  # the bot starts on a built index
        async with Sandbox() as sandbox:
            demo = build_demo(sandbox)
            members = [sandbox.add_member(demo.guild, f"member{i}") for i in range(len(asked))]
            settings = Settings(database=database, data_dir=SOURCE_DATA_DIR)
            async with bot_on_sandbox(sandbox, settings):
                slash, mention = [], []
                for question, member in zip(asked, members, strict=True):
                    started = time.perf_counter()
                    await sandbox.slash(demo.general, member, "ask", question=question)
                    slash.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    said = await sandbox.say(demo.film_club, member, f"<@{sandbox.bot_user.id}> {question}")
                    await sandbox.reply_to(said)
                    mention.append((time.perf_counter() - started) * 1000)
    print(f"{len(asked)} questions of the members' sets, each asked both ways")
    print(summary("/ask round trip", slash))
    print(summary("mention round trip", mention))
    added = [m - s for m, s in zip(mention, slash, strict=True)]
    print(f"the mention path adds: median {statistics.median(added):+.2f} ms a question")


if __name__ == "__main__":
    asyncio.run(main())
