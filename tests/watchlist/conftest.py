"""`train`: the taste model's `watchlist.model.train`, imported when a test asks for it, not when
the tests are collected: scikit-learn and SciPy take about a second to import, which every test
worker would pay at collection whether or not it runs these tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def train() -> Any:
    from letterboxd_stats.watchlist.model import train

    return train


@pytest.fixture(scope="session")
def spearman() -> Any:
    """Spearman's rank correlation of two sequences (SciPy's)."""
    from scipy.stats import spearmanr

    return lambda a, b: spearmanr(a, b).statistic
