"""The statistics response. Every definition is written down here, in the field descriptions.

Words used throughout:
- *viewing*: one diary entry (a row of diary.csv), dated by its Watched Date.
- *film of the library*: a film watched, rated, logged in the diary or liked.
- *period*: all time, or a calendar year (`?year=`). A year covers the viewings whose Watched
  Date falls in it, and the films of those viewings.
- *rating*: the film's rating (ratings.csv, else its latest rated viewing), in stars 0.5-5. In
  a year, a film's rating is still its current rating (not the rating of that year's entry).
- *TMDB data*: only films matched (or matched but flagged `needs_review`) whose TMDB details are
  cached; `based_on` says how many films a section rests on.
"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field

from letterboxd_stats.stats.tags import TOP_BILLED

TOP = 20
MIN_RATED = 3
MIN_TMDB_VOTES = 10

_TOP = f"At most {TOP} items."
_TIES = "Equal counts at the cut: those of the earliest films of the library are kept."
_MIN = f"Only items with at least {MIN_RATED} rated films; at most {TOP} items."


class FilmRef(BaseModel):
    film_id: int = Field(description="The film's id in this session (`movie_id` of /movies).")
    title: str
    year: int | None = Field(description="Release year as Letterboxd gives it.")
    tmdb_id: int | None
    poster_path: str | None = Field(description="TMDB poster path (w342 etc. from TMDB).")
    rating: float | None = Field(description="Your rating of the film, stars 0.5-5.")


class FilmValue(FilmRef):
    value: float | str = Field(
        description="What the film is ranked by: minutes, TMDB popularity, a release date, "
        "TMDB's average (stars 0.5-5) or the number of viewings."
    )


class Totals(BaseModel):
    films: int = Field(
        description="All time: films of the library. Year: distinct films viewed in the year."
    )
    viewings: int = Field(description="Diary entries of the period (rewatches included).")
    hours: float = Field(
        description="Runtime (TMDB) x viewings of the period, in hours; all time, a film of "
        "the library with no diary entry counts once. Films without a runtime add nothing."
    )
    hours_based_on: int = Field(description="Films of the period with a TMDB runtime.")
    directors: int = Field(description="Distinct directors of the period's films (TMDB).")
    actors: int = Field(
        description=f"Distinct top-billed actors (cast order < {TOP_BILLED}) of the films (TMDB)."
    )
    countries: int = Field(description="Distinct production countries of the films (TMDB).")
    languages: int = Field(description="Distinct original languages of the films (TMDB).")
    tmdb_based_on: int = Field(description="Films of the period with TMDB data.")
    ratings: int = Field(description="Films of the period with a rating.")
    reviews: int = Field(
        description="Reviews; in a year, those whose Watched Date (else logged date) is in it."
    )
    likes: int = Field(description="Liked films among the period's films.")
    lists: int = Field(description="Lists (all time in either view).")
    watchlist: int = Field(description="Watchlist entries (all time in either view).")
    watchlist_hours: float = Field(description="Sum of the watchlist films' TMDB runtimes.")
    watchlist_based_on: int = Field(description="Watchlist entries with TMDB data.")


class YearCount(BaseModel):
    year: int
    films: int
    rated: int
    mean_rating: float | None = Field(description="Mean of your ratings, stars.")


class DecadeCount(BaseModel):
    decade: int = Field(description="First year of the decade: 1990 for the 1990s.")
    films: int
    rated: int
    mean_rating: float | None


class ReleaseYears(BaseModel):
    based_on: int = Field(
        description="Films of the period with a release year (Letterboxd's Year column)."
    )
    by_year: list[YearCount] = Field(
        description="Films per release year, oldest first; only years with films; complete."
    )
    by_decade: list[DecadeCount] = Field(description="Films per decade, oldest first; complete.")
    highest_rated_decades: list[DecadeCount] = Field(
        description=f"Decades by mean rating (then rated films); only decades with at least "
        f"{MIN_RATED} rated films."
    )


class Ranked(BaseModel):
    key: str = Field(description="TMDB id or ISO code.")
    name: str
    films: int = Field(description="Distinct films of the period with it.")
    rated: int = Field(description="Of those, films you rated.")
    mean_rating: float | None = Field(description="Mean of your ratings of those films, stars.")


class Category(BaseModel):
    based_on: int = Field(description="Films of the period with TMDB data.")
    total: int = Field(description="Distinct values among those films (the full count).")
    most_watched: list[Ranked] = Field(description=f"By films, then name. {_TIES} {_TOP}")
    highest_rated: list[Ranked] = Field(description=f"By mean rating, then rated films. {_MIN}")


class PersonRanked(BaseModel):
    person_id: int | None = Field(description="TMDB person id.")
    name: str
    profile_path: str | None = Field(description="TMDB profile image path.")
    films: int
    rated: int
    mean_rating: float | None


class PeopleRole(BaseModel):
    based_on: int = Field(description="Films of the period with TMDB data.")
    total: int = Field(description="Distinct people in this role among those films.")
    most_watched: list[PersonRanked] = Field(description=f"By films, then name. {_TIES} {_TOP}")
    highest_rated: list[PersonRanked] = Field(description=f"By mean rating. {_MIN}")


class People(BaseModel):
    directors: PeopleRole
    actors: PeopleRole = Field(
        description=f"Top-billed cast only: TMDB cast order < {TOP_BILLED} (the first five)."
    )
    writers: PeopleRole = Field(description="TMDB crew jobs Screenplay, Writer, Story, Novel.")
    composers: PeopleRole = Field(description="TMDB crew jobs Original Music Composer, Music.")
    cinematographers: PeopleRole = Field(description="TMDB crew job Director of Photography.")
    editors: PeopleRole = Field(description="TMDB crew job Editor.")
    producers: PeopleRole = Field(description="TMDB crew job Producer.")


class RatingBucket(BaseModel):
    stars: float = Field(description="0.5 … 5.")
    films: int


class Comparison(FilmRef):
    tmdb_rating: float = Field(description="TMDB vote_average / 2 (stars 0-5).")
    difference: float = Field(description="Your rating minus tmdb_rating, stars.")


class VersusTmdb(BaseModel):
    based_on: int = Field(
        description=f"Rated films of the period with TMDB data and at least {MIN_TMDB_VOTES} "
        "TMDB votes."
    )
    mean_difference: float | None = Field(description="Mean of your rating - tmdb_rating.")
    rated_higher: list[Comparison] = Field(
        description=f"Films you rated above TMDB's average (overrated by you), largest gap "
        f"first. {_TOP}"
    )
    rated_lower: list[Comparison] = Field(
        description=f"Films you rated below TMDB's average (underrated by you), largest gap "
        f"first. {_TOP}"
    )


class Ratings(BaseModel):
    highest_rated: list[FilmRef] = Field(
        description=f"The period's rated films, highest rating first (then title). {_TOP}"
    )
    highest_rated_released_that_year: list[FilmRef] | None = Field(
        description="Year view only: the same, for films released that year (Letterboxd's "
        "Year column)."
    )
    highest_rated_older: list[FilmRef] | None = Field(
        description="Year view only: the same, for films released before that year."
    )
    rated: int = Field(description="Films of the period with a rating.")
    unrated: int = Field(description="Films of the period without one.")
    mean: float | None = Field(description="Mean rating, stars, 2 decimals.")
    median: float | None = Field(description="Median rating, stars (even count: mean of two).")
    spread: list[RatingBucket] = Field(
        description="Rated films per half star, all ten buckets 0.5 … 5, zeros included."
    )
    versus_tmdb: VersusTmdb


class PeriodCount(BaseModel):
    period: str = Field(description="'YYYY-MM' for months, ISO week 'YYYY-Www' for weeks.")
    viewings: int


class WeekdayCount(BaseModel):
    weekday: str = Field(description="Monday … Sunday.")
    viewings: int


class Streak(BaseModel):
    days: int = Field(description="Consecutive days, each with at least one viewing.")
    start: date | None
    end: date | None


class BusiestDay(BaseModel):
    date: date
    viewings: int
    films: list[FilmRef]


class Milestone(BaseModel):
    number: int = Field(description="The viewing's rank in the period (1 = first).")
    label: str = Field(description="'first', '10th', … or 'last'.")
    date: date
    film: FilmRef


class PlaceholderDate(BaseModel):
    date: date
    viewings: int = Field(description="Viewings on that day (at least PLACEHOLDER_DAY_VIEWINGS).")


class ReleaseSplit(BaseModel):
    this_year: int = Field(description="Films viewed in the year released that year.")
    older: int = Field(description="Films viewed in the year released before it.")
    other: int = Field(description="Films with no release year, or released later.")


_DATED = " Placeholder dates (`placeholder_dates`) are left out."


class Diary(BaseModel):
    viewings: int = Field(description="Diary entries of the period, placeholder dates included.")
    by_month: list[PeriodCount] = Field(
        description="Viewings per month, zeros included: the 12 months of the year; all time, "
        "every month from the first viewing to the last, or, when that span is longer than "
        "2,400 months, only the months with viewings." + _DATED
    )
    by_week: list[PeriodCount] = Field(
        description="Viewings per ISO week (Monday-Sunday, 'YYYY-Www' with the ISO year), zeros "
        "included: every week touching the year (a week at a year's edge can carry the other "
        "ISO year); all time, from the first viewing's week to the last's, or, when that span "
        "is longer than 2,600 weeks, only the weeks with viewings." + _DATED
    )
    by_weekday: list[WeekdayCount] = Field(description="Monday first, 7 items." + _DATED)
    months_spanned: int = Field(
        description="Months of the period: 12 for a year; all time, from the first viewing's "
        "month to the last's (by_month has fewer items when it lists only months with viewings)."
        + _DATED
    )
    weeks_spanned: int = Field(
        description="Weeks of the period: every week touching the year; all time, from the first "
        "viewing's week to the last's (by_week has fewer items when it lists only weeks with "
        "viewings)." + _DATED
    )
    average_per_month: float = Field(
        description="Viewings on real dates (placeholder dates left out) / months_spanned "
        "(0 if none)."
    )
    average_per_week: float = Field(
        description="Viewings on real dates (placeholder dates left out) / weeks_spanned "
        "(0 if none)."
    )
    longest_streak: Streak = Field(
        description="Longest run of consecutive days with a viewing, within the period; the "
        "earliest such run on ties." + _DATED
    )
    days_with_two_or_more: int = Field(description="Days with at least two viewings." + _DATED)
    busiest_day: BusiestDay | None = Field(
        description="The day with the most viewings (earliest on ties)." + _DATED
    )
    first_watches: int = Field(description="Viewings not flagged as rewatches.")
    rewatches: int = Field(description="Viewings flagged Rewatch in the diary.")
    reviewed: int = Field(
        description="Viewings with a review: a review of the same film with the same Watched "
        "Date (Letterboxd writes a review on a diary entry)."
    )
    not_reviewed: int = Field(description="Viewings without a review.")
    most_viewed: list[FilmValue] = Field(
        description=f"Films viewed at least twice in the period, by viewings. {_TOP}"
    )
    releases: ReleaseSplit | None = Field(
        description="Year view only: films of the year by release year (Letterboxd's)."
    )
    milestones: list[Milestone] = Field(
        description="The 1st, 10th, 50th, 100th, 250th, 500th viewing, then every 1000th, and "
        "the last viewing of the period; in Watched Date order (same day: logged date, then "
        "diary order), counted among the viewings on real dates: a placeholder date says "
        "nothing of when its viewings happened."
    )
    placeholder_dates: list[PlaceholderDate] = Field(
        default_factory=list,
        description="Days of the period holding at least PLACEHOLDER_DAY_VIEWINGS viewings "
        "(default 20), oldest first: the placeholder date of a diary back-filled with one date "
        "for every film (one real library has 244 viewings on 2000-01-01). Their viewings count "
        "as viewings (`viewings`, rewatches, most viewed, the totals), but every figure by date "
        "leaves them out: the charts by month, week and weekday, the spans and averages, the "
        "streak, the days with two or more, the busiest day and the milestones.",
    )
    placeholder_note: str | None = Field(
        default=None,
        description="One line saying which placeholder dates were left out of what (shown by "
        "the dashboard); null when there are none.",
    )


class HighsAndLows(BaseModel):
    based_on: int = Field(description="Films of the period with TMDB data.")
    longest: FilmValue | None = Field(description="By TMDB runtime (minutes > 0).")
    shortest: FilmValue | None
    most_popular: FilmValue | None = Field(description="By TMDB popularity.")
    least_popular: FilmValue | None
    oldest: FilmValue | None = Field(description="By TMDB release date.")
    newest: FilmValue | None
    highest_tmdb_rated: FilmValue | None = Field(
        description=f"By TMDB vote_average/2, films with at least {MIN_TMDB_VOTES} votes."
    )
    lowest_tmdb_rated: FilmValue | None


class WatchlistEntryRef(BaseModel):
    title: str
    year: int | None
    added_on: date
    tmdb_id: int | None


class Watchlist(BaseModel):
    size: int
    based_on: int = Field(description="Watchlist entries with TMDB data.")
    hours: float = Field(description="Sum of their TMDB runtimes, hours.")
    genres: list[Ranked] = Field(
        description=f"Genres of the watchlist, by films (rating fields are empty). {_TOP}"
    )
    oldest_entry: WatchlistEntryRef | None = Field(
        description="The entry added longest ago (first in the file on ties)."
    )


class ListsSummary(BaseModel):
    count: int = Field(description="Readable lists of the export.")
    entries: int = Field(description="Entries over all lists.")


class WatchlistAndLists(BaseModel):
    watchlist: Watchlist = Field(description="Always the whole watchlist, in either view.")
    lists: ListsSummary


class MatchCounts(BaseModel):
    total: int
    matched: int = Field(description="Matched with confidence (needs_review not included).")
    needs_review: int = Field(description="Matched with low confidence; their data is used.")
    unmatched: int
    failed: int
    pending: int = Field(description="Not enriched yet (or TMDB enrichment is disabled).")
    with_tmdb_data: int = Field(
        description="Matched or needs_review with cached TMDB details: what TMDB stats rest on."
    )


class Coverage(BaseModel):
    films: MatchCounts = Field(description="The period's films.")
    watchlist: MatchCounts


class StatsResponse(BaseModel):
    session_id: uuid.UUID
    year: int | None = Field(description="The year in review, or null for all time.")
    totals: Totals
    release_years: ReleaseYears
    genres: Category
    countries: Category = Field(description="TMDB production countries, keyed by ISO 3166-1.")
    languages: Category = Field(
        description="TMDB original language (one per film), keyed by ISO 639-1."
    )
    studios: Category = Field(description="TMDB production companies.")
    keywords: Category = Field(description="TMDB keywords (Letterboxd's themes).")
    people: People
    ratings: Ratings
    diary: Diary
    highs_and_lows: HighsAndLows
    watchlist_and_lists: WatchlistAndLists
    coverage: Coverage
