"""A rating predicted from a person's own taste (pure: numbers in, numbers out).

Trained on the person's rated films that have TMDB data, from TMDB features: genres, the
frequent keywords, directors, top-billed cast, writers, countries, original language, decade,
runtime, TMDB's vote average and vote count, popularity. The model is a ridge regression
(scikit-learn's `RidgeCV`, its penalty chosen by leave-one-out on the training films) on one
column per tag and the standardised numbers.

Its accuracy is measured honestly, by 5-fold cross-validation on the person's own ratings: the
mean absolute error (stars) and the Spearman correlation of the held-out predictions, beside two
baselines computed the same way: the person's mean rating, and a linear fit of their ratings on
TMDB's vote average. The model is used only when it beats both (a lower error than each, and a
better ranking than TMDB's average); otherwise the films are ranked by TMDB's average fitted
to the person's ratings (the mean rating ranks nothing). Fewer than `MIN_RATED` rated films
with TMDB data: no model.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.stats import spearmanr
from sklearn.linear_model import LinearRegression, RidgeCV
from sklearn.model_selection import KFold

from letterboxd_stats.stats.rows import TmdbFacts
from letterboxd_stats.stats.tags import Label, Tag
from letterboxd_stats.watchlist.constants import FOLDS, MIN_RATED

MIN_TAG_FILMS = 2  # a tag is a feature when at least this many rated films have it
MIN_KEYWORD_FILMS = 5  # keywords: only the frequent ones
FEATURE_SECTIONS = ("genres", "keywords", "directors", "actors", "writers", "countries",
                    "languages")  # fmt: skip
NUMBERS = ("runtime", "vote_average", "vote_count", "popularity")
ALPHAS = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
MIN_REASON_STARS = 0.05
MAX_REASONS = 3
SEED = 20261206


@dataclass(frozen=True, slots=True)
class Score:
    """Cross-validated figures of one predictor: mean absolute error in stars, and the Spearman
    correlation of its held-out predictions with the ratings (None: it ranks nothing)."""

    mae: float
    spearman: float | None


@dataclass(frozen=True, slots=True)
class Accuracy:
    rated: int  # rated films with TMDB data the figures rest on
    model: Score
    mean_rating: Score
    tmdb_average: Score
    beats_baselines: bool
    ranked_by: str  # "model" or "tmdb_average"

    @property
    def error(self) -> float:
        """The cross-validated error of what ranks the films: their predictions' range."""
        return self.model.mae if self.beats_baselines else self.tmdb_average.mae


@dataclass(frozen=True, slots=True)
class Prediction:
    stars: float  # 0.5-5
    low: float
    high: float
    reasons: tuple[str, ...]


def _section(found: Tag) -> str:
    return found.partition(":")[0]


def _decade(facts: TmdbFacts) -> Tag | None:
    if facts.release_date is None:
        return None
    return f"decades:{facts.release_date.year // 10 * 10}"


def _tags(facts: TmdbFacts) -> list[Tag]:
    found = [t for t in facts.tags if _section(t) in FEATURE_SECTIONS]
    decade = _decade(facts)
    if decade is not None:
        found.append(decade)
    return found


def _numbers(facts: TmdbFacts) -> list[float | None]:
    return [
        float(facts.runtime) if facts.runtime else None,
        facts.vote_average if facts.vote_count else None,
        math.log1p(facts.vote_count) if facts.vote_count is not None else None,
        math.log1p(facts.popularity) if facts.popularity is not None else None,
    ]


