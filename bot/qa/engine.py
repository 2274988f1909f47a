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
from collections.abc import Sequence
from typing import Any

from anyascii import anyascii

from ..text import fold
from .answer import Answer
from .asked import FIELD_VERBS, Asked, Want, read_asked
from .catalog import Catalog, FactHit, FilmRef
from .context import Context
from .discovery import Discovery, read_filters
from .fields import field_answer, sources
from .film_answers import ELLIPSIS, FilmAnswers, voiced
from .mentions import Finder
from .person_answers import FIRST, LAST, LIST_OF_FILMS, LIST_WORDS, OPINION, PersonAnswers, ordinal_of
from .phrases import Mention, best_disjoint, within
from .question import MAX_QUESTION_LENGTH, Question, parse
from .search import WEAK, Candidate, best, enough_known, haystack, question_words
from .suggest import unknown_film
from .words import COMMON, YEAR

__all__ = ["MAX_QUESTION_LENGTH", "Answer", "Answerer"]

WHICH_FILM = re.compile(
    r"\b(which|what) (film|movie|picture)\b|\bfrom\s*$|\bappear\w*|\bcharacter\b|в каком фильме"
)
FILM_REFERENCE = re.compile(r"\b(it|its|this|that|the (film|movie|picture))\b")
LIKE = re.compile(
    r"\b(films?|movies?|something|anything|more|others?) (like|similar to)\b|\bsimilar (to|films?|movies?)\b"
    r"|\bif i (liked|loved|enjoyed)\b|\bi (liked|loved|enjoyed)\b.*\b(else|similar|more)\b|похож"
)
LONGER = re.compile(r"\b(longer|shorter|long|short|length|runtime|running time)\b|длинн|короч")
GENERIC_CUE_WORDS = FIELD_VERBS | WEAK | frozenset("first originally initially from out".split())
COMPARING = frozenset(
    "longer shorter long short length runtime running time older newer earlier later first before after "
    "recent oldest newest came come out which or than is was one".split()
)
SHORTER = frozenset({"shorter", "short", "короч"})
NEWER = frozenset({"newer", "later", "more recent", "newest", "after"})
SENTENCE = re.compile(r"(?<=[?!.;,])\s+|\?+")
SENTENCE_END = re.compile(r"(?<=[?!;])\s+|\?+")  # not ".": "Mrs. Parker", "Dr. Strangelove"
LONG_QUESTION = 10  # words
AWARD_WORDS = frozenset(
    "won win wins winner winners winning award awards awarded prize prizes got get best picture film films "
    "first movie movies which list all every year festival ceremony at".split()
)
OLDER = re.compile(
    r"\b(older|newer|earlier|later|first|before|after|more recent|came out first|oldest|newest)\b"
    r"|раньше|старше"
)


