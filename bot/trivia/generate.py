"""Questions generated from the fact store, with plausible wrong choices that are never right.

Each template reads one field of one film. Wrong choices are values of the same kind taken from
other films, nearest first by era and country, and exclude every value that would also be a
right answer (a co-director, anyone in the cast, another film of the same title).
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

from ..facts.model import Film
from .matching import normalise
from .model import Pack, TriviaQuestion

WRONG_CHOICES = 3
NEAREST = 8  # wrong choices are drawn from this many nearest candidates
MASK = "▢▢▢"
# Catalogue questions are about its best-known films, the most complete in the catalogue: a number,
# not a share, since a larger catalogue adds obscure films, not famous ones.
CATALOGUE_SUBJECTS = 2000

Template = Callable[[Film, random.Random], TriviaQuestion | None]
E = TypeVar("E", bound=tuple[Any, ...])


class FilmQuestions:
    def __init__(
        self,
        films: Sequence[Film],
        aliases: Mapping[str, Sequence[str]],
        *,
        same_decade: bool = False,
        subjects: int | None = None,
    ) -> None:
        self.films = list(films)
        # What questions are about: the `subjects` most prominent films, or all; wrong choices come
        # from all of them.
        self.subjects = self.films
        if subjects is not None:
            self.subjects = sorted(self.films, key=lambda f: (-f.prominence, -len(f.cast)))[:subjects]
        self.aliases = aliases
        self.same_decade = same_decade  # wrong choices from the film's decade (the catalogue's questions)
        self._title_count: dict[str, int] = defaultdict(int)
        self._title_keys: list[str] = []  # each film's normalised title, by position
        # Each role's values in the order films first name them (of equally near values, the first
        # wins), and the films that have the role by year: wrong choices are looked for outward
        # from a film's year, no farther than a distance allows (`_ByYear.outward`).
        self._order: dict[str, dict[str, int]] = defaultdict(dict)
        by_year: dict[str, list[tuple[int, Film, tuple[str, ...]]]] = defaultdict(list)
        for film in self.films:
            self._title_keys.append(normalise(film.title))
            self._title_count[self._title_keys[-1]] += 1
            for role, values in (
                ("director", film.directors),
                ("actor", [c.actor for c in film.cast]),
                ("composer", film.composers),
                ("country", film.countries),
                ("work", [film.based_on.title] if film.based_on else []),
            ):
                unique = tuple(dict.fromkeys(values))
                for value in unique:
                    self._order[role].setdefault(value, len(self._order[role]))
                if unique:
                    by_year[role].append((film.year, film, unique))
        self._by_year = {role: _ByYear(entries) for role, entries in by_year.items()}
        self._films_by_year = _ByYear([(f.year, n, f) for n, f in enumerate(self.films)])
        self.templates: list[Template] = [
            self.director,
            self.year,
            self.character,
            self.based_on,
            self.composer,
            self.country,
            self.synopsis,
            self.fact,
            self.directed_by,
        ]

    def questions(self, count: int, rng: random.Random) -> list[TriviaQuestion]:
        """Up to `count` different questions, drawn at random over templates and films."""
        found: dict[str, TriviaQuestion] = {}
        for _ in range(count * 40):
            if len(found) == count or not self.subjects:
                break
            question = rng.choice(self.templates)(rng.choice(self.subjects), rng)
            if question is not None:
                found.setdefault(question.text, question)
        return list(found.values())

    # -- templates ----------------------------------------------------------------------------

    def director(self, film: Film, rng: random.Random) -> TriviaQuestion | None:
        return self._sole(film, rng, "director", film.directors, f"Who directed {film.label}?", "directors")

    def composer(self, film: Film, rng: random.Random) -> TriviaQuestion | None:
        text = f"Who composed the music for {film.label}?"
        return self._sole(film, rng, "composer", film.composers, text, "composers")

    def character(self, film: Film, rng: random.Random) -> TriviaQuestion | None:
        credited = [c for c in film.cast if c.character]
        if not credited:
            return None
        credit = rng.choice(credited)
        if sum(c.character == credit.character for c in credited) > 1:
            return None
        return self._person(
            film, rng, "actor", credit.actor, {c.actor for c in film.cast},
            f"Who played {credit.character} in {film.label}?", film.source_of("cast"),
        )  # fmt: skip

    def year(self, film: Film, rng: random.Random) -> TriviaQuestion | None:
        if self._title_count[normalise(film.title)] > 1:
            return None  # "which year was Hamlet released?" has more than one answer
        if self.same_decade:
            decade = film.year - film.year % 10
            offsets = rng.sample(
                [y - film.year for y in range(decade, decade + 10) if y != film.year], WRONG_CHOICES
            )
        else:
            offsets = rng.sample([d for d in range(-6, 7) if d], WRONG_CHOICES)
        wrong = [str(film.year + d) for d in offsets]
        return self._question(
            film,
            f"In which year was {film.title} released?",
            [str(film.year)],
            wrong,
            rng,
            film.source_of("year"),
            "year",
        )

    def country(self, film: Film, rng: random.Random) -> TriviaQuestion | None:
        if len(film.countries) != 1:
            return None
        (country,) = film.countries
        wrong = self._nearest(film, "country", {normalise(country)}, rng)
        if wrong is None:
            return None
        question = f"Which country is {film.label} from?"
        return self._question(film, question, [country], wrong, rng, film.source_of("countries"), "country")

    def based_on(self, film: Film, rng: random.Random) -> TriviaQuestion | None:
        work = film.based_on
        if work is None:
            return None
        wrong = self._nearest(film, "work", {normalise(work.title)}, rng)
        if wrong is None:
            return None
        answers = [work.title, *([work.original_title] if work.original_title else [])]
        question = f"{film.label} is based on which work?"
        return self._question(film, question, answers, wrong, rng, film.source_of("based_on"), "based on")

    def synopsis(self, film: Film, rng: random.Random) -> TriviaQuestion | None:
        if not film.synopsis.strip():
            return None  # most catalogue films have none: "Which film is this?" alone asks nothing
        text = self._masked(film, film.synopsis)
        return self._which_film(
            film, rng, f"Which film is this? {text}", film.source_of("synopsis"), "synopsis"
        )

    def fact(self, film: Film, rng: random.Random) -> TriviaQuestion | None:
        facts = [f for f in film.facts if not f.attributed]  # not a claim only its source makes
        if not facts:
            return None
        fact = rng.choice(facts)
        text = self._masked(film, fact.text)
        return self._which_film(film, rng, f"Which film is this about? {text}", fact.source, "fact")

    def directed_by(self, film: Film, rng: random.Random) -> TriviaQuestion | None:
        director = rng.choice(film.directors)
        question = f"Which of these films did {director} direct?"
        source = film.source_of("directors")
        return self._which_film(
            film, rng, question, source, "directed by", lambda f: director not in f.directors
        )

    # -- building blocks ------------------------------------------------------------------------

    def _sole(
        self, film: Film, rng: random.Random, role: str, names: tuple[str, ...], text: str, field: str
    ) -> TriviaQuestion | None:
        """A question about the one person in a role (none when several share it)."""
        if len(names) != 1:
            return None
        return self._person(film, rng, role, names[0], set(names), text, film.source_of(field))

    def _person(
        self,
        film: Film,
        rng: random.Random,
        role: str,
        name: str,
        right: set[str],
        text: str,
        source: str | None,
    ) -> TriviaQuestion | None:
        excluded = {normalise(answer) for person in right for answer in self.person_answers(person)}
        wrong = self._nearest(film, role, excluded, rng)
        if wrong is None:
            return None
        return self._question(film, text, self.person_answers(name), wrong, rng, source, role)

    def person_answers(self, name: str) -> list[str]:
        """A person's name, its recorded spellings, and the surname alone."""
        surname = name.split()[-1]
        extra = [surname] if len(name.split()) > 1 and len(surname) >= 4 else []
        return [name, *self.aliases.get(name, ()), *extra]

    def _which_film(
        self,
        film: Film,
        rng: random.Random,
        text: str,
        source: str | None,
        kind: str,
        keep: Callable[[Film], bool] | None = None,
    ) -> TriviaQuestion | None:
        """A question whose answer is `film`; its wrong choices are the films nearest it (of those
        `keep` keeps) with other titles."""
        title = normalise(film.title)
        nearest: dict[int, int] = {}  # position in self.films -> distance
        for _, position, other in self._films_by_year.outward(film.year, lambda: _kth(nearest)):
            if other.id != film.id and self._title_keys[position] != title and (keep is None or keep(other)):
                nearest[position] = self._distance(film, other)
        if len(nearest) < WRONG_CHOICES:
            return None
        pool = sorted(nearest, key=lambda n: (nearest[n], n))[:NEAREST]
        wrong = [self.films[n].label for n in rng.sample(pool, WRONG_CHOICES)]
        answers = [film.label, *film.titles]
        return self._question(film, text, answers, wrong, rng, source, kind)

    def _nearest(self, film: Film, role: str, excluded: set[str], rng: random.Random) -> list[str] | None:
        """Wrong choices for `role`: values from the films nearest `film`, none of them `excluded`
        (normalised right answers)."""
        order = self._order[role]
        nearest: dict[str, int] = {}  # value -> its distance: the least over the films that have it
        for _, other, values in self._by_year.get(role, _NONE).outward(film.year, lambda: _kth(nearest)):
            distance = self._distance(film, other)
            for value in values:
                if distance < nearest.get(value, distance + 1) and _key(value) not in excluded:
                    nearest[value] = distance
        if len(nearest) < WRONG_CHOICES:
            return None
        pool = sorted(nearest, key=lambda v: (nearest[v], order[v]))
        return rng.sample(pool[:NEAREST], WRONG_CHOICES)

    def _distance(self, film: Film, other: Film) -> int:
        return (_decade_apart if self.same_decade else _distance)(film, other)

    @staticmethod
    def _question(
        film: Film,
        text: str,
        answers: list[str],
        wrong: list[str],
        rng: random.Random,
        source: str | None,
        kind: str,
    ) -> TriviaQuestion:
        choices = [answers[0], *wrong]
        rng.shuffle(choices)
        return TriviaQuestion(text, tuple(dict.fromkeys(answers)), tuple(choices), source, kind, film.id)

    @staticmethod
    def _masked(film: Film, text: str) -> str:
        """`text` without the film's titles, which would give the answer away."""
        for title in sorted(film.titles, key=len, reverse=True):
            text = re.sub(rf"(?<!\w){re.escape(title)}(?!\w)", MASK, text, flags=re.IGNORECASE)
        return text


