"""Statistics of one session (pure): one function per section, and `compute_stats`.

Everything is computed from `SessionRows` for a period (all time, or one calendar year of
viewings); definitions are in `schemas.py`.
"""

from __future__ import annotations

import heapq
import itertools
import operator
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from letterboxd_stats.stats.rows import (
    Labels,
    SessionRows,
    StatsFilm,
    StatsReview,
    ViewingRow,
)
from letterboxd_stats.stats.schemas import (
    MIN_RATED,
    MIN_TMDB_VOTES,
    TOP,
    BusiestDay,
    Category,
    Comparison,
    Coverage,
    DecadeCount,
    Diary,
    FilmRef,
    FilmValue,
    HighsAndLows,
    ListsSummary,
    MatchCounts,
    Milestone,
    People,
    PeopleRole,
    PeriodCount,
    PersonRanked,
    PlaceholderDate,
    Ranked,
    RatingBucket,
    Ratings,
    ReleaseSplit,
    ReleaseYears,
    StatsResponse,
    Streak,
    Totals,
    VersusTmdb,
    Watchlist,
    WatchlistAndLists,
    WatchlistEntryRef,
    WeekdayCount,
    YearCount,
)
from letterboxd_stats.stats.tags import Label, Tag, tag_parts

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CATEGORIES = ("genres", "countries", "languages", "studios", "keywords")
ROLES = (
    "directors",
    "actors",
    "writers",
    "composers",
    "cinematographers",
    "editors",
    "producers",
)


@dataclass(frozen=True, slots=True)
class Period:
    """The films and viewings a view covers."""

    year: int | None
    films: list[StatsFilm]
    viewings: list[ViewingRow]  # Watched Date order (then logged date, then diary order)
    views_by_film: Counter[int]
    film_by_no: dict[int, StatsFilm]


def select_period(rows: SessionRows, year: int | None) -> Period:
    film_by_no = {film.film_no: film for film in rows.films}
    viewings = sorted(
        (v for v in rows.viewings if year is None or v.watched_on.year == year),
        key=lambda v: (v.watched_on, v.logged_on, v.entry_no),
    )
    views = Counter(v.film_no for v in viewings)
    films = rows.films if year is None else [f for f in rows.films if f.film_no in views]
    return Period(year, films, viewings, views, film_by_no)


# --- small helpers ---


def stars(half_stars: int) -> float:
    return half_stars / 2


def mean_stars(total_half_stars: int, count: int) -> float | None:
    return round(total_half_stars / count / 2, 2) if count else None


def median_stars(half_stars: list[int]) -> float | None:
    return round(statistics.median(half_stars) / 2, 2) if half_stars else None


def film_ref(film: StatsFilm) -> FilmRef:
    return FilmRef(**_ref_fields(film))


def _ref_fields(film: StatsFilm) -> dict[str, object]:
    tmdb = film.tmdb
    return {
        "film_id": film.film_no,
        "title": film.title,
        "year": film.year,
        "tmdb_id": tmdb.tmdb_id if tmdb else None,
        "poster_path": tmdb.poster_path if tmdb else None,
        "rating": stars(film.rating) if film.rating is not None else None,
    }


def film_value(film: StatsFilm, value: float | str) -> FilmValue:
    return FilmValue(**_ref_fields(film), value=value)


def ordinal(n: int) -> str:
    if n == 1:
        return "first"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(slots=True)
class Tally:
    """Films of one release year or decade, and the sum of their ratings."""

    films: int = 0
    rated: int = 0
    total: int = 0  # half stars

    def add(self, rating: int | None, films: int = 1) -> None:
        self.films += films
        if rating is not None:
            self.rated += films
            self.total += rating * films

    @property
    def mean(self) -> float:
        return self.total / self.rated if self.rated else 0.0