class Answerer:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.find = Finder(catalog)
        self.discover = Discovery(catalog)
        self.films = FilmAnswers(catalog, self.find, self.discover)
        self.people = PersonAnswers(catalog, self.discover)

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
            source=sources(*(a.source for a in found)),
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
            in_full = self.find.named_in_full(q)

            def inside(t: Mention[FilmRef]) -> bool:
                return any(o.typos == 0 and o.start <= t.start and t.end <= o.end for o in in_full)

            titles = [t for t in titles if self.find.curated(t) or not inside(t)]
            loose = [t for t in loose if not inside(t)]
        titles = [t for t in titles if not any(a.start <= t.start and t.end <= a.end for a in awards)]
        people = [p for p in people if not any(a.start <= p.start and p.end <= a.end for a in awards)]
        text = " ".join(q.folded)
        mentioned: list[Mention[Any]] = [*titles, *awards]
        named = q.folded_of([(m.start, m.end) for m in mentioned])
        if OPINION.search(" ".join(w for i, w in enumerate(q.folded) if i not in named)) and not LIKE.search(
            text
        ):
            # "should i watch stalker or solaris first?": not a question of fact
            return Answer(False, "I don't give opinions or recommendations; ask me a fact about a film.")
        if not titles and (noun := self.find.noun_title(q)) and not (context and context.film_id):
            context = Context(noun)  # "what is a stalker in the film?": the film of that name
        if context and context.film_id and not titles:
            context = self.films.same_title_in_year(q, context)  # "wasn't there a remake in 2002?"
        about_it = not q.years() and FILM_REFERENCE.search(text)  # "did it win an oscar?", not "in 1979"
        if awards and not titles and context and context.film_id and not people and about_it:
            return self.films.award_of(q, awards, self.catalog.films[context.film_id])
        if awards and self._asks_award(q, awards, titles):
            return self._award(q, awards, titles)
        compared = (
            titles
            if len(titles) >= 2
            else best_disjoint(sorted([*titles, *loose], key=lambda m: -m.strength))
        )
        if len(compared) == 2 and (on := self._comparison(q, compared, plain=len(titles) < 2)):
            return on
        # "whos in the darkk knight": a surname alone inside a longer title is not Esmond Knight
        people = [p for p in people if len(p.phrase) > 1 or not any(within(p, t) for t in [*titles, *loose])]
        if not titles and loose:  # "hitchcock movies starring james stewart": the man, not Hitchcock (2012)
            loose = [t for t in loose if not any(p.start < t.end and t.start < p.end for p in people)]
            titles = [t for t in loose if self.films.plain_field_question(q, t, people)][:1]
            titles = titles or self._named_instead(q, loose, awards, context)
        if LIKE.search(text) and (titles or not people):
            if titles:
                title = max(titles, key=lambda m: (self.find.curated(m), m.strength, m.start))
                ref = self.films.pick_by_year(q, title)
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
                return self.films.about_title(q, title, people, context)
        if not people and context:  # "what else did fincher make", after The Social Network
            people = self.people.surname_in_context(q, context)
        person_first = people and (LIST_OF_FILMS.search(text) or not context or not context.film_id)
        he = context.person if context and context.person and q.refers_to_person() and not people else None
        about_his_films = LIST_OF_FILMS.search(text) or FIRST.search(text) or LAST.search(text)
        if he is not None and (about_his_films or not context or not context.film_id):
            # "and the music?" then "what else did he direct?": the film's director, not its composer
            he = self.films.holder_instead(q, context, he) or he
            person_id = self.catalog.person_id(he)
            if person_id is not None:  # "what else did he direct?", "and his last?"
                return self.people.about_person(q, person_id, [], context)
        if context and context.film_id and self._asks_field_of_a_title(q, read_asked(q, set())):
            context = None  # "who directed Nothing At All Whatsoever?" names a film, if not one I know
        if context is not None and context.film_id and not person_first:
            film_people = self.films.credited(context.film_id, people)
            if not people or film_people:
                ref = self.catalog.films[context.film_id]
                spans = [(p.start, p.end) for p in film_people]
                return self.films.about_film(q, ref, film_people, spans, None, context, {he} if he else set())
        # A character or a source work named in full beats a person matched by one word of it
        # ("Norman Bates" is not Michael Bates; "King Lear" is not Stephen King).
        others = self.find.named_in_full(q)
        if people:
            playing = any(c.field.name == "cast" for c in read_asked(q, set()).cues)
            # A person known only from the catalogue yields to a curated film's character ("Kane").
            unknown = self.catalog.person_weight.get(people[0].payloads[0], 0) < 100
            if not any(o.strength > people[0].strength - bool(playing) - unknown for o in others):
                answer = self.people.about_person(q, people[0].payloads[0], people, context)
                if answer.answered or LIST_OF_FILMS.search(text):
                    return answer
                covered = q.folded_of([(p.start, p.end) for p in people])
                return self._search(q, read_asked(q, covered)) or answer
        return self._without_names(q, others, loose)

    # -- a film -----------------------------------------------------------------------------------

    def _named_instead(
        self, q: Question, loose: list[Mention[FilmRef]], awards: list[Mention[str]], context: Context | None
    ) -> list[Mention[FilmRef]]:
        """A lower-case title that is all a question names besides an award ("how many oscars did
        titanic win"), or all a follow-up names ("and titanic?" after Oppenheimer): the question is
        about that film, not the channel's."""
        follow_up = context is not None and context.film_id and ELLIPSIS.search(" ".join(q.folded))
        for title in loose:
            if title.typos or (context and context.film_id and self._of_film(title, context.film_id)):
                continue
            covered = q.folded_of([(title.start, title.end), *((a.start, a.end) for a in awards)])
            left = [q.folded[i] for i in read_asked(q, covered).content]
            if (follow_up and not left) or (awards and all(w in AWARD_WORDS for w in left)):
                return [title]
        return []

    def _of_film(self, title: Mention[FilmRef], film_id: str) -> bool:
        """Whether a lower-case title is the film itself or words of its own, in its synopsis, facts
        or characters ("and rosebud?" after Citizen Kane is not about the film Rosebud)."""
        if any(f.id == film_id for f in title.payloads):
            return True
        film = self.catalog.film(film_id)
        own = " ".join(
            [film.synopsis, *(f.text for f in film.facts), *(c.character or "" for c in film.cast)]
        )
        words = set(fold(anyascii(own)).split())
        return all(w in words for w in title.phrase if w not in COMMON)

    # -- people ---------------------------------------------------------------------------------------

    # -- no film or person named -------------------------------------------------------------------------

    def _without_names(
        self, q: Question, others: list[Mention[Any]], loose: list[Mention[FilmRef]]
    ) -> Answer:
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
                return self.films.plays_role(self.catalog.films[film_id], film, credit)
        lists = self._film_list(q, asked)
        if lists is not None:
            return lists
        if not self._asks_field_of_a_title(q, asked):
            hit = self._search(q, asked, loose)
            if hit is not None:
                return hit
        return unknown_film(
            self.catalog, q, "I don't know which film you mean, so I can't answer that.", None
        )

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
        filters = read_filters(self.catalog, q.folded, set())
        if not (filters.years or filters.tags):
            return None
        listing = re.search(
            r"\b(films|movies|pictures|list|any|some|name|show|what came out|released)\b", text
        ) or bool(filters.tags)  # "westerns?", "sci-fi from the 80s"
        left = [i for i in asked.content if i not in filters.words and q.folded[i] not in LIST_WORDS]
        if not listing or left or asked.want is Want.PERSON:
            return None  # "who directed japanese films" asks for people, not a list of films
        return self.discover.films_of(filters)

    def _its_own(self, hit: FactHit, words: set[str]) -> bool:
        """Whether the words are the fact's own: in its film's synopsis, or a term it quotes."""
        quoted = fold(" ".join(re.findall(r'"([^"]+)"', anyascii(hit.text)))).split()
        return words <= {*fold(self.catalog.film(hit.film_id).synopsis).split(), *quoted}

    def _search(self, q: Question, asked: Asked, loose: Sequence[Mention[FilmRef]] = ()) -> Answer | None:
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
        if loose:
            # "how many oscars did titanic win": not another film's fact that names Titanic (the film),
            # the title it names most. A word of that film's own story stays ("the Room" of Stalker's
            # synopsis), and a term the fact defines in quotes ("paparazzi").
            title = max(loose, key=lambda t: (t.strength, t.size))
            named = {q.folded[i] for i in q.folded_of([(title.start, title.end)])} - COMMON
            films = {f.id for f in title.payloads}
            hits = [h for h in hits if h.film_id in films or self._its_own(h, named)]
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

    def _asks_award(self, q: Question, awards: list[Mention[str]], titles: list[Mention[FilmRef]]) -> bool:
        """Whether the question asks who won an award: "who won the palme d'or in 1979", and not
        "who was the first African American to win an Oscar?" (a fact about someone)."""
        mentioned: list[Mention[Any]] = [*awards, *titles]
        covered = q.folded_of([(m.start, m.end) for m in mentioned])
        asked = read_asked(q, covered)
        if [i for i in asked.content if q.folded[i] not in AWARD_WORDS]:
            return False
        return not titles or (
            bool(q.years())
            and all(t.start >= a.end or t.end <= a.start for t in titles for a in awards)
            and not self._title_has_year(q, titles)
        )

    def _title_has_year(self, q: Question, titles: list[Mention[FilmRef]]) -> bool:
        return any(self.films.adjacent_year(q, t) is not None for t in titles)

    def _award(self, q: Question, awards: list[Mention[str]], titles: list[Mention[FilmRef]]) -> Answer:
        payloads = [p for a in awards for p in a.payloads]
        if titles:
            title = titles[0]
            ref = self.films.pick_by_year(q, title)
            if ref is None:
                return Answer(False, "I don't know that film.")
            answer = self.discover.award(payloads, [], {ref.id})
            return (
                answer
                if answer.answered
                else Answer(False, f"The store records no such award for {ref.label}.", ref)
            )
        return self.discover.award(payloads, q.years(), ordinal=ordinal_of(" ".join(q.folded)))

    def _comparison(
        self, q: Question, titles: list[Mention[FilmRef]], *, plain: bool = False
    ) -> Answer | None:
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
        ra, rb = (self.films.pick_by_year(q, t) for t in (a, b))
        if ra is None or rb is None or ra.id == rb.id:
            return None
        return self.discover.compare(
            ra, rb, on, most=most, asks_yes_no=read_asked(q, set()).want is Want.YESNO
        )

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
        return self.films.pick_by_year(q, title)
