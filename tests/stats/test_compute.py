"""The pure statistics functions on small hand-made rows."""

from __future__ import annotations

from datetime import date

from letterboxd_stats.stats.compute import (
    compute_stats,
    iso_week,
    longest_streak,
    median_stars,
    milestone_numbers,
    months_of,
    months_spanned,
    ordinal,
    ratings_section,
    select_period,
    tally_tmdb,
    weeks_of,
    weeks_spanned,
)
from letterboxd_stats.stats.rows import Label, SessionRows, StatsReview, facts_from_data
from tests.fixtures.stats_rows import facts, film, viewing


def _days(*values: str) -> list[date]:
    return [date.fromisoformat(v) for v in values]


def test_a_streak_runs_across_month_and_year_ends() -> None:
    streak = longest_streak(
        _days("2023-12-30", "2023-12-31", "2024-01-01", "2024-01-01", "2024-01-05", "2024-01-06")
    )
    assert (streak.days, streak.start, streak.end) == (3, date(2023, 12, 30), date(2024, 1, 1))
    feb = longest_streak(_days("2024-02-28", "2024-02-29", "2024-03-01", "2024-03-03"))
    assert (feb.days, feb.start, feb.end) == (3, date(2024, 2, 28), date(2024, 3, 1))


def test_the_earliest_of_equal_streaks_wins_and_no_days_is_zero() -> None:
    streak = longest_streak(_days("2024-05-01", "2024-05-02", "2024-01-01", "2024-01-02"))
    assert (streak.days, streak.start) == (2, date(2024, 1, 1))
    empty = longest_streak([])
    assert (empty.days, empty.start, empty.end) == (0, None, None)


def test_iso_weeks_at_year_boundaries() -> None:
    assert iso_week(date(2024, 12, 30)) == "2025-W01"  # Monday of ISO 2025's first week
    assert iso_week(date(2021, 1, 3)) == "2020-W53"  # Sunday, still ISO 2020
    assert iso_week(date(2021, 1, 4)) == "2021-W01"
    weeks_2024 = weeks_of(2024, [])
    assert weeks_2024[0] == "2024-W01"
    assert weeks_2024[-1] == "2025-W01"
    assert len(weeks_2024) == 53
    weeks_2021 = weeks_of(2021, [])
    assert weeks_2021[0] == "2020-W53"
    assert weeks_2021[-1] == "2021-W52"


def test_year_view_counts_a_year_end_viewing_in_the_next_iso_year_week() -> None:
    rows = SessionRows(films=[film(1)], viewings=[viewing(1, "2024-12-31")])
    diary = compute_stats(rows, 2024).diary
    weeks = {w.period: w.viewings for w in diary.by_week}
    assert weeks["2025-W01"] == 1
    assert sum(weeks.values()) == 1
    assert [m.viewings for m in diary.by_month] == [0] * 11 + [1]
    assert diary.by_weekday[1].weekday == "Tuesday"
    assert diary.by_weekday[1].viewings == 1


def test_median_of_even_and_odd_counts() -> None:
    assert median_stars([6, 8]) == 3.5
    assert median_stars([6, 7, 8, 9]) == 3.75
    assert median_stars([2, 10, 4]) == 2.0
    assert median_stars([]) is None


def test_rating_spread_has_all_ten_buckets() -> None:
    ratings = ratings_section([film(1, rating=1), film(2, rating=10), film(3, rating=10), film(4)])
    assert [b.stars for b in ratings.spread] == [0.5 * n for n in range(1, 11)]
    assert [b.films for b in ratings.spread] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert (ratings.rated, ratings.unrated) == (3, 1)
    assert ratings.mean == 3.5  # (0.5 + 5 + 5) / 3
    assert ratings.median == 5.0


def test_highest_rated_needs_three_rated_films() -> None:
    films = [
        film(1, rating=10, tmdb=facts(1, genres=("Horror",))),
        film(2, rating=10, tmdb=facts(2, genres=("Horror",))),
        film(3, rating=4, tmdb=facts(3, genres=("Drama",))),
        film(4, rating=6, tmdb=facts(4, genres=("Drama",))),
        film(5, rating=8, tmdb=facts(5, genres=("Drama",))),
        film(6, tmdb=facts(6, genres=("Drama",))),  # unrated: counts as watched only
    ]
    stats = compute_stats(SessionRows(films=films), None)
    genres = stats.genres
    assert genres.based_on == 6
    assert genres.total == 2
    assert [(g.name, g.films, g.rated) for g in genres.most_watched] == [
        ("Drama", 4, 3),
        ("Horror", 2, 2),
    ]
    assert [(g.name, g.mean_rating) for g in genres.highest_rated] == [("Drama", 3.0)]


