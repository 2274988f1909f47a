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
    attributed: bool = False  # its source's claim alone, or contested: said as that source's

    @property
    def shown(self) -> str:
        """The fact as members read it."""
        return f"According to “{self.source}”: {self.text}" if self.attributed else self.text


# What a fact can be about, and which question words it can answer (data/films/README.md).
FACT_SUBJECTS = frozenset(
    "production filming location casting characters direction writing source music cinematography "
    "editing design effects reception awards box-office release title plot setting themes style scenes "
    "quotes legacy versions history career restoration censorship".split()
)
FACT_ANSWERS = frozenset(["who", "when", "where", "why", "how", "how long", "how many", "how much", "what"])


# `sources: {credits: ...}` names the document of every credit whose key has no source of its own
# (the film's on-screen credits, as a rule; the production companies there make its countries);
# "characters" are the cast's roles. `sources: {film: ...}` does the same for what the film itself
# shows: the languages spoken, its length.
CREDITS = "credits"
CREDIT_KEYS = frozenset(
    "original_title directors writers based_on cast characters cinematographers composers studios "
    "distributors countries".split()
)
FILM = "film"
SHOWN_KEYS = frozenset(["languages", "runtime"])
# Genres are a judgement, not a record: unless a source agrees, they are the store's own.
OWN_CLASSIFICATION = "the fact store's own classification"
# What an answer can give besides the synopsis (our own words) and the facts (each with its source).
ANSWERED_KEYS = (
    "year original_title release_date directors writers based_on cast characters cinematographers "
    "composers studios distributors countries languages runtime genres budget box_office"
).split()


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
    studios: tuple[str, ...] = ()  # production companies
    distributors: tuple[str, ...] = ()
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
        if key in self.sources:
            return self.sources[key]
        if key in CREDIT_KEYS and CREDITS in self.sources:
            return self.sources[CREDITS]
        if key in SHOWN_KEYS and FILM in self.sources:
            return self.sources[FILM]
        if key == "genres" and not self.source:
            return OWN_CLASSIFICATION
        return self.source

    @property
    def label(self) -> str:
        return film_label(self.title, self.year)

    def unsourced(self) -> list[str]:
        """The keys with a value but no source, and the facts without one ("fact 2")."""
        keys = [k for k in ANSWERED_KEYS if self.has(k) and not self.source_of(k)]
        return keys + [f"fact {i}" for i, fact in enumerate(self.facts, 1) if not fact.source]

    def has(self, key: str) -> bool:
        if key == "characters":
            return any(c.character for c in self.cast)
        return bool(getattr(self, key))

    def answered(self) -> int:
        """How many values and facts an answer can give (what `unsourced` counts from)."""
        return sum(self.has(k) for k in ANSWERED_KEYS) + len(self.facts)


def film_label(title: str, year: int) -> str:
    """How a film is named to members: "Stalker (1979)"."""
    return f"{title} ({year})"


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
