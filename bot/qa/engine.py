"""Answer a question from the fact store, with the source of what was used, or say "I don't know".

The pipeline: make the question plain and find what it names (titles, people, characters, works,
awards: mentions.py), read what it asks (the type of answer and the fields its words ask for:
asked.py), then answer from one field or fact of that film whose type fits and that explains the
whole question (fields.py, search.py), or from many films (discovery.py). A follow-up that names
no film is read against the channel's context. It never answers about a film other than the one
meant; when it cannot answer, it says so.
"""

from __future__ import annotations

import re
from typing import Any

from anyascii import anyascii

from ..facts.loader import fold
from ..facts.model import Credit, Film
from .answer import Answer
from .asked import DEFAULT_FIELD, Asked, Want, read_asked
from .catalog import Catalog, FilmRef
from .context import Context
from .discovery import Discovery, read_filters
from .fields import country_names, field_answer, join, known_fields, reply
from .mentions import Finder
from .phrases import Mention
from .question import MAX_QUESTION_LENGTH, Question, parse
from .search import Candidate, best, haystack, question_words
from .suggest import suggest
from .words import COMMON, YEAR

__all__ = ["MAX_QUESTION_LENGTH", "Answer", "Answerer"]

ROLES = {
    "director": "director",
    "cast": "actor",
    "writers": "writer",
    "composer": "composer",
    "cinematographer": "cinematographer",
    "based_on_author": "author",
}
SEQUEL = re.compile(r"^(\d{1,2}|ii|iii|iv|v|vi|part|chapter|returns|reloaded)$")
# The fields a catalogue film holds, asked of a title written in lower case ("who directed heat").
CATALOGUE_FIELDS = frozenset("director release writers cast runtime genre country language studio".split())
ASKS_FOR_ROLE = re.compile(r"\bwho (played|plays|portrays|portrayed|was|is) (?!in\b)\w+")
WHICH_FILM = re.compile(
    r"\b(which|what) (film|movie|picture)\b|\bfrom\b|\bappear\w*|\bcharacter\b|в каком фильме"
)
LIST_OF_FILMS = re.compile(
    r"\b(films|movies|pictures|filmography|works|credits|career|else|other|others|list|name some)\b"
    r"|\bwhat (did|has|have) \w+ (\w+ )?"
    r"(direct\w*|made|make|written|wrote|write|star\w*|act\w*|compose\w*|shot|shoot)\b"
    r"|фильмы|фильмов|фильмография"
)
LIST_WORDS = frozenset(
    "films movies pictures filmography works work credits career else other others list name show all some "
    "any made make making released came come out from in during decade era years year the s directed "
    "starring starred with by фильмы фильмов фильмография снял".split()
)
OPINION = re.compile(
    r"\b(best|worst|favou?rites?|overrated|underrated|worth|recommend\w*|should i|masterpiece|good|bad|better"
    r"|worse|prefer|opinion|rate|rating|boring|fun|love|like it|think of)\b|лучш|худш|любим|стоит ли"
)
LIKE = re.compile(
    r"\b(films?|movies?|something|anything|more|others?) (like|similar to)\b|\bsimilar (to|films?|movies?)\b"
    r"|\bif i (liked|loved|enjoyed)\b|похож"
)
LONGER = re.compile(r"\b(longer|shorter|long|short|length|runtime|running time)\b|длинн|короч")
OLDER = re.compile(
    r"\b(older|newer|earlier|later|first|before|after|more recent|came out first|oldest|newest)\b"
    r"|раньше|старше"
)
TITLE_CHARACTER = re.compile(r"\b(title|titular|eponymous) (character|role|part)\b|\bplays? the title\b")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "an": 1, "a": 1, "half": 0.5}
YESNO_VALUE = re.compile(
    r"\b(longer|more|over|shorter|less|under)\b( than)? (an?|one|two|three|four|five|\d+(\.\d+)?) ?"
    r"(and a half )?(hours?|hrs?|h|minutes?|mins?)\b"
)