def test_top_lists_are_capped_but_totals_are_full() -> None:
    films = [film(n, tmdb=facts(n, genres=(f"G{n:02d}",))) for n in range(1, 26)]
    genres = compute_stats(SessionRows(films=films), None).genres
    assert genres.total == 25
    assert len(genres.most_watched) == 20
    assert genres.most_watched[0].name == "G01"  # ties: by name


def test_hours_count_every_viewing_and_undiaried_films_once() -> None:
    films = [
        film(1, tmdb=facts(1, runtime=120)),  # three viewings
        film(2, tmdb=facts(2, runtime=90)),  # no diary entry: once, all time only
        film(3, tmdb=facts(3, runtime=None)),  # no runtime: nothing
        film(4),  # no TMDB data
    ]
    viewings = [
        viewing(1, "2023-05-01"),
        viewing(1, "2024-01-01", rewatch=True),
        viewing(1, "2024-02-01", rewatch=True),
    ]
    rows = SessionRows(films=films, viewings=viewings)
    all_time = compute_stats(rows, None).totals
    assert all_time.hours == round((3 * 120 + 90) / 60, 1)
    assert all_time.hours_based_on == 2
    assert (all_time.films, all_time.viewings, all_time.tmdb_based_on) == (4, 3, 3)
    year = compute_stats(rows, 2024).totals
    assert year.hours == 4.0  # two 2024 viewings of film 1
    assert (year.films, year.viewings) == (1, 2)


def test_rewatches_and_most_viewed() -> None:
    viewings = [
        viewing(1, "2024-01-01"),
        viewing(1, "2024-01-02", rewatch=True),
        viewing(2, "2024-01-02"),
        viewing(2, "2024-01-03", rewatch=True),
        viewing(2, "2024-01-04", rewatch=True),
        viewing(3, "2024-01-09"),
    ]
    rows = SessionRows(films=[film(1), film(2), film(3)], viewings=viewings)
    diary = compute_stats(rows, None).diary
    assert (diary.first_watches, diary.rewatches) == (3, 3)
    assert [(f.film_id, f.value) for f in diary.most_viewed] == [(2, 3), (1, 2)]
    assert diary.longest_streak.days == 4
    assert diary.days_with_two_or_more == 1
    assert diary.busiest_day is not None
    assert diary.busiest_day.date == date(2024, 1, 2)
    assert [f.film_id for f in diary.busiest_day.films] == [1, 2]
    assert [m.period for m in diary.by_month] == ["2024-01"]
    assert [w.period for w in diary.by_week] == ["2024-W01", "2024-W02"]
    assert diary.average_per_week == 3.0


def test_milestones() -> None:
    assert milestone_numbers(9) == [1]
    assert milestone_numbers(10) == [1, 10]
    assert milestone_numbers(2600) == [1, 10, 50, 100, 250, 500, 1000, 2000]
    assert [ordinal(n) for n in (1, 10, 11, 21, 250, 1000)] == [
        "first",
        "10th",
        "11th",
        "21st",
        "250th",
        "1000th",
    ]
    films = [film(n) for n in range(1, 13)]
    # twelve viewings on twelve days, in reverse film order; two on the last day
    viewings = [viewing(13 - n, f"2024-03-{n:02d}") for n in range(1, 12)]
    viewings.append(viewing(1, "2024-03-11"))
    milestones = compute_stats(SessionRows(films=films, viewings=viewings), 2024).diary.milestones
    assert [(m.label, m.number, m.date.day, m.film.film_id) for m in milestones] == [
        ("first", 1, 1, 12),
        ("10th", 10, 10, 3),
        ("last", 12, 11, 1),  # same day as the 11th: the later diary entry
    ]


def test_a_year_without_viewings_gives_empty_sections() -> None:
    rows = SessionRows(
        films=[film(1, rating=8, tmdb=facts(1, genres=("Drama",)))],
        viewings=[viewing(1, "2020-01-01")],
        reviews=[StatsReview(1, date(2020, 1, 1), date(2020, 1, 2))],
    )
    stats = compute_stats(rows, 1999)
    assert stats.totals.films == stats.totals.viewings == stats.totals.reviews == 0
    assert stats.genres.most_watched == []
    assert stats.ratings.rated == 0
    assert stats.ratings.mean is None
    assert stats.diary.milestones == []
    assert stats.diary.busiest_day is None
    assert len(stats.diary.by_month) == 12
    assert stats.diary.releases is not None
    assert stats.diary.releases.this_year == 0
    assert stats.highs_and_lows.longest is None
    assert compute_stats(rows, 2020).totals.reviews == 1


