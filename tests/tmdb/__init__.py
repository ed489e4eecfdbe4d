"""Tests of the TMDB package."""