@dataclass(slots=True)
class TmdbTallies:
    """One pass over the period's films with TMDB data: for every tag (a genre, a country,
    a director…), the films counted, the rated ones, and rated ones per rating."""

    based_on: int = 0
    films: Counter[Tag] = field(default_factory=Counter)
    rated: Counter[Tag] = field(default_factory=Counter)
    by_rating: dict[int, Counter[Tag]] = field(default_factory=dict)
    labels: Mapping[Tag, Label] = field(default_factory=Labels)

    def total(self, tag: Tag) -> int:
        """Sum of the ratings (half stars) of the tag's rated films (`get`: a Counter's
        missing key goes through Python-level `__missing__`)."""
        total = 0
        for rating, counts in self.by_rating.items():
            total += rating * counts.get(tag, 0)
        return total

    def sections(self) -> dict[str, list[Tag]]:
        found: dict[str, list[Tag]] = {name: [] for name in (*CATEGORIES, *ROLES)}
        for tag in self.films:
            found[tag.partition(":")[0]].append(tag)  # `tag_parts`, inlined: every tag
        return found

    def most_watched(self, tags: list[Tag]) -> list[Tag]:
        """By films, then name. Equal counts at the cut keep `tags` order (first met in the
        library); the sorts over every tag use C-level keys only."""
        head = sorted(tags, key=self.films.__getitem__, reverse=True)[:TOP]
        head.sort(key=lambda tag: (-self.films[tag], self.labels[tag].name.casefold(), tag))
        return head

    def highest_rated(self, tags: list[Tag]) -> list[Tag]:
        """By mean rating, then rated films, then name; only the tags within reach of the cut
        (those that tie with the last one kept on mean and count) have their name read."""
        rated = self.rated.get
        eligible = [
            (-self.total(tag) / n, -n, tag) for tag in tags if (n := rated(tag, 0)) >= MIN_RATED
        ]
        head = heapq.nsmallest(TOP, eligible, key=lambda item: item[:2])
        if not head:
            return []
        cut = head[-1][:2]
        near = [item for item in eligible if item[:2] <= cut]
        near.sort(key=lambda item: (item[0], item[1], self.labels[item[2]].name.casefold()))
        return [tag for _, _, tag in near[:TOP]]


def tally_tmdb(films: Iterable[StatsFilm]) -> TmdbTallies:
    """Counts with Counter over chained tag tuples: the per-tag work stays in C."""
    known = [(film.rating, film.tmdb) for film in films if film.tmdb is not None]
    chain = itertools.chain.from_iterable
    groups: dict[int, list[tuple[Tag, ...]]] = {}
    unrated: list[tuple[Tag, ...]] = []
    for rating, tmdb in known:
        if rating is None:
            unrated.append(tmdb.tags)
        else:
            groups.setdefault(rating, []).append(tmdb.tags)
    rated = Counter(chain(chain(groups.values())))
    every = rated.copy()  # a plain dict copy; `update` from an iterable counts in C
    every.update(chain(unrated))
    return TmdbTallies(
        based_on=len(known),
        films=every,
        rated=rated,
        by_rating={r: Counter(chain(group)) for r, group in groups.items()},
        labels=Labels(tmdb for _, tmdb in known),
    )


def _ranked(tallies: TmdbTallies, tag: Tag) -> Ranked:
    rated = tallies.rated[tag]
    return Ranked(
        key=tag_parts(tag)[1],
        name=tallies.labels[tag].name,
        films=tallies.films[tag],
        rated=rated,
        mean_rating=mean_stars(tallies.total(tag), rated),
    )


def _person(tallies: TmdbTallies, tag: Tag) -> PersonRanked:
    rated = tallies.rated[tag]
    label = tallies.labels[tag]
    key = tag_parts(tag)[1]
    return PersonRanked(
        person_id=int(key) if key.isdigit() else None,
        name=label.name,
        profile_path=label.image,
        films=tallies.films[tag],
        rated=rated,
        mean_rating=mean_stars(tallies.total(tag), rated),
    )


# --- sections ---


