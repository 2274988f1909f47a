"""Trivia without Discord: generated questions, pack reading, scoring and the round's rules."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.config import SOURCE_DATA_DIR
from bot.facts.loader import load_store
from bot.trivia.game import BASE_POINTS, SPEED_POINTS, Mode, Round, Verdict, points_for
from bot.trivia.generate import NEAREST, WRONG_CHOICES, FilmQuestions, pack_answers, with_choices
from bot.trivia.matching import normalise
from bot.trivia.model import Pack, TriviaQuestion
from bot.trivia.packs import load_packs, read_pack

STORE, _ = load_store(SOURCE_DATA_DIR)
CURATED = STORE.films[: STORE.curated]
FILMS = {f.id: f for f in CURATED}
GENERATOR = FilmQuestions(CURATED, {p.name: list(p.aliases) for p in STORE.people})


def right_values(question: TriviaQuestion) -> set[str]:
    """Every value that would truly answer a generated question, from the film data itself."""
    assert question.film_id is not None
    film = FILMS[question.film_id]
    by_kind = {
        "director": film.directors,
        "composer": film.composers,
        "actor": [c.actor for c in film.cast],
        "year": [str(film.year)],
        "country": film.countries,
        "based on": [film.based_on.title] if film.based_on else [],
    }
    if question.kind in by_kind:
        return {normalise(v) for v in by_kind[question.kind]}
    same_title = [f for f in CURATED if normalise(f.title) == normalise(film.title)]
    return {normalise(f.label) for f in same_title}


@pytest.mark.parametrize("seed", range(40))
def test_generated_questions_have_one_right_choice(seed: int) -> None:
    questions = GENERATOR.questions(10, random.Random(seed))
    assert len(questions) == 10
    assert len({q.text for q in questions}) == 10  # no repeat within a round
    for q in questions:
        assert len(q.choices) == 4, q
        assert len({normalise(c) for c in q.choices}) == 4, q  # no duplicate choices
        assert q.choices.count(q.answer) == 1, q
        wrong = [c for c in q.choices if c != q.answer]
        truly_right = right_values(q) if q.kind != "directed by" else set()
        for choice in wrong:
            assert normalise(choice) not in {normalise(a) for a in q.answers}, q
            assert normalise(choice) not in truly_right, (choice, q)


def test_reverse_questions_offer_films_the_person_did_not_direct() -> None:
    rng = random.Random(7)
    for film in list(FILMS.values())[:60]:
        q = GENERATOR.directed_by(film, rng)
        assert q is not None
        director = q.text.removeprefix("Which of these films did ").removesuffix(" direct?")
        for choice in q.choices:
            chosen = next(f for f in CURATED if f.label == choice)
            assert (director in chosen.directors) == (choice == q.answer)


def test_every_template_is_used_and_wrong_choices_are_near() -> None:
    kinds = {q.kind for seed in range(30) for q in GENERATOR.questions(10, random.Random(seed))}
    assert kinds >= {
        "director",
        "year",
        "actor",
        "based on",
        "composer",
        "country",
        "synopsis",
        "fact",
        "directed by",
    }
    stalker = FILMS["stalker-1979"]
    years = GENERATOR.year(stalker, random.Random(1))
    assert years is not None and all(abs(int(c) - 1979) <= 6 for c in years.choices)
    who = GENERATOR.director(stalker, random.Random(1))
    assert who is not None and "Tarkovsky" in who.answers and "Andrey Tarkovskiy" in who.answers


def test_synopsis_questions_hide_the_title() -> None:
    q = GENERATOR.synopsis(FILMS["stalker-1979"], random.Random(3))
    assert q is not None and "Stalker" not in q.text.split("?", 1)[1]
    assert q.answer == "Stalker (1979)" and "Сталкер" in q.answers


def test_scoring_formula() -> None:
    assert points_for(0, 20) == BASE_POINTS + SPEED_POINTS == 100
    assert points_for(10, 20) == 75
    assert points_for(20, 20) == 50
    assert points_for(35, 20) == 50  # a late packet still gets the base
    assert points_for(-1, 20) == 100
    assert [points_for(s, 10) for s in range(0, 11, 2)] == [100, 90, 80, 70, 60, 50]


def make_round(mode: Mode, questions: int = 3) -> Round:
    qs = [
        TriviaQuestion(f"Q{i}?", (f"answer {i}", f"alias {i}"), (f"answer {i}", "x", "y", "z"))
        for i in range(questions)
    ]
    return Round(id=1, starter_id=1, topic="test", mode=mode, questions=qs, seconds=10)


def test_buttons_round_rules() -> None:
    game = make_round(Mode.BUTTONS)
    game.open_next(now=0)
    assert game.choose(1, "ana", "answer 0", now=2)[0] is Verdict.RIGHT
    assert game.choose(1, "ana", "x", now=3) == (Verdict.ALREADY, None)
    verdict, attempt = game.choose(2, "boris", "x", now=4)
    assert verdict is Verdict.WRONG and attempt is not None and attempt.points == 0
    reveal = game.close()
    assert [p.name for p in reveal.right] == ["ana"] and reveal.answered == 2
    assert game.choose(3, "late", "answer 0", now=5) == (Verdict.CLOSED, None)
    assert game.players[1].points == 90 and game.players[1].streak == 1
    game.open_next(now=10)
    game.close()  # ana misses a question: her streak ends
    assert game.players[1].streak == 0 and game.players[1].best_streak == 1
    assert game.unanswered_run == 1 and not game.finished


def test_typed_round_first_right_answer_wins() -> None:
    game = make_round(Mode.TYPED)
    game.open_next(now=0)
    assert game.guess(2, "boris", "no idea", now=1) == (Verdict.WRONG, None)  # recorded at the close
    assert game.guess(2, "boris", "still no idea", now=1.5) == (Verdict.WRONG, None)
    verdict, attempt = game.guess(1, "ana", "ALIAS 0!", now=5)
    assert verdict is Verdict.RIGHT and attempt is not None and attempt.points == 75
    assert game.guess(2, "boris", "answer 0", now=6) == (Verdict.CLOSED, None)
    reveal = game.close()
    assert [p.name for p in reveal.right] == ["ana"] and reveal.answered == 2
    assert [(a.user_id, a.correct, a.points) for a in reveal.unrecorded] == [(2, False, 0)]


def test_a_round_ends_after_questions_without_answers() -> None:
    game = make_round(Mode.BUTTONS, questions=10)
    game.unanswered_limit = 3
    for now in range(3):
        game.open_next(now)
        game.close()
    assert game.finished and game.number == 3


def test_standings_and_winners() -> None:
    game = make_round(Mode.BUTTONS)
    game.open_next(now=0)
    game.choose(1, "ana", "answer 0", now=5)
    game.choose(2, "boris", "answer 0", now=5)
    game.choose(3, "cleo", "x", now=1)
    game.close()
    assert [p.name for p in game.standings()] == ["ana", "boris", "cleo"]
    assert [p.name for p in game.winners()] == ["ana", "boris"]  # a tie: both win


def test_red_lists_load_as_written(tmp_path: Path) -> None:
    (tmp_path / "mixed.yaml").write_text(
        "AUTHOR: someone\n"
        "DESCRIPTION: Numbers, yes/no and markdown, as Red's lists have them.\n"
        "CONFIG:\n  delay: 12\n  timeout: 60\n  max_score: 5\n  reveal_answer: false\n  bot_plays: false\n"
        "In which year was **Solaris** released?:\n- 1972\n"
        "What is pi to two places?:\n- 3.14\n"
        'Is "Stalker" in colour?:\n- yes\n- partly\n'
        "Who's that? https://example.org/picture.png:\n- Ana\n",
        encoding="utf-8",
    )
    packs, problems = load_packs([tmp_path])
    assert problems == []
    pack = packs["mixed"]
    assert pack.author == "someone" and pack.title == "mixed"
    assert [q.answers for q in pack.questions] == [("1972",), ("3.14",), ("yes", "partly"), ("Ana",)]
    assert pack.questions[0].text == "In which year was **Solaris** released?"
    assert (pack.config.seconds, pack.config.unanswered, pack.config.questions, pack.config.reveal) == (
        12,
        5,
        5,
        False,
    )


def test_pack_problems_have_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    text = (
        "name: broken\ntitle: Broken\nquestions:\n"
        "  - question: Who directed Stalker?\n    answers: [Andrei Tarkovsky, Tarkovsky]\n"
        "    choices: [Tarkovsky, Andrei Tarkovsky, Elem Klimov]\n"
        "  - question: Unanswerable\n    answers: []\n"
        "  - question: What year?\n    answers: [1979]\n    colour: red\n"
    )
    pack, problems = read_pack(path, text)
    assert pack is None
    messages = [f"{p.line}: {p.message}" for p in problems]
    assert "6: the wrong choice 'Tarkovsky' is also an accepted answer" in messages
    assert "8: answers must list at least one accepted answer" in messages
    assert any(m.startswith("11: unknown key 'colour' in a question") for m in messages)
    _, problems = read_pack(tmp_path / "quote.yaml", 'AUTHOR: x\n"Who directed it?:\n- Tarkovsky\n')
    assert problems[0].line == 2 and "not valid YAML" in problems[0].message


def test_shipped_packs_are_valid_and_large_enough() -> None:
    packs, problems = load_packs([SOURCE_DATA_DIR / "trivia"])
    assert problems == []
    assert len(packs) >= 3 and len(packs["stalker"].questions) >= 25
    assert all(q.source for q in packs["stalker"].questions)  # Stalker's facts carry their source


def test_pack_questions_without_choices_get_them_from_the_pack() -> None:
    questions = tuple(
        TriviaQuestion(f"Q{i}", (a,)) for i, a in enumerate(["1972", "1979", "1986", "Solaris", "Mirror"])
    )
    pack = Pack("p", "P", questions)
    year = with_choices(questions[0], pack_answers(pack), random.Random(1))
    assert year is not None and len(year.choices) == 4 and year.choices.count("1972") == 1
    assert {"1979", "1986"} < set(year.choices)  # numbers first for a number
    title = with_choices(questions[3], pack_answers(pack), random.Random(1))
    assert title is not None and title.choices.count("Solaris") == 1 and "Mirror" in title.choices
    alone = Pack("q", "Q", (TriviaQuestion("Q", ("a",)),))
    assert with_choices(alone.questions[0], pack_answers(alone), random.Random(1)) is None


def test_catalogue_questions_keep_wrong_choices_in_the_films_decade() -> None:
    catalogue = STORE.films[STORE.curated :]
    generator = FilmQuestions(catalogue, {}, same_decade=True)
    rng = random.Random(5)
    by_label = {f.label: f for f in catalogue}
    checked = 0
    for film in rng.sample(catalogue, 40):
        year = generator.year(film, rng)
        if year is not None:
            assert {int(c) // 10 for c in year.choices} == {film.year // 10}
        reverse = generator.directed_by(film, rng) if film.directors else None
        if reverse is not None:
            decades = {by_label[c].year // 10 for c in reverse.choices if c in by_label}
            assert decades == {film.year // 10}, reverse
            checked += 1
    assert checked >= 30
    questions = generator.questions(10, random.Random(1))
    assert len(questions) == 10 and all(q.choices.count(q.answer) == 1 for q in questions)
    unsummarised = next(f for f in catalogue if not f.synopsis)
    assert generator.synopsis(unsummarised, rng) is None  # no "Which film is this?" with nothing after it


def test_catalogue_questions_are_about_its_best_known_films() -> None:
    catalogue = STORE.films[STORE.curated :]
    generator = FilmQuestions(catalogue, {}, same_decade=True, subjects=500)
    ranked = sorted(catalogue, key=lambda f: (-f.prominence, -len(f.cast)))
    best_known = {f.id for f in ranked[:500]}
    questions = generator.questions(60, random.Random(3))
    assert len(questions) == 60
    asked = {q.film_id for q in questions if q.film_id}
    assert asked and asked <= best_known


class SortedChoices(FilmQuestions):
    """The wrong choices by a full sort of every candidate, as they were first written: what the
    bounded search outward from the film's year must give, choice for choice."""

    def _nearest(self, film, role, excluded, rng):  # type: ignore[no-untyped-def]
        films_of: dict[str, list] = {}  # type: ignore[type-arg]
        for other in self.films:
            values = {
                "director": other.directors,
                "actor": [c.actor for c in other.cast],
                "composer": other.composers,
                "country": other.countries,
                "work": [other.based_on.title] if other.based_on else [],
            }[role]
            for value in dict.fromkeys(values):
                films_of.setdefault(value, []).append(other)
        pool = [v for v in films_of if normalise(v) not in excluded]
        if len(pool) < WRONG_CHOICES:
            return None
        pool.sort(key=lambda v: min(self._distance(film, other) for other in films_of[v]))
        return rng.sample(pool[:NEAREST], WRONG_CHOICES)

    def _which_film(self, film, rng, text, source, kind, keep=None):  # type: ignore[no-untyped-def]
        title = normalise(film.title)
        candidates = [f for f in self.films if keep is None or keep(f)]
        pool = [f for f in candidates if f.id != film.id and normalise(f.title) != title]
        pool.sort(key=lambda f: self._distance(film, f))
        if len(pool) < WRONG_CHOICES:
            return None
        wrong = [f.label for f in rng.sample(pool[:NEAREST], WRONG_CHOICES)]
        return self._question(film, text, [film.label, *film.titles], wrong, rng, source, kind)


@pytest.mark.parametrize("catalogue", [False, True])
def test_the_nearest_wrong_choices_are_those_a_full_sort_gives(catalogue: bool) -> None:
    films = STORE.films[STORE.curated :][:3000] if catalogue else CURATED
    aliases = {} if catalogue else {p.name: list(p.aliases) for p in STORE.people}
    fast = FilmQuestions(films, aliases, same_decade=catalogue)
    slow = SortedChoices(films, aliases, same_decade=catalogue)
    for seed in range(3):
        assert fast.questions(25, random.Random(seed)) == slow.questions(25, random.Random(seed))
