"""Read trivia packs: filmbot's format and Red-DiscordBot's trivia lists, with file:line problems.

filmbot's format (see data/trivia/README.md) is a mapping with `name`, `title`, `questions`, ...
A Red list is a mapping of question to a list of answers, with optional AUTHOR, DESCRIPTION and
CONFIG keys. Values are read from the YAML nodes as written, so `- 1971`, `- 3.14` and `- yes`
are the answers "1971", "3.14" and "yes", not a number or True.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..yamlnodes import NULL_TAG, NodeReader, Problem, compose, display_path
from .matching import normalise
from .model import GENERATED_TOPICS, Pack, RoundConfig, TriviaQuestion

PACK_NAME = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
PACK_KEYS = ("name", "title", "description", "author", "config", "questions")
QUESTION_KEYS = ("question", "answers", "choices", "source")
CONFIG_LIMITS = {"questions": (1, 50), "seconds": (5, 120), "unanswered": (1, 10)}
RED_KEYS = ("AUTHOR", "DESCRIPTION", "CONFIG", "$schema")
RED_CONFIG_KEYS = (
    "max_score timeout delay bot_plays reveal_answer payout_multiplier use_spoilers allow_override".split()
)
MAX_CHOICES = 5
_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def load_packs(folders: Iterable[Path]) -> tuple[dict[str, Pack], list[Problem]]:
    """Every valid pack in `folders` (*.yaml; a later folder's pack replaces an earlier one of the
    same name), and the problems of the files that were skipped."""
    packs: dict[str, Pack] = {}
    problems: list[Problem] = []
    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(display_path(folder), 1, "not a folder of trivia packs"))
            continue
        for path in sorted(folder.glob("*.yaml")):
            pack, found = read_pack(path, path.read_text(encoding="utf-8", errors="replace"))
            problems += found
            if pack is not None:
                packs[pack.name] = pack
    return packs, problems


def read_pack(path: Path, text: str) -> tuple[Pack | None, list[Problem]]:
    r = NodeReader(display_path(path))
    root = compose(text, r)
    if root is None:
        return None, r.problems
    if not isinstance(root, MappingNode):
        r.problem(root, "a trivia pack must be a mapping (filmbot's format or a Red trivia list)")
        return None, r.problems
    keys = {k.value for k, _ in root.value if isinstance(k, ScalarNode)}
    pack = (
        _read_filmbot(r, root, path) if "questions" in keys and "title" in keys else _read_red(r, root, path)
    )
    if pack is not None and not pack.questions:
        r.problem(root, "the pack has no questions")
    return (None if r.problems else pack), r.problems


def _read_filmbot(r: NodeReader, root: Node, path: Path) -> Pack | None:
    keys = r.mapping(root, "a trivia pack", PACK_KEYS, ("name", "title", "questions"))
    name = r.text(keys.get("name"), "name")
    if name is not None and name != path.stem:
        r.problem(keys["name"], f"name {name!r} must be the file name without .yaml ({path.stem!r})")
    _check_name(r, path.stem)
    description = r.text(keys.get("description"), "description") or ""
    if len(description) > 200:
        r.problem(keys["description"], "description must be at most 200 characters")
    questions = r.items(keys.get("questions"), "questions", lambda node: _question(r, node))
    return Pack(
        name=path.stem,
        title=r.text(keys.get("title"), "title") or path.stem,
        description=description,
        author=r.text(keys.get("author"), "author") or "",
        config=_config(r, keys.get("config")),
        questions=questions,
        origin=r.path,
    )


def _question(r: NodeReader, node: Node) -> TriviaQuestion | None:
    keys = r.mapping(node, "a question", QUESTION_KEYS, ("question", "answers"))
    text = r.text(keys.get("question"), "question")
    answers = _scalars(r, keys.get("answers"), "answers")
    choices = _scalars(r, keys.get("choices"), "choices") if "choices" in keys else ()
    if "answers" in keys and not answers:
        r.problem(keys["answers"], "answers must list at least one accepted answer")
    if choices:
        _check_choices(r, keys["choices"], answers, choices)
    if text is None or not answers:
        return None
    return TriviaQuestion(text, answers, choices, source=r.text(keys.get("source"), "source"))


def _check_choices(r: NodeReader, node: Node, answers: tuple[str, ...], choices: tuple[str, ...]) -> None:
    if not 2 <= len(choices) <= MAX_CHOICES:
        r.problem(node, f"choices must list 2 to {MAX_CHOICES} options, got {len(choices)}")
    if answers and answers[0] not in choices:
        r.problem(node, f"choices must include the first answer {answers[0]!r}")
    if len({normalise(c) for c in choices}) != len(choices):
        r.problem(node, "choices must all be different")
    accepted = {normalise(a) for a in answers}
    for choice in choices:
        if answers and choice != answers[0] and normalise(choice) in accepted:
            r.problem(node, f"the wrong choice {choice!r} is also an accepted answer")


def _config(r: NodeReader, node: Node | None) -> RoundConfig:
    if node is None:
        return RoundConfig()
    keys = r.mapping(node, "config", (*CONFIG_LIMITS, "reveal"))
    number = {
        key: r.integer(keys.get(key), key, low, high, str(low)) for key, (low, high) in CONFIG_LIMITS.items()
    }
    reveal = _boolean(r, keys.get("reveal"), "reveal")
    return RoundConfig(number["questions"], number["seconds"], reveal, number["unanswered"])


def _read_red(r: NodeReader, root: MappingNode, path: Path) -> Pack | None:
    _check_name(r, path.stem)
    questions: dict[str, TriviaQuestion] = {}  # a repeated question replaces the earlier one, as in Red
    author = description = ""
    config = RoundConfig()
    for key_node, value in root.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else None
        if key is None or key_node.tag == NULL_TAG:
            r.problem(key_node, "each question must be text")
        elif key == "AUTHOR":
            author = r.text(value, "AUTHOR") or ""
        elif key == "DESCRIPTION":
            description = r.text(value, "DESCRIPTION") or ""
        elif key == "CONFIG":
            config = _red_config(r, value)
        elif key != "$schema":
            answers = _scalars(r, value, f"the answers to {key!r}")
            if not answers and isinstance(value, SequenceNode):
                r.problem(value, f"the question {key!r} has no answers")
            else:
                text = " ".join(str(key).split())
                questions[text] = TriviaQuestion(text, answers)
    return Pack(
        name=path.stem,
        title=path.stem,
        description=description,
        author=author,
        config=config,
        questions=tuple(questions.values()),
        origin=r.path,
    )


def _red_config(r: NodeReader, node: Node) -> RoundConfig:
    """Red's CONFIG in filmbot's terms: `max_score` caps the round's questions, `delay` is the time
    per question, `timeout` (seconds without an answer) becomes a count of unanswered questions."""
    keys = r.mapping(node, "CONFIG", RED_CONFIG_KEYS)
    delay = _number(r, keys.get("delay"), "delay")
    timeout = _number(r, keys.get("timeout"), "timeout")
    max_score = r.integer(keys.get("max_score"), "max_score", 1, 10_000, "10")
    seconds = None if delay is None else _clamp(round(delay), *CONFIG_LIMITS["seconds"])
    unanswered = None
    if timeout is not None:
        unanswered = _clamp(math.ceil(timeout / (seconds or 20)), *CONFIG_LIMITS["unanswered"])
    return RoundConfig(
        questions=None if max_score is None else _clamp(max_score, *CONFIG_LIMITS["questions"]),
        seconds=seconds,
        reveal=_boolean(r, keys.get("reveal_answer"), "reveal_answer"),
        unanswered=unanswered,
    )


def _scalars(r: NodeReader, node: Node | None, what: str) -> tuple[str, ...]:
    """A list of answers as written: numbers and yes/no stay text."""
    if node is None:
        return ()
    if not isinstance(node, SequenceNode):
        r.problem(node, f"{what} must be a list (e.g. [a, b])")
        return ()
    values = []
    for item in node.value:
        if not isinstance(item, ScalarNode) or item.tag == NULL_TAG or not str(item.value).strip():
            r.problem(item, f"each of {what} must be non-empty text or a number")
        else:
            values.append(" ".join(str(item.value).split()))
    return tuple(dict.fromkeys(values))


def _boolean(r: NodeReader, node: Node | None, what: str) -> bool | None:
    if node is None:
        return None
    if isinstance(node, ScalarNode) and str(node.value).lower() in _BOOL:
        return _BOOL[str(node.value).lower()]
    r.problem(node, f"{what} must be true or false")
    return None


def _number(r: NodeReader, node: Node | None, what: str) -> float | None:
    if node is None:
        return None
    try:
        value = float(node.value) if isinstance(node, ScalarNode) else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        r.problem(node, f"{what} must be a positive number of seconds")
        return None
    return value


def _check_name(r: NodeReader, stem: str) -> None:
    if not PACK_NAME.match(stem):
        r.problem(None, "the file name must be lower case letters, digits and - or _, e.g. stalker.yaml")
    elif stem in GENERATED_TOPICS:
        r.problem(None, f"{stem!r} is a generated topic; name the pack otherwise")


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
