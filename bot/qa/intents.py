"""What a question asks for, from its words (English and Russian), once titles and names are removed."""

from __future__ import annotations

import re
from enum import Enum

from .words import Vocabulary


class Intent(Enum):
    RECEPTION = "reception"  # answered from facts
    BASED_ON_AUTHOR = "based_on_author"
    BASED_ON = "based_on"
    COMPOSER = "composer"
    CINEMATOGRAPHER = "cinematographer"
    WRITERS = "writers"
    CHARACTER = "character"  # which character an actor plays
    DIRECTOR = "director"
    RUNTIME = "runtime"
    BUDGET = "budget"
    BOX_OFFICE = "box_office"
    RELEASE = "release"
    COUNTRY = "country"
    LANGUAGE = "language"
    GENRE = "genre"
    STUDIO = "studio"
    CAST = "cast"
    SYNOPSIS = "synopsis"


# In priority order: the first that matches is what is asked, e.g. "who wrote the music" is COMPOSER.
_PATTERNS: list[tuple[Intent, str]] = [
    (
        Intent.RECEPTION,
        r"\b(receiv\w*|reception|reviews?|reviewed|critic\w*|acclaim\w*|legacy|influen\w*|cult)\b"
        r"|критик|приня",
    ),
    (
        Intent.BASED_ON_AUTHOR,
        r"\b(who wrote|author|written by|wrote)\b.*\b(novel|book|story|novella|play|source)\b"
        r"|\b(novel|book|story|novella)\b.*\b(who wrote|written by|author)\b"
        r"|(кто|автор)\w*.*(роман|книг|повест|рассказ)",
    ),
    (
        Intent.BASED_ON,
        r"\bbased\b|\badapt\w*|\bsource (novel|material|book)\b|\bnovel\b|\bbook\b"
        r"|по мотивам|экранизац|основан|по роману|по книге|по повести",
    ),
    (Intent.COMPOSER, r"\b(music\w*|composer|composed|score|soundtrack|instrument\w*)\b|композитор|музык"),
    (
        Intent.CINEMATOGRAPHER,
        r"\b(cinematograph\w*|photography|dop|dp|camera\w*|shot (it|the film|the movie)|who shot|lensed)\b"
        r"|оператор",
    ),
    (Intent.WRITERS, r"\b(screenplay|script\w*|screenwriter\w*|writers?|write|wrote|written)\b|сценари"),
    (
        Intent.CHARACTER,
        r"\b(which|what) (character|role|part)\b|\bwho did\b.*\bplay\b|\bplay(ed|s)? (the role|as)\b"
        r"|\bcharacter\b|кого (играл|сыграл)|какую роль|роль",
    ),
    (Intent.DIRECTOR, r"\b(direct\w*|filmmaker|helm\w*|who made)\b|режисс|снял|постановщик|поставил"),
    (
        Intent.RUNTIME,
        r"\b(how long|run ?time|running time|length|minutes|duration|long is)\b"
        r"|длительн|продолжительн|сколько минут|как долго|сколько длится",
    ),
    (Intent.BUDGET, r"\b(budget|cost|costs)\b|бюджет|стоил"),
    (
        Intent.BOX_OFFICE,
        r"\b(box office|gross\w*|tickets?|earn\w*|admissions|how many (people|viewers)|sold|success\w*)\b"
        r"|касс|билет|зрител|сборы",
    ),
    (
        Intent.RELEASE,
        r"\b(year|when|released?|release date|come out|came out|premiere\w*|date|how old)\b"
        r"|год|когда|вышел|премьер|дата",
    ),
    (
        Intent.COUNTRY,
        r"\b(country|countries|nation\w*|where was it (made|produced|filmed)|where is it from)\b"
        r"|стран|где снят",
    ),
    (Intent.LANGUAGE, r"\b(language|languages|spoken|speak)\b|язык"),
    (Intent.GENRE, r"\b(genre|genres|what kind of|what type of|what sort of|category)\b|жанр"),
    (Intent.STUDIO, r"\b(studio|studios|production compan\w*|produced|producer|made by)\b|студи"),
    (
        Intent.CAST,
        r"\b(cast|star\w*|actors?|actress\w*|who (is|was|were|are) in|appear\w*)\b"
        r"|\b(plays?|played|act|acted|acting|voiced?)\b|в ролях|актер|актрис|играл|сыграл|снимал|играет",
    ),
    (
        Intent.SYNOPSIS,
        r"\b(about|plot|story|synopsis|summary|summari[sz]e|happens|premise|describe)\b|о чем|сюжет|про что",
    ),
]
_COMPILED = [(intent, re.compile(pattern)) for intent, pattern in _PATTERNS]

# Question words worth correcting when mistyped ("who direced", "composr"): long enough to be unambiguous.
_KEYWORDS = Vocabulary()
_KEYWORDS.add(
    "directed director directors released release screenplay screenwriter written composer composed music "
    "soundtrack cinematographer cinematography photography starred starring actors actress budget language "
    "languages country countries runtime minutes genre studio adapted adaptation novel based played".split()
)


def intents_of(text: str) -> list[Intent]:
    """Every intent the (folded) text expresses, in priority order; mistyped keywords are corrected."""
    words = []
    for word in text.split():
        near = _KEYWORDS.near(word) if len(word) >= 6 and word not in _KEYWORDS else {}
        words.append(min(near, key=near.__getitem__) if near else word)
    corrected = " ".join(words)
    return [intent for intent, pattern in _COMPILED if pattern.search(corrected)]
