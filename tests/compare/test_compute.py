"""The comparison of two hand-built libraries whose every figure is known in advance."""

from __future__ import annotations

from letterboxd_stats.compare.compute import compare, compatibility, profile
from letterboxd_stats.compare.rows import Library, Link
from letterboxd_stats.stats.rows import SessionRows, StatsFilm, WatchlistRow
from tests.fixtures.stats_rows import facts


def _film(no: int, tmdb_id: int | None, rating: int | None, **kw: object) -> StatsFilm:
    tmdb = facts(tmdb_id, **kw) if tmdb_id is not None else None  # type: ignore[arg-type]
    return StatsFilm(
        film_no=no,
        title=f"Film {tmdb_id or no}",
        year=2000,
        watched=True,
        rating=rating,
        liked=False,
        match_status="matched" if tmdb else "unmatched",
        tmdb=tmdb,
    )


def _entry(no: int, tmdb_id: int) -> WatchlistRow:
    from datetime import date

    return WatchlistRow(no, f"Film {tmdb_id}", 2000, date(2024, 1, 1), "matched", facts(tmdb_id))


def _library(films: list[StatsFilm], watchlist: list[WatchlistRow], name: str) -> Library:
    return Library(
        rows=SessionRows(films=films, watchlist=watchlist),
        name=name,
        film_links={f.film_no: Link(None, "movie") for f in films},
        watchlist_links={w.entry_no: Link(None, "movie") for w in watchlist},
    )


# a: films 101-112; b: films 101-110 (the ten both watched, all rated by both) and 201-205.
# Both rate 101-110 alike but for 105 (a 5, b 1: the largest gap) and 106 (a 4, b 3).
A_RATINGS = {101: 10, 102: 8, 103: 6, 104: 4, 105: 10, 106: 8, 107: 2, 108: 9, 109: 7, 110: 3,
             111: 9, 112: None}  # fmt: skip
B_RATINGS = {101: 10, 102: 8, 103: 6, 104: 4, 105: 2, 106: 6, 107: 2, 108: 9, 109: 7, 110: 3,
             201: 10, 202: 4, 203: None, 204: 8, 205: 1}  # fmt: skip


def _a() -> Library:
    films = [_film(i, t, r, genres=("Drama",)) for i, (t, r) in enumerate(A_RATINGS.items(), 1)]
    # a's watchlist: 301 and 302; 201 (which b rated 5 stars)
    return _library(films, [_entry(1, 301), _entry(2, 302), _entry(3, 201)], "anna")


def _b() -> Library:
    films = [_film(i, t, r, genres=("Drama",)) for i, (t, r) in enumerate(B_RATINGS.items(), 1)]
    # b's watchlist: 302 (on both), 303, and 111 (which a rated 4.5 stars)
    return _library(films, [_entry(1, 302), _entry(2, 303), _entry(3, 111)], "ben")


def test_overlap_and_the_co_rated_films() -> None:
    result = compare(_a(), _b())
    assert result.a.name == "anna"
    assert result.b.name == "ben"
    assert (result.a.films, result.b.films) == (12, 15)
    assert result.overlap.films == 10
    assert result.overlap.rated == 10
    assert result.overlap.share_of_a == round(10 / 12, 4)
    assert result.overlap.share_of_b == round(10 / 15, 4)
    assert result.overlap.jaccard == round(10 / (12 + 15 - 10), 4)
    assert result.compatibility.co_rated == 10


def test_the_largest_disagreement_comes_first() -> None:
    disagreements = compare(_a(), _b()).agreements.disagreements
    assert [(d.tmdb_id, d.rating_a, d.rating_b, d.gap) for d in disagreements] == [
        (105, 5.0, 1.0, 4.0),
        (106, 4.0, 3.0, 1.0),
    ]


def test_agreements_high_and_low() -> None:
    agreements = compare(_a(), _b()).agreements
    assert [f.tmdb_id for f in agreements.both_high] == [101, 108, 102]  # 5+5, 4.5+4.5, 4+4
    assert [f.tmdb_id for f in agreements.both_low] == [107, 110, 104]  # 1+1, 1.5+1.5, 2+2


def test_watch_together() -> None:
    together = compare(_a(), _b()).watch_together
    assert together.both_watchlists == 1
    assert [f.tmdb_id for f in together.both] == [302]
    loved = {(f.tmdb_id, f.on_watchlist_of, f.rating) for f in together.one_watchlist_other_loved}
    assert loved == {(201, "a", 5.0), (111, "b", 4.5)}