class _ByYear(Generic[E]):
    """Entries (a year first) sorted by year, read outward from a year."""

    def __init__(self, entries: list[E]) -> None:
        self.entries = sorted(entries, key=lambda e: e[0])
        self.years = [e[0] for e in self.entries]

    def outward(self, year: int, bound: Callable[[], float]) -> Iterator[E]:
        """The entries from the nearest to `year` outward, until the year gap alone exceeds
        `bound()` (asked anew at each wider gap): a distance is at least the gap, so nothing
        farther can come nearer than what was found."""
        years, high = self.years, bisect.bisect_left(self.years, year)
        low, gap = high - 1, -1.0
        while low >= 0 or high < len(years):
            below = year - years[low] if low >= 0 else math.inf
            above = years[high] - year if high < len(years) else math.inf
            if min(below, above) > gap:
                gap = min(below, above)
                if gap > bound():
                    return
            if below <= above:
                yield self.entries[low]
                low -= 1
            else:
                yield self.entries[high]
                high += 1


_NONE: _ByYear[Any] = _ByYear([])


_key = functools.lru_cache(maxsize=1 << 16)(normalise)  # the same names come up question after question


def _kth(distances: Mapping[Any, int]) -> float:
    """The NEAREST-th least distance found so far (infinite until there are that many)."""
    if len(distances) < NEAREST:
        return math.inf
    return heapq.nsmallest(NEAREST, distances.values())[-1]


