"""TMDB: the HTTP client and the pure matching of a Letterboxd title and year to a TMDB film."""
