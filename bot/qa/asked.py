"""What a question asks: the type of answer it expects, and the film fields its words ask for.

Each field is answered only when the question's type fits it and every other word of the question
is explained (by the field's own words, by names, or as a word that says nothing): "how long is
it" is the runtime, "how long did the outdoor shoot take" is not, since "outdoor shoot" is left.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Set
from dataclasses import dataclass
from enum import Enum
from typing import cast

from rapidfuzz.distance import DamerauLevenshtein

from ..text import fold
from .question import FREE, QUESTION_WORDS, Question
from .words import Vocabulary


class Want(Enum):
    """The type of answer a question expects, from its question words."""

    REASON = "why"
    DURATION = "how long"
    AMOUNT = "how much"
    COUNT = "how many"
    TIME = "when"
    PLACE = "where"
    PERSON = "who"
    MANNER = "how"
    WHAT = "what"
    DEFINE = "what is"  # "what is a stalker?", "what does the title mean?"
    AGE = "how old"  # a film's age is its year; a person's, the store does not hold
    YESNO = "yes/no"
    ANY = "any"  # no question word: "stalker runtime"


_WANTS: list[tuple[Want, str]] = [
    (
        Want.REASON,
        r"\bwhy\b|\bhow come\b|\bwhat (caused|forced|made|led to|prompted)\b|\breason\b|почему|зачем",
    ),
    (
        Want.DEFINE,
        r"\bwhat (is|are|s|was|were) (a|an)\b|\bwhat (does|do|did) [\w ]{1,40} mean\b|\bmeaning of\b"
        r"|\bwhere (does|do|did) [\w ]{1,40} come from\b|\borigin of\b"
        r"|что такое|что значит|что означает",
    ),
    (
        Want.DURATION,
        r"\bhow long\b|\bhow many (years|months|weeks|days|hours|minutes)\b"
        r"|как долго|сколько( \w+)? (длится|идет|идёт|минут)",
    ),
    (Want.AMOUNT, r"\bhow much\b|сколько стоил"),
    (Want.AGE, r"\bhow old\b|сколько лет"),
    (Want.COUNT, r"\bhow many\b|\bnumber of\b|сколько"),
    (
        Want.TIME,
        r"\bwhen\b|\b(what|which) (year|date|decade|century|era)\b"
        r"|когда|в каком году|какого года",
    ),
    (Want.PLACE, r"\bwhere\b|\b(what|which) (city|place|location)\b|где"),
    (Want.PERSON, r"\b(who|whom|whose|whos)\b|кто|кем"),
    (
        Want.MANNER,
        r"\bhow (did|do|does|was|were|is|are) (they|he|she|it|\w+ \w+|\w+) "
        r"(make|made|do|done|shoot|shot|film|filmed"
        r"|create|created|achieve|achieved|get|got|build|built|design|designed)\b",
    ),
    (Want.WHAT, r"\b(what|which|whats)\b|что|какои|какая|какое|какие|какую|каком"),
]
# One pass finds them all: at a place, the first of the list that fits is the one asked.
_WANT_ANY = re.compile("|".join(f"(?P<w{i}>{pattern})" for i, (_, pattern) in enumerate(_WANTS)))
_WANT_FREE = frozenset({Want.PERSON, Want.WHAT, Want.MANNER, Want.DEFINE})  # their words say no more
_YESNO = re.compile(
    r"^(?:(?:so|and|but|hey|btw|ok|quick q|also|wait)\s+)*"
    r"(is|was|did|does|do|has|have|had|are|were|can|could|will|isn|wasn|didn|doesn|dont)\b|\bли\b"
)


@dataclass(frozen=True)
class Field:
    name: str
    key: str  # the film's field, for its source
    wants: frozenset[Want]
    cues: tuple[tuple[re.Pattern[str], ...], ...]  # any one cue, all of whose patterns match


def _field(name: str, key: str, wants: set[Want], *cues: tuple[str, ...] | str) -> Field:
    compiled = tuple(tuple(re.compile(p) for p in ((cue,) if isinstance(cue, str) else cue)) for cue in cues)
    return Field(name, key, frozenset(wants | {Want.ANY, Want.YESNO}), compiled)


P, W, T = Want.PERSON, Want.WHAT, Want.TIME
# In priority order: the first field that fits is what is asked ("who wrote the music" is the composer).
FIELDS: tuple[Field, ...] = (
    _field(
        "original_title",
        "original_title",
        {W},
        r"\boriginal (title|name)\b|\bnative title\b|оригинальн\w* назван",
    ),
    _field(
        "source_title",
        "based_on",
        {W},
        (
            r"\boriginal( \w+)? (title|name)\b|\b(title|called|named) in\b"
            r"|\b(french|russian|german|italian|japanese) title\b",
            r"\b(novel|book|story|novella|play|source)\b",
        ),
    ),
    _field(
        "based_on_author",
        "based_on",
        {P},
        (r"\b(who wrote|authors?|writer|written by|wrote)\b", r"\b(novel|book|story|novella|play|source)\b"),
        (r"автор|кто написал", r"роман|книг|повест|рассказ|пьес"),
    ),
    _field(
        "based_on",
        "based_on",
        {W},
        r"\bbased\b|\badapt\w*|\bsource (novel|material|book|text)\b|\b(novel|book)\b"
        r"|по мотивам|экранизац|основан|по роману|по книге|по повести|книг|роман",
    ),
    _field(
        "composer",
        "composers",
        {P},
        r"\b(music\w*|composer|composers|composed|score|scored|soundtrack|ost)\b|композитор|музык"
        r"|\b(wrote|write|writes|written|did|does|do)\b(?=.*\b(music|score|soundtrack)\b)|написал\w*(?=.*музык)",
    ),
    _field(
        "cinematographer",
        "cinematographers",
        {P},
        r"\b(cinematograph\w*|director of photography|photography|dop|dp|camera ?(man|men|work|operator)"
        r"|cameraman"
        r"|camera|lensed)\b"
        r"|\bwho shot\b|\bshot (it|the film|the movie)\b|оператор",
    ),
    _field(
        "writers",
        "writers",
        {P},
        r"\b(screenplay|script|scripts|scripted|screenwriter\w*|writers?|write|wrote|written|penned)\b|сценари|написал",
    ),
    _field(
        "director",
        "directors",
        {P},
        r"\b(direct\w*(?! of photography)|filmmaker|helm\w*|auteur)\b|\bwho made\b|\bmade by\b"
        r"|\bwho did(?= _\b)|\b(make|makes|made)\b"
        r"|режисс|снял|постановщик|поставил|\breali[sz]at\w*|\bregist\w*|\bregisseur\w*|"
        + "|".join(
            fold(w) for w in ("감독", "監督", "导演")
        ),  # Korean, Japanese, Chinese (folded as questions are)
    ),
    _field(
        "runtime",
        "runtime",
        {Want.DURATION, W},
        r"\b(run ?time|running time|length|lenght|minutes|mins|hours|duration|long|longer|shorter|than|over"
        r"|under)\b"
        r"|длительн|продолжительн|минут|длится",
    ),
    _field("budget", "budget", {Want.AMOUNT, W}, r"\b(budget|cost|costs)\b|бюджет|стоил"),
    _field(
        "box_office",
        "box_office",
        {Want.AMOUNT, Want.COUNT, W},
        r"\b(box office|gross\w*|tickets?|earn\w*|admissions|takings|revenue|sold|sell|make|made)\b"
        r"|касс|билет|зрител|сборы",
    ),
    _field(
        "release",
        "release_date",
        {T, W, Want.AGE},
        r"\b(year|released?|release date|come out|came out|comes out|premiere\w*|date|old|out|debut\w*"
        r"|made|produced|screen|screened|shown|first|originally|initially)\b"
        r"|\bin theaters\b|год|вышел|премьер|дата",
    ),
    _field(
        "country", "countries", {Want.PLACE, W}, r"\b(country|countries|nation\w*|from|made|produced)\b|стран"
    ),
    _field("language", "languages", {W}, r"\b(original )?(language|languages|spoken|speak|speaking)\b|язык"),
    _field("genre", "genres", {W}, r"\b(genre|genres|kind|type|sort|category)\b|жанр"),
    _field(
        "studio",
        "studios",
        {P, W},
        r"\b(studio|studios|production compan\w*|production house)\b|студи",
    ),
    _field(
        "cast",
        "cast",
        {P, W},
        r"\b(cast|star|stars|starred|starring|actors?|actress\w*|lead|leads|plays?|played|playing|acts?|acted"
        r"|acting|appear\w*|role|roles|part|character|characters|voice|voiced|voices|voicing)\b"
        r"|\bwho (is|was|s|are|were) in\b|\bwhos in\b|\b(is|was|are|were) _ (in|on)\b"
        r"|в ролях|актер|актёр|актрис|играл|сыграл|снимал|играет|снимались|снялся|роль",
    ),
    _field(
        "synopsis",
        "synopsis",
        {W},
        r"\b(about|plot|story|storyline|synopsis|summary|summari[sz]e|happens|premise|describe)\b"
        r"|о ч[её]м|сюжет|про что",
    ),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
# Nouns naming a person field: "what's the director" asks for a person, "what camera" does not.
ROLE_NOUNS = re.compile(
    r"\b(director|directors|writer|writers|screenwriters?|composer|cinematographer|dop|dp|cast|actors?|actress"
    r"|author|authors|stars|lead|leads|studio|studios|producer)\b"
)
# Verbs that any field explains once its own words are there.
FIELD_VERBS = frozenset(
    "made make makes produced created released came come comes out do did name names called behind "
    "снят сняли".split()
)
# Words around a title that only say a new film is meant: "ok different film: Ballad of a Soldier".
SWITCH = re.compile(
    r"\b(different|another|other|next|new) (film|movie|one|question)\b"
    r"|\b(remake|version|one)s? (in|from) (18|19|20)\d\d\b"
)
# A field a question may name when it asks with no question word: "who" is not needed for "director?".
DEFAULT_FIELD = {Want.TIME: "release", Want.DURATION: "runtime", Want.PLACE: "country"}

# Question words worth correcting when mistyped ("who direced", "composr"): long enough to be unambiguous.
_KEYWORDS = Vocabulary()
_KEYWORDS.add(w for w in QUESTION_WORDS if len(w) >= 5)


@dataclass(frozen=True)
class Cue:
    field: Field
    words: frozenset[int]  # the folded words of the question its patterns matched


@dataclass
class Asked:
    """What a question asks, given what its names cover."""

    wants: list[Want]
    want_words: set[int]  # folded words the question words matched ("how long", "what caused")
    cues: list[Cue]  # fields the words ask for, in priority order
    content: list[int]  # folded words that say something, outside names and question words
    corrected: list[str]  # the folded words, with mistyped question words corrected

    @property
    def want(self) -> Want:
        return self.wants[0]

    def fits(self, cue: Cue) -> bool:
        """Whether the answer type of the question fits the field."""
        want = self.want  # a definition ("what does the title mean?") is never a field
        if want in cue.field.wants:
            return True
        # "what's the director of Stalker": a person, asked with "what" and the role's noun
        text = " ".join(self.corrected[i] for i in sorted(cue.words))
        return want is Want.WHAT and Want.PERSON in cue.field.wants and bool(ROLE_NOUNS.search(text))

    def words_outside(self, covered: set[int]) -> str:
        """The (corrected) words of the question outside `covered`, as text."""
        return " ".join(w for i, w in enumerate(self.corrected) if i not in covered)

    def asking(self, field: Field) -> Asked:
        """The same question, asking for `field` (a follow-up that says only "and the Writer?")."""
        cue = Cue(field, frozenset(self.content))
        return Asked([Want.ANY], self.want_words, [cue], self.content, self.corrected)

    def left(self, cue: Cue | None, also: Set[int] = frozenset()) -> list[int]:
        """Content words that neither the field nor `also` explains."""
        explained = (cue.words if cue else frozenset()) | also
        return [i for i in self.content if i not in explained]


def read_asked(q: Question, covered: set[int]) -> Asked:
    """What `q` asks, outside the folded words `covered` by titles, names and characters."""
    key = ("asked", frozenset(covered))
    if key not in q.memo:
        q.memo[key] = _read_asked(q, covered)
    return cast(Asked, q.memo[key])


def _read_asked(q: Question, covered: set[int]) -> Asked:
    corrected = [_correct(w) if i not in covered else w for i, w in enumerate(q.folded)]
    text, offsets = _text(corrected, covered)
    # The question word asked first is what is asked: "what does Kane whisper when he dies".
    first: tuple[int, int, Want] | None = None
    if m := _YESNO.search(text):
        first = (m.start(), -1, Want.YESNO)
    want_words: set[int] = set()
    for match in _WANT_ANY.finditer(text):
        order = int(str(match.lastgroup)[1:])
        want = _WANTS[order][0]
        if first is None or (match.start(), order) < first[:2]:
            first = (match.start(), order, want)
        if want not in _WANT_FREE:
            want_words |= _words_of(match, offsets)
    wants = [first[2]] if first else []
    cues = []
    # "which studio made it", "what year was it made": the verb says nothing more than the field
    verbs = {i for i, w in enumerate(corrected) if w in FIELD_VERBS and i not in covered}
    for field in FIELDS:
        for patterns in field.cues:
            if all(p.search(text) for p in patterns):
                words = {i for p in patterns for m in p.finditer(text) for i in _words_of(m, offsets)}
                cues.append(Cue(field, frozenset(words | verbs)))
                break
    # Fields of one key explain each other's words: "who wrote the novel it is based on".
    cues = [
        Cue(c.field, frozenset().union(*(o.words for o in cues if o.field.key == c.field.key))) for c in cues
    ]
    switch = {i for m in SWITCH.finditer(text) for i in _words_of(m, offsets)}
    content = [
        i for i in q.content(covered) if i not in want_words and i not in switch and corrected[i] not in FREE
    ]
    return Asked(wants or [Want.ANY], want_words, cues, content, corrected)


_WH = ("who", "what", "when", "where", "which", "how", "why")
# Question words mistyped: "waht", "whaat", "hwo".
_QUESTION_TYPOS = {
    "waht": "what",
    "whaat": "what",
    "wat": "what",
    "wht": "what",
    "hwo": "who",
    "whoo": "who",
    "wen": "when",
    "whne": "when",
    "wher": "where",
    "whre": "where",
    "wich": "which",
    "whcih": "which",
}


def asks_with(word: str) -> bool:
    """Whether a word is one that questions ask with ("released", "who"), not a name."""
    return (
        word in FREE
        or word in _KEYWORDS
        or any(p.fullmatch(word) for f in FIELDS for cue in f.cues for p in cue)
    )


@functools.lru_cache(maxsize=8192)
def _correct(word: str) -> str:
    """A mistyped question word corrected ("direced", "basd"): one typo from four letters on."""
    if word in _QUESTION_TYPOS:
        return _QUESTION_TYPOS[word]
    if word in FREE or word in QUESTION_WORDS:
        return word  # "year" is not a mistyped "years"
    if len(word) in (3, 4):  # "whp", "whoo", "wehn"
        close = [w for w in _WH if DamerauLevenshtein.distance(word, w) == 1 and w[0] == word[0]]
        if len(close) == 1:
            return close[0]
    if len(word) < 4 or word in _KEYWORDS:
        return word
    near = {k: d for k, d in _KEYWORDS.near(word).items() if len(k) >= 5 and (d == 1 or len(word) >= 8)}
    return min(near, key=near.__getitem__) if near else word


def _text(words: list[str], covered: set[int]) -> tuple[str, list[int]]:
    """The words outside `covered` joined by spaces, and the word index at each character."""
    parts: list[str] = []
    offsets: list[int] = []
    for i, word in enumerate(words):
        if i in covered:
            if i - 1 in covered:
                continue  # a name of several words is one "_"
            word = "_"  # keeps "who played X in Y" from reading "played in"
        if parts:
            parts.append(" ")
            offsets.append(-1)
        parts.append(word)
        offsets.extend([i] * len(word))
    return "".join(parts), offsets


def _words_of(match: re.Match[str], offsets: list[int]) -> set[int]:
    return {offsets[c] for c in range(match.start(), match.end()) if offsets[c] >= 0}
