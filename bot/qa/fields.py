"""A film's fields as sentences, each with the source of that field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from ..facts.model import Film
from .answer import Answer
from .catalog import FilmRef

THE_COUNTRY = re.compile(r"\b(Union|United|Republic|Kingdom|States|Netherlands|Emirates)\b")
# The field names of asked.FIELDS, as a member reads them in "I know its ...".
KNOWN = {
    "directors": "director",
    "writers": "writers",
    "based_on": "source",
    "cast": "cast",
    "composers": "composer",
    "cinematographers": "cinematographer",
    "release_date": "release date",
    "runtime": "runtime",
    "genres": "genre",
    "countries": "country",
    "languages": "language",
    "studios": "studio",
    "budget": "budget",
    "box_office": "box office",
}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


CAST_SHOWN = 8  # a catalogue lists every player: the leads first, then how many more


def join(names: list[str] | tuple[str, ...]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def country_names(countries: tuple[str, ...]) -> list[str]:
    return [f"the {c}" if THE_COUNTRY.search(c) else c for c in countries]


def duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def reply(text: str, ref: FilmRef, film: Film, key: str, names: tuple[str, ...] = ()) -> Answer:
    return Answer(True, text, ref, film.source_of(key), names=names)


def sources(*found: str | None) -> str | None:
    unique = list(dict.fromkeys(s for s in found if s))
    return "; ".join(unique) or None


def field_answer(film: Film, ref: FilmRef, name: str) -> Answer | None:
    """The sentence for one field of `film`, or None if the store does not hold it."""
    answer = _field_answer(film, ref, name)
    return dataclasses.replace(answer, field=name) if answer is not None else None


def _field_answer(film: Film, ref: FilmRef, name: str) -> Answer | None:
    label = film.label
    if name == "director" and film.directors:
        return reply(
            f"{label} was directed by {join(film.directors)}.", ref, film, "directors", film.directors
        )
    if name == "release":
        if film.release_date:
            date = dt.date.fromisoformat(film.release_date)
            return reply(
                f"{film.title} was first released on {date.day} {date:%B %Y}.", ref, film, "release_date"
            )
        return reply(f"{film.title} was released in {film.year}.", ref, film, "year")
    if name == "writers" and film.writers:
        return reply(f"{label} was written by {join(film.writers)}.", ref, film, "writers", film.writers)
    if name == "source_title" and film.based_on and film.based_on.original_title:
        b = film.based_on
        text = f"{label} is based on {b.title}, whose original title is {b.original_title}."
        return reply(text, ref, film, "based_on", b.authors)
    if name in ("based_on", "based_on_author") and film.based_on:
        b = film.based_on
        what = " ".join(x for x in (str(b.year) if b.year else "", b.kind or "work") if x)
        by = f" by {join(b.authors)}" if b.authors else ""
        article = "an" if what[:1] in "aeiou8" or what.startswith("11") else "a"
        return reply(
            f"{label} is based on {b.title}, {article} {what}{by}.", ref, film, "based_on", b.authors
        )
    if name == "cast" and film.cast:
        shown = film.cast[:CAST_SHOWN]
        people = [f"{c.actor} ({c.character})" if c.character else c.actor for c in shown]
        if more := len(film.cast) - len(shown):
            people.append(f"{more} other{'s' if more > 1 else ''}")
        names = tuple(c.actor for c in shown)
        return reply(f"{label} stars {join(people)}.", ref, film, "cast", names)
    if name == "composer" and film.composers:
        text = f"The music of {label} is by {join(film.composers)}."
        music = next((f for f in film.facts if {"music", "score"} & (set(f.topics) | set(f.about))), None)
        if music is not None:
            source = sources(film.source_of("composers"), music.source)
            return Answer(True, f"{text} {music.text}", ref, source, names=film.composers)
        return reply(text, ref, film, "composers", film.composers)
    if name == "cinematographer" and film.cinematographers:
        text = f"The cinematography of {label} is by {join(film.cinematographers)}."
        change = next((f for f in film.facts if "cinematographer" in f.topics), None)
        if change is not None:  # e.g. a change of cinematographer during the shoot
            source = sources(film.source_of("cinematographers"), change.source)
            return Answer(True, f"{text} {change.text}", ref, source, names=film.cinematographers)
        return reply(text, ref, film, "cinematographers", film.cinematographers)
    if name == "budget" and film.budget:
        return reply(f"The budget of {label} was {film.budget}.", ref, film, "budget")
    if name == "box_office" and film.box_office:
        return reply(f"At the box office, {label}: {film.box_office}.", ref, film, "box_office")
    if name == "country" and film.countries:
        return reply(f"{label} was made in {join(country_names(film.countries))}.", ref, film, "countries")
    if name == "language" and film.languages:
        return reply(f"{label} is in {join(film.languages)}.", ref, film, "languages")
    if name == "runtime" and film.runtime:
        text = f"{label} runs {film.runtime} minutes ({duration(film.runtime)})."
        return reply(text, ref, film, "runtime")
    if name == "genre" and film.genres:
        return reply(f"{label} is a {' / '.join(g.lower() for g in film.genres)} film.", ref, film, "genres")
    if name == "studio" and film.studios:
        return reply(f"{label} was produced by {join(film.studios)}.", ref, film, "studios")
    if name == "synopsis" and film.synopsis:  # the catalogue's films have none
        return reply(f"{label}: {film.synopsis}", ref, film, "synopsis")
    if name == "original_title" and film.original_title and film.original_title != film.title:
        return reply(f"The original title of {label} is {film.original_title}.", ref, film, "original_title")
    return None


def known_fields(film: Film) -> list[str]:
    """What the store holds about a film, as a member reads it."""
    found = [label for key, label in KNOWN.items() if getattr(film, key)]
    if film.facts:
        found.append(f"{len(film.facts)} fact{'s' if len(film.facts) > 1 else ''}")
    return found
