"""The comparison of two libraries (pure): `compare(a, b)`. Definitions: `compare.schemas`."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from letterboxd_stats.compare.pairing import same_films
from letterboxd_stats.compare.rows import Library, kind_of
from letterboxd_stats.compare.schemas import (
    HIGH,
    LOW,
    MIN_CO_RATED,
    MIN_RATED_GENRE,
    MIN_RATED_PERSON,
    PROFILE_SECTIONS,
    TOP,
    TOP_DIFFERENCES,
    TOP_SHARED,
    Agreements,
    CompareResponse,
    Compatibility,
    Disagreement,
    FilmBoth,
    Overlap,
    Recommendation,
    Recommendations,
    SectionSimilarity,
    SharedTaste,
    Side,
    TasteDifference,
    Tastes,
    WatchFilm,
    WatchTogether,
)
from letterboxd_stats.stats.rows import Labels, StatsFilm, TmdbFacts, WatchlistRow
from letterboxd_stats.stats.tags import Tag, tag_parts

HIGH_HALF = round(HIGH * 2)
LOW_HALF = round(LOW * 2)
MAX_GAP_HALF = 9  # 5 stars - 0.5 star
DEFAULT_MEAN_STARS = 3.0
MIN_VOTES = 10
LOVED_SECTIONS = (("genres", MIN_RATED_GENRE), ("directors", MIN_RATED_PERSON),
                  ("actors", MIN_RATED_PERSON))  # fmt: skip
DIFFERENCE_SECTIONS = ("genres", "decades", "countries")


def decade_tag(year: int | None) -> Tag | None:
    return None if year is None else f"decades:{year // 10 * 10}"


def film_tags(film: StatsFilm | WatchlistRow) -> list[Tag]:
    """The film's TMDB tags and its decade (from Letterboxd's year)."""
    tags = list(film.tmdb.tags) if film.tmdb is not None else []
    decade = decade_tag(film.year)
    if decade is not None:
        tags.append(decade)
    return tags


@dataclass(slots=True)
class Profile:
    """One person's taste (see `compare.schemas`): per section, each value's weight; per tag,
    the rated films' count and sum of half stars; per tag, the films that have it."""

    mean_stars: float
    weights: dict[str, dict[Tag, float]] = field(default_factory=lambda: defaultdict(dict))
    rated: dict[Tag, list[int]] = field(default_factory=dict)  # [count, half stars]
    films_with: Counter[Tag] = field(default_factory=Counter)
    tmdb_films: int = 0
    dated_films: int = 0

    def fit(self, tags: list[Tag]) -> float:
        """0-1: for each profile section the film has values in, its best value's weight over
        the section's largest weight; the mean of those."""
        best: dict[str, float] = {}
        for t in tags:
            section, _ = tag_parts(t)
            weights = self.weights.get(section)
            if weights is None or section not in PROFILE_SECTIONS:
                continue
            best[section] = max(best.get(section, 0.0), weights.get(t, 0.0))
        if not best:
            return 0.0
        tops = {s: max(self.weights[s].values()) for s in best}
        return sum(best[s] / tops[s] for s in best if tops[s] > 0) / len(best)


def profile(library: Library) -> Profile:
    films = library.rows.films
    ratings = [f.rating for f in films if f.rating is not None]
    mean = sum(ratings) / len(ratings) / 2 if ratings else DEFAULT_MEAN_STARS
    result = Profile(mean_stars=mean)
    for film in films:
        weight = film.rating / 2 if film.rating is not None else mean
        if film.tmdb is not None:
            result.tmdb_films += 1
        if film.year is not None:
            result.dated_films += 1
        for t in film_tags(film):
            section, _ = tag_parts(t)
            result.films_with[t] += 1
            if section in PROFILE_SECTIONS:
                weights = result.weights[section]
                weights[t] = weights.get(t, 0.0) + weight
            if film.rating is not None:
                tally = result.rated.setdefault(t, [0, 0])
                tally[0] += 1
                tally[1] += film.rating
    return result


