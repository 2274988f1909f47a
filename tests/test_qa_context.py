"""Conversation context: per channel, in memory, bounded and expiring."""

from bot.qa.answer import Answer
from bot.qa.catalog import FilmRef
from bot.qa.context import Context, Conversations

STALKER = FilmRef("stalker-1979", "Stalker", 1979, 95)
SOLARIS = FilmRef("solaris-1972", "Solaris", 1972, 90)


def test_context_expires_after_its_time() -> None:
    now = [0.0]
    talk = Conversations(ttl=900, clock=lambda: now[0])
    talk.remember(1, Answer(True, "…", STALKER, names=("Andrei Tarkovsky",)))
    now[0] = 899
    assert talk.get(1) == Context("stalker-1979", "Andrei Tarkovsky", None)
    now[0] = 1800
    assert talk.get(1) is None and len(talk) == 0


def test_channels_do_not_share_context_and_the_oldest_is_forgotten_first() -> None:
    talk = Conversations(capacity=2)
    talk.remember(1, Answer(True, "…", STALKER))
    talk.remember(2, Answer(True, "…", SOLARIS))
    assert talk.get(3) is None
    talk.get(1)  # used: now the most recent
    talk.remember(3, Answer(True, "…", SOLARIS))
    assert talk.get(2) is None and talk.get(1) is not None and len(talk) == 2


def test_what_an_answer_leaves_behind() -> None:
    talk = Conversations()
    talk.remember(1, Answer(True, "…", STALKER, names=("Andrei Tarkovsky",), field="director"))
    asked = talk.get(1)
    # Several people named: "he" stays the one before; a film named but not answered is the film.
    talk.remember(1, Answer(True, "…", STALKER, names=("Arkady Strugatsky", "Boris Strugatsky")), asked)
    assert talk.get(1) == Context("stalker-1979", "Andrei Tarkovsky", None)
    talk.remember(1, Answer(False, "I don't know that about Solaris (1972).", SOLARIS))
    assert talk.get(1) == Context("solaris-1972", None, None)
    # A question about nothing known leaves the context as it was.
    talk.remember(1, Answer(False, "I don't know which film you mean."))
    assert talk.get(1) == Context("solaris-1972", None, None)
