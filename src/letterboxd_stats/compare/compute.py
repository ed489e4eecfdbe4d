"""The comparison of two libraries (pure): `compare(a, b)`. Definitions: `compare.schemas`."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

from letterboxd_stats.compare.pairing import Films, same_films
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
DEFAULT_MEAN_STARS = 3.0
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


WANTED_SECTIONS = frozenset(
    (*PROFILE_SECTIONS, *(s for s, _ in LOVED_SECTIONS), *DIFFERENCE_SECTIONS)
)


class Sections(dict[Tag, str]):
    """Each tag's section, split once per distinct tag (tags are interned and shared by the
    films of both libraries)."""

    def __missing__(self, found: Tag) -> str:
        section = self[found] = found.partition(":")[0]
        return section


@dataclass(slots=True)
class Profile:
    """One person's taste (see `compare.schemas`): per section, each value's weight; per tag,
    the rated films' count and sum of half stars; per tag, the films that have it (only the
    sections a comparison shows)."""

    mean_stars: float
    sections: Sections
    weights: dict[str, dict[Tag, float]] = field(default_factory=lambda: defaultdict(dict))
    rated: dict[Tag, list[int]] = field(default_factory=dict)  # [count, half stars]
    films_with: Counter[Tag] = field(default_factory=Counter)
    tmdb_films: int = 0
    dated_films: int = 0
    _tops: dict[str, float] = field(default_factory=dict)

    def fit(self, tags: list[Tag]) -> float:
        """0-1: for each profile section the film has values in, its best value's weight over
        the section's largest weight; the mean of those."""
        best: dict[str, float] = {}
        for t in tags:
            section = self.sections[t]
            if section not in PROFILE_SECTIONS:
                continue
            weights = self.weights.get(section)
            if weights is not None:
                best[section] = max(best.get(section, 0.0), weights.get(t, 0.0))
        if not best:
            return 0.0
        return sum(best[s] / self._top(s) for s in best if self._top(s) > 0) / len(best)

    def _top(self, section: str) -> float:
        top = self._tops.get(section)
        if top is None:
            top = self._tops[section] = max(self.weights[section].values())
        return top


def profile(library: Library, sections: Sections | None = None) -> Profile:
    """The films' tags are counted per rating (at most 11 groups: unrated and 10 half-star
    values) at C speed; only the distinct tags of each group are then looked at."""
    films = library.rows.films
    ratings = [f.rating for f in films if f.rating is not None]
    mean = sum(ratings) / len(ratings) / 2 if ratings else DEFAULT_MEAN_STARS
    result = Profile(mean_stars=mean, sections=sections if sections is not None else Sections())
    groups: defaultdict[int | None, list[Iterable[Tag]]] = defaultdict(list)
    for film in films:
        group = groups[film.rating]
        if film.tmdb is not None:
            result.tmdb_films += 1
            group.append(film.tmdb.tags)
        decade = decade_tag(film.year)
        if decade is not None:
            result.dated_films += 1
            group.append((decade,))
    section_of = result.sections
    for rating, tag_lists in groups.items():
        weight = rating / 2 if rating is not None else mean
        for t, count in Counter(chain.from_iterable(tag_lists)).items():
            section = section_of[t]
            if section not in WANTED_SECTIONS:
                continue
            result.films_with[t] += count
            if section in PROFILE_SECTIONS:
                weights = result.weights[section]
                weights[t] = weights.get(t, 0.0) + weight * count
            if rating is not None:
                tally = result.rated.setdefault(t, [0, 0])
                tally[0] += count
                tally[1] += rating * count
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
    if chance == 0:  # one rating on each side for every film: no agreement to tell
        base.reason = (
            "each of you gave every co-rated film the same rating: nothing tells how alike you rate"
        )
        return base
    scale = chance
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


def _both(fa: StatsFilm, fb: StatsFilm, kind_a: str, kind_b: str) -> FilmBoth:
    """Shown with the TMDB data of a's film, else b's (a confident match first), and the kind
    of the side it comes from."""
    sides = sorted(
        ((f, kind) for f, kind in ((fa, kind_a), (fb, kind_b)) if f.tmdb is not None),
        key=lambda side: side[0].match_status != "matched",
    )
    facts, kind = (sides[0][0].tmdb, sides[0][1]) if sides else (None, kind_a)
    return FilmBoth(
        title=fa.title,
        year=fa.year,
        tmdb_id=facts.tmdb_id if facts is not None else None,
        tmdb_kind=kind,
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
    giver: _Side, taker: _Side, seen: set[int], listed: set[int]
) -> list[Recommendation]:
    """Films `giver` rated high that `taker` has not seen (`seen`: giver's film indexes both
    have), `listed`: those on the taker's watchlist."""
    films = giver.library.rows.films
    found = []
    for i, film in enumerate(films):
        if i in seen or film.rating is None or film.rating < HIGH_HALF:
            continue
        key = giver.films.items[i].tmdb
        if key is not None and key in taker.films.by_tmdb:  # a second row of a film both have
            continue
        fit = taker.profile.fit(film_tags(film))
        found.append((film.rating / 2 + 2 * fit, i, fit))
    found.sort(key=lambda x: (-x[0], films[x[1]].title, x[1]))
    result = []
    for _, i, fit in found[:TOP]:
        film = films[i]
        assert film.rating is not None
        facts = film.tmdb
        result.append(
            Recommendation(
                title=film.title,
                year=film.year,
                tmdb_id=facts.tmdb_id if facts is not None else None,
                tmdb_kind=kind_of(giver.library.film_links.get(film.film_no)),
                poster_path=facts.poster_path if facts is not None else None,
                rating=film.rating / 2,
                fit=round(fit, 3),
                on_watchlist=i in listed,
            )
        )
    return result