def cosine(a: dict[Tag, float], b: dict[Tag, float]) -> float | None:
    if not a or not b:
        return None
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm > 0 else None


def _percent(value: float) -> int:
    return round(max(0.0, min(1.0, value)) * 100)


def _stars(half: int | None) -> float | None:
    return None if half is None else half / 2


def compatibility(pairs: list[tuple[int, int]], pa: Profile, pb: Profile) -> Compatibility:
    """`pairs`: both ratings of each co-rated film, half stars."""
    sections = []
    for section in PROFILE_SECTIONS:
        value = cosine(pa.weights.get(section, {}), pb.weights.get(section, {}))
        if value is not None:
            sections.append(SectionSimilarity(section=section, similarity=round(value * 100, 1)))
    taste = round(sum(s.similarity for s in sections) / len(sections)) if sections else None
    n = len(pairs)
    gaps = [abs(x - y) for x, y in pairs]
    mean_gap = sum(gaps) / n / 2 if n else None
    chance = _chance_gap(pairs) if n else None
    base = Compatibility(
        score=None,
        score_unshrunk=None,
        score_range=None,
        co_rated=n,
        mean_gap=None if mean_gap is None else round(mean_gap, 3),
        chance_gap=None if chance is None else round(chance, 3),
        reason=None,
        taste_similarity=taste,
        taste_sections=sections,
    )
    if n < MIN_CO_RATED or mean_gap is None or chance is None:
        base.reason = (
            f"{n} co-rated film{'s' if n != 1 else ''}: a score needs at least {MIN_CO_RATED}; "
            "the taste similarity does not need films in common"
        )
        return base
    scale = chance if chance > 0 else MAX_GAP_HALF / 2
    agreement = 1 - mean_gap / scale
    spread = statistics.stdev(gaps) / 2 if n > 1 else 0.0
    error = spread / math.sqrt(n) / scale
    shrunk = math.copysign(max(0.0, abs(agreement) - error), agreement)
    base.score = _percent((1 + shrunk) / 2)
    base.score_unshrunk = _percent((1 + agreement) / 2)
    base.score_range = [
        _percent((1 + agreement - error) / 2),
        _percent((1 + agreement + error) / 2),
    ]
    return base


def _chance_gap(pairs: list[tuple[int, int]]) -> float:
    """Mean |x - y| in stars over every rating x of a with every rating y of b (histograms)."""
    ha = Counter(x for x, _ in pairs)
    hb = Counter(y for _, y in pairs)
    total = sum(ca * cb * abs(x - y) for x, ca in ha.items() for y, cb in hb.items())
    return total / (len(pairs) ** 2) / 2


def _both(fa: StatsFilm, fb: StatsFilm, link_kind: str) -> FilmBoth:
    facts = fa.tmdb or fb.tmdb
    return FilmBoth(
        title=fa.title,
        year=fa.year,
        tmdb_id=facts.tmdb_id if facts is not None else None,
        tmdb_kind=link_kind,
        poster_path=facts.poster_path if facts is not None else None,
        rating_a=_stars(fa.rating),
        rating_b=_stars(fb.rating),
    )


def _watch_film(
    row: WatchlistRow | StatsFilm, kind: str, whose: str, rating: int | None = None
) -> WatchFilm:
    facts: TmdbFacts | None = row.tmdb
    return WatchFilm(
        title=row.title,
        year=row.year,
        tmdb_id=facts.tmdb_id if facts is not None else None,
        tmdb_kind=kind,
        poster_path=facts.poster_path if facts is not None else None,
        vote_average=facts.vote_average if facts is not None else None,
        rating=_stars(rating),
        on_watchlist_of=whose,
    )


def _side(library: Library, p: Profile) -> Side:
    rows = library.rows
    return Side(
        name=library.name,
        films=len(rows.films),
        rated=sum(1 for f in rows.films if f.rating is not None),
        watchlist=len(rows.watchlist),
        tmdb_based_on=p.tmdb_films,
    )


