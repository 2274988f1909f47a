"""Answers about many films: a person's films, films of a year, genre or country, comparisons of
two films, films like one, and the winners of an award."""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from dataclasses import dataclass

from ..text import match_key
from .answer import Answer
from .catalog import AwardRow, Catalog, FilmRef
from .fields import country_names, join
from .question import decade_of

SHOWN = 10  # films named in a list before "and N more"
SIMILAR_BY = {"director": "by", "writer": "written by", "author": "from a work by"}
SIMILAR_POINTS = {"director": 4, "author": 3, "writer": 2}
ROLE_KEYS = {"director": "directors", "actor": "cast", "writer": "writers", "author": "based_on"}
CURATED_BONUS = 3
ROLE_VERBS = {
    "director": "directed",
    "actor": "acted in",
    "writer": "wrote",
    "composer": "composed the music of",
    "cinematographer": "photographed",
    "author": "wrote the source of",
}
# What members call genres and countries, beside the store's own names.
GENRE_WORDS = {
    "scifi": "science fiction",
    "sci fi": "science fiction",
    "science fiction": "science fiction",
    "westerns": "western",
    "comedies": "comedy",
    "musicals": "musical",
    "thrillers": "thriller",
    "dramas": "drama",
    "documentaries": "documentary",
    "noir": "film noir",
    "noirs": "film noir",
    "animated": "animation",
    "anime": "animation",
    "cartoons": "animation",
    "horrors": "horror",
    "romances": "romance",
    "romantic": "romance",
    "war films": "war",
    "war movies": "war",
    "biopics": "biography",
    "biopic": "biography",
    "mysteries": "mystery",
    "crime films": "crime",
    "action films": "action",
    "action movies": "action",
    "fantasy": "fantasy",
    "adventure": "adventure",
    "epics": "epic",
    "sport": "sports",
}
COUNTRY_WORDS = {
    "american": ["united states"],
    "us": ["united states"],
    "usa": ["united states"],
    "hollywood": ["united states"],
    "british": ["united kingdom"],
    "uk": ["united kingdom"],
    "french": ["france"],
    "german": ["germany", "west germany", "east germany", "weimar republic"],
    "italian": ["italy"],
    "japanese": ["japan"],
    "soviet": ["soviet union"],
    "ussr": ["soviet union"],
    "russian": ["russia", "soviet union"],
    "swedish": ["sweden"],
    "indian": ["india"],
    "korean": ["south korea"],
    "chinese": ["people s republic of china", "china"],
    "spanish": ["spain"],
    "mexican": ["mexico"],
    "canadian": ["canada"],
    "australian": ["australia"],
    "polish": ["poland"],
    "danish": ["denmark"],
    "iranian": ["iran"],
    "brazilian": ["brazil"],
    "argentinian": ["argentina"],
    "argentine": ["argentina"],
    "dutch": ["netherlands"],
    "belgian": ["belgium"],
    "irish": ["ireland"],
    "norwegian": ["norway"],
    "finnish": ["finland"],
    "czech": ["czech republic", "czechoslovakia"],
    "hungarian": ["hungary"],
    "greek": ["greece"],
    "turkish": ["turkey"],
    "taiwanese": ["taiwan"],
    "thai": ["thailand"],
    "austrian": ["austria"],
    "swiss": ["switzerland"],
    "portuguese": ["portugal"],
    "israeli": ["israel"],
    "egyptian": ["egypt"],
    "yugoslav": ["yugoslavia"],
    "senegalese": ["senegal"],
}


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to."""

    years: tuple[int, int] | None = None
    tags: dict[str, set[str]] | None = None
    words: frozenset[int] = frozenset()  # the folded words of the question these came from

    def describe(self) -> str:
        parts = []
        for kind in ("country", "genre", "language"):
            for value in sorted((self.tags or {}).get(kind, ())):
                parts.append(f"{kind} {value}")
        if self.years is not None:
            low, high = self.years
            parts.append(str(low) if low == high else f"{low}–{high}")
        return ", ".join(parts)


def read_filters(catalog: Catalog, folded: list[str], covered: set[int]) -> Filters:
    """Years, decades, "after 1975", genres, countries and languages named in the question."""
    used: set[int] = set()
    span: tuple[int, int] | None = None
    for i, word in enumerate(folded):
        if i in covered:
            continue
        low = high = None
        if re.fullmatch(r"(18|19|20)\d\d", word):
            previous = folded[i - 1] if i else ""
            if previous in ("after", "since"):
                low, high = int(word) + (previous == "after"), 2100
            elif previous in ("before", "until", "till"):
                low, high = 1878, int(word) - (previous == "before")
            else:
                low = high = int(word)
            used |= {i, i - 1} if previous in ("after", "since", "before", "until", "till") else {i}
        elif (decade := decade_of(word)) is not None:
            low, high = decade, decade + 9
            used.add(i)
        if low is not None and high is not None:
            span = (low, high) if span is None else (min(span[0], low), max(span[1], high))
    tags: dict[str, set[str]] = {}
    for i, word in enumerate(folded):
        if i in covered:
            continue
        pair = f"{word} {folded[i + 1]}" if i + 1 < len(folded) else ""
        for key, size in ((pair, 2), (word, 1)):
            if not key:
                continue
            genre = GENRE_WORDS.get(key) or (key if key in catalog.tags.get("genre", ()) else None)
            singular = key[:-1] if key.endswith("s") else None
            if genre is None and singular in catalog.tags.get("genre", ()):
                genre = singular
            if genre is not None and genre in catalog.tags.get("genre", set()) | {"science fiction"}:
                tags.setdefault("genre", set()).add(genre)
                used |= set(range(i, i + size))
                break
            countries = COUNTRY_WORDS.get(key) or ([key] if key in catalog.tags.get("country", ()) else None)
            if countries:
                tags.setdefault("country", set()).update(countries)
                used |= set(range(i, i + size))
                break
            if key in catalog.tags.get("language", ()):  # "is it in mandarin?"
                tags.setdefault("language", set()).add(key)
                used |= set(range(i, i + size))
                break
    return Filters(span, tags or None, frozenset(used))


def listed(films: list[FilmRef], what: str) -> str:
    """ "A (1979), B (1972) and 3 more" for a list of films."""
    shown = [f.label for f in films[:SHOWN]]
    more = len(films) - len(shown)
    if more:
        return f"{', '.join(shown)} and {more} more {what}"
    return join(shown)


class Discovery:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- a person's films -------------------------------------------------------------------------

    def person_films(
        self,
        person_id: int,
        roles: list[str],
        filters: Filters,
        *,
        with_person: int | None = None,
        exclude: Set[str] = frozenset(),
        ordinal: str | None = None,  # "first" or "last"
    ) -> Answer:
        name = self.catalog.person_names[person_id]
        credits = self.catalog.credits_of(person_id)
        if with_person is not None:
            within = {c.film_id for c in self.catalog.credits_of(with_person)}
            credits = [c for c in credits if c.film_id in within]
        if filters.years:
            low, high = filters.years
            credits = [c for c in credits if low <= self.catalog.films[c.film_id].year <= high]
        if filters.tags:
            tags = self.catalog.tags_of({c.film_id for c in credits})
            credits = [
                c
                for c in credits
                if all(tags.get((c.film_id, k), set()) & v for k, v in filters.tags.items())
            ]
        wanted = roles or sorted({c.role for c in credits}, key=list(ROLE_VERBS).index)
        if ordinal is not None:
            wanted = wanted[:1]  # "his first film": as what he is known for first (directing)
        parts, single = [], []
        for role in wanted:
            films = sorted(
                {
                    self.catalog.films[c.film_id]
                    for c in credits
                    if c.role == role and c.film_id not in exclude
                },
                key=lambda f: (f.year, f.title),
            )
            if ordinal is not None and films:
                films = [films[0] if ordinal == "first" else films[-1]]
            films.sort(key=lambda f: (not f.curated, f.year))
            if len(films) > SHOWN:  # cut: the best known first, then in order of year
                shown = sorted(films, key=lambda f: (not f.curated, -f.prominence, f.year))[:SHOWN]
                films = sorted(shown, key=lambda f: (not f.curated, f.year)) + [
                    f for f in films if f not in shown
                ]
            if films:
                single.append(films)
                parts.append(f"{ROLE_VERBS[role]} {listed(films, 'films')}")
        narrowed = filters.describe()
        if with_person is not None:
            narrowed = join([x for x in (narrowed, f"with {self.catalog.person_names[with_person]}") if x])
        if not parts:
            what = " as " + join(roles) if roles else ""
            extra = f" ({narrowed})" if narrowed else ""
            return Answer(False, f"I don't know of such a film{what} by {name}{extra}.", person=name)
        film = single[0][0] if len(single) == 1 and len(single[0]) == 1 else None
        key = ROLE_KEYS.get(wanted[0], wanted[0] + "s")
        source = self._list_source([f for films in single for f in films[:SHOWN]], key)
        intro = f"{name} ({narrowed})" if narrowed else name
        text = f"{intro} {'; '.join(parts)}."
        if ordinal is not None and film is not None:
            text = f"Of the films I know, the {ordinal} that {name} {ROLE_VERBS[wanted[0]]} is {film.label}."
        return Answer(
            True,
            text,
            film,
            source,
            person=name if film is None else None,
            names=(name,),
        )

    # -- lists ------------------------------------------------------------------------------------

    def films_of(self, filters: Filters) -> Answer:
        films, total = self.catalog.films_where(tags=filters.tags, years=filters.years, limit=SHOWN)
        heading = f"Films ({filters.describe()})"
        if not films:
            return Answer(False, f"I don't know of films with {filters.describe()}.")
        count = f"{total} film{'s' if total > 1 else ''}"
        shown = ", ".join(f.label for f in films) if total > len(films) else join([f.label for f in films])
        more = f" and {total - len(films)} more" if total > len(films) else ""
        text = f"{count} with {filters.describe()}: {shown}{more}"
        if total > SHOWN:
            text += " (the best known first; narrow it with a decade, a genre or a country)"
        tags = filters.tags or {}
        key = (
            "genres"
            if "genre" in tags
            else "countries"
            if "country" in tags
            else "languages"
            if tags
            else "year"
        )
        return Answer(True, text + ".", heading=heading, source=self._list_source(films[:SHOWN], key))

    def _list_source(self, films: list[FilmRef], key: str = "year") -> str | None:
        """The sources of a field of the films listed, each named once (at most three, then "…")."""
        found = list(dict.fromkeys(s for f in films if (s := self.catalog.film(f.id).source_of(key))))
        return "; ".join(found[:3]) + ("; …" if len(found) > 3 else "") if found else None

    # -- comparisons --------------------------------------------------------------------------------

    def compare(self, a: FilmRef, b: FilmRef, on: str, *, most: bool, asks_yes_no: bool) -> Answer:
        """Which of two films is longer or shorter (`on` "runtime"), older or newer ("date"); `most`
        asks for the longer or the older. A yes/no question ("is A older than B?") is about `a`."""
        fa, fb = self.catalog.film(a.id), self.catalog.film(b.id)
        heading = f"{a.title} and {b.title}"
        if on == "runtime":
            if not (fa.runtime and fb.runtime):
                missing = fa if not fa.runtime else fb
                return Answer(False, f"I don't know the runtime of {missing.label}.")
            if fa.runtime == fb.runtime:
                return Answer(
                    True, f"Neither: {a.label} and {b.label} both run {fa.runtime} minutes.", heading=heading
                )
            pairs = sorted([(a, fa), (b, fb)], key=lambda p: -(p[1].runtime or 0))
            (won, fw), (lost, fl) = pairs if most else pairs[::-1]
            word = "longer" if most else "shorter"
            said = f"{won.label} is {word}: {fw.runtime} minutes, against {fl.runtime} for {lost.label}."
            keys: tuple[str, ...] = ("runtime", "runtime")
        else:
            if fa.year == fb.year and not (fa.release_date and fb.release_date):
                return Answer(
                    False, f"{a.label} and {b.label} came out the same year; I don't know which first."
                )
            pairs = sorted([(a, fa), (b, fb)], key=lambda p: p[1].release_date or str(p[1].year))
            (won, fw), (lost, fl) = pairs if most else pairs[::-1]
            said = (
                f"{won.label} came out first, before {lost.label}."
                if most
                else f"{won.label} is newer: it came out after {lost.label}."
            )
            keys = tuple("release_date" if f.release_date else "year" for f in (fa, fb))
        if asks_yes_no:
            said = f"{'Yes' if won.id == a.id else 'No'}: {said}"
        source = _joined(fa.source_of(keys[0]), fb.source_of(keys[1]))
        return Answer(True, said, heading=heading, source=source)

    # -- films like one -----------------------------------------------------------------------------

    def similar(self, ref: FilmRef, most: int = 5) -> Answer:
        """Films sharing the most with `ref`: director (4), source author (3), writer (2), genres (up
        to 2), country (1) and era (1), each film with why; curated and best known first among equals."""
        film = self.catalog.film(ref.id)
        people = {
            **{n: "author" for n in (film.based_on.authors if film.based_on else ())},
            **{n: "writer" for n in film.writers},
            **{n: "director" for n in film.directors},
        }
        ids = {pid: n for n in people if (pid := self.catalog.person_id(n)) is not None}
        shared = self.catalog.films_sharing(list(ids))
        genres = {match_key(g) for g in film.genres}
        countries = {match_key(c): c for c in film.countries}  # folded -> as written
        near = (film.year - 10, film.year + 10)
        candidates = set(shared)
        if genres:  # the best known films of the same genres and era
            candidates |= {
                f.id for f in self.catalog.films_where(tags={"genre": genres}, years=near, limit=300)[0]
            }
        candidates.discard(ref.id)
        tags = self.catalog.tags_of(candidates)
        scored = []
        for film_id in candidates:
            other = self.catalog.films[film_id]
            reasons, points = [], 0
            for person_id, role in sorted(shared.get(film_id, ())):
                if person_id in ids and role == people[ids[person_id]]:
                    points += SIMILAR_POINTS[role]
                    reasons.append(f"{SIMILAR_BY[role]} {ids[person_id]}")
            common = sorted(tags.get((film_id, "genre"), set()) & genres)
            if common:
                points += min(2, len(common))
                reasons.append(" / ".join(common[:2]))
            if shared_countries := tags.get((film_id, "country"), set()) & set(countries):
                points += 1
                named = tuple(countries[c] for c in sorted(shared_countries))
                reasons.append(f"from {join(country_names(named)[:2])}")
            if near[0] <= other.year <= near[1]:
                points += 1
                reasons.append(f"of the {other.year // 10 * 10}s")
            if points >= 3 and (film_id in shared or len(reasons) >= 3):
                scored.append((points, other.curated, other.prominence, other, reasons))
        if not scored:
            return Answer(False, f"I don't know films like {ref.label} well enough to say.", ref)
        # The curated films (the club's canon, with synopses and facts) count for more.
        scored.sort(key=lambda s: (-(s[0] + CURATED_BONUS * s[1]), not s[1], -s[2], s[3].title))
        lines = [f"- {r.label}: {', '.join(reasons)}" for _, _, _, r, reasons in scored[:most]]
        text = f"Films like {ref.label}:\n" + "\n".join(lines)
        return Answer(True, text, ref, self._list_source([s[3] for s in scored[:most]] + [ref], "directors"))

    # -- awards ---------------------------------------------------------------------------------------

    def award(
        self,
        payloads: Iterable[str],
        years: list[int],
        film_ids: set[str] | None = None,
        ordinal: str | None = None,  # "first" or "last": of those the store records, and says so
    ) -> Answer:
        names = {p.split(":", 1)[1] for p in payloads if p.startswith("name:")}
        events = {p.split(":", 1)[1] for p in payloads if p.startswith("event:")}
        rows = [
            a
            for a in self.catalog.awards
            if (not names or match_key(a.name) in names)
            and (not events or match_key(a.event) in events)
            and (film_ids is None or a.film_id in film_ids)
        ]
        what = _award_label(rows, names, events)
        if years:
            matching = [a for a in rows if a.year in years]
            if not matching:
                known = sorted({a.year for a in rows})
                also = (
                    f" I know it for {join([str(y) for y in known[:12]])}."
                    if known and film_ids is None
                    else ""
                )
                return Answer(False, f"I don't know who won {what} in {join([str(y) for y in years])}.{also}")
            rows = matching
        if not rows:
            return Answer(False, f"I don't know of {what} in the store.")
        if ordinal is not None and len({a.film_id for a in rows}) > 1:
            year = (min if ordinal == "first" else max)(a.year for a in rows)
            rows = [a for a in rows if a.year == year]
            ref = self.catalog.films[rows[0].film_id]
            text = " ".join(dict.fromkeys(a.text for a in rows))
            award = what.removeprefix("the ")
            said = f"The {ordinal} {award} the store records went to {ref.label}, in {year}: {text}"
            return Answer(True, said, ref, _joined(*(a.source for a in rows)))
        if len({a.film_id for a in rows}) == 1:
            ref = self.catalog.films[rows[0].film_id]
            text = " ".join(dict.fromkeys(a.text for a in rows))
            return Answer(True, f"{ref.label}: {text}", ref, _joined(*(a.source for a in rows)))
        lines = [f"{a.year}: {self.catalog.films[a.film_id].label} ({a.name}, {a.event})" for a in rows[:15]]
        more = f"\n… and {len(rows) - 15} more" if len(rows) > 15 else ""
        return Answer(
            True,
            "\n".join(lines) + more,
            heading=what[:1].upper() + what[1:],
            source=_joined(*(a.source for a in rows[:15])),
        )


def _award_label(rows: list[AwardRow], names: set[str], events: set[str]) -> str:
    by_key = {match_key(a.name): a.name for a in rows} | {match_key(a.event): a.event for a in rows}
    name = next((by_key.get(n, n) for n in names), None)
    event = next((by_key.get(e, e) for e in events), None)
    if name and event:
        return f"the {name} ({event})"
    return f"the {name}" if name else f"an award at the {event}" if event else "that award"


def _joined(*found: str | None) -> str | None:
    unique = list(dict.fromkeys(s for s in found if s))
    return "; ".join(unique) or None
