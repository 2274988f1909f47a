"""Typed answers: compared after normalisation, with typo tolerance that grows with the answer.

"the Seven Samurai", "seven samurai!" and "Seven Samuria" all match "Seven Samurai"; numbers must
be exact (1978 is not 1979, however close the spelling), and a unit after one is the question's to
give ("163 min" is 163). Scripts are folded ("Сталкер" is "Stalker"), initialisms may be dotted
("U.S.S.R."), and a country's name in OTHER_NAMES stands for its others ("СССР" is "Soviet Union").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import OSA

from ..text import TITLE_ARTICLES, match_key, typo_tolerance

_DIGITS = re.compile(r"\d+")
_GLUED_UNIT = re.compile(r"\b(\d+)([a-z]+)\b")  # "163min"
_INITIALS = re.compile(r"\b[a-z](?: [a-z]\b)+")  # "u s s r", from "U.S.S.R."
# Words after a number that only repeat what the question asked for ("163 minutes", "3 Oscars").
UNITS = frozenset(
    "min mins minute minutes h hr hrs hour hours sec secs second seconds year years yr yrs "
    "times oscars awards films movies".split()
)
# A country's name as the data gives it, first, then its other names, abbreviations and scripts,
# accepted for it. Only the first calls up the others: "Us" (2019) does not make "USA" right.
OTHER_NAMES = (
    ("Soviet Union", "USSR", "Union of Soviet Socialist Republics", "СССР", "Советский Союз"),
    ("United States", "US", "USA", "United States of America"),
    ("United Kingdom", "UK", "Great Britain", "Britain"),
    ("West Germany", "FRG", "BRD", "Federal Republic of Germany", "Bundesrepublik Deutschland"),
    ("East Germany", "GDR", "DDR", "German Democratic Republic", "Deutsche Demokratische Republik"),
    ("Germany", "Deutschland"),
    ("Japan", "Nippon", "Nihon", "日本"),
    ("Italy", "Italia"),
    ("Spain", "España"),
    ("Sweden", "Sverige"),
    ("Poland", "Polska"),
    ("Russia", "Russian Federation", "Россия"),
    ("Czech Republic", "Czechia"),
    ("Czechoslovakia", "Československo"),
    ("Netherlands", "Holland"),
    ("South Korea", "Republic of Korea", "대한민국"),
    ("People's Republic of China", "China", "PRC", "中华人民共和国"),
    ("Hong Kong", "HK", "香港"),
)


def normalise(text: str) -> str:
    """Case, accents, scripts and punctuation folded; "&" read as "and"; a leading article dropped;
    initials joined; a unit after a number dropped."""
    key = _GLUED_UNIT.sub(r"\1 \2", match_key(text.replace("&", " and ")))
    words = _INITIALS.sub(lambda m: m[0].replace(" ", ""), key).split()
    if len(words) > 1 and words[0] in TITLE_ARTICLES:
        words = words[1:]
    kept = [w for i, w in enumerate(words) if not (i and w in UNITS and words[i - 1].isdigit())]
    return " ".join(kept)


_OTHERS = {normalise(group[0]): group[1:] for group in OTHER_NAMES}


class AnswerMatcher:
    """Matches guesses against every accepted form of one answer."""

    def __init__(self, accepted: Iterable[str]) -> None:
        forms = [normalise(a) for a in accepted]
        forms += [normalise(other) for form in forms for other in _OTHERS.get(form, ())]
        self.forms = [form for form in dict.fromkeys(forms) if form]

    def matches(self, guess: str) -> bool:
        guess = normalise(guess)
        if not guess:
            return False
        for form in self.forms:
            if _DIGITS.findall(form) != _DIGITS.findall(guess):
                continue  # a different number is a different answer
            limit = typo_tolerance(form)
            if OSA.distance(guess, form, score_cutoff=limit) <= limit:
                return True
        return False
