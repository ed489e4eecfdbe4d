"""The year in review's data: where the films come from (countries, continents), how the
period splits (new releases, rewatches, reviews), the diary as a calendar, decades by genre,
the rating's drift, and the gaps (films directed by women, not in English, decades and
countries of the stored catalogue never visited)."""