def _distance(film: Film, other: Film) -> int:
    """How far apart two films are for choosing plausible wrong answers: years, plus a country gap."""
    shared = set(film.countries) & set(other.countries)
    return abs(film.year - other.year) + (0 if shared else 15)


def _decade_apart(film: Film, other: Film) -> int:
    """Another decade is farther than any film of the same one."""
    return 1000 * (film.year // 10 != other.year // 10) + _distance(film, other)


def pack_answers(pack: Pack) -> dict[str, str]:
    """The shown answers of a pack's questions, by normalised form: the pool of wrong choices."""
    return {normalise(q.answer): q.answer for q in pack.questions}


def with_choices(
    question: TriviaQuestion, answers: Mapping[str, str], rng: random.Random
) -> TriviaQuestion | None:
    """A pack question ready for buttons: its own choices, or wrong ones from the pack's other
    `answers` (numbers for a number and words for words first); None if there is no other answer."""
    if question.choices:
        return question
    accepted = {normalise(a) for a in question.answers}
    numeric = question.answer.replace(".", "", 1).isdigit()
    alike: list[str] = []
    unlike: list[str] = []
    for key, answer in answers.items():
        if key not in accepted:
            (alike if answer.replace(".", "", 1).isdigit() == numeric else unlike).append(answer)
    wrong = rng.sample(alike, min(WRONG_CHOICES, len(alike)))
    wrong += rng.sample(unlike, min(WRONG_CHOICES - len(wrong), len(unlike)))
    if not wrong:
        return None
    choices = [question.answer, *wrong]
    rng.shuffle(choices)
    return TriviaQuestion(question.text, question.answers, tuple(choices), question.source, question.kind)
