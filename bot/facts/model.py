"""The film model of the fact store: plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Credit:
    actor: str
    character: str | None = None


@dataclass(frozen=True)
class BasedOn:
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    kind: str | None = None
    original_title: str | None = None


@dataclass(frozen=True)
class Award:
    name: str  # "Palme d'Or", "Best Picture"
    event: str  # "Cannes Film Festival", "Academy Awards"
    year: int  # of the festival or the ceremony


@dataclass(frozen=True)
class Fact:
    text: str
    source: str | None = None
    topics: tuple[str, ...] = ()  # free words a question might use
    about: tuple[str, ...] = ()  # what it is about, from FACT_SUBJECTS
    people: tuple[str, ...] = ()  # real people it names, by their one name
    answers: tuple[str, ...] = ()  # question words it answers, from FACT_ANSWERS
    awards: tuple[Award, ...] = ()


# What a fact can be about, and which question words it can answer (data/films/README.md).
FACT_SUBJECTS = frozenset(
    "production filming location casting characters direction writing source music cinematography "
    "editing design effects reception awards box-office release title plot setting themes style scenes "
    "quotes legacy versions history career restoration censorship".split()
)
FACT_ANSWERS = frozenset(["who", "when", "where", "why", "how", "how long", "how many", "how much", "what"])


@dataclass(frozen=True)
class Film:
    id: str  # the file name without .yaml, e.g. "stalker-1979"
    title: str
    year: int
    directors: tuple[str, ...]
    synopsis: str
    original_title: str | None = None
    aliases: tuple[str, ...] = ()
    release_date: str | None = None
    writers: tuple[str, ...] = ()
    based_on: BasedOn | None = None
    cast: tuple[Credit, ...] = ()
    cinematographers: tuple[str, ...] = ()
    composers: tuple[str, ...] = ()
    studios: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    runtime: int | None = None
    genres: tuple[str, ...] = ()
    budget: str | None = None
    box_office: str | None = None
    prominence: int = 50
    facts: tuple[Fact, ...] = ()
    source: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    wikidata: str | None = None  # e.g. "Q200437": how a catalogue row is matched to a curated film
    imdb: str | None = None

    @property
    def titles(self) -> tuple[str, ...]:
        """Every title the film is known by: the usual one first."""
        extra = (self.original_title,) if self.original_title else ()
        return (self.title, *extra, *self.aliases)

    def source_of(self, key: str) -> str | None:
        """Where the value of `key` comes from, if the data says."""
        return self.sources.get(key, self.source)

    @property
    def label(self) -> str:
        return film_label(self.title, self.year)


def film_label(title: str, year: int) -> str:
    """How a film is named to members: "Stalker (1979)"."""
    return f"{title} ({year})"


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
