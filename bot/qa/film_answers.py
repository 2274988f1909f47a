"""Answers about one film: its fields, the characters and who plays them, yes/no questions, its
facts, and what the store does not know of it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Set

from anyascii import anyascii

from ..facts.model import Credit, Film
from ..text import fold
from .answer import Answer
from .asked import DEFAULT_FIELD, FIELD_BY_NAME, Asked, Want, read_asked
from .catalog import Catalog, FilmRef
from .context import Context
from .discovery import Discovery, read_filters
from .fields import clip, country_names, field_answer, join, known_fields, reply, sources
from .mentions import Finder
from .phrases import Mention
from .question import Question
from .search import WEAK, Candidate, best, denies, haystack, question_words
from .suggest import unknown_film
from .words import COMMON, YEAR

SEQUEL = re.compile(r"^(\d{1,2}|ii|iii|iv|v|vi|part|chapter|returns|reloaded)$")
TITLE_CHARACTER = re.compile(r"\b(title|titular|eponymous) (character|role|part)\b|\bplays? the title\b")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "an": 1, "a": 1, "half": 0.5}
YESNO_VALUE = re.compile(
    r"\b(longer|more|over|shorter|less|under)\b( than)? (an?|one|two|three|four|five|\d+(\.\d+)?) ?"
    r"(and a half )?(hours?|hrs?|h|minutes?|mins?)\b"
)
ROLE_OF_FIELD = {
    "director": "director",
    "writers": "writer",
    "composer": "composer",
    "cinematographer": "cinematographer",
}
TAG_FIELDS = {"genre": "genres", "country": "countries", "language": "languages"}
FULL_CAST = 10  # a cast list this long (the catalogue's) is the whole cast, not the principal players
ELLIPSIS = re.compile(r"^(and|also|what about|how about|same for|ok and|so|no|nope|i mean)\b")
SETTING = re.compile(r"\b(set|setting|takes place|take place|located)\b")
VOICE = re.compile(r"\b(voice|voiced|voices|voicing)\b")


def voiced(q: Question, credit: Credit) -> bool:
    """A credit answers "who voiced X" only when it is a voice credit; "who played X" any credit."""
    return not VOICE.search(" ".join(q.folded)) or "voice" in (credit.character or "").lower()


class FilmAnswers:
    def __init__(self, catalog: Catalog, find: Finder, discover: Discovery) -> None:
        self.catalog = catalog
        self.find = find
        self.discover = discover

    def about_title(
        self, q: Question, title: Mention[FilmRef], people: list[Mention[int]], context: Context | None
    ) -> Answer:
        candidates = title.payloads  # best known first
        after = q.words[title.end] if title.end < len(q.words) else ""
        if SEQUEL.match(after) and not YEAR.match(after):
            named = " ".join(q.folded[q.owner[title.start] : q.owner[title.end] + 1])
            return unknown_film(self.catalog, q, f"I don't know a film called {named!r}.", candidates[0])
        ref = self.pick_by_year(q, title)
        if ref is None:
            known = join([c.label for c in candidates])
            return Answer(False, f"I only know {known}, not one from {self.adjacent_year(q, title)}.")
        spans = [(p.start, p.end) for p in people]
        answer = self.about_film(q, ref, people, spans, title, context)
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
            answer = dataclasses.replace(answer, text=f"{answer.text} (There is also {also}.)")
        if title.typos and not self.find.curated(title):  # a catalogue title read through a typo: say so
            read = f'(I read "{q.written((title.start, title.end))}" as {ref.label}.)'
            answer = dataclasses.replace(answer, text=f"{answer.text} {read}")
        return answer

    def pick_by_year(self, q: Question, title: Mention[FilmRef]) -> FilmRef | None:
        """The film of a title of the year the question names, else the best known of its films."""
        for year in q.years():
            for candidate in title.payloads:
                if candidate.year == year:
                    return candidate
        if self.adjacent_year(q, title) is not None:
            return None  # "Solaris 1985": a year given with the title, and no such film
        return title.payloads[0]

    def adjacent_year(self, q: Question, title: Mention[FilmRef]) -> int | None:
        for i in (title.start - 1, title.end):
            if 0 <= i < len(q.words) and YEAR.match(q.words[i]):
                return int(q.words[i])
        return None

    def plain_field_question(self, q: Question, title: Mention[FilmRef], people: list[Mention[int]]) -> bool:
        """Whether the words around a lower-case catalogue title ask plainly for one of its fields."""
        covered = q.folded_of([(title.start, title.end), *((p.start, p.end) for p in people)])
        covered |= {i for i, w in enumerate(q.folded) if YEAR.match(w)}
        asked = read_asked(q, covered)
        values = read_filters(self.catalog, q.folded, covered).words  # "is amelie a comedy"
        for cue in asked.cues:
            if asked.fits(cue) and not asked.left(cue, values):
                return True
        if asked.want is Want.YESNO and asked.content and not asked.left(None, values):
            return True
        return not asked.cues and not asked.content and asked.want in DEFAULT_FIELD

    def about_film(
        self,
        q: Question,
        ref: FilmRef,
        people: list[Mention[int]],
        spans: list[tuple[int, int]],
        title: Mention[FilmRef] | None,
        context: Context | None = None,
        also_named: Set[str] = frozenset(),
    ) -> Answer:
        film = self.catalog.film(ref.id)
        title_span = (title.start, title.end) if title else (0, 0)
        character, where = self._character_in(q, film, title_span)
        if where is not None:  # "who played Andrei Rublev in Andrei Rublev": the character, not the painter
            also_named = set()  # "who plays his wife": the Stalker's, not the last actor named
            people = [p for p in people if p.end <= where[0] or p.start >= where[1]]
            spans = [(p.start, p.end) for p in people]
        names = {self.catalog.person_names[p.payloads[0]] for p in people} | also_named
        # The film's own source work is named, not asked about: "who wrote roadside picnic, the book
        # stalker comes from".
        works = [(w.start, w.end) for w in self.find.works(q) if ref.id in w.payloads]
        covered = q.folded_of([title_span, *spans, *works] if title else [*spans, *works])
        bare = read_asked(q, covered)
        # A character written as a name ("the Writer"), or asked about as one ("who plays the
        # writer", "what does the writer want"), is not the question word "writer".
        if where is not None and (q.capitalized(where) or bare.want is not Want.PERSON or self._plays(bare)):
            covered |= q.folded_of([where])
        elif re.search(r"\bnarrat\w*", " ".join(q.folded)) and (narrator := self._narrator(film)):
            character, where = narrator, None  # "who narrates it?": the narrator's credit
            covered |= {i for i, w in enumerate(q.folded) if w.startswith("narrat")}
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
        if not asked.cues and context and context.field and ELLIPSIS.search(" ".join(q.folded)):
            # "who directed Stalker?" "and Solaris?": the same question of another film or character
            asked = asked.asking(FIELD_BY_NAME[context.field])
        if asked.want is Want.AGE and names:  # "how old was Audrey Tautou when she made Amélie?"
            return Answer(False, f"I don't know people's ages; I know {film.label}'s year, {film.year}.", ref)
        if asked.want is Want.YESNO and (yes_no := self._yes_no(q, film, ref, asked, names)) is not None:
            return yes_no
        # "When did Tarkovsky direct Stalker?": the director is given, so the year is asked.
        given: set[int] = set()
        cues = []
        for cue in asked.cues:
            holders = self.people_for(film, cue.field.name)
            named = names - also_named  # written in the question, not "his" from the context
            if named and holders and named <= set(holders) and len(asked.cues) > 1:
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
            return self.plays_role(ref, film, character)
        if names and playing and not asked.left(playing[0], given):
            credit = next((c for c in film.cast if c.actor in names), None)
            if credit is not None and voiced(q, credit):
                found = self.plays_role(ref, film, credit)
                if asked.want is Want.YESNO:  # "was Keanu Reeves in Speed?"
                    found = dataclasses.replace(found, text=f"Yes: {found.text}")
                return found
            if credit is None and asked.want is Want.YESNO and film.cast:
                return self._not_in_cast(ref, film, names)
        # "what language is it in, mandarin?": a value of the field asked is no other question
        values = read_filters(self.catalog, q.folded, covered).words if cues else frozenset()
        for cue in cues:
            value_words = values if cue.field.key in TAG_FIELDS.values() else frozenset()
            if (
                not asked.fits(cue)
                or asked.left(cue, given | value_words)
                or (cue.field.name == "cast" and character)
            ):
                continue  # a character's actor is not the whole cast
            if (field := field_answer(film, ref, cue.field.name)) is not None:
                return field
        if not asked.content or set(asked.content) <= given:
            default = DEFAULT_FIELD.get(asked.want)
            if default is not None and not cues and (field := field_answer(film, ref, default)) is not None:
                return field
        if any(c.field.name == "synopsis" and asked.fits(c) and not asked.left(c, given) for c in cues):
            # "what is it about?" of a catalogue film, which has no synopsis: what it is, and no more
            return Answer(
                False, f"{self._summary(film)} I don't know its story: the store has no synopsis of it.", ref
            )
        # What the fields do not say, a fact may.
        words = question_words(q.folded, [i for i in asked.content if i not in given])
        if character is not None:
            words += [w for w in fold(anyascii(character.character or "")).split() if w not in COMMON]
        if all(w in WEAK for w in words) and asked.want in (Want.DEFINE, Want.REASON) and title is not None:
            words = [*words, "title"]  # "what does Ikiru mean?", "why is it called 8½?": its title
        if words:
            text = " ".join(q.folded)
            hits = best(words, asked.want, self._candidates(film, asked.want, text), question=text)
            if hits:
                said = " ".join(h.text for h in hits)
                if asked.want is Want.YESNO:  # "does it have intertitles?" "It has no intertitles."
                    said = f"{'No' if denies(hits[0].text, words) else 'Yes'}: {said}"
                return Answer(True, said, ref, sources(*(h.source for h in hits)))
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

    def _not_in_cast(self, ref: FilmRef, film: Film, names: set[str]) -> Answer:
        """ "was Tom Cruise in Heat?": a full cast list answers no; a few principal players do not."""
        shown = join(
            [c.actor for c in film.cast[:8]] + ([f"{len(film.cast) - 8} more"] if len(film.cast) > 8 else [])
        )
        who = join(sorted(names))
        if len(film.cast) >= FULL_CAST:
            text = f"No: {who} is not in the cast of {film.label} as I have it ({shown})."
            return reply(text, ref, film, "cast")
        return Answer(
            False, f"I don't know: {who} is not among the players of {film.label} I know ({shown}).", ref
        )

    def plays_role(self, ref: FilmRef, film: Film, credit: Credit) -> Answer:
        if credit.character:
            text = f"In {film.label}, {credit.actor} plays the role of {credit.character}."
        else:
            text = f"{credit.actor} is in the cast of {film.label}."
        return dataclasses.replace(reply(text, ref, film, "cast", (credit.actor,)), field="cast")

    def _candidates(self, film: Film, want: Want, text: str) -> list[Candidate]:
        found = [
            Candidate(
                film.id,
                f.shown,
                f.source,
                haystack(f.text, f.topics, f.about, f.people),
                frozenset(f.answers),
            )
            for f in film.facts
        ]
        # Where and when the story is set, the synopsis says: "what century is it set in?"
        setting = SETTING.search(text) and want in (Want.TIME, Want.PLACE)
        if (
            setting
            and film.synopsis
            and (want is Want.PLACE or re.search(r"\b(1\d{3}|century)\b", film.synopsis))
        ):
            answers = frozenset({"when", "where"})
            hay = haystack(film.synopsis, "set setting")
            found.append(
                Candidate(film.id, film.synopsis, film.source_of("synopsis"), hay, answers, "synopsis")
            )
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
        """ "I don't know "where was it shot" for Stalker (1979). I know its director, ...": what was
        asked, and what the store does hold."""
        playing = next((c for c in asked.cues if c.field.name == "cast"), None)
        left = asked.left(playing) if playing else []
        if playing and left and asked.want in (Want.PERSON, Want.ANY) and film.cast:  # "who plays sam"
            role = " ".join(q.folded[i] for i in left)
            cast = join([f"{c.actor} ({c.character})" if c.character else c.actor for c in film.cast[:8]])
            more = f" and {len(film.cast) - 8} more" if len(film.cast) > 8 else ""
            return Answer(
                False, f'I don\'t know who plays "{role}" in {film.label}; its cast: {cast}{more}.', ref
            )
        known = known_fields(film)
        what = f" I know its {join(known)}: try /film {film.title}." if known else ""
        asked_for = clip(q.raw.rstrip("?!. "), 80)
        return Answer(False, f'I don\'t know "{asked_for}" for {film.label}.{what}', ref)

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
            holders = self.people_for(film, cue.field.name)
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
            if (
                cue.field.key == "based_on"
                and not asked.left(cue)
                and (source := field_answer(film, ref, cue.field.name))
            ):
                # "Is The Shining based on a Stephen King book?" (only what the store says it is based on)
                authors = set(film.based_on.authors) if film.based_on else set()
                yes = not names or names <= authors
                return dataclasses.replace(source, text=f"{'Yes' if yes else 'No'}: {source.text}")
        left = asked.left(None)
        tags = read_filters(self.catalog, q.folded, set(range(len(q.folded))) - set(left))
        if tags.tags and not (set(left) - tags.words):
            for kind, values in tags.tags.items():
                key = TAG_FIELDS[kind]
                have = {fold(anyascii(v)) for v in getattr(film, key)}
                if have:  # "is it a western?", "is it soviet?", "is it in mandarin?"
                    verdict = "Yes" if have & values else "No"
                    if kind == "genre":
                        said = f"{film.label} is a {' / '.join(g.lower() for g in film.genres)} film"
                    elif kind == "country":
                        said = f"{film.label} is a film from {join(country_names(film.countries))}"
                    else:
                        said = f"{film.label} is in {join(film.languages)}"
                    return reply(f"{verdict}: {said}.", ref, film, key)
        return None

    def people_for(self, film: Film, field: str) -> list[str]:
        return {
            "director": list(film.directors),
            "writers": list(film.writers),
            "composer": list(film.composers),
            "cinematographer": list(film.cinematographers),
        }.get(field, [])

    def holder_instead(self, q: Question, context: Context | None, person: str) -> str | None:
        """Who holds the role asked in the film being discussed, when `person` ("he") never did:
        after "who scored Vertigo?", "what else did he direct?" is about its director."""
        if context is None or not context.film_id:
            return None
        person_id = self.catalog.person_id(person)
        film = self.catalog.film(context.film_id)
        roles = {c.role for c in self.catalog.credits_of(person_id)} if person_id is not None else set()
        for cue in read_asked(q, set()).cues:
            holders = self.people_for(film, cue.field.name)
            if holders and person not in holders and ROLE_OF_FIELD.get(cue.field.name) not in roles:
                return holders[0]
        return None

    def credited(self, film_id: str, people: list[Mention[int]]) -> list[Mention[int]]:
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

    @staticmethod
    def _narrator(film: Film) -> Credit | None:
        return next((c for c in film.cast if "narrat" in (c.character or "").lower()), None)

    def _title_character(self, film: Film) -> Credit | None:
        """The character the title names: the Stalker of Stalker, Kane of Citizen Kane."""
        title = {w for w in fold(anyascii(film.title)).split() if w not in COMMON}
        for credit in film.cast:
            words = set(fold(anyascii(credit.character or "")).split())
            if title & words:
                return credit
        return None

    def same_title_in_year(self, q: Question, context: Context) -> Context:
        """The film of the same title from the year the question names, if there is one."""
        assert context.film_id is not None
        years = [y for y in q.years() if y != self.catalog.films[context.film_id].year]
        if not years:
            return context
        for other in self.catalog.same_title(context.film_id):
            if other.year in years:
                return dataclasses.replace(context, film_id=other.id)
        return context

    def award_of(self, q: Question, awards: list[Mention[str]], ref: FilmRef) -> Answer:
        """ "did it win an oscar?" about the film being discussed."""
        payloads = [p for a in awards for p in a.payloads]
        found = self.discover.award(payloads, [], {ref.id})
        if not found.answered:
            return Answer(False, f"The store records no such award for {ref.label}.", ref)
        if read_asked(q, set()).want is Want.YESNO:
            return Answer(True, f"Yes: {found.text}", found.film, found.source)
        return found