def _loved(pa: Profile, pb: Profile, labels: Labels) -> list[SharedTaste]:
    result: list[SharedTaste] = []
    section_of = pa.sections
    for section, minimum in LOVED_SECTIONS:
        found = []
        for t, (count_a, sum_a) in pa.rated.items():
            if section_of[t] != section or count_a < minimum:
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


def _differences(pa: Profile, pb: Profile, labels: Labels) -> list[TasteDifference]:
    result: list[TasteDifference] = []
    section_of = pa.sections
    for section in DIFFERENCE_SECTIONS:
        total_a = pa.dated_films if section == "decades" else pa.tmdb_films
        total_b = pb.dated_films if section == "decades" else pb.tmdb_films
        if not total_a or not total_b:
            continue
        tags = {t for t in (*pa.films_with, *pb.films_with) if section_of[t] == section}
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


@dataclass(slots=True)
class _Side:
    """A library with what the comparison reads of it more than once."""

    library: Library
    profile: Profile
    films: Films
    watchlist: Films

    @classmethod
    def of(cls, library: Library, sections: Sections) -> _Side:
        return cls(
            library,
            profile(library, sections),
            Films(library.film_items()),
            Films(library.watchlist_items()),
        )


def _watch_together(
    a: _Side, b: _Side, listed_by_a: dict[int, int], listed_by_b: dict[int, int]
) -> WatchTogether:
    """`listed_by_a`: a's watchlist index -> b's film index of the same film; `listed_by_b`
    likewise."""
    wa = a.library.rows.watchlist
    both_pairs = same_films(a.watchlist, b.watchlist)
    both = [
        _watch_film(wa[i], kind_of(a.library.watchlist_links.get(wa[i].entry_no)), "both")
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
    for lister, rater, whose, listed in ((a, b, "a", listed_by_a), (b, a, "b", listed_by_b)):
        films = rater.library.rows.films
        for i, j in listed.items():
            film = films[j]
            if film.rating is not None and film.rating >= HIGH_HALF:
                entry = lister.library.rows.watchlist[i]
                kind = kind_of(lister.library.watchlist_links.get(entry.entry_no))
                loved.append(_watch_film(entry, kind, whose, film.rating))
    loved.sort(key=lambda f: (-(f.rating or 0.0), f.title, f.on_watchlist_of))
    return WatchTogether(
        both_watchlists=len(both_pairs),
        both=both[: 2 * TOP],
        one_watchlist_other_loved=loved[: 2 * TOP],
    )


def _agreements(a: Library, b: Library, co_rated: list[tuple[int, int, int, int]]) -> Agreements:
    """`co_rated`: (film index in a, in b, a's half stars, b's) of each co-rated film. Only the
    films shown are made into answers."""
    films_a, films_b = a.rows.films, b.rows.films

    def title(item: tuple[int, int, int, int]) -> str:
        return films_a[item[0]].title

    def both(item: tuple[int, int, int, int]) -> FilmBoth:
        fa, fb = films_a[item[0]], films_b[item[1]]
        return _both(
            fa, fb, kind_of(a.film_links.get(fa.film_no)), kind_of(b.film_links.get(fb.film_no))
        )

    high = sorted(
        (x for x in co_rated if x[2] >= HIGH_HALF and x[3] >= HIGH_HALF),
        key=lambda x: (-(x[2] + x[3]), title(x)),
    )
    low = sorted(
        (x for x in co_rated if x[2] <= LOW_HALF and x[3] <= LOW_HALF),
        key=lambda x: (x[2] + x[3], title(x)),
    )
    apart = sorted(
        (x for x in co_rated if abs(x[2] - x[3]) >= 2),
        key=lambda x: (-abs(x[2] - x[3]), title(x)),
    )
    return Agreements(
        both_high=[both(x) for x in high[:TOP]],
        both_low=[both(x) for x in low[:TOP]],
        disagreements=[
            Disagreement(**both(x).model_dump(), gap=abs(x[2] - x[3]) / 2) for x in apart[:TOP]
        ],
    )


def compare(a: Library, b: Library) -> CompareResponse:
    sections = Sections()
    side_a, side_b = _Side.of(a, sections), _Side.of(b, sections)
    pa, pb = side_a.profile, side_b.profile
    films_a, films_b = a.rows.films, b.rows.films
    pairs = same_films(side_a.films, side_b.films)
    co_rated = [
        (i, j, ra, rb)
        for i, j in pairs.items()
        if (ra := films_a[i].rating) is not None and (rb := films_b[j].rating) is not None
    ]
    on_b_watchlist = same_films(side_a.films, side_b.watchlist)  # a's film -> b's entry
    on_a_watchlist = same_films(side_b.films, side_a.watchlist)
    labels = Labels(f.tmdb for f in (*films_a, *films_b) if f.tmdb is not None)
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
        compatibility=compatibility([(x[2], x[3]) for x in co_rated], pa, pb),
        agreements=_agreements(a, b, co_rated),
        recommendations=Recommendations(
            for_a=_recommend(side_b, side_a, set(pairs.values()), set(on_a_watchlist)),
            for_b=_recommend(side_a, side_b, set(pairs), set(on_b_watchlist)),
        ),
        watch_together=_watch_together(
            side_a,
            side_b,
            {entry: film for film, entry in on_a_watchlist.items()},
            {entry: film for film, entry in on_b_watchlist.items()},
        ),
        tastes=Tastes(both_love=_loved(pa, pb, labels), differences=_differences(pa, pb, labels)),
    )
