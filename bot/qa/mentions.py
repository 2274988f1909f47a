"""The titles, people, characters, source works and awards a question names.

Typos and other scripts are allowed where that is safe; where a match could be an ordinary word
("Heat", "the Room", "Lang") it must be written as a name.
"""

from __future__ import annotations

import re
from typing import Any, cast

from ..text import ARTICLES
from .asked import asks_with
from .catalog import Catalog, FilmRef, Films
from .discovery import read_filters
from .phrases import Mention, best_disjoint, within
from .question import FREE, Question
from .words import COMMON, YEAR

YEAR_WORDS = frozenset("after before since until till in from of by around circa".split())
DETERMINERS = ARTICLES | frozenset(
    "this that these those my your our his her their its some any every no".split()
)
# Words that are never a title when written in lower case ("who directed nothing").
PRONOUNS = frozenset(
    "nothing something anything everything nobody somebody anybody everybody everyone someone anyone none "
    "all both each either neither no yes".split()
)


class Finder:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def curated(self, m: Mention[FilmRef]) -> bool:
        return cast(Films, m.payloads).curated  # a title's films, as catalog.titles reads them

    # -- titles ----------------------------------------------------------------------------------

    def titles(
        self, q: Question, *, in_question: bool = True
    ) -> tuple[list[Mention[FilmRef]], list[Mention[FilmRef]]]:
        """Titles named in `q`, and catalogue titles written as ordinary words (in lower case).

        The second are the film only if the rest of the question asks plainly for a field of it."""
        found = q.found(self.catalog.titles)
        # "did james cameron direct aliens": a title spelled exactly is not another one mistyped
        exact = {(m.start, m.end) for m in found if not m.typos}
        found = [m for m in found if not m.typos or (m.start, m.end) not in exact]
        credible = [m for m in found if self._credible(q, m, in_question)]
        loose = [m for m in found if in_question and m not in credible and self._loose(q, m)]
        # "Gaudi Afternoon (2001)": the year of a title is not the film "2001".
        chosen = best_disjoint(credible)
        chosen = [
            t
            for t in chosen
            if not (len(t.phrase) == 1 and YEAR.match(t.phrase[0]) and self._a_year(q, t, chosen))
        ]
        loose = [m for m in best_disjoint(loose) if all(m.end <= t.start or m.start >= t.end for t in chosen)]
        return chosen, loose

    def noun_title(self, q: Question) -> str | None:
        """The curated film whose one-word title the question uses as a noun ("what is a stalker
        in the film?"), when the question names no other film."""
        nouns = [m for m in q.found(self.catalog.titles) if self.curated(m) and self._as_noun(q, m)]
        films = [f for m in nouns for f in m.payloads if f.curated]
        return max(films, key=lambda f: f.prominence).id if films else None

    @staticmethod
    def _a_year(q: Question, m: Mention[FilmRef], titles: list[Mention[FilmRef]]) -> bool:
        """ "Gaudi Afternoon (2001)", "films after 2001": a year, not the film "2001"."""
        before = q.words[m.start - 1] if m.start else ""
        return any(o.end == m.start for o in titles) or before in YEAR_WORDS

    def _credible(self, q: Question, m: Mention[FilmRef], in_question: bool) -> bool:
        """Short or all-common titles ("M", "Ran", "The") count only when written as a title, or
        as the whole of a title option.

        A title known only from the catalogue must be spelled exactly, and in a question written
        as a title: thousands of them are everyday words ("Creature", "Play", "The Killer") or one
        typo away from one ("Court" for Count)."""
        catalogue = not self.curated(m) or m.phrase in self.catalog.shortened
        if catalogue and (m.typos or (in_question and not self._written_as_title(q, m))):
            return False
        if in_question and self._as_noun(q, m):
            return False
        if self._names_a_term(q, m):
            return False
        fragile = all(w in COMMON for w in m.phrase) or (len(m.phrase) == 1 and len(m.phrase[0]) <= 3)
        if not fragile:
            return True
        if m.typos:
            return False
        if not in_question and (m.start, m.end) == (0, len(q.words)):
            return True  # a title option holding nothing else: "ran" is Ran
        # "ran 1985 who directed": a short title next to its year is the film
        years = {str(f.year) for f in m.payloads}
        if any(0 <= i < len(q.words) and q.words[i] in years for i in (m.start - 1, m.end)):
            return True
        titles = {f.title for f in m.payloads}
        return any(re.search(rf"(?<![\w']){re.escape(t)}(?![\w'])", q.raw) for t in titles)

    def _loose(self, q: Question, m: Mention[FilmRef]) -> bool:
        """A catalogue title spelled exactly in lower case, that is not a pronoun or a noun after an
        article ("who directed gladiator", not "the creature" or "it")."""
        if (self.curated(m) and m.phrase not in self.catalog.shortened) or q.capitalized((m.start, m.end)):
            return False
        if m.typos and (m.typos > 1 or sum(map(len, m.phrase)) < (6 if len(m.phrase) == 1 else 8)):
            return False  # "gladaitor" is Gladiator, said so; a short word one letter off is another word
        typed = q.words[m.start : m.end]
        if m.typos and len(typed) == 1 and (typed[0] in self.catalog.vocabulary or asks_with(typed[0])):
            return False  # "released" is a word of its own, not "Release" mistyped
        if m.typos and read_filters(self.catalog, typed, set()).tags:
            return False  # "who directed westerns": the genre, not Western (1997) mistyped
        if all(asks_with(w) for w in m.phrase if w not in ARTICLES):
            return False  # "who composed the score": the music, not The Score (2001)
        if any(w in PRONOUNS for w in m.phrase):
            return False
        if not any(w not in FREE and w not in COMMON and len(w) >= 3 and not YEAR.match(w) for w in m.phrase):
            return False
        return not self._after_article(q, m)

    @staticmethod
    def _names_a_term(q: Question, m: Mention[FilmRef]) -> bool:
        """ "where does the word paparazzi come from": "the word" introduces a term, not the film
        Ordet (The Word)."""
        words = [w for w in m.phrase if w not in ARTICLES]
        return (
            words in (["word"], ["term"], ["name"], ["phrase"], ["expression"])
            and m.end < len(q.words)
            and not q.capitalized((m.start, m.end))
        )

    @staticmethod
    def _after_article(q: Question, m: Mention[FilmRef]) -> bool:
        """ "the creature", "this conversation", "my room": a noun, not a film."""
        return m.start > 0 and q.words[m.start - 1] in DETERMINERS and m.phrase[0] not in ARTICLES

    def _as_noun(self, q: Question, m: Mention[FilmRef]) -> bool:
        """ "what is a stalker in the film": a one-word title after "a" or "an" is a noun."""
        return (
            len(m.phrase) == 1
            and m.start > 0
            and q.words[m.start - 1] in ("a", "an")
            and not q.capitalized((m.start, m.end))
        )

    def _written_as_title(self, q: Question, m: Mention[FilmRef]) -> bool:
        """Whether a catalogue title in a question reads as the title: capitalized unless it has
        two uncommon words, not a noun after "the", not the start of a longer capitalized title."""
        uncommon = [w for w in m.phrase if w not in COMMON]
        if not (len(uncommon) >= 2 or q.capitalized((m.start, m.end))):
            return False
        if len(uncommon) < 2 and self._after_article(q, m):
            return False  # "the Room", "the Writer": a noun, not the film "Room"
        # "Nothing At All Whatsoever" names a longer title than "Nothing".
        return not (
            m.end < len(q.words) and not YEAR.match(q.words[m.end]) and q.capitalized((m.end, m.end + 1))
        )

    # -- people, characters, works, awards ---------------------------------------------------------

    def people(self, q: Question) -> list[Mention[int]]:
        found = [m for m in q.found(self.catalog.people) if self._credible_name(q, m)]
        # "films by wes andersen": a full name, one letter off, before a surname alone inside it
        full = [m for m in found if len(m.phrase) > 1]
        found = [m for m in found if len(m.phrase) > 1 or not any(within(m, f) for f in full)]
        return best_disjoint(found)  # the payloads of each, the best known person first

    def _credible_name(self, q: Question, m: Mention[Any]) -> bool:
        """A surname alone ("Lang", "Ford", "Lean") is also an English word: it must be written exactly,
        and when short, with its capital. A full name allows one typo."""
        if len(m.phrase) > 1:
            return m.typos <= 1
        word = m.phrase[0]
        if m.typos:  # "tarkovksy": a long surname is not an English word one typo away
            return m.typos == 1 and len(word) >= 8
        return len(word) >= 6 or q.capitalized((m.start, m.end)) or q.owner[m.start] == 0

    def characters(self, q: Question) -> list[Mention[tuple[str, int]]]:
        """Characters of the curated films; one word of a name ("Kane") only as a name is written."""
        found = q.found(self.catalog.characters)
        return best_disjoint([m for m in found if len(m.phrase) > 1 or self._credible_name(q, m)])

    def works(self, q: Question) -> list[Mention[str]]:
        return best_disjoint(q.found(self.catalog.works))

    def named_in_full(self, q: Question) -> list[Mention[Any]]:
        """Characters and source works of the curated films that the question names."""
        return [*self.characters(q), *self.works(q)]

    def awards(self, q: Question) -> list[Mention[str]]:
        """Award names ("palme d'or", "best picture") and events ("cannes", "oscars")."""
        return best_disjoint([m for m in q.found(self.catalog.award_names) if m.typos <= 1])
