"""A question as words: folded, transliterated, each with its typo-tolerant neighbours in the store.

Titles and names are found on the ASCII tokens (`words`); what is asked is read from the folded
words in their own script (`folded`), where Russian question words keep their Cyrillic.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from anyascii import anyascii

from ..text import fold
from .clean import plain
from .phrases import Mention, Phrases
from .words import YEAR, Words

T = TypeVar("T")

MAX_QUESTION_LENGTH = 300

# Words that carry no subject of their own: they never need to be explained by what answers.
FREE = frozenset(
    "a an the of and or in on at to for with by from into as so but then than there here "
    "is are was were be been being am s re ve ll d m t isn isnt wasn "
    "it its this that these those they them their he she his her him hers i me my you your we our us "
    "what who whom whose when where why how which whats whos "
    "did do does done doing has have had having can could would should will shall may might must "
    "tell please pls plz thanks thank thx ty hey hi hello yo bot filmbot ok okay um uh hmm btw lol lmao "
    "haha quick q question anyone someone somebody know knows wonder wondering curious remind again "
    "actually exactly really just also even still any some very much guys folks "
    "film films movie movies picture pictures flick one ones cinema thing "
    "take took taken takes get got go went give gave co about during while throughout w u ur ya ever "
    "himself herself themselves itself dumb stupid silly random sorry noob each both once "
    "кто что как какой какая какое какие каком какого какую когда где почему зачем сколько "
    "в во на и а но из о об про по с со у к ли же это этот эта эти тот та то мне скажи скажите "
    "подскажи подскажите пожалуйста такое такой там его её ее он она они ты вы бот привет ну был "
    "была было были есть фильм фильма фильме фильмы фильмов фильму кино картина картины".split()
)
FREE = frozenset(fold(w) for w in FREE)  # as the question's words are: "какой" is "какои"
# The words questions ask with. They may be words of a title, but spelled as they are: a title is
# not looked for among their typo neighbours ("come" is not "Cote", "year" not "Bear").
QUESTION_WORDS = frozenset(
    "directed director directors released release screenplay screenwriter written composer composed music "
    "soundtrack cinematographer cinematography photography starred starring actors actress budget language "
    "languages country countries runtime minutes genre studio adapted adaptation novel based played produced "
    "year years come came comes out made make long plot cast story about wrote write play plays "
    "film films movie movies".split()
)
# Words that point back to what was being discussed.
PERSON_REFERENCE = frozenset("he him his she her hers".split())
RUSSIAN_ENDINGS = ("ogo", "omu", "ami", "akh", "om", "oy", "ym", "ie", "ya", "yu", "a", "e", "u", "y", "i")
NUMERALS = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi"}
NUMERALS |= {roman: digit for digit, roman in NUMERALS.items()}
DECADE = re.compile(
    r"^(?:(18|19|20)?(\d)0s|(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))$"
)
DECADE_WORDS = {
    "twenties": 1920,
    "thirties": 1930,
    "forties": 1940,
    "fifties": 1950,
    "sixties": 1960,
    "seventies": 1970,
    "eighties": 1980,
    "nineties": 1990,
}


def decade_of(word: str) -> int | None:
    """The first year of a decade a word names: "60s", "1960s", "sixties" are 1960."""
    m = DECADE.match(word)
    if m is None:
        return None
    if m[3]:
        return DECADE_WORDS[m[3]]
    return (int(m[1]) * 100 if m[1] else 1900) + int(m[2]) * 10


@dataclass
class Question:
    raw: str  # the plain text: markup removed, cut to MAX_QUESTION_LENGTH
    words: list[str]  # ASCII tokens
    owner: list[int]  # index of the folded word each token comes from
    folded: list[str]  # folded words, original script
    near: list[dict[str, int]] = field(default_factory=list)
    cyrillic: bool = False
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)  # what was read of it, kept once

    def found(self, index: Phrases[T]) -> list[Mention[T]]:
        """The phrases of `index` that the question spells out (looked up once per question)."""
        key = ("found", id(index))
        if key not in self.memo:
            self.memo[key] = index.find(self.words, self.near)
        return cast("list[Mention[T]]", self.memo[key])

    def __post_init__(self) -> None:
        self._raw_words = re.findall(r"\w+", self.raw)  # split as fold() splits

    def capitalized(self, span: tuple[int, int]) -> bool:
        """Whether the words of a span are written with a capital (not just starting the question)."""
        first = self.owner[span[0]]
        return 0 < first < len(self._raw_words) and self._raw_words[first][:1].isupper()

    def written_capitalized(self, folded_index: int) -> bool:
        """Whether a folded word is written with a capital (not the question's first word)."""
        return 0 < folded_index < len(self._raw_words) and self._raw_words[folded_index][:1].isupper()

    def written(self, span: tuple[int, int]) -> str:
        """The span as the member wrote it."""
        first, last = self.owner[span[0]], self.owner[span[1] - 1]
        return " ".join(self._raw_words[first : last + 1])

    def folded_of(self, spans: list[tuple[int, int]]) -> set[int]:
        """The folded words that the token spans cover."""
        return {self.owner[i] for start, end in spans for i in range(start, end)}

    def content(self, covered: set[int]) -> list[int]:
        """Folded words outside `covered` that say something: not free words, not years."""
        return [
            i
            for i, w in enumerate(self.folded)
            if i not in covered and w not in FREE and not YEAR.match(w) and not w.isdigit()
        ]

    def years(self) -> list[int]:
        return [int(w) for w in self.words if YEAR.match(w)]

    def refers_to_person(self) -> bool:
        return any(w in PERSON_REFERENCE for w in self.folded)


def parse(text: str, vocabulary: Words) -> Question:
    raw = plain(text)[:MAX_QUESTION_LENGTH]
    folded = fold(raw).split()
    words, owner = [], []
    for i, word in enumerate(folded):
        for token in _tokens(word):
            words.append(token)
            owner.append(i)
    q = Question(raw, words, owner, folded, cyrillic=bool(re.search("[а-яё]", raw.lower())))
    q.near = [_near(vocabulary, w, q.cyrillic) for w in words]
    return q


@functools.lru_cache(maxsize=16384)
def _tokens(word: str) -> tuple[str, ...]:
    """A folded word in ASCII tokens: "сталкер" is ("stalker",), "8½" is ("8", "1", "2")."""
    return tuple(fold(anyascii(word)).split())


def _near(vocabulary: Words, word: str, cyrillic: bool) -> dict[str, int]:
    if word in FREE or word in QUESTION_WORDS:
        return {word: 0} if word in vocabulary else {}
    found = vocabulary.near(word)
    if word in NUMERALS:  # "Part 2" is "Part II"
        found = {**found, NUMERALS[word]: 0}
    if not found and cyrillic:  # Russian case endings: Сталкера, Соляриса, Тарковским
        for ending in RUSSIAN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                stem = word[: -len(ending)]
                # a word that the stem begins is the same word in another case, not a typo
                found = {w: 0 if w.startswith(stem) else d for w, d in vocabulary.near(stem).items()}
                if found:
                    break
    return found
