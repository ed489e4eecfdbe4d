"""The background job of a session: match films to TMDB, store metadata, count progress."""
