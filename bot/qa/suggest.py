"""A known film whose title is close to the words of a question: "Did you mean Stalker (1979)?"."""

from __future__ import annotations

from rapidfuzz import fuzz

from .answer import Answer
from .catalog import Catalog, FilmRef
from .question import FREE, Question


def suggest(catalog: Catalog, q: Question) -> FilmRef | None:
    best: tuple[float, FilmRef] | None = None
    content = [w for w in q.words if w not in FREE and len(w) >= 4]
    for word in content:
        for anchor in catalog.vocabulary.near(word) or {word: 0}:
            for phrase in catalog.titles.anchored(anchor):
                score = fuzz.partial_ratio(" ".join(phrase), " ".join(q.words))
                if score >= 80:
                    for ref in catalog.titles.payloads(phrase):
                        if best is None or (score, ref.prominence) > (best[0], best[1].prominence):
                            best = (score, ref)
    return best[1] if best else None


def unknown_film(catalog: Catalog, q: Question, text: str, suggestion: FilmRef | None) -> Answer:
    """ "I don't know which film you mean", with a close title if there is one."""
    suggestion = suggestion or suggest(catalog, q)
    if suggestion is not None:
        text += f" Did you mean {suggestion.label}?"
    return Answer(False, text)