def test_versus_tmdb_needs_votes_and_orders_by_gap() -> None:
    films = [
        film(1, rating=10, tmdb=facts(1, vote_average=6.0, vote_count=100)),  # +2
        film(2, rating=2, tmdb=facts(2, vote_average=8.0, vote_count=100)),  # -3
        film(3, rating=8, tmdb=facts(3, vote_average=6.0, vote_count=100)),  # +1
        film(4, rating=10, tmdb=facts(4, vote_average=2.0, vote_count=9)),  # too few votes
        film(5, tmdb=facts(5, vote_average=9.0, vote_count=100)),  # unrated
    ]
    versus = ratings_section(films).versus_tmdb
    assert versus.based_on == 3
    assert [(c.film_id, c.difference) for c in versus.rated_higher] == [(1, 2.0), (3, 1.0)]
    assert [(c.film_id, c.tmdb_rating, c.difference) for c in versus.rated_lower] == [
        (2, 4.0, -3.0)
    ]
    assert versus.mean_difference == 0.0


def test_actors_are_top_billed_and_people_count_once_per_film() -> None:
    cast = tuple((100 + n, f"Actor {n}") for n in range(7))
    tmdb = facts(1, cast=cast, directors=((9, "Dir"), (9, "Dir")))
    tallies = tally_tmdb([film(1, rating=6, tmdb=tmdb)])
    sections = tallies.sections()
    assert sorted(sections["actors"]) == [f"actors:{n}" for n in range(100, 105)]
    assert tallies.films["directors:9"] == 1
    assert tallies.labels["directors:9"] == Label("Dir", "/9.jpg")
    people = compute_stats(SessionRows(films=[film(1, rating=6, tmdb=tmdb)]), None).people
    assert people.directors.most_watched[0].person_id == 9
    assert people.directors.most_watched[0].profile_path == "/9.jpg"
    assert people.actors.total == 5


def test_facts_from_the_cached_json() -> None:
    data = {
        "original_language": "fr",
        "genres": [{"id": 18, "name": "Drama"}],
        "production_countries": [{"iso_3166_1": "FR", "name": "France"}],
        "spoken_languages": [{"iso_639_1": "fr", "english_name": "French", "name": "Français"}],
        "production_companies": [{"id": 7, "name": "Studio"}],
        "keywords": [{"id": 3, "name": "paris"}],
        "cast": [{"id": 1, "name": "A", "profile_path": "/a.jpg", "character": "x", "order": 0}],
        "crew": [
            {"id": 2, "name": "B", "profile_path": None, "job": "Director"},
            {"id": 3, "name": "C", "profile_path": None, "job": "Novel"},
            {"id": 4, "name": "D", "profile_path": None, "job": "Gaffer"},
        ],
    }
    t = facts_from_data(
        5,
        data,
        release_date=None,
        runtime=90,
        popularity=1.0,
        vote_average=7.0,
        vote_count=3,
        poster_path=None,
    )
    assert dict(t.labels) == {
        "genres:18": Label("Drama"),
        "countries:FR": Label("France"),
        "studios:7": Label("Studio"),
        "keywords:3": Label("paris"),
        "languages:fr": Label("French"),
        "actors:1": Label("A", "/a.jpg"),
        "directors:2": Label("B"),
        "writers:3": Label("C"),
    }
    assert t.tags == tuple(dict(t.labels))
    empty = facts_from_data(
        6,
        {},
        release_date=None,
        runtime=None,
        popularity=None,
        vote_average=None,
        vote_count=None,
        poster_path=None,
    )
    assert (empty.tags, empty.labels) == ((), ())


def test_period_selection() -> None:
    rows = SessionRows(
        films=[film(1), film(2), film(3)],
        viewings=[viewing(2, "2024-06-01"), viewing(1, "2023-06-01"), viewing(2, "2024-01-01")],
    )
    period = select_period(rows, 2024)
    assert [f.film_no for f in period.films] == [2]
    assert [v.watched_on.month for v in period.viewings] == [1, 6]
    assert select_period(rows, None).films == rows.films


def test_reviewed_viewings_are_those_with_a_review_of_that_day() -> None:
    viewings = [viewing(1, "2024-03-01"), viewing(1, "2024-05-01"), viewing(2, "2024-03-02")]
    reviews = [
        StatsReview(1, date(2024, 5, 1), date(2024, 5, 2)),  # the second viewing of film 1
        StatsReview(2, None, date(2024, 3, 2)),  # no Watched Date: not a viewing's review
        StatsReview(3, date(2024, 3, 1), date(2024, 3, 1)),  # another film on that day
    ]
    rows = SessionRows(films=[film(1), film(2), film(3)], viewings=viewings, reviews=reviews)
    diary = compute_stats(rows, None).diary
    assert (diary.reviewed, diary.not_reviewed) == (1, 2)