def _recommend(
    giver: Library, taker: Library, taker_profile: Profile, seen: set[int], listed: set[int]
) -> list[Recommendation]:
    """Films `giver` rated high that `taker` has not seen (`seen`: giver's film indexes both
    have), `listed`: those on the taker's watchlist."""
    found = []
    for i, film in enumerate(giver.rows.films):
        if i in seen or film.rating is None or film.rating < HIGH_HALF:
            continue
        fit = taker_profile.fit(film_tags(film))
        found.append((film.rating / 2 + 2 * fit, i, fit))
    found.sort(key=lambda x: (-x[0], giver.rows.films[x[1]].title, x[1]))
    result = []
    for _, i, fit in found[:TOP]:
        film = giver.rows.films[i]
        assert film.rating is not None
        facts = film.tmdb
        result.append(
            Recommendation(
                title=film.title,
                year=film.year,
                tmdb_id=facts.tmdb_id if facts is not None else None,
                tmdb_kind=kind_of(giver.film_links.get(film.film_no)),
                poster_path=facts.poster_path if facts is not None else None,
                rating=film.rating / 2,
                fit=round(fit, 3),
                on_watchlist=i in listed,
            )
        )
    return result


def _loved(a: Library, b: Library, pa: Profile, pb: Profile) -> list[SharedTaste]:
    labels = Labels(f.tmdb for f in (*a.rows.films, *b.rows.films) if f.tmdb is not None)
    result: list[SharedTaste] = []
    for section, minimum in LOVED_SECTIONS:
        found = []
        for t, (count_a, sum_a) in pa.rated.items():
            if tag_parts(t)[0] != section or count_a < minimum:
                continue
            tally_b = pb.rated.get(t)
            if tally_b is None or tally_b[0] < minimum:
                continue
            mean_a, mean_b = sum_a / count_a / 2, tally_b[1] / tally_b[0] / 2
            if mean_a > pa.mean_stars and mean_b > pb.mean_stars:
                found.append((min(mean_a, mean_b), count_a + tally_b[0], t, mean_a, mean_b))
        found.sort(key=lambda x: (-x[0], -x[1], x[2]))
        for _, _, t, mean_a, mean_b in found[:TOP_SHARED]:
            label = labels[t]
            result.append(
                SharedTaste(
                    section=section,
                    key=tag_parts(t)[1],
                    name=label.name,
                    image=label.image,
                    films_a=pa.rated[t][0],
                    films_b=pb.rated[t][0],
                    mean_a=round(mean_a, 2),
                    mean_b=round(mean_b, 2),
                )
            )
    return result


def _differences(a: Library, b: Library, pa: Profile, pb: Profile) -> list[TasteDifference]:
    labels = Labels(f.tmdb for f in (*a.rows.films, *b.rows.films) if f.tmdb is not None)
    result: list[TasteDifference] = []
    for section in DIFFERENCE_SECTIONS:
        total_a = pa.dated_films if section == "decades" else pa.tmdb_films
        total_b = pb.dated_films if section == "decades" else pb.tmdb_films
        if not total_a or not total_b:
            continue
        tags = {t for t in (*pa.films_with, *pb.films_with) if tag_parts(t)[0] == section}
        found = []
        for t in tags:
            share_a = pa.films_with.get(t, 0) / total_a
            share_b = pb.films_with.get(t, 0) / total_b
            found.append((abs(share_a - share_b), t, share_a, share_b))
        found.sort(key=lambda x: (-x[0], x[1]))
        for gap, t, share_a, share_b in found[:TOP_DIFFERENCES]:
            if gap == 0:
                break
            key = tag_parts(t)[1]
            name = f"{key}s" if section == "decades" else labels[t].name
            result.append(
                TasteDifference(
                    section=section,
                    key=key,
                    name=name,
                    share_a=round(share_a, 4),
                    share_b=round(share_b, 4),
                    difference=round((share_a - share_b) * 100, 1),
                )
            )
    return result


