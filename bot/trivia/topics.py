"""What a round plays: its topic (questions generated from the films, or a pack), the questions
drawn for it, and its settings: the command's options first, then the pack's, then the server's."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .club_questions import Rated, club_questions
from .game import Mode, Round
from .generate import CATALOGUE_SUBJECTS, FilmQuestions, pack_answers, with_choices
from .model import (
    CATALOGUE_TOPIC,
    CLUB_TOPIC,
    FILMS_TOPIC,
    GENERATED_TOPICS,
    Pack,
    TriviaQuestion,
    TriviaSettings,
)

if TYPE_CHECKING:
    from bot.qa.lookup import FilmLookup

log = logging.getLogger(__name__)


class UnknownTopic(Exception):
    def __init__(self, topic: str, known: list[str]) -> None:
        super().__init__(topic)
        self.topic, self.known = topic, known


class NoQuestions(Exception):
    """The topic has no question that can be played in the chosen mode."""


class Topics:
    def __init__(self, packs: dict[str, Pack], films: FilmLookup, rng: random.Random | None = None) -> None:
        self.packs, self.films = packs, films
        self.rng = rng or random.Random()
        self._generators: dict[str, FilmQuestions] = {}  # built on first use: the catalogue's takes a second

    def choices(self) -> list[tuple[str, str]]:
        """Every topic, (name, what it is), for autocomplete."""
        generated = [
            (FILMS_TOPIC, "films: generated from the curated films"),
            (CATALOGUE_TOPIC, "catalogue: generated from the Wikidata catalogue"),
            (CLUB_TOPIC, "club: which film did this server rate highest?"),
        ]
        packs = sorted(self.packs.values(), key=lambda p: p.name)
        return generated + [(p.name, f"{p.name}: {p.title}") for p in packs]

    def pack(self, topic: str) -> Pack | None:
        """The pack of `topic`, None for a generated topic; UnknownTopic for neither."""
        if topic in GENERATED_TOPICS:
            return None
        if topic in self.packs:
            return self.packs[topic]
        raise UnknownTopic(topic, [*GENERATED_TOPICS, *sorted(self.packs)])

    def new_round(
        self,
        topic: str,
        starter_id: int,
        mode: Mode,
        saved: TriviaSettings,
        *,
        questions: int | None = None,
        seconds: int | None = None,
        rated: Sequence[Rated] = (),
    ) -> tuple[Round, str]:
        """A round of `topic` and its title; NoQuestions if none can be played in `mode`. `rated`:
        the server's rated films, which the club topic asks about."""
        pack = self.pack(topic)
        config = pack.config if pack else None
        count = questions or (config and config.questions) or saved.questions
        game = Round(
            id=0,
            starter_id=starter_id,
            topic=pack.name if pack else topic,
            mode=mode,
            questions=self._questions(topic, pack, count, mode, rated),
            seconds=seconds or (config and config.seconds) or saved.seconds,
            reveal=saved.reveal if not config or config.reveal is None else config.reveal,
            unanswered_limit=(config and config.unanswered) or saved.unanswered,
        )
        if not game.questions:
            raise NoQuestions(game.topic)
        return game, pack.title if pack else GENERATED_TOPICS[topic]

    def _questions(
        self, topic: str, pack: Pack | None, count: int, mode: Mode, rated: Sequence[Rated]
    ) -> list[TriviaQuestion]:
        if topic == CLUB_TOPIC:
            return club_questions(rated, count, self.rng)
        if pack is None:
            return self._generator(topic).questions(count, self.rng)
        drawn = self.rng.sample(pack.questions, len(pack.questions))
        if mode is Mode.BUTTONS:
            answers = pack_answers(pack)
            playable = (with_choices(q, answers, self.rng) for q in drawn[: count * 2])
            drawn = [q for q in playable if q is not None]
        return drawn[:count]

    def _generator(self, topic: str) -> FilmQuestions:
        if topic not in self._generators:
            started = time.perf_counter()
            catalogue = topic == CATALOGUE_TOPIC
            self._generators[topic] = generator = FilmQuestions(
                self.films.stored_films(curated=not catalogue),
                self.films.person_aliases(),
                same_decade=catalogue,
                subjects=CATALOGUE_SUBJECTS if catalogue else None,
            )
            took = time.perf_counter() - started
            log.info("trivia: %d films for %r, ready in %.2f s", len(generator.films), topic, took)
        return self._generators[topic]