def category_section(tallies: TmdbTallies, tags: list[Tag]) -> Category:
    return Category(
        based_on=tallies.based_on,
        total=len(tags),
        most_watched=[_ranked(tallies, tag) for tag in tallies.most_watched(tags)],
        highest_rated=[_ranked(tallies, tag) for tag in tallies.highest_rated(tags)],
    )


def people_section(tallies: TmdbTallies, sections: dict[str, list[Tag]]) -> People:
    roles = {
        role: PeopleRole(
            based_on=tallies.based_on,
            total=len(sections[role]),
            most_watched=[_person(tallies, tag) for tag in tallies.most_watched(sections[role])],
            highest_rated=[_person(tallies, tag) for tag in tallies.highest_rated(sections[role])],
        )
        for role in ROLES
    }
    return People(**roles)


def totals_section(
    rows: SessionRows, period: Period, tallies: TmdbTallies, sections: dict[str, list[Tag]]
) -> Totals:
    minutes = 0
    with_runtime = 0
    for film in period.films:
        runtime = film.tmdb.runtime if film.tmdb else None
        if not runtime:
            continue
        with_runtime += 1
        minutes += runtime * max(period.views_by_film.get(film.film_no, 0), 1)
    if period.year is None:
        reviews = len(rows.reviews)
    else:
        reviews = sum(1 for r in rows.reviews if r.on.year == period.year)
    watchlist_minutes = sum(w.tmdb.runtime or 0 for w in rows.watchlist if w.tmdb)
    return Totals(
        films=len(period.films),
        viewings=len(period.viewings),
        hours=round(minutes / 60, 1),
        hours_based_on=with_runtime,
        directors=len(sections["directors"]),
        actors=len(sections["actors"]),
        countries=len(sections["countries"]),
        languages=len(sections["languages"]),
        tmdb_based_on=tallies.based_on,
        ratings=sum(1 for f in period.films if f.rating is not None),
        reviews=reviews,
        likes=sum(1 for f in period.films if f.liked),
        lists=rows.list_count,
        watchlist=len(rows.watchlist),
        watchlist_hours=round(watchlist_minutes / 60, 1),
        watchlist_based_on=sum(1 for w in rows.watchlist if w.tmdb),
    )