def _watch_together(a: Library, b: Library) -> WatchTogether:
    wa = a.rows.watchlist
    both_pairs = same_films(a.watchlist_items(), b.watchlist_items())
    both = [
        _watch_film(wa[i], kind_of(a.watchlist_links.get(wa[i].entry_no)), "both")
        for i in both_pairs
    ]
    both.sort(
        key=lambda f: (
            f.vote_average is None,
            -(f.vote_average or 0.0) if f.vote_average is not None else 0.0,
            f.title,
        )
    )
    loved: list[WatchFilm] = []
    for lister, rater, whose in ((a, b, "a"), (b, a, "b")):
        films = rater.rows.films
        for i, j in same_films(lister.watchlist_items(), rater.film_items()).items():
            film = films[j]
            if film.rating is not None and film.rating >= HIGH_HALF:
                entry = lister.rows.watchlist[i]
                kind = kind_of(lister.watchlist_links.get(entry.entry_no))
                loved.append(_watch_film(entry, kind, whose, film.rating))
    loved.sort(key=lambda f: (-(f.rating or 0.0), f.title, f.on_watchlist_of))
    return WatchTogether(
        both_watchlists=len(both_pairs),
        both=both[: 2 * TOP],
        one_watchlist_other_loved=loved[: 2 * TOP],
    )


def compare(a: Library, b: Library) -> CompareResponse:
    pa, pb = profile(a), profile(b)
    films_a, films_b = a.rows.films, b.rows.films
    pairs = same_films(a.film_items(), b.film_items())
    co_rated = [
        (i, j) for i, j in pairs.items()
        if films_a[i].rating is not None and films_b[j].rating is not None
    ]  # fmt: skip
    ratings = [(films_a[i].rating or 0, films_b[j].rating or 0) for i, j in co_rated]
    both_films = [
        _both(films_a[i], films_b[j], kind_of(a.film_links.get(films_a[i].film_no)))
        for i, j in co_rated
    ]

    def total(f: FilmBoth) -> float:
        return (f.rating_a or 0) + (f.rating_b or 0)

    high = sorted(
        (f for f in both_films if (f.rating_a or 0) >= HIGH and (f.rating_b or 0) >= HIGH),
        key=lambda f: (-total(f), f.title),
    )
    low = sorted(
        (f for f in both_films if (f.rating_a or 0) <= LOW and (f.rating_b or 0) <= LOW),
        key=lambda f: (total(f), f.title),
    )
    gaps = [
        Disagreement(**f.model_dump(), gap=abs((f.rating_a or 0) - (f.rating_b or 0)))
        for f in both_films
    ]
    disagreements = sorted((d for d in gaps if d.gap >= 1), key=lambda d: (-d.gap, d.title))

    on_b_watchlist = set(same_films(a.film_items(), b.watchlist_items()))
    on_a_watchlist = set(same_films(b.film_items(), a.watchlist_items()))
    both_count = len(pairs)
    either = len(films_a) + len(films_b) - both_count
    return CompareResponse(
        a=_side(a, pa),
        b=_side(b, pb),
        overlap=Overlap(
            films=both_count,
            share_of_a=round(both_count / len(films_a), 4) if films_a else 0.0,
            share_of_b=round(both_count / len(films_b), 4) if films_b else 0.0,
            jaccard=round(both_count / either, 4) if either else 0.0,
            rated=len(co_rated),
        ),
        compatibility=compatibility(ratings, pa, pb),
        agreements=Agreements(
            both_high=high[:TOP], both_low=low[:TOP], disagreements=disagreements[:TOP]
        ),
        recommendations=Recommendations(
            for_a=_recommend(b, a, pa, set(pairs.values()), on_a_watchlist),
            for_b=_recommend(a, b, pb, set(pairs), on_b_watchlist),
        ),
        watch_together=_watch_together(a, b),
        tastes=Tastes(both_love=_loved(a, b, pa, pb), differences=_differences(a, b, pa, pb)),
    )
