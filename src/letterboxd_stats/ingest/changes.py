"""What changed between the library stored and a newer export of it. Pure.

The films are paired by `pairing.pair`; everything attached to a film (viewings, reviews, its
rating) is compared through that pairing, so a film whose link changed form keeps its history.
Viewings and reviews are compared as multisets: a viewing is (film, watched date, logged date,
rewatch), a review (film, logged date, text). Watchlist entries are paired as films are. Lists
are the same list when their link (else their name) is; a list changed when its name,
description or entries (by normalised title and year, in order) did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date

from letterboxd_stats.ingest.library import Library
from letterboxd_stats.ingest.pairing import Pairable, Pairing, pair
from letterboxd_stats.tmdb.matching import normalise_title

LISTED = 200  # films, viewings and ratings named in a summary, at most (the counts are exact)


@dataclass(frozen=True, slots=True)
class StoredFilm:
    film_no: int
    title: str
    year: int | None
    uri: str | None
    rating: int | None  # half stars


@dataclass(frozen=True, slots=True)
class StoredViewing:
    film_no: int
    watched_on: date
    logged_on: date
    rewatch: bool


@dataclass(frozen=True, slots=True)
class StoredReview:
    film_no: int | None
    title: str
    year: int | None
    logged_on: date
    body: str


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """A watchlist or list entry."""

    title: str
    year: int | None
    uri: str | None


@dataclass(frozen=True, slots=True)
class StoredList:
    name: str
    url: str | None
    description: str
    entries: tuple[StoredEntry, ...]


@dataclass(slots=True)
class Stored:
    """What a session holds, as the comparison needs it."""

    films: list[StoredFilm] = field(default_factory=list)
    diary: list[StoredViewing] = field(default_factory=list)
    reviews: list[StoredReview] = field(default_factory=list)
    watchlist: list[StoredEntry] = field(default_factory=list)
    lists: list[StoredList] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FilmRef:
    title: str
    year: int | None


@dataclass(frozen=True, slots=True)
class RatingChange:
    title: str
    year: int | None
    old: float | None  # stars
    new: float | None


@dataclass(frozen=True, slots=True)
class Viewing:
    title: str
    year: int | None
    watched_on: date
    rating: float | None


@dataclass(slots=True)
class Changes:
    films_added: int = 0
    films_removed: int = 0
    films_kept: int = 0
    films_paired_by_title: int = 0
    films_paired_by_near_year: int = 0
    added_films: list[FilmRef] = field(default_factory=list)
    removed_films: list[FilmRef] = field(default_factory=list)
    unpaired_films: list[FilmRef] = field(default_factory=list)
    diary_added: int = 0
    diary_removed: int = 0
    new_viewings: list[Viewing] = field(default_factory=list)
    ratings_added: int = 0
    ratings_removed: int = 0
    ratings_changed: int = 0
    rating_changes: list[RatingChange] = field(default_factory=list)
    new_ratings: list[RatingChange] = field(default_factory=list)
    reviews_added: int = 0
    reviews_removed: int = 0
    watchlist_added: int = 0
    watchlist_removed: int = 0
    added_to_watchlist: list[FilmRef] = field(default_factory=list)
    lists_added: int = 0
    lists_removed: int = 0
    lists_changed: int = 0
    list_names_added: list[str] = field(default_factory=list)
    list_names_removed: list[str] = field(default_factory=list)
    list_names_changed: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _New:
    title: str
    year: int | None
    uri: str | None


def _stars(half: int | None) -> float | None:
    return half / 2 if half is not None else None


def _multiset_diff(old: Sequence[Hashable], new: Sequence[Hashable]) -> tuple[int, int, Counter]:  # type: ignore[type-arg]
    a, b = Counter(old), Counter(new)
    added = b - a
    return sum(added.values()), sum((a - b).values()), added


def compare(stored: Stored, library: Library) -> tuple[Changes, Pairing]:
    """The changes from `stored` to `library`, and the pairing of their films (new index ->
    old index, indexes into `library.films` and `stored.films`)."""
    films = pair(stored.films, library.films)
    changes = Changes()
    removed = films.removed(len(stored.films))
    added = films.added(len(library.films))
    changes.films_added, changes.films_removed = len(added), len(removed)
    changes.films_kept = len(films.pairs)
    changes.films_paired_by_title = films.by_title
    changes.films_paired_by_near_year = films.by_near_year
    changes.added_films = [_ref(library.films[j]) for j in added[:LISTED]]
    changes.removed_films = [_ref(stored.films[i]) for i in removed[:LISTED]]
    changes.unpaired_films = [_ref(stored.films[i]) for i in films.ambiguous_old] + [
        _ref(library.films[j]) for j in films.ambiguous_new
    ]

    # A film's identity across both: the old film_no when paired, else its new place.
    canon_new: dict[int, tuple[str, int]] = {}
    for j, film in enumerate(library.films):
        i = films.pairs.get(j)
        canon_new[film.film_no] = ("old", stored.films[i].film_no) if i is not None else ("new", j)

    # ratings
    for j, film in enumerate(library.films):
        i = films.pairs.get(j)
        before = stored.films[i].rating if i is not None else None
        if before == film.rating:
            continue
        change = RatingChange(film.title, film.year, _stars(before), _stars(film.rating))
        if before is None:
            changes.ratings_added += 1
            if len(changes.new_ratings) < LISTED:
                changes.new_ratings.append(change)
        elif film.rating is None:
            changes.ratings_removed += 1
        else:
            changes.ratings_changed += 1
            if len(changes.rating_changes) < LISTED:
                changes.rating_changes.append(change)
    for i in removed:
        if stored.films[i].rating is not None:
            changes.ratings_removed += 1

    # diary
    old_views = [(("old", v.film_no), v.watched_on, v.logged_on, v.rewatch) for v in stored.diary]
    new_views = [(canon_new[no], e.watched_on, e.logged_on, e.rewatch) for no, e in library.diary]
    changes.diary_added, changes.diary_removed, fresh = _multiset_diff(old_views, new_views)
    by_no = {film.film_no: film for film in library.films}
    for no, entry in sorted(library.diary, key=lambda d: (d[1].watched_on, d[1].logged_on)):
        seen = (canon_new[no], entry.watched_on, entry.logged_on, entry.rewatch)
        if fresh[seen] > 0 and len(changes.new_viewings) < LISTED:
            fresh[seen] -= 1
            film = by_no[no]
            changes.new_viewings.append(
                Viewing(film.title, film.year, entry.watched_on, _stars(entry.rating))
            )

    # reviews: by film where they have one, else by (title, year)
    def review_film(no: int | None, title: str, year: int | None, side: str) -> object:
        if no is None:
            return ("title", normalise_title(title), year)
        return ("old", no) if side == "old" else canon_new[no]

    old_reviews = [
        (review_film(r.film_no, r.title, r.year, "old"), r.logged_on, r.body)
        for r in stored.reviews
    ]
    new_reviews = [
        (review_film(no, r.title, r.year, "new"), r.logged_on, r.body) for no, r in library.reviews
    ]
    changes.reviews_added, changes.reviews_removed, _ = _multiset_diff(old_reviews, new_reviews)

    # watchlist
    new_watch = [_New(r.title, r.year, r.uri) for r in library.watchlist]
    watch = pair(stored.watchlist, new_watch)
    watch_added = watch.added(len(new_watch))
    changes.watchlist_added = len(watch_added)
    changes.watchlist_removed = len(watch.removed(len(stored.watchlist)))
    changes.added_to_watchlist = [_ref(new_watch[j]) for j in watch_added[:LISTED]]

    # lists
    def list_key(url: str | None, name: str) -> tuple[str, str]:
        return ("url", url) if url else ("name", name)

    def list_body(name: str, description: str, entries: Sequence[StoredEntry]) -> object:
        return (name, description, tuple((normalise_title(e.title), e.year) for e in entries))

    old_lists = {
        list_key(s.url, s.name): list_body(s.name, s.description, s.entries) for s in stored.lists
    }
    for lst in library.lists:
        record = lst.record
        key = list_key(record.url, record.name)
        entries = [StoredEntry(e.title, e.year, e.uri) for e in record.entries]
        body = list_body(record.name, record.description, entries)
        if key not in old_lists:
            changes.lists_added += 1
            changes.list_names_added.append(record.name)
            continue
        if old_lists.pop(key) != body:
            changes.lists_changed += 1
            changes.list_names_changed.append(record.name)
    changes.lists_removed = len(old_lists)
    by_key = {list_key(s.url, s.name): s.name for s in stored.lists}
    changes.list_names_removed = [by_key[key] for key in old_lists]
    return changes, films


def watchlist_pairing(stored: Sequence[StoredEntry], library: Library) -> Pairing:
    """The watchlist's entries, paired as films are (new index -> old index)."""
    return pair(stored, [_New(r.title, r.year, r.uri) for r in library.watchlist])


def _ref(film: Pairable) -> FilmRef:
    return FilmRef(film.title, film.year)
