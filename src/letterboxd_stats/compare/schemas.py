"""The comparison of two libraries. Every definition is written down here, in the field
descriptions (visible at /docs).

Words used throughout:
- *a* and *b*: the two libraries, in the order of the path (`/api/compare/{a}/{b}`).
- *watched*: a film of the library (watched, rated, logged in the diary or liked).
- *the same film*: films of the two libraries are paired by their TMDB entry where both are
  matched, else as an update pairs the films of two exports: by the film's Letterboxd link,
  else by normalised title and year, else title and year ± 1 when that pairing is unique.
- *rating*: stars 0.5-5, as in /stats.
- *taste profile*: per section (genres, directors, decades, countries), how much each value
  weighs in the person's films: the sum over their films with it of the film's rating in stars
  (an unrated film counts as the person's mean rating, 3 when they rated none). Decades come
  from Letterboxd's years, the other sections from TMDB data.
- *fit* of a film for a person: for each section the film has values in, the largest weight
  of those values in the person's profile divided by the profile's largest weight; the mean
  over those sections, 0-1.
A comparison shows no review texts and no library ids. Of the watchlists it names only the
films where the two libraries meet (`watch_together`, `on_watchlist`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

MIN_CO_RATED = 10
HIGH = 4.0
LOW = 2.0
TOP = 20
TOP_SHARED = 10
TOP_DIFFERENCES = 5
MIN_RATED_GENRE = 3
MIN_RATED_PERSON = 2
PROFILE_SECTIONS = ("genres", "directors", "decades", "countries")


class Side(BaseModel):
    name: str | None = Field(description="The Letterboxd username of the library, if known.")
    films: int = Field(description="Films of the library.")
    rated: int = Field(description="Films with a rating.")
    watchlist: int = Field(description="Watchlist entries.")
    tmdb_based_on: int = Field(description="Films with TMDB data (taste profiles rest on them).")


class Overlap(BaseModel):
    films: int = Field(description="Films both have watched (the same film, see above).")
    share_of_a: float = Field(description="films / films of a (0-1).")
    share_of_b: float = Field(description="films / films of b (0-1).")
    jaccard: float = Field(
        description="films / films of either (a + b - both): 1 for the same library, 0 for none."
    )
    rated: int = Field(description="Films both have rated (the co-rated films).")


class SectionSimilarity(BaseModel):
    section: str = Field(description="genres, directors, decades or countries.")
    similarity: float = Field(description="Cosine of the two profiles of this section, 0-100.")


class Compatibility(BaseModel):
    score: int | None = Field(
        description="0-100, how alike both rate the films both rated; null below "
        f"{MIN_CO_RATED} co-rated films. Computed as 50 + 50 x agreement, where agreement = "
        "1 - (mean gap between both ratings of a film) / (the mean gap of the same ratings "
        "paired at random): 1 when both rate every film alike, 0 when the ratings agree no more "
        "than chance, negative below it. The agreement is then shrunk toward 0 (a score of 50: "
        "unknown) by its standard error (the spread of the gaps / sqrt(co-rated films)): with few "
        "films or uneven gaps the score moves toward 50; identical ratings (no spread) score "
        "100. Clipped to 0-100."
    )
    score_unshrunk: int | None = Field(
        description="50 + 50 x agreement before the shrinking; null below the minimum."
    )
    score_range: list[int] | None = Field(
        description="[low, high]: 50 + 50 x (agreement -/+ one standard error), clipped 0-100."
    )
    co_rated: int = Field(description="Films both have rated.")
    min_co_rated: int = Field(default=MIN_CO_RATED, description="Below this, no score.")
    mean_gap: float | None = Field(
        description="Mean of |rating of a - rating of b| over the co-rated films, stars."
    )
    chance_gap: float | None = Field(
        description="The same mean when every rating of a is paired with every rating of b."
    )
    reason: str | None = Field(description="Why there is no score, when there is none.")
    taste_similarity: int | None = Field(
        description="0-100: the mean over the sections both have data for of the cosine of "
        "their taste profiles (see above). It needs no film in common; null when no section "
        "has data on both sides (decades need only Letterboxd's years, the rest TMDB data)."
    )
    taste_sections: list[SectionSimilarity] = Field(
        description="The cosine of each section both have data for."
    )


class FilmBoth(BaseModel):
    title: str
    year: int | None = Field(description="Release year as Letterboxd gives it (a's film).")
    tmdb_id: int | None = Field(description="TMDB id, when one side's film is matched.")
    tmdb_kind: str = Field(description="movie or tv: what tmdb_id names.")
    poster_path: str | None = Field(description="TMDB poster path.")
    rating_a: float | None = Field(description="a's rating, stars.")
    rating_b: float | None = Field(description="b's rating, stars.")


class Disagreement(FilmBoth):
    gap: float = Field(description="|rating_a - rating_b|, stars.")


class Agreements(BaseModel):
    both_high: list[FilmBoth] = Field(
        description=f"Co-rated films both rated {HIGH:g} stars or more, by the sum of both "
        f"ratings; at most {TOP}."
    )
    both_low: list[FilmBoth] = Field(
        description=f"Co-rated films both rated {LOW:g} stars or less, lowest sum first; at "
        f"most {TOP}."
    )
    disagreements: list[Disagreement] = Field(
        description=f"Co-rated films by the largest gap between both ratings (1 star or more); "
        f"at most {TOP}."
    )


class Recommendation(BaseModel):
    title: str
    year: int | None
    tmdb_id: int | None
    tmdb_kind: str
    poster_path: str | None
    rating: float = Field(description="The recommender's rating, stars.")
    fit: float = Field(description="How well the film fits the other's taste profile, 0-1.")
    on_watchlist: bool = Field(description="The film is on the other's watchlist.")


class Recommendations(BaseModel):
    for_a: list[Recommendation] = Field(
        description=f"Films b rated {HIGH:g} stars or more that a has not watched, ranked by b's "
        f"rating + 2 x the film's fit for a; at most {TOP}."
    )
    for_b: list[Recommendation] = Field(
        description=f"Films a rated {HIGH:g} stars or more that b has not watched, ranked by a's "
        f"rating + 2 x the film's fit for b; at most {TOP}."
    )


class WatchFilm(BaseModel):
    title: str
    year: int | None
    tmdb_id: int | None
    tmdb_kind: str
    poster_path: str | None
    vote_average: float | None = Field(description="TMDB's average vote, 0-10.")
    rating: float | None = Field(
        description="In `one_watchlist_other_loved`: the rating of the one who saw it, stars."
    )
    on_watchlist_of: str = Field(description="a, b or both.")


class WatchTogether(BaseModel):
    both_watchlists: int = Field(description="Films on both watchlists.")
    both: list[WatchFilm] = Field(
        description=f"Films on both watchlists, by TMDB's average vote (films without one "
        f"last); at most {2 * TOP}."
    )
    one_watchlist_other_loved: list[WatchFilm] = Field(
        description=f"Films on one's watchlist that the other rated {HIGH:g} stars or more, by "
        f"that rating; at most {2 * TOP}."
    )


class SharedTaste(BaseModel):
    section: str = Field(description="genres, directors or actors.")
    key: str = Field(description="TMDB id of the genre or person.")
    name: str
    image: str | None = Field(description="TMDB profile path of a person.")
    films_a: int = Field(description="Films of it a rated.")
    films_b: int = Field(description="Films of it b rated.")
    mean_a: float = Field(description="a's mean rating of them, stars.")
    mean_b: float = Field(description="b's mean rating of them, stars.")


class TasteDifference(BaseModel):
    section: str = Field(description="genres, decades or countries.")
    key: str
    name: str
    share_a: float = Field(
        description="Share of a's films in it (0-1): of the films with TMDB data for genres "
        "and countries, of the films with a year for decades."
    )
    share_b: float = Field(description="The same for b.")
    difference: float = Field(description="share_a - share_b, in percentage points.")


class Tastes(BaseModel):
    both_love: list[SharedTaste] = Field(
        description=f"Genres (at least {MIN_RATED_GENRE} rated films on each side), directors "
        f"and top-billed actors (at least {MIN_RATED_PERSON}) that both rate above their own "
        f"mean rating, by the lower of the two means; at most {TOP_SHARED} of each section."
    )
    differences: list[TasteDifference] = Field(
        description="The largest differences between the shares of both libraries' films in "
        f"a genre, a decade (Letterboxd's year) or a country; at most {TOP_DIFFERENCES} of each."
    )


class CompareResponse(BaseModel):
    a: Side
    b: Side
    overlap: Overlap
    compatibility: Compatibility
    agreements: Agreements
    recommendations: Recommendations
    watch_together: WatchTogether
    tastes: Tastes
