"""Pages a member can open for a film or a source: its Wikidata item, its IMDb title."""

from __future__ import annotations

import re

from .model import Film

WIKIDATA = "https://www.wikidata.org/wiki/{}"
IMDB = "https://www.imdb.com/title/{}/"
_ITEM = re.compile(r"^(?:Wikidata, (Q\d+)|IMDb, (tt\d+))\b")


def source_url(source: str | None) -> str | None:
    """The page of a source that names an item ("Wikidata, Q200437"), if it does."""
    match = _ITEM.match(source or "")
    if not match:
        return None
    return WIKIDATA.format(match[1]) if match[1] else IMDB.format(match[2])


def film_links(film: Film) -> list[tuple[str, str]]:
    """(name, address) of the film's pages that its ids are known for."""
    links = [("Wikidata", WIKIDATA.format(film.wikidata))] if film.wikidata else []
    return links + ([("IMDb", IMDB.format(film.imdb))] if film.imdb else [])