class Answerer:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.find = Finder(catalog)
        self.discover = Discovery(catalog)

    def parse(self, question: str) -> Question:
        return parse(question, self.catalog.vocabulary)

    # -- answering -----------------------------------------------------------------------------------

    def answer(self, question: str, context: Context | None = None) -> Answer:
        """The answer to `question`; `context` is what the channel last talked about."""
        q = self.parse(question)
        if not q.words:
            return Answer(False, "Ask me about a film, for example: who directed Stalker?")
        titles, loose = self.find.titles(q)
        people = self.find.people(q)
        awards = self.find.awards(q)
        if loose or not all(self.find.curated(t) for t in titles):
            # A curated character or source work named in full is not a catalogue film of that title
            # ("which film is based on King Lear?" is not about King Lear (1987)).
            named = self.find.named_in_full(q)

            def inside(t: Mention[str]) -> bool:
                return any(o.typos == 0 and o.start <= t.start and t.end <= o.end for o in named)

            titles = [t for t in titles if self.find.curated(t) or not inside(t)]
            loose = [t for t in loose if not inside(t)]
        titles = [t for t in titles if not any(a.start <= t.start and t.end <= a.end for a in awards)]
        people = [p for p in people if not any(a.start <= p.start and p.end <= a.end for a in awards)]
        if awards and self._asks_award(q, awards, titles):
            return self._award(q, awards, titles)
        if len(titles) >= 2 and (on := self._comparison(q, titles)):
            return on
        if not titles and loose:
            titles = [t for t in loose if self._plain_field_question(q, t, people)][:1]
        if titles:
            title = max(titles, key=lambda m: (self.find.curated(m), m.strength, m.start))
            people = [
                p for p in people if p.end <= title.start or p.start >= title.end or p.size > title.size
            ]
            if all(p.end <= title.start or p.start >= title.end for p in people):
                return self._about_title(q, title, people)
        person_first = people and (
            LIST_OF_FILMS.search(" ".join(q.folded)) or not context or not context.film_id
        )
        if context is not None and context.film_id and not person_first:
            film_people = self._credited(context.film_id, people)
            if not people or film_people:
                ref = self.catalog.films[context.film_id]
                return self._about_film(q, ref, film_people, [(p.start, p.end) for p in film_people], None)
        if not people and context is not None and context.person and q.refers_to_person():
            person_id = self.catalog.person_id(context.person)
            if person_id is not None:
                return self._about_person(q, person_id, [], context)
        # A character or a source work named in full beats a person matched by one word of it
        # ("Norman Bates" is not Michael Bates; "King Lear" is not Stephen King).
        others = self.find.named_in_full(q)
        playing = {"cast"} & {c.field.name for c in read_asked(q, set()).cues}
        if people and not any(o.strength > people[0].strength - bool(playing) for o in others):
            answer = self._about_person(q, people[0].payloads[0], people, context)
            if answer.answered or LIST_OF_FILMS.search(" ".join(q.folded)):
                return answer
            return self._search(q, read_asked(q, set())) or answer
        return self._without_names(q, others)

    # -- a film -----------------------------------------------------------------------------------

    def _about_title(self, q: Question, title: Mention[str], people: list[Mention[int]]) -> Answer:
        candidates = sorted((self.catalog.films[f] for f in title.payloads), key=lambda f: -f.prominence)
        after = q.words[title.end] if title.end < len(q.words) else ""
        if SEQUEL.match(after) and not YEAR.match(after):
            named = " ".join(q.folded[q.owner[title.start] : q.owner[title.end] + 1])
            return self._unknown_film(q, f"I don't know a film called {named!r}.", candidates[0])
        ref = self._pick_by_year(q, title, candidates)
        if ref is None:
            known = join([c.label for c in candidates])
            return Answer(False, f"I only know {known}, not one from {self._adjacent_year(q, title)}.")
        spans = [(p.start, p.end) for p in people]
        answer = self._about_film(q, ref, people, spans, title)
        others = [c for c in candidates if c.id != ref.id]
        if (
            others
            and answer.answered
            and answer.film is not None
            and not any(str(c.year) in q.words for c in candidates)
        ):
            also = join([o.label for o in others[:3]]) + (
                f" and {len(others) - 3} more" if len(others) > 3 else ""
            )
            answer = Answer(
                True, f"{answer.text} (There is also {also}.)", answer.film, answer.source, names=answer.names
            )
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

    def _plain_field_question(self, q: Question, title: Mention[str], people: list[Mention[int]]) -> bool:
        """Whether the words around a lower-case catalogue title ask plainly for one of its fields."""
        covered = q.folded_of([(title.start, title.end), *((p.start, p.end) for p in people)])
        covered |= {i for i, w in enumerate(q.folded) if YEAR.match(w)}
        asked = read_asked(q, covered)
        for cue in asked.cues:
            if cue.field.name in CATALOGUE_FIELDS and asked.fits(cue) and not asked.left(cue):
                return True
        return not asked.cues and not asked.content and asked.want in DEFAULT_FIELD

    def _about_film(
        self,
        q: Question,
        ref: FilmRef,
        people: list[Mention[int]],
        spans: list[tuple[int, int]],
        title: Mention[str] | None,
    ) -> Answer:
        film = self.catalog.film(ref.id)
        title_span = (title.start, title.end) if title else (0, 0)
        character, where = self._character_in(q, film, title_span)
        if where is not None:  # "who played Andrei Rublev in Andrei Rublev": the character, not the painter
            people = [p for p in people if p.end <= where[0] or p.start >= where[1]]
            spans = [(p.start, p.end) for p in people]
        names = {self.catalog.person_names[pid] for p in people for pid in p.payloads}
        covered = q.folded_of([title_span, *spans] if title else spans)
        bare = read_asked(q, covered)
        # A character written as a name ("the Writer"), or asked about as one ("who plays the
        # writer", "what does the writer want"), is not the question word "writer".
        if where is not None and (q.capitalized(where) or bare.want is not Want.PERSON or self._plays(bare)):
            covered |= q.folded_of([where])
        elif TITLE_CHARACTER.search(" ".join(q.folded)):
            character = self._title_character(film)
            where = None
            covered |= {
                i
                for i, w in enumerate(q.folded)
                if w in ("title", "titular", "eponymous", "character", "role", "part")
            }
        else:
            character = None
        asked = read_asked(q, covered)
        if asked.want is Want.YESNO and (yes_no := self._yes_no(q, film, ref, asked, names)) is not None:
            return yes_no
        # "When did Tarkovsky direct Stalker?": the director is given, so the year is asked.
        given: set[int] = set()
        cues = []
        for cue in asked.cues:
            holders = self._people_for(film, cue.field.name)
            if names and holders and names <= set(holders) and len(asked.cues) > 1:
                given |= cue.words
            else:
                cues.append(cue)
        playing = [c for c in cues if c.field.name == "cast" and asked.fits(c)]
        if (
            character is not None
            and voiced(q, character)
            and (playing or asked.want is Want.PERSON)
            and not names
            and not asked.left(playing[0] if playing else None, given | asked.want_words)
        ):
            return self._plays_role(ref, film, character)
        if names and playing:
            credit = next((c for c in film.cast if c.actor in names), None)
            if credit is not None and voiced(q, credit) and not asked.left(playing[0], given):
                return self._plays_role(ref, film, credit)
        if playing and ASKS_FOR_ROLE.search(asked_text(asked, covered)) and character is None and not names:
            left = asked.left(playing[0], given)
            if left:
                return Answer(False, f"I don't know who played that in {film.label}.", ref)
        for cue in cues:
            if not asked.fits(cue) or asked.left(cue, given) or (cue.field.name == "cast" and character):
                continue  # a character's actor is not the whole cast
            found = field_answer(film, ref, cue.field.name)
            if found is not None:
                return found
        if not asked.content or set(asked.content) <= given:
            default = DEFAULT_FIELD.get(asked.want)
            if default is not None and not cues:
                found = field_answer(film, ref, default)
                if found is not None:
                    return found
        if any(c.field.name == "synopsis" and asked.fits(c) and not asked.left(c, given) for c in cues):
            # "what is it about?" of a catalogue film, which has no synopsis: what it is, and no more
            return Answer(
                False, f"{self._summary(film)} I don't know its story: the store has no synopsis of it.", ref
            )
        # What the fields do not say, a fact may.
        words = question_words(q.folded, [i for i in asked.content if i not in given])
        if character is not None:
            words += [w for w in fold(anyascii(character.character or "")).split() if w not in COMMON]
        if words:
            hits = best(words, asked.want, self._candidates(film, asked.want))
            if hits:
                return Answer(True, " ".join(h.text for h in hits), ref, _sources(*(h.source for h in hits)))
            return self._dont_know(q, film, ref, asked)
        if names and not asked.cues:
            credited = [c for c in film.cast if c.actor in names]
            if credited:  # "Was Alisa Freindlich in Stalker?"
                roles = join([f"{c.actor} as {c.character}" if c.character else c.actor for c in credited])
                return reply(f"Yes: {film.label} stars {roles}.", ref, film, "cast")
        if asked.cues or asked.want not in (Want.ANY, Want.WHAT):
            return self._dont_know(q, film, ref, asked)
        return reply(self._summary(film), ref, film, "directors", film.directors)

    @staticmethod
    def _summary(film: Film) -> str:
        director = f", directed by {join(film.directors)}" if film.directors else ""
        genres = f"a {' / '.join(g.lower() for g in film.genres)} film" if film.genres else "a film"
        return f"{film.title} is {genres} from {film.year}{director}."

    @staticmethod
    def _plays(asked: Asked) -> bool:
        return any(c.field.name == "cast" for c in asked.cues)

    def _plays_role(self, ref: FilmRef, film: Film, credit: Credit) -> Answer:
        if credit.character:
            text = f"In {film.label}, {credit.actor} plays the role of {credit.character}."
        else:
            text = f"{credit.actor} is in the cast of {film.label}."
        return reply(text, ref, film, "cast", (credit.actor,))

    def _candidates(self, film: Film, want: Want) -> list[Candidate]:
        found = [
            Candidate(
                film.id, f.text, f.source, haystack(f.text, f.topics, f.about, f.people), frozenset(f.answers)
            )
            for f in film.facts
        ]
        if film.synopsis and want in (Want.WHAT, Want.ANY):
            found.append(
                Candidate(
                    film.id,
                    film.synopsis,
                    film.source_of("synopsis"),
                    haystack(film.synopsis),
                    frozenset(),
                    "synopsis",
                )
            )
        return found

    def _dont_know(self, q: Question, film: Film, ref: FilmRef, asked: Asked) -> Answer:
        known = known_fields(film)
        what = f" I know its {join(known)}: try /film {film.title}." if known else ""
        return Answer(False, f"I don't know that about {film.label}.{what}", ref)

    def _yes_no(self, q: Question, film: Film, ref: FilmRef, asked: Asked, names: set[str]) -> Answer | None:
        """ "Is it longer than two hours?", "did Kubrick direct it?", "is it a western?"."""
        text = " ".join(q.folded)
        if (m := YESNO_VALUE.search(text)) and film.runtime:
            amount = NUMBER_WORDS.get(m[3]) or float(m[3]) if m[3] not in NUMBER_WORDS else NUMBER_WORDS[m[3]]
            minutes = (amount + (0.5 if m[5] else 0)) * (60 if m[6].startswith("h") else 1)
            longer = m[1] in ("longer", "more", "over")
            yes = film.runtime > minutes if longer else film.runtime < minutes
            text = f"{'Yes' if yes else 'No'}: {film.label} runs {film.runtime} minutes."
            return reply(text, ref, film, "runtime")
        for cue in asked.cues:
            holders = self._people_for(film, cue.field.name)
            if names and holders and not asked.left(cue):
                named = sorted(names)
                yes = set(named) <= set(holders)
                verb = {
                    "director": "directed",
                    "writers": "written",
                    "composer": "scored",
                    "cinematographer": "photographed",
                }.get(cue.field.name, "made")
                text = f"{'Yes' if yes else 'No'}: {film.label} was {verb} by {join(holders)}."
                return reply(text, ref, film, cue.field.key, tuple(holders))
        left = asked.left(None)
        tags = read_filters(self.catalog, q.folded, set(range(len(q.folded))) - set(left), [], [], "")
        if tags.tags and not (set(left) - tags.words):
            for kind, values in tags.tags.items():
                have = {
                    fold(anyascii(v))
                    for v in getattr(film, {"genre": "genres", "country": "countries"}[kind])
                }
                if have:
                    key = "genres" if kind == "genre" else "countries"
                    yes = bool(have & values)
                    shown = (
                        " / ".join(g.lower() for g in film.genres) + " film"
                        if kind == "genre"
                        else "film from " + join(country_names(film.countries))
                    )
                    return reply(f"{'Yes' if yes else 'No'}: {film.label} is a {shown}.", ref, film, key)
        return None

    def _people_for(self, film: Film, field: str) -> list[str]:
        return {
            "director": list(film.directors),
            "writers": list(film.writers),
            "composer": list(film.composers),
            "cinematographer": list(film.cinematographers),
        }.get(field, [])

    def _credited(self, film_id: str, people: list[Mention[int]]) -> list[Mention[int]]:
        film = self.catalog.film(film_id)
        credited = {c.actor for c in film.cast} | set(film.directors) | set(film.writers)
        credited |= set(film.composers) | set(film.cinematographers)
        return [p for p in people if self.catalog.person_names[p.payloads[0]] in credited]

    def _character_in(
        self, q: Question, film: Film, title: tuple[int, int]
    ) -> tuple[Credit | None, tuple[int, int] | None]:
        """The cast credit whose character the question names outside the film's title, and where.

        A whole name ("Stalker's Wife") beats one word of it ("the wife", "Rick" for Rick Blaine)."""
        best_found: tuple[int, Credit, tuple[int, int]] | None = None
        for credit in film.cast:
            if not credit.character:
                continue
            name = fold(anyascii(re.sub(r"\s*\(.*?\)", "", credit.character))).split()
            parts = [[w] for w in name if len(w) >= 3 and w not in COMMON] if len(name) > 1 else []
            for wanted, weight in [(name, 2 * len(name)), *((part, 1) for part in parts)]:
                for start in range(len(q.words) - len(wanted) + 1):
                    end = start + len(wanted)
                    if title[0] <= start and end <= title[1] and title != (0, 0):
                        continue  # the film's own title is not a character mention
                    named = all(
                        w == q.words[start + k] or w in q.near[start + k] for k, w in enumerate(wanted)
                    )
                    if named and (best_found is None or weight > best_found[0]):
                        best_found = (weight, credit, (start, end))
        return (best_found[1], best_found[2]) if best_found else (None, None)

    def _title_character(self, film: Film) -> Credit | None:
        """The character the title names: the Stalker of Stalker, Kane of Citizen Kane."""
        title = {w for w in fold(anyascii(film.title)).split() if w not in COMMON}
        for credit in film.cast:
            words = set(fold(anyascii(credit.character or "")).split())
            if title & words:
                return credit
        return None

    # -- people ---------------------------------------------------------------------------------------

    def _about_person(
        self, q: Question, person_id: int, people: list[Mention[int]], context: Context | None
    ) -> Answer:
        name = self.catalog.person_names[person_id]
        covered = q.folded_of([(p.start, p.end) for p in people])
        asked = read_asked(q, covered)
        text = asked_text(asked, covered)
        if OPINION.search(text):
            return Answer(
                False, f"I don't rank films or give opinions; ask me what {name} made.", person=name
            )
        roles = [ROLES[c.field.name] for c in asked.cues if c.field.name in ROLES]
        explained = {i for c in asked.cues if c.field.name in ROLES for i in c.words}
        if not roles and re.search(r"\b(make|made|makes|making|by)\b|снял|снимал", text):
            roles = ["director"]  # "what film did Tarkovsky make in 1979?", "films by Kubrick"
        filters = read_filters(self.catalog, q.folded, covered, q.years(), q.decades(), text)
        co_star = next((p.payloads[0] for p in people[1:] if p.payloads[0] != person_id), None)
        leftover = [
            i
            for i in asked.content
            if i not in explained and i not in filters.words and q.folded[i] not in LIST_WORDS
        ]
        exclude = context.film_id if context and re.search(r"\b(else|other|others)\b", text) else None
        if leftover or (
            not roles and asked.want not in (Want.ANY, Want.WHAT) and not LIST_OF_FILMS.search(text)
        ):
            words = question_words(q.folded, leftover or asked.content)
            hits = [
                Candidate(
                    h.film_id, h.text, h.source, haystack(h.text, h.topics), frozenset(h.answers.split(","))
                )
                for h in self.catalog.facts_naming(person_id)
            ]
            found = best(words, asked.want, hits) if words else []
            if found:
                ref = self.catalog.films[found[0].film_id]
                return Answer(True, f"{ref.label}: {found[0].text}", ref, found[0].source, names=(name,))
            if leftover or asked.content or asked.want not in (Want.ANY, Want.WHAT):
                return Answer(
                    False, f"I don't know that about {name}; I know the films of the store.", person=name
                )
        return self.discover.person_films(person_id, roles[:1], filters, with_person=co_star, exclude=exclude)

    # -- no film or person named -------------------------------------------------------------------------

    def _without_names(self, q: Question, others: list[Mention[Any]]) -> Answer:
        folded = " ".join(q.folded)
        work = self.find.works(q)
        asked = read_asked(q, set())
        if work:
            ref = max((self.catalog.films[f] for f in work[0].payloads), key=lambda f: f.prominence)
            film = self.catalog.film(ref.id)
            return field_answer(film, ref, "based_on") or Answer(False, "I don't know.")
        characters = self.find.characters(q)
        if characters and (WHICH_FILM.search(folded) or [c.field.name for c in asked.cues][:1] == ["cast"]):
            covered = q.folded_of([(characters[0].start, characters[0].end)])
            inner = read_asked(q, covered)
            playing = next((c for c in inner.cues if c.field.name == "cast"), None)
            film_id, person_id = characters[0].payloads[0]
            film = self.catalog.film(film_id)
            credit = next(c for c in film.cast if c.actor == self.catalog.person_names[person_id])
            if voiced(q, credit) and (not inner.left(playing, inner.want_words) or WHICH_FILM.search(folded)):
                return self._plays_role(self.catalog.films[film_id], film, credit)
        lists = self._film_list(q, asked)
        if lists is not None:
            return lists
        hit = self._search(q, asked)
        if hit is not None:
            return hit
        return self._unknown_film(q, "I don't know which film you mean, so I can't answer that.", None)

    def _film_list(self, q: Question, asked: Asked) -> Answer | None:
        """ "films from 1979", "japanese films of the 50s", "westerns"."""
        text = " ".join(q.folded)
        filters = read_filters(self.catalog, q.folded, set(), q.years(), q.decades(), text)
        if not (filters.years or filters.tags):
            return None
        if OPINION.search(text):
            return Answer(
                False, "I don't rank films or give opinions; ask me for films of a year, genre or country."
            )
        listing = re.search(
            r"\b(films|movies|pictures|list|any|some|name|show|what came out|released)\b", text
        ) or (filters.tags and "genre" in filters.tags and not asked.cues)
        left = [i for i in asked.content if i not in filters.words and q.folded[i] not in LIST_WORDS]
        if not listing or left:
            return None
        return self.discover.films_of(filters)

    def _search(self, q: Question, asked: Asked) -> Answer | None:
        """A fact that answers a free-text question naming no film ("what is the Room?").

        Names written with a capital ("the Room") must appear so in the fact; a single common word
        ("who is the president?") is not enough to pick a film."""
        words = question_words(q.folded, asked.content)
        if not words:
            return None
        proper = [w for w in re.findall(r"\w+", q.raw)[1:] if w[:1].isupper() and fold(w) in words]
        if len(words) == 1 and not proper:
            return None
        hits = self.catalog.search_facts(words, None, limit=20)
        if proper:
            hits = [h for h in hits if re.search(rf"\b{re.escape(proper[0])}\b", h.text)]
        # A synopsis answers a question naming no film only when no fact does, and only about a name
        # it contains ("what does Kane whisper when he dies?").
        for kind in ("fact", "synopsis") if proper else ("fact",):
            candidates = [
                Candidate(
                    h.film_id, h.text, h.source, haystack(h.text, h.topics), frozenset(h.answers.split(","))
                )
                for h in hits
                if h.kind == kind
            ]
            found = best(words, asked.want, candidates, most=5)
            if len({c.film_id for c in found}) > 1:
                return None  # facts of several films: not enough to say which is meant
            if found:
                hit = found[0]
                ref = self.catalog.films[hit.film_id]
                source = hit.source or self.catalog.film(ref.id).source_of("synopsis")
                return Answer(
                    True, f"{ref.label}: {hit.text}", ref, source
                )  # the film was not named: say which
        return None

    # -- awards and comparisons ------------------------------------------------------------------------

    def _asks_award(self, q: Question, awards: list[Mention[str]], titles: list[Mention[str]]) -> bool:
        return not titles or (
            bool(q.years())
            and all(t.start >= a.end or t.end <= a.start for t in titles for a in awards)
            and not self._title_has_year(q, titles)
        )

    def _title_has_year(self, q: Question, titles: list[Mention[str]]) -> bool:
        return any(self._adjacent_year(q, t) is not None for t in titles)

    def _award(self, q: Question, awards: list[Mention[str]], titles: list[Mention[str]]) -> Answer:
        payloads = [p for a in awards for p in a.payloads]
        if titles:
            title = titles[0]
            ref = self._pick_by_year(
                q, title, sorted((self.catalog.films[f] for f in title.payloads), key=lambda f: -f.prominence)
            )
            if ref is None:
                return Answer(False, "I don't know that film.")
            answer = self.discover.award(payloads, [], {ref.id})
            return (
                answer
                if answer.answered
                else Answer(False, f"The store records no such award for {ref.label}.", ref)
            )
        return self.discover.award(payloads, q.years())

    def _comparison(self, q: Question, titles: list[Mention[str]]) -> Answer | None:
        a, b = sorted(titles[:2], key=lambda m: m.start)
        text = " ".join(q.folded)
        on = (
            "runtime"
            if LONGER.search(text)
            else "newer"
            if re.search(r"\b(newer|later|more recent|newest)\b", text)
            else "older"
            if OLDER.search(text)
            else None
        )
        if on is None:
            return None
        ra = self._pick_by_year(
            q, a, sorted((self.catalog.films[f] for f in a.payloads), key=lambda f: -f.prominence)
        )
        rb = self._pick_by_year(
            q, b, sorted((self.catalog.films[f] for f in b.payloads), key=lambda f: -f.prominence)
        )
        if ra is None or rb is None or ra.id == rb.id:
            return None
        return self.discover.compare(ra, rb, on)

    def _unknown_film(self, q: Question, text: str, suggestion: FilmRef | None) -> Answer:
        suggestion = suggestion or suggest(self.catalog, q)
        if suggestion is not None:
            text += f" Did you mean {suggestion.label}?"
        return Answer(False, text)

    # -- titles in title fields ---------------------------------------------------------------------------

    def find_film(self, text: str) -> FilmRef | None:
        """The film a title names (typos and other scripts allowed), the best known if several."""
        q = self.parse(text)
        titles, _ = self.find.titles(q, in_question=False)
        if not titles:
            return None
        title = max(titles, key=lambda m: (m.strength, m.start))
        rest = q.words[: title.start] + q.words[title.end :]
        if any(w not in COMMON and not YEAR.match(w) for w in rest):
            return None  # "Stalker Returns" is not Stalker
        candidates = sorted((self.catalog.films[f] for f in title.payloads), key=lambda f: -f.prominence)
        return self._pick_by_year(q, title, candidates)


VOICE = re.compile(r"\b(voice|voiced|voices|voicing)\b")


def voiced(q: Question, credit: Credit) -> bool:
    """A credit answers "who voiced X" only when it is a voice credit; "who played X" any credit."""
    return not VOICE.search(" ".join(q.folded)) or "voice" in (credit.character or "").lower()


def asked_text(asked: Asked, covered: set[int]) -> str:
    return " ".join(w for i, w in enumerate(asked.corrected) if i not in covered)


def _sources(*found: str | None) -> str | None:
    unique = list(dict.fromkeys(s for s in found if s))
    return "; ".join(unique) or None
