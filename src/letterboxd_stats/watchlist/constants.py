"""The taste model's fixed numbers, apart from the model (`watchlist.model`), so that what
describes a model (schemas, the service's sentences) does not import scikit-learn."""

MIN_RATED = 50
"""Fewer rated films with TMDB data than this: no model, and the page says why."""

FOLDS = 5
"""The folds of the cross-validation the accuracy is measured by."""