def test_highest_rated_films_and_the_year_split() -> None:
    films = [
        film(1, year=2024, rating=8),
        film(2, year=2020, rating=10),
        film(3, year=2024, rating=10),
        film(4, year=2024, rating=None),
        film(5, year=1999, rating=6),
        film(6, year=2023, rating=9),  # not viewed in 2024
    ]
    viewings = [viewing(n, "2024-06-01") for n in (1, 2, 3, 4, 5)] + [viewing(6, "2023-01-01")]
    rows = SessionRows(films=films, viewings=viewings)

    all_time = compute_stats(rows, None).ratings
    assert [f.film_id for f in all_time.highest_rated] == [2, 3, 6, 1, 5]
    assert all_time.highest_rated_released_that_year is None
    assert all_time.highest_rated_older is None

    year = compute_stats(rows, 2024).ratings
    assert [f.film_id for f in year.highest_rated] == [2, 3, 1, 5]
    assert year.highest_rated_released_that_year is not None
    assert [f.film_id for f in year.highest_rated_released_that_year] == [3, 1]
    assert year.highest_rated_older is not None
    assert [f.film_id for f in year.highest_rated_older] == [2, 5]


# --- dates at the ends of the calendar; series bounded by the data (issue 13, items 4 and 5) ---


def test_weeks_and_months_reach_the_last_days_of_the_calendar() -> None:
    """Weeks of 9999-12-27 onwards used to overflow (`date` + 7 days past 9999-12-31)."""
    for last in ("9999-12-27", "9999-12-31"):
        assert weeks_of(None, _days("9999-12-13", last)) == ["9999-W50", "9999-W51", "9999-W52"]
    assert months_of(None, _days("9999-11-30", "9999-12-31")) == ["9999-11", "9999-12"]
    assert weeks_of(None, _days("0001-01-01", "0001-01-08")) == ["0001-W01", "0001-W02"]
    assert months_of(None, _days("0001-01-01")) == ["0001-01"]


def test_a_diary_at_both_ends_of_the_calendar_has_every_statistic() -> None:
    rows = SessionRows(
        films=[film(1), film(2), film(3)],
        viewings=[viewing(1, "0001-01-01"), viewing(2, "9999-12-27"), viewing(3, "9999-12-31")],
    )
    stats = compute_stats(rows, None)
    diary = stats.diary
    assert [w.period for w in diary.by_week] == ["0001-W01", "9999-W52"]
    assert [w.viewings for w in diary.by_week] == [1, 2]
    assert [m.period for m in diary.by_month] == ["0001-01", "9999-12"]
    assert diary.weeks_spanned == 521_723
    assert diary.months_spanned == 119_988
    assert diary.average_per_week == round(3 / 521_723, 2)
    assert diary.longest_streak.days == 1
    assert len(stats.model_dump_json()) < 20_000


def test_series_are_zero_filled_up_to_their_dense_limit_then_list_only_viewed_periods() -> None:
    days = _days("2000-01-03", "2000-01-31")
    assert weeks_of(None, days, dense_limit=5) == [f"2000-W0{n}" for n in range(1, 6)]
    assert weeks_of(None, days, dense_limit=4) == ["2000-W01", "2000-W05"]
    days = _days("2000-01-15", "2000-03-01", "2000-01-02")
    assert months_of(None, days, dense_limit=3) == ["2000-01", "2000-02", "2000-03"]
    assert months_of(None, days, dense_limit=2) == ["2000-01", "2000-03"]
    assert weeks_spanned(None, days) == 10
    assert months_spanned(None, days) == 3
    assert (weeks_spanned(2024, []), months_spanned(2024, [])) == (53, 12)
    assert weeks_of(2024, [], dense_limit=1) == weeks_of(2024, [])  # a year is always whole


def test_a_century_of_diary_stays_zero_filled() -> None:
    rows = SessionRows(
        films=[film(1), film(2)], viewings=[viewing(1, "1900-01-01"), viewing(2, "2026-12-31")]
    )
    diary = compute_stats(rows, None).diary
    assert len(diary.by_month) == diary.months_spanned == 127 * 12
    assert len(diary.by_week) == 2  # 6,626 weeks: only the two with viewings
    assert diary.weeks_spanned == 6_627
