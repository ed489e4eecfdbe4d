"""letterboxd-stats: statistics for a Letterboxd data export, enriched from TMDB."""

__version__ = "0.1.0"