def release_years_section(films: Iterable[StatsFilm]) -> ReleaseYears:
    # (year, rating) pairs counted in C; a Tally per year, then per decade from the years
    counted = Counter((film.year, film.rating) for film in films if film.year is not None)
    years: dict[int, Tally] = {}
    decades: dict[int, Tally] = {}
    for (year, rating), n in counted.items():
        for table, key in ((years, year), (decades, year // 10 * 10)):
            tally = table.get(key)
            if tally is None:
                tally = table[key] = Tally()
            tally.add(rating, n)
    by_decade = [
        DecadeCount(
            decade=d, films=t.films, rated=t.rated, mean_rating=mean_stars(t.total, t.rated)
        )
        for d, t in sorted(decades.items())
    ]
    best = sorted(
        (d for d in by_decade if d.rated >= MIN_RATED),
        key=lambda d: (-decades[d.decade].mean, -d.rated, d.decade),
    )
    return ReleaseYears(
        based_on=sum(t.films for t in years.values()),
        by_year=[
            YearCount(
                year=y, films=t.films, rated=t.rated, mean_rating=mean_stars(t.total, t.rated)
            )
            for y, t in sorted(years.items())
        ],
        by_decade=by_decade,
        highest_rated_decades=best[:TOP],
    )


def highest_rated_films(films: Iterable[StatsFilm]) -> list[FilmRef]:
    """Rated films, best first (then by title): Letterboxd's 'highest rated films'."""
    rated = heapq.nsmallest(
        TOP,
        (f for f in films if f.rating is not None),
        key=lambda f: (-(f.rating or 0), f.title.casefold(), f.film_no),
    )
    return [film_ref(f) for f in rated]


def ratings_section(films: Iterable[StatsFilm], year: int | None = None) -> Ratings:
    films = list(films)
    rated: list[int] = []
    unrated = 0
    # (difference, tmdb rating, film): a `Comparison` is built only for the films shown.
    compared: list[tuple[float, float, StatsFilm]] = []
    for film in films:
        if film.rating is None:
            unrated += 1
            continue
        rated.append(film.rating)
        tmdb = film.tmdb
        if tmdb is None or tmdb.vote_average is None or (tmdb.vote_count or 0) < MIN_TMDB_VOTES:
            continue
        theirs = tmdb.vote_average / 2
        compared.append((round(stars(film.rating) - theirs, 2), round(theirs, 2), film))
    spread = Counter(rated)
    higher = heapq.nsmallest(
        TOP, (c for c in compared if c[0] > 0), key=lambda c: (-c[0], c[2].film_no)
    )
    lower = heapq.nsmallest(
        TOP, (c for c in compared if c[0] < 0), key=lambda c: (c[0], c[2].film_no)
    )
    mean_difference = round(sum(c[0] for c in compared) / len(compared), 2) if compared else None
    return Ratings(
        highest_rated=highest_rated_films(films),
        highest_rated_released_that_year=(
            highest_rated_films(f for f in films if f.year == year) if year is not None else None
        ),
        highest_rated_older=(
            highest_rated_films(f for f in films if f.year is not None and f.year < year)
            if year is not None
            else None
        ),
        rated=len(rated),
        unrated=unrated,
        mean=mean_stars(sum(rated), len(rated)),
        median=median_stars(rated),
        spread=[RatingBucket(stars=stars(h), films=spread.get(h, 0)) for h in range(1, 11)],
        versus_tmdb=VersusTmdb(
            based_on=len(compared),
            mean_difference=mean_difference,
            rated_higher=[_comparison(*c) for c in higher],
            rated_lower=[_comparison(*c) for c in lower],
        ),
    )


def _comparison(difference: float, theirs: float, film: StatsFilm) -> Comparison:
    return Comparison(**_ref_fields(film), tmdb_rating=theirs, difference=difference)


# A series is zero-filled from the period's first viewing to its last while that span has at
# most this many weeks (about 50 years) or months (200 years: every span an import accepts);
# a longer span (dates stored before imports were bounded) lists only the weeks or months
# that have viewings, so that an answer grows with the diary, never with the dates in it.
MAX_DENSE_WEEKS = 2_600
MAX_DENSE_MONTHS = 2_400


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_of_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_spanned(year: int | None, days: list[date]) -> int:
    if year is not None:
        return 12
    return month_index(max(days)) - month_index(min(days)) + 1 if days else 0


def months_of(year: int | None, days: list[date], dense_limit: int = MAX_DENSE_MONTHS) -> list[str]:
    if year is not None:
        return [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    if not days:
        return []
    if months_spanned(year, days) > dense_limit:
        return [_month_of_index(i) for i in sorted({month_index(d) for d in days})]
    first, last = month_index(min(days)), month_index(max(days))
    return [_month_of_index(i) for i in range(first, last + 1)]


def iso_week(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def week_index(day: date) -> int:
    """Weeks since the first one of the calendar (date.min, 0001-01-01, is a Monday)."""
    return (day.toordinal() - 1) // 7


def _week_of_index(index: int) -> str:
    # The Monday of a week of a valid date is a valid date: no overflow at either end.
    return iso_week(date.fromordinal(index * 7 + 1))


def _week_range(year: int | None, days: list[date]) -> tuple[int, int] | None:
    if year is not None:
        return week_index(date(year, 1, 1)), week_index(date(year, 12, 31))
    if not days:
        return None
    return week_index(min(days)), week_index(max(days))


def weeks_spanned(year: int | None, days: list[date]) -> int:
    span = _week_range(year, days)
    return span[1] - span[0] + 1 if span is not None else 0


def weeks_of(year: int | None, days: list[date], dense_limit: int = MAX_DENSE_WEEKS) -> list[str]:
    span = _week_range(year, days)
    if span is None:
        return []
    first, last = span
    if year is None and last - first + 1 > dense_limit:
        return [_week_of_index(i) for i in sorted({week_index(d) for d in days})]
    return [_week_of_index(i) for i in range(first, last + 1)]


def longest_streak(days: Iterable[date]) -> Streak:
    best: tuple[int, date | None, date | None] = (0, None, None)
    run_start: date | None = None
    previous: date | None = None
    for day in sorted(set(days)):
        if previous is None or day - previous != timedelta(days=1):
            run_start = day
        assert run_start is not None
        length = (day - run_start).days + 1
        if length > best[0]:
            best = (length, run_start, day)
        previous = day
    return Streak(days=best[0], start=best[1], end=best[2])


def milestone_numbers(count: int) -> list[int]:
    numbers = [n for n in (1, 10, 50, 100, 250, 500) if n <= count]
    numbers += list(range(1000, count + 1, 1000))
    return numbers


def milestones(period: Period, viewings: list[ViewingRow] | None = None) -> list[Milestone]:
    """The milestones of `viewings` (in Watched Date order; by default every viewing of the
    period)."""
    if viewings is None:
        viewings = period.viewings
    result = []
    for n in milestone_numbers(len(viewings)):
        v = viewings[n - 1]
        film = film_ref(period.film_by_no[v.film_no])
        result.append(Milestone(number=n, label=ordinal(n), date=v.watched_on, film=film))
    if viewings:
        last = viewings[-1]
        film = film_ref(period.film_by_no[last.film_no])
        result.append(
            Milestone(number=len(viewings), label="last", date=last.watched_on, film=film)
        )
    return result


def placeholder_days(per_day: Mapping[date, int], threshold: int) -> dict[date, int]:
    """The days holding at least `threshold` viewings (0: none): no one watches that many
    films in a day, so such a day is a placeholder date of a back-filled diary (one real
    library has 244 viewings on 2000-01-01). In date order."""
    if threshold <= 0:
        return {}
    return dict(sorted((day, n) for day, n in per_day.items() if n >= threshold))


def placeholder_note(placeholders: Mapping[date, int]) -> str | None:
    """One line on the placeholder dates, for the dashboard; None when there are none."""
    if not placeholders:
        return None
    viewings = sum(placeholders.values())
    if len(placeholders) == 1:
        ((day, _),) = placeholders.items()
        where = f"on {day.isoformat()}"
    elif len(placeholders) <= 3:
        where = f"on {len(placeholders)} days ({', '.join(d.isoformat() for d in placeholders)})"
    else:
        where = f"on {len(placeholders)} days (the first {min(placeholders).isoformat()})"
    return (
        f"{viewings:,} viewings {where} look back-filled (a placeholder date): counted as "
        "viewings, but not in the charts, streak, busiest day or milestones."
    )


def diary_section(
    period: Period, reviews: Iterable[StatsReview] = (), placeholder_day_viewings: int = 0
) -> Diary:
    every_day = [v.watched_on for v in period.viewings]
    reviewed_on = {(r.film_no, r.watched_on) for r in reviews if r.watched_on is not None}
    reviewed = sum(1 for v in period.viewings if (v.film_no, v.watched_on) in reviewed_on)
    per_day = Counter(every_day)  # then each day's month, week and weekday once
    placeholders = placeholder_days(per_day, placeholder_day_viewings)
    dated = period.viewings  # the viewings on real dates: what every figure by date rests on
    if placeholders:
        dated = [v for v in period.viewings if v.watched_on not in placeholders]
        for day in placeholders:
            del per_day[day]
    days = [v.watched_on for v in dated]
    per_month: Counter[str] = Counter()
    per_week: Counter[str] = Counter()
    per_weekday: Counter[int] = Counter()
    for day, n in per_day.items():
        per_month[month_label(day)] += n
        per_week[iso_week(day)] += n
        per_weekday[day.weekday()] += n
    months = months_of(period.year, days)
    weeks = weeks_of(period.year, days)
    month_count = months_spanned(period.year, days)
    week_count = weeks_spanned(period.year, days)
    busiest = None
    if per_day:
        day, count = min(per_day.items(), key=lambda kv: (-kv[1], kv[0]))
        film_nos = dict.fromkeys(v.film_no for v in dated if v.watched_on == day)
        busiest = BusiestDay(
            date=day,
            viewings=count,
            films=[film_ref(period.film_by_no[no]) for no in film_nos],
        )
    rewatches = sum(1 for v in period.viewings if v.rewatch)
    repeated = sorted(
        ((no, n) for no, n in period.views_by_film.items() if n >= 2),
        key=lambda kv: (-kv[1], kv[0]),
    )
    return Diary(
        viewings=len(every_day),
        by_month=[PeriodCount(period=m, viewings=per_month.get(m, 0)) for m in months],
        by_week=[PeriodCount(period=w, viewings=per_week.get(w, 0)) for w in weeks],
        by_weekday=[
            WeekdayCount(weekday=name, viewings=per_weekday.get(i, 0))
            for i, name in enumerate(WEEKDAYS)
        ],
        months_spanned=month_count,
        weeks_spanned=week_count,
        average_per_month=round(len(days) / month_count, 2) if month_count else 0.0,
        average_per_week=round(len(days) / week_count, 2) if week_count else 0.0,
        longest_streak=longest_streak(days),
        days_with_two_or_more=sum(1 for n in per_day.values() if n >= 2),
        busiest_day=busiest,
        first_watches=len(every_day) - rewatches,
        rewatches=rewatches,
        reviewed=reviewed,
        not_reviewed=len(every_day) - reviewed,
        most_viewed=[film_value(period.film_by_no[no], n) for no, n in repeated[:TOP]],
        releases=release_split(period.films, period.year) if period.year is not None else None,
        milestones=milestones(period, dated),
        placeholder_dates=[PlaceholderDate(date=d, viewings=n) for d, n in placeholders.items()],
        placeholder_note=placeholder_note(placeholders),
    )


def release_split(films: Iterable[StatsFilm], year: int) -> ReleaseSplit:
    this_year = older = other = 0
    for film in films:
        if film.year == year:
            this_year += 1
        elif film.year is not None and film.year < year:
            older += 1
        else:
            other += 1
    return ReleaseSplit(this_year=this_year, older=older, other=other)


def _extreme(
    films: list[StatsFilm], values: list[tuple[float, int]], *, largest: bool, is_date: bool = False
) -> FilmValue | None:
    """The film with the largest (smallest) value; the first in library order on ties.
    `values`: (value, index in `films`) of the films that have one."""
    if not values:
        return None
    # max/min return the first of equal values (C-level keys: one pass each)
    found, index = (max if largest else min)(values, key=_first)
    shown = date.fromordinal(int(found)).isoformat() if is_date else found
    return film_value(films[index], shown)


_first = operator.itemgetter(0)


def highs_and_lows_section(films: Iterable[StatsFilm]) -> HighsAndLows:
    known = [film for film in films if film.tmdb is not None]
    facts = [film.tmdb for film in known if film.tmdb is not None]
    runtimes = [(float(t.runtime), i) for i, t in enumerate(facts) if t.runtime]
    popular = [(t.popularity, i) for i, t in enumerate(facts) if t.popularity is not None]
    released = [
        (float(t.release_date.toordinal()), i) for i, t in enumerate(facts) if t.release_date
    ]
    voted = [  # TMDB's vote average (0-10) as stars (0-5)
        (round(t.vote_average / 2, 2), i)
        for i, t in enumerate(facts)
        if t.vote_average is not None and (t.vote_count or 0) >= MIN_TMDB_VOTES
    ]
    return HighsAndLows(
        based_on=len(known),
        longest=_extreme(known, runtimes, largest=True),
        shortest=_extreme(known, runtimes, largest=False),
        most_popular=_extreme(known, popular, largest=True),
        least_popular=_extreme(known, popular, largest=False),
        oldest=_extreme(known, released, largest=False, is_date=True),
        newest=_extreme(known, released, largest=True, is_date=True),
        highest_tmdb_rated=_extreme(known, voted, largest=True),
        lowest_tmdb_rated=_extreme(known, voted, largest=False),
    )


def watchlist_and_lists_section(rows: SessionRows) -> WatchlistAndLists:
    genres = TmdbTallies()
    minutes = 0
    known = [entry.tmdb for entry in rows.watchlist if entry.tmdb is not None]
    for tmdb in known:
        genres.based_on += 1
        minutes += tmdb.runtime or 0
        genres.films.update(tag for tag in tmdb.tags if tag.startswith("genres:"))
    genres.labels = Labels(known)
    oldest = min(rows.watchlist, key=lambda w: (w.added_on, w.entry_no), default=None)
    return WatchlistAndLists(
        watchlist=Watchlist(
            size=len(rows.watchlist),
            based_on=genres.based_on,
            hours=round(minutes / 60, 1),
            genres=[_ranked(genres, tag) for tag in genres.most_watched(list(genres.films))],
            oldest_entry=WatchlistEntryRef(
                title=oldest.title,
                year=oldest.year,
                added_on=oldest.added_on,
                tmdb_id=oldest.tmdb.tmdb_id if oldest.tmdb else None,
            )
            if oldest
            else None,
        ),
        lists=ListsSummary(count=rows.list_count, entries=rows.list_entry_count),
    )


def match_counts(items: Iterable[tuple[str, bool]]) -> MatchCounts:
    statuses: Counter[str] = Counter()
    with_data = 0
    for status, has_data in items:
        statuses[status] += 1
        with_data += has_data
    return MatchCounts(
        total=sum(statuses.values()),
        matched=statuses["matched"],
        needs_review=statuses["needs_review"],
        unmatched=statuses["unmatched"],
        failed=statuses["failed"],
        pending=statuses["pending"],
        with_tmdb_data=with_data,
    )


def coverage_section(rows: SessionRows, period: Period) -> Coverage:
    return Coverage(
        films=match_counts((f.match_status, f.tmdb is not None) for f in period.films),
        watchlist=match_counts((w.match_status, w.tmdb is not None) for w in rows.watchlist),
    )


def compute_stats(
    rows: SessionRows, year: int | None, *, placeholder_day_viewings: int = 0
) -> StatsResponse:
    """Every section for all time (`year=None`) or for the viewings of one calendar year. A day
    with at least `placeholder_day_viewings` viewings (the PLACEHOLDER_DAY_VIEWINGS setting; 0:
    none) is a placeholder date, left out of the diary's figures by date."""
    period = select_period(rows, year)
    tallies = tally_tmdb(period.films)
    sections = tallies.sections()
    return StatsResponse(
        session_id=rows.session_id,
        year=year,
        totals=totals_section(rows, period, tallies, sections),
        release_years=release_years_section(period.films),
        genres=category_section(tallies, sections["genres"]),
        countries=category_section(tallies, sections["countries"]),
        languages=category_section(tallies, sections["languages"]),
        studios=category_section(tallies, sections["studios"]),
        keywords=category_section(tallies, sections["keywords"]),
        people=people_section(tallies, sections),
        ratings=ratings_section(period.films, year),
        diary=diary_section(period, rows.reviews, placeholder_day_viewings),
        highs_and_lows=highs_and_lows_section(period.films),
        watchlist_and_lists=watchlist_and_lists_section(rows),
        coverage=coverage_section(rows, period),
    )
