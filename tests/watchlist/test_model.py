"""The taste model on libraries whose hidden taste is known: ratings generated from genre and
director effects plus noise (the model must beat both baselines and rank unseen films), and
random ratings (it must not claim to)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from letterboxd_stats.stats.rows import Labels, TmdbFacts
from letterboxd_stats.watchlist.constants import MIN_RATED
from tests.fixtures.stats_rows import facts

GENRES = ("Drama", "Horror", "Comedy", "Thriller", "Romance", "Western", "Animation", "War")
GENRE_EFFECT = dict(zip(GENRES, (0.6, -1.2, 0.2, 0.0, -0.4, 0.8, 0.4, -0.2), strict=True))


def _films(count: int, seed: int) -> list[tuple[TmdbFacts, float]]:
    """Films and their true taste (stars before noise)."""
    rng = random.Random(seed)
    director_effect = {d: rng.gauss(0, 0.7) for d in range(40)}
    films = []
    for i in range(count):
        genres = tuple(rng.sample(GENRES, rng.randint(1, 3)))
        director = rng.randrange(40)
        film = facts(
            10_000 + i,
            genres=genres,
            directors=((director, f"Director {director}"),),
            cast=tuple((500 + rng.randrange(300), "Actor") for _ in range(3)),
            countries=(rng.choice(("US", "FR", "JP")),),
            vote_average=rng.uniform(5, 8),
            vote_count=rng.randint(20, 5000),
            popularity=rng.uniform(1, 60),
            release_date=date(rng.randint(1950, 2023), 6, 1),
            runtime=rng.randint(80, 160),
        )
        taste = 3.0 + sum(GENRE_EFFECT[g] for g in genres) / len(genres) + director_effect[director]
        films.append((film, taste))
    return films


def _half_stars(stars: float) -> int:
    return max(1, min(10, round(stars * 2)))


def _rated(films: list[tuple[TmdbFacts, float]], seed: int) -> list[tuple[TmdbFacts, int]]:
    rng = random.Random(seed)
    return [(f, _half_stars(taste + rng.gauss(0, 0.35))) for f, taste in films]


def test_a_hidden_taste_is_learned_and_ranks_unseen_films(train: Any, spearman: Any) -> None:
    films = _films(400, seed=1)
    rated = _rated(films[:320], seed=2)
    model = train(rated, Labels(f for f, _ in rated))
    assert model is not None
    accuracy = model.accuracy
    assert accuracy.rated == 320
    assert accuracy.beats_baselines
    assert accuracy.ranked_by == "model"
    assert accuracy.model.mae < accuracy.mean_rating.mae
    assert accuracy.model.mae < accuracy.tmdb_average.mae
    assert accuracy.model.spearman is not None
    assert accuracy.model.spearman >= 0.5
    assert accuracy.mean_rating.spearman is None  # a constant ranks nothing
    # films it never saw: ranked as their hidden taste ranks them
    unseen = films[320:]
    predicted = [model.predict(f).stars for f, _ in unseen]
    assert spearman(predicted, [taste for _, taste in unseen]) >= 0.5


def test_random_ratings_are_not_claimed_to_be_predicted(train: Any) -> None:
    for seed in range(3):
        rng = random.Random(100 + seed)
        rated = [(f, rng.randint(1, 10)) for f, _ in _films(300, seed=10 + seed)]
        model = train(rated, Labels(f for f, _ in rated))
        assert model is not None
        assert not model.accuracy.beats_baselines, model.accuracy
        assert model.accuracy.ranked_by == "tmdb_average"
        prediction = model.predict(rated[0][0])
        assert prediction.reasons[0].startswith("TMDB's average")


def test_too_few_rated_films_make_no_model(train: Any) -> None:
    rated = _rated(_films(MIN_RATED - 1, seed=3), seed=4)
    assert train(rated, Labels(f for f, _ in rated)) is None
    assert train(_rated(_films(MIN_RATED, seed=3), seed=4), {}) is not None


def test_a_prediction_has_a_range_and_reasons_in_plain_words(train: Any) -> None:
    films = _films(400, seed=5)
    rated = _rated(films, seed=6)
    model = train(rated, Labels(f for f, _ in rated))
    assert model is not None
    assert model.accuracy.beats_baselines
    horror = next(f for f, _ in films if f.tags and "genres:horror" in f.tags)
    prediction = model.predict(horror)
    assert 0.5 <= prediction.low <= prediction.stars <= prediction.high <= 5.0
    assert round(prediction.high - prediction.stars, 2) <= round(model.accuracy.error, 2) + 0.01
    assert 1 <= len(prediction.reasons) <= 3
    text = " ".join(prediction.reasons)
    assert "★ on average" in text or "TMDB" in text or "minutes" in text
    # the strongest effects are named with the person's own average
    reasons = {r for f, _ in films[:100] for r in model.predict(f).reasons}
    assert any(r.startswith("Horror: ") for r in reasons)
    assert any(r.startswith("you rate Director ") for r in reasons)
