"""Discussion prompts for a featured film: open questions that claim no fact about it."""

from __future__ import annotations

import random
from datetime import date

from ..facts.model import Film

PROMPTS = (
    "Have you seen {title}? Which moment stayed with you longest?",
    "If you could show a friend one scene of {title}, which would it be, and why?",
    "What does {title} do that a film made today would not?",
    "Who is the character in {title} you understood best, and who the least?",
    "How did {title} change for you on a second viewing, or what would you look for on one?",
    "What is {title} really about, in one sentence? Disagree with the sentence above yours.",
    "Which film would you pair with {title} for a double bill, and why?",
)


def prompt_for(film: Film, day: date) -> str:
    return random.Random(f"{film.id}:{day.isoformat()}").choice(PROMPTS).format(title=film.title)
