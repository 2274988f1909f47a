"""Answers about a person: their films (by role, year, genre, country, with a co-star, first or
last), or what the store's facts say of them."""

from __future__ import annotations

import dataclasses
import re

from anyascii import anyascii

from ..text import fold
from .answer import Answer
from .asked import Cue, Want, read_asked
from .catalog import Catalog
from .context import Context
from .discovery import Discovery, read_filters
from .fields import join
from .phrases import Mention
from .question import Question
from .search import Candidate, best, haystack, question_words
from .words import COMMON

ROLES = {
    "director": "director",
    "cast": "actor",
    "writers": "writer",
    "composer": "composer",
    "cinematographer": "cinematographer",
    "based_on_author": "author",
}
ROLE_WORDS = [
    (re.compile(r"shoot|shot|photograph\w*|lensed"), "cinematographer"),
    (re.compile(r"compose\w*|scored"), "composer"),
    (re.compile(r"make|made|makes|making|by|снял|снимал"), "director"),
]
FIRST = re.compile(r"\b(first|debut|earliest|первыи|первым|дебют\w*)\b")
LAST = re.compile(r"\b(last|final|latest|последнии|последним)\b")


def ordinal_of(text: str) -> str | None:
    """ "first" or "last", when the words ask for one ("his debut", "the latest Palme d'Or")."""
    return "first" if FIRST.search(text) else "last" if LAST.search(text) else None


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


class PersonAnswers:
    def __init__(self, catalog: Catalog, discover: Discovery) -> None:
        self.catalog = catalog
        self.discover = discover

    def about_person(
        self, q: Question, person_id: int, people: list[Mention[int]], context: Context | None
    ) -> Answer:
        name = self.catalog.person_names[person_id]
        covered = q.folded_of([(p.start, p.end) for p in people])
        asked = read_asked(q, covered)
        text = asked.words_outside(covered)
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
        filters = read_filters(self.catalog, q.folded, covered)
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
        ordinal = ordinal_of(text)
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

    def surname_in_context(self, q: Question, context: Context) -> list[Mention[int]]:
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
