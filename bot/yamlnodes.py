"""Typed reading of YAML nodes, with every problem kept as `file:line: message`: the film data
(bot/facts/loader.py) and trivia packs (bot/trivia/packs.py) are read through it. Values come
from the nodes, not PyYAML's implicit types, so a title such as `1984` stays text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

INT_TAG = "tag:yaml.org,2002:int"
NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class NodeReader:
    """Typed access to the nodes of one file, recording problems with their line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(self.path, line, message))

    def mapping(
        self, node: Node, what: str, keys: Iterable[str], required: Iterable[str] = ()
    ) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return {}
        allowed, found = set(keys), {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key not in allowed:
                self.problem(
                    key_node, f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})"
                )
            elif key in found:
                self.problem(key_node, f"duplicate key {key!r} in {what}")
            else:
                found[key] = value_node
        for key in required:
            if key not in found:
                self.problem(node, f"missing required key {key!r} in {what}")
        return found

    def text(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or node.tag == NULL_TAG or not str(node.value).strip():
            self.problem(node, f"{what} must be non-empty text")
            return None
        return " ".join(str(node.value).split())  # folds the line breaks of long YAML strings

    def integer(self, node: Node | None, what: str, low: int, high: int, example: str) -> int | None:
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or node.tag != INT_TAG:
            self.problem(node, f"{what} must be a whole number like {example}, got {_shown(node)}")
            return None
        value = int(node.value)
        if not low <= value <= high:
            self.problem(node, f"{what} must be between {low} and {high}, got {value}")
            return None
        return value

    def texts(self, node: Node | None, what: str, *, non_empty: bool = False) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{what} must be a list (e.g. [a, b]), got {_shown(node)}")
            return ()
        if non_empty and not node.value:
            self.problem(node, f"{what} must not be empty")
        values = [self.text(item, f"each of {what}") for item in node.value]
        return tuple(v for v in values if v is not None)

    def items(self, node: Node | None, what: str, read: Callable[[Node], Any]) -> tuple[Any, ...]:
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{what} must be a list, got {_shown(node)}")
            return ()
        values = [read(item) for item in node.value]
        return tuple(v for v in values if v is not None)


def _shown(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return repr(node.value)
    return "a list" if isinstance(node, SequenceNode) else "a mapping"


def compose(text: str, r: NodeReader) -> Node | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is found at the end of the file: point at where it opened.
        opened = (exc.context or "").startswith("while scanning") or "<stream end>" in (exc.problem or "")
        mark = (exc.context_mark if opened else exc.problem_mark) or exc.problem_mark
        context = f" ({exc.context})" if exc.context else ""
        r.problems.append(
            Problem(r.path, mark.line + 1 if mark else 1, f"not valid YAML: {exc.problem}{context}")
        )
        return None
    if node is None:
        r.problem(None, "the file is empty")
    return node


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
