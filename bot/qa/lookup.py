"""What the cogs need of the fact store, in one place: films by id or title, choices, suggestions."""

from __future__ import annotations

from ..facts.model import Film
from .catalog import Catalog, FilmRef
from .engine import Answerer
from .suggest import suggest


class FilmLookup:
    def __init__(self, answerer: Answerer) -> None:
        self._answerer = answerer
        self._catalog: Catalog = answerer.catalog

    def film(self, film_id: str) -> Film:
        return self._catalog.film(film_id)

    def ref(self, film_id: str) -> FilmRef | None:
        return self._catalog.films.get(film_id)

    def find(self, text: str) -> FilmRef | None:
        """The film of an autocompleted id, or of a typed title (typos and other scripts allowed)."""
        return self._catalog.films.get(text) or self._answerer.find_film(text)

    def suggest(self, text: str) -> FilmRef | None:
        """A known film whose title is close to `text`."""
        return suggest(self._catalog, self._answerer.parse(text))

    def choices(self, current: str, limit: int, *, curated: bool = False) -> list[tuple[str, str]]:
        """(label, film id) of the films whose titles match what is being typed."""
        found = self._catalog.search_titles(current, limit, curated_only=curated)
        return [(self._catalog.choice_label(ref), ref.id) for ref in found]

    def is_person(self, name: str) -> bool:
        return self._catalog.person_id(name) is not None

    def curated_ids(self) -> list[str]:
        return sorted(self._catalog.films.curated_ids())

    def stored_films(self, *, curated: bool) -> list[Film]:
        return self._catalog.stored_films(curated=curated)

    def person_aliases(self) -> dict[str, list[str]]:
        return self._catalog.person_aliases()

    def size(self) -> tuple[int, int]:
        """(films, facts) in the fact store."""
        return len(self._catalog.films), self._catalog.fact_count
