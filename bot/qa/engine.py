"""Answer a question from the fact store, with the source of what was used, or say "I don't know".

The pipeline: find the film, people, characters and works the question names (typo-tolerant,
any script), find what it asks (intents), then answer from one field or fact of that film.
It never answers about a film other than the one named; when it cannot, it says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii

from ..facts.loader import fold
from ..facts.model import Credit, Film
from .catalog import Catalog, FactHit, FilmRef
from .intents import Intent, intents_of
from .phrases import Mention, best_disjoint
from .words import COMMON, YEAR, stem

MAX_QUESTION_LENGTH = 300
ROLES = {
    Intent.DIRECTOR: "director",
    Intent.CAST: "actor",
    Intent.CHARACTER: "actor",
    Intent.WRITERS: "writer",
    Intent.COMPOSER: "composer",
    Intent.CINEMATOGRAPHER: "cinematographer",
    Intent.BASED_ON_AUTHOR: "author",
    Intent.BASED_ON: "author",
}
ROLE_VERBS = {
    "director": "directed",
    "actor": "acted in",
    "writer": "wrote",
    "composer": "composed the music of",
    "cinematographer": "photographed",
    "author": "wrote the source of",
}
ARTICLES = frozenset({"the", "a", "an"})
STOP = frozenset(
    "a an the of and or in on at to for with by from is are was were be been it its this that these those "
    "what who whom whose when where why how which did do does done has have had can could would should will "
    "tell me about please film films movie movies picture there their they he she his her into as so".split()
)
RUSSIAN_ENDINGS = ("ogo", "omu", "ami", "akh", "om", "oy", "ym", "ie", "ya", "yu", "a", "e", "u", "y", "i")
SEQUEL = re.compile(r"^(\d{1,2}|ii|iii|iv|v|vi|part|chapter|returns|reloaded)$")
THE_COUNTRY = re.compile(r"\b(Union|United|Republic|Kingdom|States|Netherlands|Emirates)\b")
NUMERALS = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi"}
NUMERALS |= {roman: digit for digit, roman in NUMERALS.items()}
ASKS_FOR_ROLE = re.compile(r"\bwho (played|plays|portrays|portrayed|was) (?!in\b)\w+")
MADE = re.compile(r"\b(make|made|makes|making)\b|снял|снимал")
WHICH_FILM = re.compile(
    r"\b(which|what) (film|movie|picture)\b|\bfrom\b|\bappear\w*|\bcharacter\b|в каком фильме"
)


@dataclass(frozen=True)
class Answer:
    answered: bool
    text: str
    film: FilmRef | None = None
    source: str | None = None

    def as_json(self) -> dict[str, Any]:
        film = {"title": self.film.title, "year": self.film.year} if self.film else None
        return {"answered": self.answered, "text": self.text, "film": film, "source": self.source}


@dataclass
class Question:
    raw: str
    words: list[str]  # ASCII tokens
    owner: list[int]  # index of the folded word each token comes from
    folded: list[str]  # folded words, original script
    near: list[dict[str, int]] = field(default_factory=list)
    cyrillic: bool = False

    def text_without(self, spans: list[tuple[int, int]]) -> str:
        """The folded text without the words of the given token spans (names and titles)."""
        covered = {self.owner[i] for start, end in spans for i in range(start, end)}
        return " ".join(w for i, w in enumerate(self.folded) if i not in covered)

    def capitalized(self, span: tuple[int, int]) -> bool:
        """Whether the words of a span are written with a capital (not just starting the question)."""
        first = self.owner[span[0]]
        raw_words = re.findall(r"\w+", self.raw)  # split as fold() splits
        return 0 < first < len(raw_words) and raw_words[first][:1].isupper()

    def content_words(self, spans: list[tuple[int, int]]) -> list[str]:
        covered = {i for start, end in spans for i in range(start, end)}
        return [
            w
            for i, w in enumerate(self.words)
            if i not in covered and w not in STOP and len(w) > 1 and not YEAR.match(w)
        ]

    def years(self) -> list[int]:
        return [int(w) for w in self.words if YEAR.match(w)]


def _matched(words: list[str], hit: FactHit) -> int:
    haystack = fold(anyascii(hit.text + " " + hit.topics)).split()
    return sum(1 for w in words if any(h.startswith(stem(w)) for h in haystack))


def _join(names: list[str] | tuple[str, ...]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Answerer:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- parsing -----------------------------------------------------------------------------

    def parse(self, question: str) -> Question:
        folded = fold(question[:MAX_QUESTION_LENGTH]).split()
        words, owner = [], []
        for i, word in enumerate(folded):
            for token in fold(anyascii(word)).split():
                words.append(token)
                owner.append(i)
        q = Question(question, words, owner, folded, cyrillic=bool(re.search("[а-яё]", question.lower())))
        q.near = [self._near(w, q.cyrillic) for w in words]
        return q

    def _near(self, word: str, cyrillic: bool) -> dict[str, int]:
        vocabulary = self.catalog.vocabulary
        found = vocabulary.near(word)
        if word in NUMERALS:  # "Part 2" is "Part II"
            found = {**found, NUMERALS[word]: 0}
        if not found and cyrillic:  # Russian case endings: Сталкера, Соляриса, Тарковским
            for ending in RUSSIAN_ENDINGS:
                if word.endswith(ending) and len(word) - len(ending) >= 4:
                    found = vocabulary.near(word[: -len(ending)])
                    if found:
                        break
        return found

    def _titles(self, q: Question, *, in_question: bool = True) -> list[Mention[str]]:
        """Titles named in `q`: a question, or (not `in_question`) a title field such as /film's."""
        found = self.catalog.titles.find(q.words, q.near)
        return best_disjoint([m for m in found if self._credible(q, m, in_question)])

    def _curated(self, m: Mention[str]) -> bool:
        return any(self.catalog.films[f].curated for f in m.payloads)

    def _credible(self, q: Question, m: Mention[str], in_question: bool) -> bool:
        """Short or all-common titles ("M", "Ran", "The") count only when written as a title.

        A title known only from the catalogue must be spelled exactly, and in a question written
        as a title: thousands of them are everyday words ("Creature", "Play", "The Killer") or one
        typo away from one ("Court" for Count)."""
        if not self._curated(m) and (m.typos or (in_question and not self._written_as_title(q, m))):
            return False
        fragile = all(w in COMMON for w in m.phrase) or (len(m.phrase) == 1 and len(m.phrase[0]) <= 3)
        if not fragile:
            return True
        titles = {self.catalog.films[f].title for f in m.payloads}
        return m.typos == 0 and any(re.search(rf"(?<![\w']){re.escape(t)}(?![\w'])", q.raw) for t in titles)

    @staticmethod
    def _written_as_title(q: Question, m: Mention[str]) -> bool:
        """Whether a catalogue title in a question reads as the title: capitalized unless it has
        two uncommon words, not a noun after "the", not the start of a longer capitalized title."""
        uncommon = [w for w in m.phrase if w not in COMMON]
        if not (len(uncommon) >= 2 or q.capitalized((m.start, m.end))):
            return False
        if len(uncommon) < 2 and m.start > 0 and q.words[m.start - 1] in ARTICLES:
            return False  # "the Room", "the Writer": a noun, not the film "Room"
        # "Nothing At All Whatsoever" names a longer title than "Nothing".
        return not (
            m.end < len(q.words) and not YEAR.match(q.words[m.end]) and q.capitalized((m.end, m.end + 1))
        )

    def _credible_name(self, q: Question, m: Mention[int]) -> bool:
        """A surname alone ("Lang", "Ford", "Lean") is also an English word: it must be written exactly,
        and when short, with its capital."""
        if len(m.phrase) > 1:
            return True
        word = m.phrase[0]
        return m.typos == 0 and (len(word) >= 6 or q.capitalized((m.start, m.end)) or q.owner[m.start] == 0)

    # -- answering ---------------------------------------------------------------------------

    def answer(self, question: str) -> Answer:
        q = self.parse(question)
        if not q.words:
            return Answer(False, "Ask me about a film, for example: who directed Stalker?")
        titles = self._titles(q)
        people = best_disjoint(
            [m for m in self.catalog.people.find(q.words, q.near) if self._credible_name(q, m)]
        )
        named: list[Mention[Any]] | None = None  # looked up only when needed: answering is a hot path
        if not all(self._curated(t) for t in titles):
            # A curated character or source work named in full is not a catalogue film of that title
            # ("which film is based on King Lear?" is not about King Lear (1987)).
            named = self._named_in_full(q)
            titles = [
                t
                for t in titles
                if self._curated(t)
                or not any(o.typos == 0 and o.start <= t.start and t.end <= o.end for o in named)
            ]
        # "Gaudi Afternoon (2001)": the year of a title is not the film "2001".
        titles = [
            t
            for t in titles
            if not (len(t.phrase) == 1 and YEAR.match(t.phrase[0]) and any(o.end == t.start for o in titles))
        ]
        if titles:
            title = max(titles, key=lambda m: (self._curated(m), m.strength, m.start))
            people = [
                p for p in people if p.end <= title.start or p.start >= title.end or p.size > title.size
            ]
            if all(p.end <= title.start or p.start >= title.end for p in people):
                return self._about_film(q, title, people)
        # A character or a source work named in full beats a person matched by one word of it
        # ("Norman Bates" is not Michael Bates; "King Lear" is not Stephen King).
        others = self._named_in_full(q) if named is None else named
        playing = {Intent.CAST, Intent.CHARACTER} & set(intents_of(" ".join(q.folded)))
        if people and not any(o.strength > people[0].strength - bool(playing) for o in others):
            return self._about_people(q, people)
        return self._without_names(q)

    def _named_in_full(self, q: Question) -> list[Mention[Any]]:
        """Characters and source works of the curated films that the question names."""
        return [*self._characters(q), *best_disjoint(self.catalog.works.find(q.words, q.near))]

    def _characters(self, q: Question) -> list[Mention[tuple[str, int]]]:
        return best_disjoint(self.catalog.characters.find(q.words, q.near))

    def _about_film(self, q: Question, title: Mention[str], people: list[Mention[int]]) -> Answer:
        candidates = sorted((self.catalog.films[f] for f in title.payloads), key=lambda f: -f.prominence)
        after = q.words[title.end] if title.end < len(q.words) else ""
        if SEQUEL.match(after) and not YEAR.match(after):
            named = " ".join(q.folded[q.owner[title.start] : q.owner[title.end] + 1])
            return self._unknown_film(q, f"I don't know a film called {named!r}.", candidates[0])
        ref = self._pick_by_year(q, title, candidates)
        if ref is None:
            known = _join([c.label for c in candidates])
            return Answer(False, f"I only know {known}, not one from {self._adjacent_year(q, title)}.")
        film = self.catalog.film(ref.id)
        spans = [(title.start, title.end), *((p.start, p.end) for p in people)]
        person_ids = {pid for p in people for pid in p.payloads}
        answer = self._film_answer(q, film, ref, person_ids, spans, title)
        others = [c for c in candidates if c.id != ref.id]
        if others and answer.answered and not any(str(c.year) in q.words for c in candidates):
            also = _join([o.label for o in others])
            answer = Answer(True, f"{answer.text} (There is also {also}.)", answer.film, answer.source)
        return answer

    def _pick_by_year(self, q: Question, title: Mention[str], candidates: list[FilmRef]) -> FilmRef | None:
        for year in q.years():
            for candidate in candidates:
                if candidate.year == year:
                    return candidate
        if self._adjacent_year(q, title) is not None:
            return None  # "Solaris 1985": a year given with the title, and no such film
        return candidates[0]

    def _adjacent_year(self, q: Question, title: Mention[str]) -> int | None:
        for i in (title.start - 1, title.end):
            if 0 <= i < len(q.words) and YEAR.match(q.words[i]):
                return int(q.words[i])
        return None

    def _film_answer(
        self,
        q: Question,
        film: Film,
        ref: FilmRef,
        person_ids: set[int],
        spans: list[tuple[int, int]],
        title: Mention[str],
    ) -> Answer:
        names = {self.catalog.person_names[p] for p in person_ids}
        character, where = self._character_in(q, film, (title.start, title.end))
        # A character written as a name ("the Writer") is not the question word "writer".
        named_character = where is not None and q.capitalized(where)
        intents = intents_of(q.text_without(spans + ([where] if named_character and where else [])))
        # "When did Tarkovsky direct Stalker?": the director is given, so the year is asked.
        given = [
            i
            for i in intents
            if names and self._people_for(film, i) and set(self._people_for(film, i)) <= names
        ]
        intents = [i for i in intents if i not in given] or intents
        playing = {Intent.CAST, Intent.CHARACTER} & set(intents)
        if character is not None and playing and not names:
            text = f"In {film.label}, {character.actor} plays the role of {character.character}."
            return self._reply(text, ref, film, "cast")
        for intent in intents:
            if intent is Intent.RECEPTION:
                return self._free_text(q, film, ref, spans)
            if intent in playing and names:
                credit = next((c for c in film.cast if c.actor in names), None)
                if credit is not None and credit.character:
                    text = f"In {film.label}, {credit.actor} plays the role of {credit.character}."
                    return self._reply(text, ref, film, "cast")
                if credit is not None:
                    return self._reply(f"{credit.actor} is in the cast of {film.label}.", ref, film, "cast")
            if intent in playing and ASKS_FOR_ROLE.search(q.text_without(spans)):
                return Answer(False, f"I don't know who played that in {film.label}.", ref)
            answer = self._field(film, ref, intent)
            if answer is not None:
                return answer
        if intents:  # the field is not in the store: perhaps a fact says it
            return self._free_text(q, film, ref, spans)
        credited = [c for c in film.cast if c.actor in names]
        if credited:  # "Was Alisa Freindlich in Stalker?"
            roles = _join([f"{c.actor} as {c.character}" if c.character else c.actor for c in credited])
            return self._reply(f"Yes: {film.label} stars {roles}.", ref, film, "cast")
        return self._free_text(q, film, ref, spans)

    def _people_for(self, film: Film, intent: Intent) -> list[str]:
        return {
            Intent.DIRECTOR: list(film.directors),
            Intent.WRITERS: list(film.writers),
            Intent.COMPOSER: list(film.composers),
            Intent.CINEMATOGRAPHER: list(film.cinematographers),
        }.get(intent, [])

    def _character_in(
        self, q: Question, film: Film, title: tuple[int, int]
    ) -> tuple[Credit | None, tuple[int, int] | None]:
        """The cast credit whose character the question names outside the film's title, and where.

        A whole name ("Stalker's Wife") beats one word of it ("the wife", "Rick" for Rick Blaine)."""
        best: tuple[int, Credit, tuple[int, int]] | None = None
        for credit in film.cast:
            if not credit.character:
                continue
            name = fold(anyascii(credit.character)).split()
            parts = [[w] for w in name if len(w) >= 3 and w not in COMMON] if len(name) > 1 else []
            for wanted, weight in [(name, 2 * len(name)), *((part, 1) for part in parts)]:
                for start in range(len(q.words) - len(wanted) + 1):
                    end = start + len(wanted)
                    if title[0] <= start and end <= title[1]:
                        continue  # the film's own title is not a character mention
                    named = all(
                        w == q.words[start + k] or w in q.near[start + k] for k, w in enumerate(wanted)
                    )
                    if named and (best is None or weight > best[0]):
                        best = (weight, credit, (start, end))
        return (best[1], best[2]) if best else (None, None)

    def _field(self, film: Film, ref: FilmRef, intent: Intent) -> Answer | None:
        label = film.label
        if intent is Intent.DIRECTOR and film.directors:
            return self._reply(f"{label} was directed by {_join(film.directors)}.", ref, film, "directors")
        if intent is Intent.RELEASE:
            if film.release_date:
                date = dt.date.fromisoformat(film.release_date)
                text = f"{film.title} was first released on {date.day} {date:%B %Y}."
                return self._reply(text, ref, film, "release_date")
            return self._reply(f"{film.title} was released in {film.year}.", ref, film, "year")
        if intent is Intent.WRITERS and film.writers:
            return self._reply(f"{label} was written by {_join(film.writers)}.", ref, film, "writers")
        if intent in (Intent.BASED_ON, Intent.BASED_ON_AUTHOR) and film.based_on:
            b = film.based_on
            what = " ".join(x for x in (str(b.year) if b.year else "", b.kind or "work") if x)
            by = f" by {_join(b.authors)}" if b.authors else ""
            return self._reply(f"{label} is based on {b.title}, a {what}{by}.", ref, film, "based_on")
        if intent is Intent.CAST and film.cast:
            people = [f"{c.actor} ({c.character})" if c.character else c.actor for c in film.cast]
            return self._reply(f"{label} stars {_join(people)}.", ref, film, "cast")
        if intent is Intent.COMPOSER and film.composers:
            text = f"The music of {label} is by {_join(film.composers)}."
            music = next((f for f in film.facts if {"music", "score"} & set(f.topics)), None)
            if music is not None:
                return Answer(
                    True, f"{text} {music.text}", ref, _sources(film.source_of("composers"), music.source)
                )
            return self._reply(text, ref, film, "composers")
        if intent is Intent.CINEMATOGRAPHER and film.cinematographers:
            text = f"The cinematography of {label} is by {_join(film.cinematographers)}."
            change = next((f for f in film.facts if "cinematographer" in f.topics), None)
            if change is not None:  # e.g. a change of cinematographer during the shoot
                return Answer(
                    True,
                    f"{text} {change.text}",
                    ref,
                    _sources(film.source_of("cinematographers"), change.source),
                )
            return self._reply(text, ref, film, "cinematographers")
        if intent is Intent.BUDGET and film.budget:
            return self._reply(f"The budget of {label} was {film.budget}.", ref, film, "budget")
        if intent is Intent.BOX_OFFICE and film.box_office:
            return self._reply(f"At the box office, {label}: {film.box_office}.", ref, film, "box_office")
        if intent is Intent.COUNTRY and film.countries:
            countries = [f"the {c}" if THE_COUNTRY.search(c) else c for c in film.countries]
            return self._reply(f"{label} was made in {_join(countries)}.", ref, film, "countries")
        if intent is Intent.LANGUAGE and film.languages:
            return self._reply(f"{label} is in {_join(film.languages)}.", ref, film, "languages")
        if intent is Intent.RUNTIME and film.runtime:
            return self._reply(f"{label} runs {film.runtime} minutes.", ref, film, "runtime")
        if intent is Intent.GENRE and film.genres:
            return self._reply(f"{label} is a {' / '.join(film.genres)} film.", ref, film, "genres")
        if intent is Intent.STUDIO and film.studios:
            return self._reply(f"{label} was produced by {_join(film.studios)}.", ref, film, "studios")
        if intent is Intent.SYNOPSIS and film.synopsis:  # the catalogue's films have none
            return self._reply(f"{label}: {film.synopsis}", ref, film, "synopsis")
        return None

    def _reply(self, text: str, ref: FilmRef, film: Film, key: str) -> Answer:
        return Answer(True, text, ref, film.source_of(key))

    def _free_text(self, q: Question, film: Film, ref: FilmRef, spans: list[tuple[int, int]]) -> Answer:
        """Answer from the film's facts: the best one or two that share enough words with the question."""
        words = q.content_words(spans)
        if words:
            hits = [
                h for h in self.catalog.search_facts(words, film.id) if 3 * _matched(words, h) >= len(words)
            ]
            if hits:
                best = max(_matched(words, h) for h in hits)
                chosen = [h for h in hits if _matched(words, h) == best][:2]
                sources = [h.source if h.kind == "fact" else film.source_of("synopsis") for h in chosen]
                return Answer(True, " ".join(h.text for h in chosen), ref, _sources(*sources))
            return Answer(False, f"I don't know that about {film.label}.", ref)
        director = f", directed by {_join(film.directors)}" if film.directors else ""
        genres = f"a {' / '.join(film.genres)} film" if film.genres else "a film"
        return self._reply(f"{film.title} is {genres} from {film.year}{director}.", ref, film, "directors")

    # -- people, characters, works, free text --------------------------------------------------

    def _about_people(self, q: Question, people: list[Mention[int]]) -> Answer:
        spans = [(p.start, p.end) for p in people]
        intents = intents_of(q.text_without(spans))
        roles = [ROLES[i] for i in intents if i in ROLES]
        if not roles and MADE.search(q.text_without(spans)):  # "what film did Tarkovsky make in 1979?"
            roles = ["director"]
        person_id = people[0].payloads[0]
        name = self.catalog.person_names[person_id]
        credits = self.catalog.credits_of(person_id)
        if not roles:
            hit = self._search(q, spans, strict=False, films={c.film_id for c in credits})
            if hit is not None:
                return hit
            if intents or q.content_words(spans):  # "when was Tarkovsky born?": not in the store
                return Answer(False, f"I don't know that about {name}; I know the films of the store.")
        wanted = roles[:1] or sorted({c.role for c in credits}, key=list(ROLE_VERBS).index)
        years = q.years()
        parts, first = [], None
        for role in wanted:
            films = sorted(
                {c.film_id for c in credits if c.role == role}, key=lambda f: self.catalog.films[f].year
            )
            if years:
                films = [f for f in films if self.catalog.films[f].year in years]
            if films:
                first = self.catalog.films[films[0]] if first is None and len(films) == 1 else first
                parts.append(f"{ROLE_VERBS[role]} {_join([self.catalog.films[f].label for f in films])}")
        if not parts:
            when = f" in {_join([str(y) for y in years])}" if years else ""
            return Answer(False, f"I don't know of such a film by {name}{when}.")
        film = self.catalog.film(first.id) if first else None
        source = film.source_of("directors") if film and len(parts) == 1 and wanted == ["director"] else None
        return Answer(True, f"{name} {'; '.join(parts)}.", first if len(parts) == 1 else None, source)

    def _without_names(self, q: Question) -> Answer:
        work = best_disjoint(self.catalog.works.find(q.words, q.near))
        if work:
            ref = max((self.catalog.films[f] for f in work[0].payloads), key=lambda f: f.prominence)
            film = self.catalog.film(ref.id)
            return self._field(film, ref, Intent.BASED_ON) or Answer(False, "I don't know.")
        folded = " ".join(q.folded)
        characters = self._characters(q)
        if characters and (WHICH_FILM.search(folded) or intents_of(folded)[:1] == [Intent.CAST]):
            film_id, person_id = characters[0].payloads[0]
            film = self.catalog.film(film_id)
            credit = next(c for c in film.cast if c.actor == self.catalog.person_names[person_id])
            text = f"In {film.label}, {credit.actor} plays the role of {credit.character}."
            return self._reply(text, self.catalog.films[film_id], film, "cast")
        structured = [i for i in intents_of(folded) if i is not Intent.SYNOPSIS]
        if not structured:
            hit = self._search(q, [], strict=True)
            if hit is not None:
                return hit
        return self._unknown_film(q, "I don't know which film you mean, so I can't answer that.", None)

    def _search(
        self, q: Question, spans: list[tuple[int, int]], *, strict: bool, films: set[str] | None = None
    ) -> Answer | None:
        """A fact that answers a free-text question naming no film ("what is the Room?").

        Names written with a capital ("the Room") must appear so in the fact; a single common word
        ("who is the president?") is not enough to pick a film."""
        words = q.content_words(spans)
        if not words:
            return None
        proper = [w for w in re.findall(r"\w+", q.raw)[1:] if w[:1].isupper() and fold(w) in words]
        if strict and len(words) == 1 and not proper:
            return None
        needed = 1.0 if strict and len(words) <= 3 else 0.75
        hits = self.catalog.search_facts(words, None, limit=20)
        hits.sort(key=lambda h: -sum(1 for w in proper if re.search(rf"\b{re.escape(w)}\b", h.text)))
        for hit in hits:
            if (films is not None and hit.film_id not in films) or (strict and hit.kind != "fact"):
                continue  # a synopsis says what a named film is about; it answers no general question
            if proper and not all(re.search(rf"\b{re.escape(w)}\b", hit.text) for w in proper[:1]):
                continue
            if _matched(words, hit) >= needed * len(words):
                film = self.catalog.film(hit.film_id)
                source = hit.source if hit.kind == "fact" else film.source_of("synopsis")
                text = f"{film.label}: {hit.text}"  # the question did not name the film: say which
                return Answer(True, text, self.catalog.films[hit.film_id], source)
        return None

    def _unknown_film(self, q: Question, text: str, suggestion: FilmRef | None) -> Answer:
        suggestion = suggestion or self.suggest(q)
        if suggestion is not None:
            text += f" Did you mean {suggestion.label}?"
        return Answer(False, text)

    def find_film(self, text: str) -> FilmRef | None:
        """The film a title names (typos and other scripts allowed), the best known if several."""
        q = self.parse(text)
        titles = self._titles(q, in_question=False)
        if not titles:
            return None
        title = max(titles, key=lambda m: (m.strength, m.start))
        rest = q.words[: title.start] + q.words[title.end :]
        if any(w not in COMMON and not YEAR.match(w) for w in rest):
            return None  # "Stalker Returns" is not Stalker
        candidates = sorted((self.catalog.films[f] for f in title.payloads), key=lambda f: -f.prominence)
        return self._pick_by_year(q, title, candidates)

    def suggest(self, q: Question) -> FilmRef | None:
        """A known film whose title is close to some words of the question."""
        from rapidfuzz import fuzz

        best: tuple[float, FilmRef] | None = None
        content = [w for w in q.words if w not in STOP and len(w) >= 4]
        for word in content:
            for anchor in self.catalog.vocabulary.near(word) or {word: 0}:
                for phrase in self.catalog.titles.anchored(anchor):
                    score = fuzz.partial_ratio(" ".join(phrase), " ".join(q.words))
                    if score >= 80:
                        for film_id in self.catalog.titles.payloads(phrase):
                            ref = self.catalog.films[film_id]
                            if best is None or (score, ref.prominence) > (best[0], best[1].prominence):
                                best = (score, ref)
        return best[1] if best else None


def _sources(*sources: str | None) -> str | None:
    unique = list(dict.fromkeys(s for s in sources if s))
    return "; ".join(unique) or None