def test_recommendations_both_ways_flag_the_watchlist() -> None:
    recommendations = compare(_a(), _b()).recommendations
    # a rated 4 stars or more and b has not watched: 111 only (112 unrated)
    assert [(r.tmdb_id, r.rating, r.on_watchlist) for r in recommendations.for_b] == [
        (111, 4.5, True)
    ]
    # b rated 4 stars or more and a has not watched: 201 (5), 204 (4)
    assert [(r.tmdb_id, r.rating, r.on_watchlist) for r in recommendations.for_a] == [
        (201, 5.0, True),
        (204, 4.0, False),
    ]


def test_identical_libraries_score_100() -> None:
    result = compare(_a(), _a())
    assert result.overlap.jaccard == 1.0
    assert result.compatibility.score == 100
    assert result.compatibility.taste_similarity == 100
    assert result.agreements.disagreements == []


def test_no_co_rated_film_no_score_but_a_taste_similarity() -> None:
    a = _library([_film(1, 1, 8, genres=("Drama", "Crime"))], [], "a")
    b_films = [_film(1, 2, 10, genres=("Drama",)), _film(2, 3, 8, genres=("Drama",)),
               _film(3, 4, None, genres=("Crime",))]  # fmt: skip
    b = _library(b_films, [], "b")
    result = compare(a, b).compatibility
    assert result.co_rated == 0
    assert result.score is None
    assert result.reason is not None
    assert "10" in result.reason
    assert result.taste_similarity is not None
    assert 0 < result.taste_similarity < 100


def test_nine_co_rated_films_are_not_enough() -> None:
    pairs = [(8, 8), (6, 6), (9, 9)] * 3
    assert compatibility(pairs, profile(_a()), profile(_b())).score is None
    assert compatibility([*pairs, (8, 8)], profile(_a()), profile(_b())).score == 100


def test_one_rating_for_every_film_tells_nothing() -> None:
    """Both gave every co-rated film 5 stars: no better than chance can be told."""
    result = compatibility([(10, 10)] * 12, profile(_a()), profile(_b()))
    assert result.score is None
    assert result.chance_gap == 0.0
    assert result.reason is not None
    assert "same rating" in result.reason


def test_a_film_listed_twice_is_not_recommended_to_who_has_seen_it() -> None:
    a = _library([_film(1, 7, 10), _film(2, 7, 9)], [], "a")  # two rows, one TMDB entry
    b = _library([_film(1, 7, 6)], [], "b")
    assert compare(a, b).recommendations.for_b == []


def test_a_film_is_shown_as_the_side_whose_tmdb_data_it_uses() -> None:
    unmatched = _film(1, None, 8)
    a = _library([unmatched], [], "a")
    series = _film(1, 1399, 8)
    series.title = unmatched.title  # paired by title and year
    b = _library([series], [], "b")
    b.film_links[1] = Link(None, "tv")
    both = compare(a, b).agreements.both_high
    assert [(f.tmdb_id, f.tmdb_kind) for f in both] == [(1399, "tv")]


def test_opposite_ratings_score_0() -> None:
    pairs = [(2, 10), (10, 2)] * 10
    result = compatibility(pairs, profile(_a()), profile(_b()))
    assert result.mean_gap == 4.0
    assert result.chance_gap == 2.0  # half the random pairings agree, half are 4 stars apart
    assert result.score == 0


def test_few_noisy_films_are_shrunk_toward_50() -> None:
    few = [(10, 9), (8, 10), (6, 6), (4, 2), (9, 9), (3, 4), (7, 5), (2, 2), (10, 10), (5, 6)]
    small = compatibility(few, profile(_a()), profile(_b()))
    large = compatibility(few * 10, profile(_a()), profile(_b()))
    assert small.score is not None
    assert large.score is not None
    assert large.score_unshrunk is not None
    assert small.score_unshrunk == large.score_unshrunk  # the same agreement ...
    assert 50 < small.score < large.score <= large.score_unshrunk  # ... less sure with fewer
    assert small.score_range is not None
    assert large.score_range is not None
    small_width = small.score_range[1] - small.score_range[0]
    assert small_width > large.score_range[1] - large.score_range[0]


def test_shared_love_and_differences() -> None:
    varda = ((7, "Agnès Varda"),)
    a_films = [_film(i, i, 10, genres=("Horror",), directors=varda) for i in range(1, 4)]
    a_films += [_film(i, i, 4, genres=("Drama",)) for i in range(4, 7)]
    b_films = [_film(i, i + 100, 9, genres=("Horror",), directors=varda) for i in range(1, 4)]
    b_films += [_film(4, 200, 2, genres=("Drama",))]
    result = compare(_library(a_films, [], "a"), _library(b_films, [], "b")).tastes
    loved = {(t.section, t.name) for t in result.both_love}
    assert ("directors", "Agnès Varda") in loved
    # half of a's films are horror, three quarters of b's
    horror = next(d for d in result.differences if d.section == "genres" and d.name == "Horror")
    assert (horror.share_a, horror.share_b, horror.difference) == (0.5, 0.75, -25.0)
