"""Answer a question from the fact store, with the source of what was used, or say "I don't know".

The pipeline: make the question plain and find what it names (titles, people, characters, works,
awards: mentions.py), read what it asks (the type of answer and the fields its words ask for:
asked.py), then answer from one field or fact of that film whose type fits and that explains the
whole question (fields.py, search.py), or from many films (discovery.py). A follow-up that names
no film is read against the channel's context. It never answers about a film other than the one
meant; when it cannot answer, it says so.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from anyascii import anyascii

from ..facts.loader import fold
from ..facts.model import Credit, Film
from .answer import Answer
from .asked import DEFAULT_FIELD, FIELD_BY_NAME, FIELD_VERBS, Asked, Cue, Want, read_asked
from .catalog import Catalog, FilmRef
from .context import Context
from .discovery import Discovery, read_filters
from .fields import clip, country_names, field_answer, join, known_fields, reply
from .mentions import Finder
from .phrases import Mention, best_disjoint
from .question import MAX_QUESTION_LENGTH, Question, parse
from .search import WEAK, Candidate, best, enough_known, haystack, matches, normalise, question_words
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
WHICH_FILM = re.compile(
    r"\b(which|what) (film|movie|picture)\b|\bfrom\s*$|\bappear\w*|\bcharacter\b|в каком фильме"
)
LIST_OF_FILMS = re.compile(
    r"\b(films|movies|pictures|filmography|works|credits|career|else|other|others|list|name some)\b"
    r"|\bwhat (did|has|have) \w+ (\w+ )?"
    r"(direct\w*|made|make|written|wrote|write|star\w*|act\w*|compose\w*|shot|shoot)\b"
    r"|фильмы|фильмов|фильмография"
)
LIST_WORDS = frozenset(
    "films movies pictures filmography works work credits career else other others list name show all some "
    "besides except apart than "
    "any made make making released came come out from in during decade era years year the s directed "
    "starring starred with by фильмы фильмов фильмография снял".split()
)
OPINION = re.compile(
    r"\b(best|worst|favou?rites?|overrated|underrated|worth (it|watching|seeing)|recommend\w*|should i"
    r"|masterpiece|prefer|opinion|rate it|rating|do you (like|love|think))\b|лучш|худш|любим|стоит ли"
)
LIKE = re.compile(
    r"\b(films?|movies?|something|anything|more|others?) (like|similar to)\b|\bsimilar (to|films?|movies?)\b"
    r"|\bif i (liked|loved|enjoyed)\b|\bi (liked|loved|enjoyed)\b.*\b(else|similar|more)\b|похож"
)
LONGER = re.compile(r"\b(longer|shorter|long|short|length|runtime|running time)\b|длинн|короч")
GENERIC_CUE_WORDS = FIELD_VERBS | WEAK | frozenset("first originally initially from out".split())
FULL_CAST = 10  # a cast list this long (the catalogue's) is the whole cast, not the principal players
COMPARING = frozenset(
    "longer shorter long short length runtime running time older newer earlier later first before after "
    "recent oldest newest came come out which or than is was one".split()
)
SHORTER = frozenset({"shorter", "short", "короч"})
NEWER = frozenset({"newer", "later", "more recent", "newest", "after"})
OLDER = re.compile(
    r"\b(older|newer|earlier|later|first|before|after|more recent|came out first|oldest|newest)\b"
    r"|раньше|старше"
)
# Verbs that name a person's role in a list of their films.
ROLE_WORDS = [
    (re.compile(r"shoot|shot|photograph\w*|lensed"), "cinematographer"),
    (re.compile(r"compose\w*|scored"), "composer"),
    (re.compile(r"make|made|makes|making|by|снял|снимал"), "director"),
]
FIRST = re.compile(r"\b(first|debut|earliest|первыи|первым|дебют\w*)\b")
LAST = re.compile(r"\b(last|final|latest|последнии|последним)\b")
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
        answer = self._answer(question, context)
        # Sentences; clauses too in a long message ("ok so me and my gf were arguing ..., who directed")
        splitter = SENTENCE if len(question.split()) >= LONG_QUESTION else SENTENCE_END
        clauses = [c for c in splitter.split(question) if c.strip()]
        if answer.answered or len(clauses) < 2:
            return answer
        # "how long is jeanne dielman?? heard its like 3+ hours": what one clause asks, the rest is
        # chat; "who directed it, and who operated the camera?": both, each after the one before.
        found: list[Answer] = []
        for clause in clauses:
            part = self._answer(clause, context)
            if part.answered:
                found.append(part)
                film = part.film.id if part.film else context.film_id if context else None
                context = Context(film, part.person or next(iter(part.names), None), part.field)
        if not found:
            return answer
        films = {a.film.id if a.film else None for a in found}
        first = found[0]
        return dataclasses.replace(
            first,
            text=" ".join(dict.fromkeys(a.text for a in found)),
            film=first.film if len(films) == 1 else None,
            heading=first.heading or (first.film.label if first.film and len(films) > 1 else None),
            source=_sources(*(a.source for a in found)),
        )

    def _answer(self, question: str, context: Context | None) -> Answer:
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
        text = " ".join(q.folded)
        named = q.folded_of([(m.start, m.end) for m in [*titles, *awards]])
        if OPINION.search(" ".join(w for i, w in enumerate(q.folded) if i not in named)) and not LIKE.search(
            text
        ):
            # "should i watch stalker or solaris first?": not a question of fact
            return Answer(False, "I don't give opinions or recommendations; ask me a fact about a film.")
        if not titles and (noun := self.find.noun_title(q)) and not (context and context.film_id):
            context = Context(noun)  # "what is a stalker in the film?": the film of that name
        if context and context.film_id and not titles:
            context = self._same_title_in_year(q, context)  # "wasn't there a remake in 2002?"
        if awards and not titles and context and context.film_id and not people:
            return self._award_of(q, awards, self.catalog.films[context.film_id])
        if awards and self._asks_award(q, awards, titles):
            return self._award(q, awards, titles)
        compared = (
            titles
            if len(titles) >= 2
            else best_disjoint(sorted([*titles, *loose], key=lambda m: -m.strength))
        )
        if len(compared) == 2 and (on := self._comparison(q, compared, plain=len(titles) < 2)):
            return on
        if not titles and loose:  # "hitchcock movies starring james stewart": the man, not Hitchcock (2012)
            loose = [t for t in loose if not any(p.start < t.end and t.start < p.end for p in people)]
            titles = [t for t in loose if self._plain_field_question(q, t, people)][:1]
        if LIKE.search(text) and (titles or not people):
            if titles:
                title = max(titles, key=lambda m: (self.find.curated(m), m.strength, m.start))
                candidates = sorted(
                    (self.catalog.films[f] for f in title.payloads), key=lambda f: -f.prominence
                )
                ref = self._pick_by_year(q, title, candidates)
                if ref is not None:
                    return self.discover.similar(ref)
            elif context and context.film_id:
                return self.discover.similar(self.catalog.films[context.film_id])
        if titles:
            title = max(titles, key=lambda m: (self.find.curated(m), m.strength, m.start))
            people = [
                p for p in people if p.end <= title.start or p.start >= title.end or p.size > title.size
            ]
            if all(p.end <= title.start or p.start >= title.end for p in people):
                return self._about_title(q, title, people, context)
        if not people and context:  # "what else did fincher make", after The Social Network
            people = self._surname_in_context(q, context)
        person_first = people and (LIST_OF_FILMS.search(text) or not context or not context.film_id)
        he = context.person if context and context.person and q.refers_to_person() and not people else None
        about_his_films = LIST_OF_FILMS.search(text) or FIRST.search(text) or LAST.search(text)
        if he is not None and (about_his_films or not context or not context.film_id):
            person_id = self.catalog.person_id(he)
            if person_id is not None:  # "what else did he direct?", "and his last?"
                return self._about_person(q, person_id, [], context)
        if context is not None and context.film_id and not person_first:
            film_people = self._credited(context.film_id, people)
            if not people or film_people:
                ref = self.catalog.films[context.film_id]
                spans = [(p.start, p.end) for p in film_people]
                return self._about_film(q, ref, film_people, spans, None, context, {he} if he else set())
        # A character or a source work named in full beats a person matched by one word of it
        # ("Norman Bates" is not Michael Bates; "King Lear" is not Stephen King).
        others = self.find.named_in_full(q)
        if people:
            playing = any(c.field.name == "cast" for c in read_asked(q, set()).cues)
            # A person known only from the catalogue yields to a curated film's character ("Kane").
            unknown = self.catalog.person_weight.get(people[0].payloads[0], 0) < 100
            if not any(o.strength > people[0].strength - bool(playing) - unknown for o in others):
                answer = self._about_person(q, people[0].payloads[0], people, context)
                if answer.answered or LIST_OF_FILMS.search(text):
                    return answer
                named = q.folded_of([(p.start, p.end) for p in people])
                return self._search(q, read_asked(q, named)) or answer
        return self._without_names(q, others)

    # -- a film -----------------------------------------------------------------------------------

    def _about_title(
        self, q: Question, title: Mention[str], people: list[Mention[int]], context: Context | None
    ) -> Answer:
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
        answer = self._about_film(q, ref, people, spans, title, context)
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
        values = read_filters(self.catalog, q.folded, covered, [], [], "").words  # "is amelie a comedy"
        for cue in asked.cues:
            if asked.fits(cue) and not asked.left(cue, values):
                return True
        if asked.want is Want.YESNO and asked.content and not asked.left(None, values):
            return True
        return not asked.cues and not asked.content and asked.want in DEFAULT_FIELD

    def _about_film(
        self,
        q: Question,
        ref: FilmRef,
        people: list[Mention[int]],
        spans: list[tuple[int, int]],
        title: Mention[str] | None,
        context: Context | None = None,
        also_named: set[str] = frozenset(),  # type: ignore[assignment]
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
            holders = self._people_for(film, cue.field.name)
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
            return self._plays_role(ref, film, character)
        if names and playing and not asked.left(playing[0], given):
            credit = next((c for c in film.cast if c.actor in names), None)
            if credit is not None and voiced(q, credit):
                found = self._plays_role(ref, film, credit)
                if asked.want is Want.YESNO:  # "was Keanu Reeves in Speed?"
                    found = dataclasses.replace(found, text=f"Yes: {found.text}")
                return found
            if credit is None and asked.want is Want.YESNO and film.cast:
                return self._not_in_cast(ref, film, names)
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
        if all(w in WEAK for w in words) and asked.want in (Want.DEFINE, Want.REASON) and title is not None:
            words = [*words, "title"]  # "what does Ikiru mean?", "why is it called 8½?": its title
        if words:
            text = " ".join(q.folded)
            hits = best(words, asked.want, self._candidates(film, asked.want, text), question=text)
            if hits:
                said = " ".join(h.text for h in hits)
                if asked.want is Want.YESNO:  # "does it have intertitles?" "It has no intertitles."
                    said = f"{'No' if denies(hits[0].text, words) else 'Yes'}: {said}"
                return Answer(True, said, ref, _sources(*(h.source for h in hits)))
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

    def _plays_role(self, ref: FilmRef, film: Film, credit: Credit) -> Answer:
        if credit.character:
            text = f"In {film.label}, {credit.actor} plays the role of {credit.character}."
        else:
            text = f"{credit.actor} is in the cast of {film.label}."
        return dataclasses.replace(reply(text, ref, film, "cast", (credit.actor,)), field="cast")

    def _candidates(self, film: Film, want: Want, text: str) -> list[Candidate]:
        found = [
            Candidate(
                film.id, f.text, f.source, haystack(f.text, f.topics, f.about, f.people), frozenset(f.answers)
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
        named_at = min(covered, default=0)

        def made_before(cue: Cue) -> bool:  # "what movie made John Wayne a star?": not his directing
            verbs = [i for i in cue.words if q.folded[i] in ("make", "made", "makes")]
            return bool(verbs) and all(i < named_at and q.folded[i + 1 : i + 2] != ["by"] for i in verbs)

        cued = [
            c
            for c in asked.cues
            if c.field.name in ROLES and not (c.field.name == "director" and made_before(c))
        ]
        roles = [ROLES[c.field.name] for c in cued]
        explained = {i for c in cued for i in c.words}
        for i, word in enumerate(asked.corrected):
            role = next((r for pattern, r in ROLE_WORDS if pattern.fullmatch(word)), None)
            # "what did Kubrick make", "films made by Kubrick"; not "what movie made John Wayne a star"
            by = i + 1 < len(q.folded) and q.folded[i + 1] == "by"
            if role == "director" and word != "by" and i < named_at and not by:
                continue
            if role is not None and i not in covered:
                roles.append(role)  # "what else did Rerberg shoot?", "films by Kubrick"
                explained.add(i)
        filters = read_filters(self.catalog, q.folded, covered, q.years(), q.decades(), text)
        co_star = next((p.payloads[0] for p in people[1:] if p.payloads[0] != person_id), None)
        credits = self.catalog.credits_of(person_id)
        # "what else did Eisenstein direct besides Potemkin": words of the person's own titles
        unexplained = [i for i in asked.content if i not in explained and q.folded[i] not in COMMON]
        title_words = (
            {w for c in credits for w in fold(anyascii(self.catalog.films[c.film_id].title)).split()}
            if unexplained
            else set()
        )
        named_films = {i for i in unexplained if q.folded[i] in title_words}
        ordinal = "first" if FIRST.search(text) else "last" if LAST.search(text) else None
        explained |= {
            i for i, w in enumerate(q.folded) if ordinal and (FIRST.fullmatch(w) or LAST.fullmatch(w))
        }
        besides = [i for i, w in enumerate(q.folded) if w in ("besides", "except", "apart")]
        if besides:  # "what else has he been in besides breaking bad": those are named, not asked
            explained |= set(range(besides[0], len(q.folded)))
        leftover = [
            i
            for i in asked.content
            if i not in explained | filters.words | named_films and q.folded[i] not in LIST_WORDS
        ]
        other = re.search(r"\b(else|other|others|besides|except|apart)\b", text)
        exclude = {context.film_id} if context and context.film_id and other else set()
        exclude |= {
            c.film_id for c in credits if named_films and other and self._titled(c.film_id, q, named_films)
        }
        # "who is Dooley Wilson?": what the store knows of them, their films
        who_is = asked.want is Want.PERSON and not asked.content
        listing = (
            roles or ordinal or who_is or LIST_OF_FILMS.search(text) or asked.want in (Want.ANY, Want.WHAT)
        )
        if leftover or not listing:
            words = question_words(q.folded, leftover or asked.content)
            hits = [
                Candidate(
                    h.film_id, h.text, h.source, haystack(h.text, h.topics), frozenset(h.answers.split(","))
                )
                for h in self.catalog.facts_naming(person_id)
            ]
            found = best(words, asked.want, hits, question=text) if words else []
            if found:
                ref = self.catalog.films[found[0].film_id]
                return Answer(True, f"{ref.label}: {found[0].text}", ref, found[0].source, names=(name,))
            return Answer(
                False, f"I don't know that about {name}; I know the films of the store.", person=name
            )
        if ordinal and not filters.years and not filters.tags:
            # "Tarkovsky's last film": a fact that says so beats the last of the films I know
            hits = [
                Candidate(
                    h.film_id, h.text, h.source, haystack(h.text, h.topics), frozenset(h.answers.split(","))
                )
                for h in self.catalog.facts_naming(person_id)
            ]
            said = best([ordinal], Want.ANY, hits, most=1, question=text)
            role_words = {"director": "direct", "actor": "act"}
            if said and (
                not roles
                or role_words.get(roles[0], roles[0]) in said[0].text.lower()
                or roles[0] == "director"
            ):
                ref = self.catalog.films[said[0].film_id]
                return Answer(True, f"{ref.label}: {said[0].text}", ref, said[0].source, names=(name,))
        films = self.discover.person_films(
            person_id, roles[:1], filters, with_person=co_star, exclude=exclude, ordinal=ordinal
        )
        facts = self.catalog.facts_naming(person_id)
        if not films.answered and not credits and facts:  # "what did H. R. Giger do?": what facts say
            ref = self.catalog.films[facts[0].film_id]
            return Answer(True, f"{ref.label}: {facts[0].text}", ref, facts[0].source, names=(name,))
        credited = {c.film_id for c in credits}
        also = list(dict.fromkeys(f.film_id for f in facts if f.film_id not in credited))
        if films.answered and also and not (ordinal or filters.years or filters.tags):
            # "what was James Earl Jones in?": Darth Vader's voice is a fact of Star Wars, not a credit
            named_in = join([self.catalog.films[f].label for f in also[:5]])
            films = dataclasses.replace(
                films, text=f"{films.text} The store's facts also name {name} about {named_in}."
            )
        return films

    def _titled(self, film_id: str, q: Question, words: set[int]) -> bool:
        title = set(fold(anyascii(self.catalog.films[film_id].title)).split())
        return any(q.folded[i] in title for i in words)

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
        if not self._asks_field_of_a_title(q, asked):
            hit = self._search(q, asked)
            if hit is not None:
                return hit
        return self._unknown_film(q, "I don't know which film you mean, so I can't answer that.", None)

    @staticmethod
    def _asks_field_of_a_title(q: Question, asked: Asked) -> bool:
        """ "who directed Last Train from Gun Hlil?": a field of a film, named in words written as a
        title that no title matched; no fact of another film answers it."""
        for cue in asked.cues:
            left = asked.left(cue)
            named = {q.folded[i] for i in cue.words} - GENERIC_CUE_WORDS  # "directed", not "first"
            if asked.fits(cue) and cue.field.name not in ("cast", "synopsis") and left and named:
                written = [i for i in left if q.written_capitalized(i)]
                return 2 * len(written) >= len(left)
        return False

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
        ) or bool(filters.tags)  # "westerns?", "sci-fi from the 80s"
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
        if not enough_known(words, self.catalog.fact_prefixes):
            return None  # the facts do not have the words (a quick test before the full-text search)
        hits = self.catalog.search_facts(words, None, limit=20)
        if len(words) == 1 and not proper:
            # one word is enough only for a term a fact defines, in quotes ("what is tativille?")
            term = re.compile(rf'"{re.escape(words[0])}"', re.IGNORECASE)
            hits = [h for h in hits if term.search(anyascii(h.text))]
            if not hits:
                return None
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
            found = best(words, asked.want, candidates, most=5, every=True, question=" ".join(q.folded))
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
        """Whether the question asks who won an award: "who won the palme d'or in 1979", and not
        "who was the first African American to win an Oscar?" (a fact about someone)."""
        covered = q.folded_of([(m.start, m.end) for m in [*awards, *titles]])
        asked = read_asked(q, covered)
        if [i for i in asked.content if q.folded[i] not in AWARD_WORDS]:
            return False
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

    def _surname_in_context(self, q: Question, context: Context) -> list[Mention[int]]:
        """A surname alone of someone the conversation is about: the person, or those of the film."""
        names = [context.person] if context.person else []
        if context.film_id:
            film = self.catalog.film(context.film_id)
            names += [*film.directors, *film.writers, *(c.actor for c in film.cast), *film.composers]
        for name in names:
            surname = fold(anyascii(name)).split()[-1]
            at = [i for i, w in enumerate(q.words) if w == surname and len(w) >= 4]
            person_id = self.catalog.person_id(name)
            if at and person_id is not None:
                return [Mention(at[0], at[0] + 1, (surname,), 0, (person_id,))]
        return []

    def _same_title_in_year(self, q: Question, context: Context) -> Context:
        """The film of the same title from the year the question names, if there is one."""
        assert context.film_id is not None
        years = [y for y in q.years() if y != self.catalog.films[context.film_id].year]
        if not years:
            return context
        for other in self.catalog.same_title(context.film_id):
            if other.year in years:
                return Context(other.id)
        return context

    def _award_of(self, q: Question, awards: list[Mention[str]], ref: FilmRef) -> Answer:
        """ "did it win an oscar?" about the film being discussed."""
        payloads = [p for a in awards for p in a.payloads]
        found = self.discover.award(payloads, [], {ref.id})
        if not found.answered:
            return Answer(False, f"The store records no such award for {ref.label}.", ref)
        if read_asked(q, set()).want is Want.YESNO:
            return Answer(True, f"Yes: {found.text}", found.film, found.source)
        return found

    def _comparison(self, q: Question, titles: list[Mention[str]], *, plain: bool = False) -> Answer | None:
        """ "which is longer, Stalker or Solaris?", "is Stalker older than Come and See?"; titles written
        in lower case (`plain`) only when nothing else is said ("is titanic longer than avatar")."""
        a, b = sorted(titles[:2], key=lambda m: m.start)
        text = " ".join(q.folded)
        if plain:
            covered = q.folded_of([(a.start, a.end), (b.start, b.end)])
            if any(q.folded[i] not in COMPARING for i in read_asked(q, covered).content):
                return None
        if m := LONGER.search(text):
            on, most = "runtime", m[0] not in SHORTER
        elif m := OLDER.search(text):
            on, most = "date", m[0] not in NEWER
        else:
            return None
        ra, rb = (self._pick_by_year(q, t, self._candidates_of(t)) for t in (a, b))
        if ra is None or rb is None or ra.id == rb.id:
            return None
        return self.discover.compare(
            ra, rb, on, most=most, asks_yes_no=read_asked(q, set()).want is Want.YESNO
        )

    def _candidates_of(self, title: Mention[str]) -> list[FilmRef]:
        return sorted((self.catalog.films[f] for f in title.payloads), key=lambda f: -f.prominence)

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


ELLIPSIS = re.compile(r"^(and|also|what about|how about|same for|ok and|so|no|nope|i mean)\b")
SENTENCE = re.compile(r"(?<=[?!.;,])\s+|\?+")
SENTENCE_END = re.compile(r"(?<=[?!;])\s+|\?+")  # not ".": "Mrs. Parker", "Dr. Strangelove"
LONG_QUESTION = 10  # words
AWARD_WORDS = frozenset(
    "won win wins winner winners winning award awards awarded prize prizes got get best picture film films "
    "first "
    "movie movies which list all every year festival ceremony at".split()
)
SETTING = re.compile(r"\b(set|setting|takes place|take place|located)\b")
NEGATION = frozenset("no not never without nor none isn't wasn't".split())


def denies(text: str, words: list[str]) -> bool:
    """Whether the fact says "no" to one of the question's words ("It has no intertitles")."""
    said = normalise(text).split()
    for i, token in enumerate(said):
        if any(matches(w, frozenset([token])) for w in words) and NEGATION & set(said[max(0, i - 2) : i]):
            return True
    return False


VOICE = re.compile(r"\b(voice|voiced|voices|voicing)\b")


def voiced(q: Question, credit: Credit) -> bool:
    """A credit answers "who voiced X" only when it is a voice credit; "who played X" any credit."""
    return not VOICE.search(" ".join(q.folded)) or "voice" in (credit.character or "").lower()


def asked_text(asked: Asked, covered: set[int]) -> str:
    return " ".join(w for i, w in enumerate(asked.corrected) if i not in covered)


def _sources(*found: str | None) -> str | None:
    unique = list(dict.fromkeys(s for s in found if s))
    return "; ".join(unique) or None
