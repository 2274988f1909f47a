"""Text made comparable, in one place: folding (case, accents, scripts, punctuation), the
articles titles lead with, and how many typos a word or an answer may have."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# English articles: how members' questions begin a title ("who directed the shining").
ARTICLES = frozenset({"the", "a", "an"})
# The leading articles of the store's titles, in their languages, that players leave out (or
# add) in a typed answer: "The Godfather", "La Strada", "Das Boot".
TITLE_ARTICLES = ARTICLES | frozenset("le la les l el los las der die das il lo gli".split())
CHARACTERS_PER_TYPO = 5  # a typed answer: one typo (wrong, missing, extra or swapped) per five letters


def match_key(text: str) -> str:
    """How titles and names are compared: folded, in ASCII (so Сталкер meets Stalker)."""
    return fold(anyascii(fold(text)))


def fold(text: str) -> str:
    """A key for comparing names and titles: case, accents and punctuation folded away."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def allowed_typos(word: str) -> int:
    """A word of a question, looked up in the store's words: none under 4 letters, one up to 7,
    two from 8; a number must be exact."""
    n = len(word)
    return 0 if n < 4 or word.isdigit() else 1 if n < 8 else 2


def typo_tolerance(answer: str) -> int:
    """A typed trivia answer (normalised), compared whole with what is accepted: it grows with the
    answer, so a long title may have a typo in each word."""
    return len(answer.replace(" ", "")) // CHARACTERS_PER_TYPO