@dataclass(slots=True)
class _Features:
    """Columns learned from the training films: one per frequent tag, then the numbers
    (standardised with the training films' mean and spread; a missing one is the mean)."""

    columns: dict[Tag, int] = field(default_factory=dict)
    means: list[float] = field(default_factory=list)
    spreads: list[float] = field(default_factory=list)

    @classmethod
    def learn(cls, films: Sequence[TmdbFacts]) -> _Features:
        counts = Counter(t for f in films for t in set(_tags(f)))
        result = cls()
        for t, n in sorted(counts.items()):
            minimum = MIN_KEYWORD_FILMS if _section(t) == "keywords" else MIN_TAG_FILMS
            if n >= minimum:
                result.columns[t] = len(result.columns)
        values = [_numbers(f) for f in films]
        for k in range(len(NUMBERS)):
            known = [x for v in values if (x := v[k]) is not None]
            mean = sum(known) / len(known) if known else 0.0
            spread = float(np.std(known)) if len(known) > 1 else 0.0
            result.means.append(mean)
            result.spreads.append(spread if spread > 0 else 1.0)
        return result

    @property
    def width(self) -> int:
        return len(self.columns) + len(NUMBERS)

    def numbers(self, facts: TmdbFacts) -> list[float]:
        return [
            0.0 if v is None else (v - self.means[k]) / self.spreads[k]
            for k, v in enumerate(_numbers(facts))
        ]

    def matrix(self, films: Sequence[TmdbFacts]) -> sparse.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        data: list[float] = []
        base = len(self.columns)
        for i, facts in enumerate(films):
            for t in set(_tags(facts)):
                column = self.columns.get(t)
                if column is not None:
                    rows.append(i)
                    cols.append(column)
                    data.append(1.0)
            for k, value in enumerate(self.numbers(facts)):
                rows.append(i)
                cols.append(base + k)
                data.append(value)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(films), self.width))


def _fit(films: Sequence[TmdbFacts], stars: np.ndarray[Any, Any]) -> tuple[_Features, RidgeCV]:
    features = _Features.learn(films)
    model = RidgeCV(alphas=ALPHAS).fit(features.matrix(films), stars)
    return features, model


def _vote_average(films: Sequence[TmdbFacts], fallback: float) -> np.ndarray[Any, Any]:
    return np.array(
        [
            [f.vote_average if f.vote_average is not None and f.vote_count else fallback]
            for f in films
        ]
    )


def _spearman(predicted: np.ndarray[Any, Any], actual: np.ndarray[Any, Any]) -> float | None:
    if np.ptp(predicted) == 0 or np.ptp(actual) == 0:
        return None
    value = float(spearmanr(predicted, actual).statistic)
    return None if math.isnan(value) else round(value, 4)


def cross_validate(
    films: Sequence[TmdbFacts], stars: Sequence[float]
) -> tuple[Score, Score, Score]:
    """Held-out predictions of the model and both baselines over `FOLDS` folds: their scores."""
    y = np.asarray(stars, dtype=float)
    held: dict[str, np.ndarray[Any, Any]] = {k: np.zeros(len(y)) for k in ("m", "mean", "tmdb")}
    folds = KFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split(y):
        train_films = [films[i] for i in train]
        test_films = [films[i] for i in test]
        features, model = _fit(train_films, y[train])
        held["m"][test] = np.clip(model.predict(features.matrix(test_films)), 0.5, 5.0)
        mean = float(y[train].mean())
        held["mean"][test] = mean
        line = LinearRegression().fit(_vote_average(train_films, 6.5), y[train])
        held["tmdb"][test] = np.clip(line.predict(_vote_average(test_films, 6.5)), 0.5, 5.0)

    def score(key: str, ranks: bool = True) -> Score:
        predicted = held[key]
        mae = round(float(np.abs(predicted - y).mean()), 4)
        return Score(mae, _spearman(predicted, y) if ranks else None)

    # the mean rating is one value per fold: its folds' small differences rank nothing
    return score("m"), score("mean", ranks=False), score("tmdb")


