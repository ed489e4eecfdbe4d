"""Statistics of a session: all time, or one year in review."""
