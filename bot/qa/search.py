"""Facts that answer a question: of the type it asks, about what its words say.

A fact answers when it records an answer to the question word (`answers: [why]` for "why") and
its text, topics and subjects meet the question's content words, each word or one of its
synonyms ("leave" meets "fired", "critics" meets "reception"), allowing one word in three to go
unmatched in longer questions.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from ..text import fold
from .asked import Want
from .question import FREE
from .words import stem

# The question word a fact must answer for each type of question; the others take any fact.
WANT_ANSWERS = {
    Want.REASON: "why",
    Want.DURATION: "how long",
    Want.AMOUNT: "how much",
    Want.COUNT: "how many",
    Want.TIME: "when",
    Want.PLACE: "where",
    Want.PERSON: "who",
    Want.MANNER: "how",
    Want.DEFINE: "what",
    Want.AGE: "how old",  # no fact records ages: "how old was Tarkovsky?" is "I don't know"
}

# Words a member may use for what a fact says with other words. Each group is one idea.
_SYNONYMS = [
    "leave left quit fired fire sacked dismissed replaced removed departed",
    "change changed changes different another replaced replacement switch switched",
    "considered counted regarded seen deemed",
    "now today later currently",
    "abandon abandoned abandoning quit gave",
    "take takes took guide guides guided lead leads led bring brings",
    "critics critic critical reception received reviews reviewed review reaction react reacted think thought "
    "acclaim acclaimed say said",
    "flop flopped bombed badly poorly failure",
    "middle center centre heart core",
    "first initially originally release released premiere",
    "want wants wanted seek seeks seeking after looking goal goals motive motives motivation motivates "
    "motivated desire desires",
    "shoot shooting shot shots filming filmed footage reshoot",
    "award awards prize prizes won win wins winner oscar oscars academy",
    "music score soundtrack song songs theme",
    "location locations place filmed where",
    "meaning mean means meant definition define",
    "name named names called title titled",
    "ending end ends final last",
    "quote quotes line lines says said say",
    "set setting history period during era",
    "lost missing destroyed",
    "banned ban withdrawn withdrew censored pulled",
    "tv television series show",
    "remake remade remakes",
    "see seen showed shown show visible",
    "barely rarely less seldom hardly",
    "effect effects special visual",
    "design designed designer created creature",
    "camera cinematography cinematographer cameraman operate operated operator operating",
    "money budget cost costs",
    "tickets boxoffice audience sold gross",
    "cult legacy influence influential landmark classic",
    "die died death dead",
    "problem problems trouble troubles troubled issue issues difficult difficulties unusable broke broken "
    "failed wrong improperly",
    "instrument instruments theremin zither piano guitar organ strings violin synthesizer trautonium "
    "harmonica",
]
_GROUP: dict[str, set[str]] = {}
for _line in _SYNONYMS:
    _words = set(_line.split())
    for _w in _words:
        _GROUP.setdefault(_w, set()).update(_words)

# Phrases written as one idea, on both sides: "re-shot", "second shoot" and "reshoot" meet; a few
# Russian words (transliterated) meet the English facts.
_PHRASES = [
    (
        re.compile(
            r"\b(re ?(shot|shoot|shooting|shoots|filmed|filming)|second shoot\w*|shoot(ing)? (it )?again"
            r"|peresn\w*|peresem\w*)\b"
        ),
        "reshoot",
    ),
    (re.compile(r"\bkritik\w*"), "critics"),
    (re.compile(r"\b(nagrad\w*|premi[iy]\w*|oskar\w*)\b"), "award"),
    (re.compile(r"\btook over\b|\btake over\b|\btaking over\b"), "replaced"),
    (re.compile(r"\b(came|come|comes|coming) up( with)?\b|\bthought of\b|\bconceived\b"), "idea"),
    (re.compile(r"\b(came|come|comes) out\b|\bat the time\b"), "release"),
    (re.compile(r"\b(get|gets|got|getting|go|goes|went) (in|into|inside)\b"), "enter"),
    (re.compile(r"\b(stand|stands|standing|stood) out\b"), "prominent"),
    (re.compile(r"\b(end|ends|ended|wind|winds|wound) up\b"), ""),
    (re.compile(r"\bumer\w*|\bsmert\w*"), "died"),
    (re.compile(r"\bbox office\b"), "boxoffice tickets"),
]
# Words too general to require: the question is still about the same thing without them.
WEAK = frozenset(
    "first original main whole exact big little famous really happen happened happens "
    "make made making use used mean behind thing things stuff kind other others instead else cause caused "
    "causes come comes came almost special story plot work prishlos nado".split()
)


@functools.lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """Folded ASCII text with the multi-word ideas joined."""
    text = fold(anyascii(text))
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text


@functools.lru_cache(maxsize=16384)
def expand(word: str) -> frozenset[str]:
    """A question word and its synonyms, stemmed (never to a word that says nothing, as "film")."""
    return frozenset({s for s in (stem(w) for w in _GROUP.get(word, {word})) if s not in FREE} | {stem(word)})


@dataclass(frozen=True)
class Candidate:
    """A fact (or synopsis) that might answer, with what it is about."""

    film_id: str
    text: str
    source: str | None
    haystack: frozenset[str]  # its normalised words, topics and subjects
    answers: frozenset[str]
    kind: str = "fact"  # or "synopsis"


def haystack(*texts: Iterable[str] | str) -> frozenset[str]:
    """The normalised words of texts (a fact's text, topics, subjects, people), for matching."""
    return _haystack(tuple(t if isinstance(t, str) else tuple(t) for t in texts))


@functools.lru_cache(maxsize=4096)
def _haystack(texts: tuple[str | tuple[str, ...], ...]) -> frozenset[str]:
    words: set[str] = set()
    for text in texts:
        for part in [text] if isinstance(text, str) else text:
            words.update(normalise(part).split())
    return frozenset(words)


def matches(word: str, hay: frozenset[str]) -> bool:
    """Whether `word` or a synonym starts a word of `hay` ("shoot" meets "shooting"; a stem of
    under three letters must be the whole word), or a long word is one typo from one ("recieved")."""
    beginnings, long_words = _beginnings(hay)
    if any(s in beginnings for s in expand(word)):
        return True
    if len(word) < 5 or not long_words:
        return False
    return (
        process.extractOne(word, long_words, scorer=DamerauLevenshtein.distance, score_cutoff=1) is not None
    )


@functools.lru_cache(maxsize=4096)
def _beginnings(hay: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The words of `hay` and their beginnings of three letters or more; its words of five or more."""
    found = set(hay)
    for word in hay:
        found.update(word[:n] for n in range(3, len(word)))
    return frozenset(found), tuple(w for w in hay if len(w) >= 5)


def prefixes(texts: Iterable[str]) -> frozenset[str]:
    """Every beginning of three letters or more of the texts' normalised words."""
    found: set[str] = set()
    for text in texts:
        for word in normalise(text).split():
            found.update(word[:n] for n in range(3, len(word) + 1))
    return frozenset(found)


def enough_known(words: list[str], known: Container[str]) -> bool:
    """Whether enough of `words` (or their synonyms) begin words of some fact to be worth a search."""
    strong = [w for w in words if w not in WEAK]
    found = sum(1 for w in strong if any(s in known for s in expand(w) if len(s) >= 3))
    return bool(strong) and found >= len(strong) - (len(strong) >= 4)


def score(words: list[str], candidate: Candidate) -> int:
    return sum(1 for w in words if matches(w, candidate.haystack))


def enough(words: list[str], candidate: Candidate, *, every: bool = False) -> int | None:
    """How many words meet the candidate, if enough do: all words of a short question, all but
    one of three in a longer one (words too general to require left aside); None if too few.
    With `every` (no film named), all but one of four or more."""
    strong = [w for w in words if w not in WEAK]
    matched = score(strong, candidate)
    needed = len(strong) - (len(strong) >= 4 if every else len(strong) // 3)
    return matched if strong and matched >= needed else None


def best(
    words: list[str],
    want: Want,
    candidates: Iterable[Candidate],
    *,
    most: int = 2,
    question: str = "",
    every: bool = False,
) -> list[Candidate]:
    """The candidates that answer `want` and meet enough of `words`, best first; among equals, the
    ones that share more word pairs with the `question` ("into the Zone")."""
    answer = WANT_ANSWERS.get(want)
    pairs = _pairs(question)
    scored = []
    for c in candidates:
        if answer is not None and answer not in c.answers:
            continue
        matched = enough(words, c, every=every)
        if matched is not None:
            weak = score([w for w in words if w in WEAK], c)
            shared = len(pairs & _pairs(c.text)) - (c.kind == "synopsis") / 2  # a fact before the synopsis
            scored.append((matched + weak, shared, c))
    if not scored:
        return []
    top = max(m for m, _, _ in scored)
    tied = sorted((s for s in scored if s[0] == top), key=lambda s: -s[1])
    return [c for _, p, c in tied if p == tied[0][1]][:most]


def _pairs(text: str) -> set[tuple[str, str]]:
    """Consecutive words, where at least one says something: ("the", "professor"), not ("is", "the")."""
    words = normalise(text).split()
    return {(a, b) for a, b in itertools.pairwise(words) if a not in FREE or b not in FREE}


NEGATION = frozenset("no not never without nor none isn't wasn't".split())


def denies(text: str, words: list[str]) -> bool:
    """Whether a fact says "no" to one of the question's words ("It has no intertitles")."""
    said = normalise(text).split()
    for i, token in enumerate(said):
        if any(matches(w, frozenset([token])) for w in words) and NEGATION & set(said[max(0, i - 2) : i]):
            return True
    return False


def question_words(folded: list[str], indexes: list[int]) -> list[str]:
    """The normalised content words of a question (phrases joined, as in the facts), with the ideas
    of its phrases of small words ("how do they get in": "enter")."""
    words = [w for w in normalise(" ".join(folded[i] for i in indexes)).split() if len(w) > 1]
    whole = fold(anyascii(" ".join(folded)))
    for pattern, replacement in _PHRASES:
        if replacement and pattern.search(whole):
            words += [w for w in replacement.split() if w not in words]
    return words