class TasteModel:
    """Trained on one person's rated films: predicts a film's rating with a range and up to
    three reasons in plain words (from the model's own contributions)."""

    def __init__(
        self,
        films: Sequence[TmdbFacts],
        stars: Sequence[float],
        accuracy: Accuracy,
        labels: Mapping[Tag, Label],
    ) -> None:
        y = np.asarray(stars, dtype=float)
        self.accuracy = accuracy
        self._labels = labels
        self._features, self._model = _fit(films, y)
        self._line = LinearRegression().fit(_vote_average(films, 6.5), y)
        self._coef = self._model.coef_
        tallies: defaultdict[Tag, list[float]] = defaultdict(list)
        for facts, rating in zip(films, y, strict=True):
            for t in set(_tags(facts)):
                tallies[t].append(float(rating))
        self._tag_means = {t: (sum(v) / len(v), len(v)) for t, v in tallies.items()}

    def predict(self, facts: TmdbFacts) -> Prediction:
        error = self.accuracy.error
        if self.accuracy.ranked_by == "model":
            x = self._features.matrix([facts])
            stars = float(np.clip(self._model.predict(x)[0], 0.5, 5.0))
            reasons = self._reasons(facts)
        else:
            stars = float(np.clip(self._line.predict(_vote_average([facts], 6.5))[0], 0.5, 5.0))
            reasons = (self._tmdb_reason(facts),) if facts.vote_count else ()
        return Prediction(
            round(stars, 2),
            round(max(0.5, stars - error), 2),
            round(min(5.0, stars + error), 2),
            reasons,
        )

    def _reasons(self, facts: TmdbFacts) -> tuple[str, ...]:
        contributions: list[tuple[float, str]] = []
        for t in set(_tags(facts)):
            column = self._features.columns.get(t)
            if column is not None:
                contributions.append((float(self._coef[column]), t))
        base = len(self._features.columns)
        for k, value in enumerate(self._features.numbers(facts)):
            contributions.append((float(self._coef[base + k]) * value, NUMBERS[k]))
        contributions.sort(key=lambda c: -abs(c[0]))
        words = []
        for amount, what in contributions[:MAX_REASONS]:
            if abs(amount) < MIN_REASON_STARS:
                break
            words.append(self._words(what, facts))
        return tuple(words)

    def _words(self, what: str, facts: TmdbFacts) -> str:
        if what in NUMBERS:
            if what == "runtime":
                return f"{facts.runtime} minutes"
            if what == "vote_average" or facts.vote_count is None:
                return self._tmdb_reason(facts)
            if what == "vote_count":
                return f"{facts.vote_count:,} votes on TMDB"
            return f"popularity {facts.popularity:.0f} on TMDB"
        mean, count = self._tag_means[what]
        section, _, key = what.partition(":")
        name = f"{key}s" if section == "decades" else self._name(what)
        films = f"{count} film{'s' if count != 1 else ''}"
        if section in ("directors", "actors", "writers"):
            return f"you rate {name} {mean:.1f}★ on average ({films})"
        if section == "keywords":
            return f"“{name}”: {mean:.1f}★ on average ({films})"
        return f"{name}: {mean:.1f}★ on average ({films})"

    def _name(self, found: Tag) -> str:
        label = self._labels.get(found)
        return label.name if label is not None else found.partition(":")[2]

    @staticmethod
    def _tmdb_reason(facts: TmdbFacts) -> str:
        return f"TMDB's average {facts.vote_average:.1f}/10"


def train(rated: Sequence[tuple[TmdbFacts, int]], labels: Mapping[Tag, Label]) -> TasteModel | None:
    """`rated`: each rated film's TMDB facts and rating (half stars). None below MIN_RATED."""
    if len(rated) < MIN_RATED:
        return None
    films = [facts for facts, _ in rated]
    stars = [half / 2 for _, half in rated]
    model, mean, tmdb = cross_validate(films, stars)
    beats = (
        model.mae < mean.mae
        and model.mae < tmdb.mae
        and (model.spearman or 0.0) > (tmdb.spearman or 0.0)
    )
    accuracy = Accuracy(
        rated=len(rated),
        model=model,
        mean_rating=mean,
        tmdb_average=tmdb,
        beats_baselines=beats,
        ranked_by="model" if beats else "tmdb_average",
    )
    return TasteModel(films, stars, accuracy, labels)
