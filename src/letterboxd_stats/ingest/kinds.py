"""Which export file is which: by its place in the export, then checked against its header."""

from __future__ import annotations

import enum


class FileKind(enum.StrEnum):
    watched = "watched"
    watchlist = "watchlist"
    likes = "likes"
    ratings = "ratings"
    diary = "diary"
    reviews = "reviews"
    profile = "profile"
    list = "list"
    # A real export file whose content is not a viewing (comments, liked lists and reviews).
    unused = "unused"


FILM_HEADER = ("Date", "Name", "Year", "Letterboxd URI")
RATINGS_HEADER = (*FILM_HEADER, "Rating")
DIARY_HEADER = (*FILM_HEADER, "Rating", "Rewatch", "Tags", "Watched Date")
REVIEWS_HEADER = (*FILM_HEADER, "Rating", "Rewatch", "Review", "Tags", "Watched Date")
PROFILE_HEADER = ("Date Joined", "Username")  # required columns; more follow
COMMENTS_HEADER = ("Date", "Content", "Comment")
LIKED_CONTENT_HEADER = ("Date", "Content")
LIST_VERSION_LINE = "Letterboxd list export"
LIST_HEADER = ("Date", "Name", "Tags", "URL", "Description")
LIST_ENTRIES_HEADER = ("Position", "Name", "Year", "URL", "Description")

# Every column a file has in today's exports, in their order (the header an error shows)...
COLUMNS: dict[FileKind, tuple[str, ...]] = {
    FileKind.watched: FILM_HEADER,
    FileKind.watchlist: FILM_HEADER,
    FileKind.likes: FILM_HEADER,
    FileKind.ratings: RATINGS_HEADER,
    FileKind.diary: DIARY_HEADER,
    FileKind.reviews: REVIEWS_HEADER,
    FileKind.profile: PROFILE_HEADER,
}
# ... and those it cannot do without. Older exports lack some of the others (a 2016 diary has
# no Rewatch column): a missing optional column reads as blank in every row.
REQUIRED_COLUMNS: dict[FileKind, tuple[str, ...]] = {
    FileKind.watched: ("Date", "Name"),
    FileKind.watchlist: ("Date", "Name"),
    FileKind.likes: ("Date", "Name"),
    FileKind.ratings: ("Date", "Name", "Rating"),
    FileKind.diary: ("Date", "Name"),
    FileKind.reviews: ("Date", "Name", "Review"),
    FileKind.profile: PROFILE_HEADER,
}

# The files every export has had since at least 2016 (likes/ and lists/ came later): an upload
# without one of them is a partial export, and its answer says which are missing.
EXPECTED_FILES: tuple[tuple[FileKind, str], ...] = (
    (FileKind.watched, "watched.csv"),
    (FileKind.diary, "diary.csv"),
    (FileKind.ratings, "ratings.csv"),
    (FileKind.reviews, "reviews.csv"),
    (FileKind.watchlist, "watchlist.csv"),
    (FileKind.profile, "profile.csv"),
)

# Files at fixed places in the export (after any top-level folder is removed).
_BY_PATH: dict[str, FileKind] = {
    "watched.csv": FileKind.watched,
    "watchlist.csv": FileKind.watchlist,
    "ratings.csv": FileKind.ratings,
    "diary.csv": FileKind.diary,
    "reviews.csv": FileKind.reviews,
    "profile.csv": FileKind.profile,
    "likes/films.csv": FileKind.likes,
    "comments.csv": FileKind.unused,
    "likes/reviews.csv": FileKind.unused,
    "likes/lists.csv": FileKind.unused,
}

_NOT_VIEWINGS = ("deleted/", "orphaned/")


def kind_by_path(path: str) -> FileKind | None:
    """The kind a zip member's place gives it; None for anything we do not read."""
    lowered = path.lower()
    if lowered.startswith(_NOT_VIEWINGS):
        return None
    if lowered in _BY_PATH:
        return _BY_PATH[lowered]
    if lowered.startswith("lists/") and lowered.endswith(".csv") and lowered.count("/") == 1:
        return FileKind.list
    return None


def is_list_start(fields: list[str]) -> bool:
    return (len(fields) == 1 and fields[0].strip().startswith(LIST_VERSION_LINE)) or tuple(
        f.strip() for f in fields
    ) == LIST_HEADER


_DIARY_COLUMNS = frozenset({"Rewatch", "Tags", "Watched Date"})


def kind_by_header(path: str, header: list[str]) -> FileKind | None:
    """The kind of a loose CSV, from its header (and, where headers are alike, its name).

    A header of a film file shares at least two columns with `Date,Name,Year,Letterboxd URI`;
    then a `Review` column makes it reviews, a `Rewatch`, `Tags` or `Watched Date` column the
    diary (a 2016 diary has no Rewatch), a `Rating` column the ratings; one with only those four
    columns is watched, the watchlist or liked films by its name."""
    lowered = path.lower()
    if lowered.startswith(_NOT_VIEWINGS) or "/deleted/" in lowered or "/orphaned/" in lowered:
        return FileKind.unused
    columns = tuple(h.strip() for h in header)
    if is_list_start(header):
        return FileKind.list
    if columns in (COMMENTS_HEADER, LIKED_CONTENT_HEADER):
        return FileKind.unused
    if columns[: len(PROFILE_HEADER)] == PROFILE_HEADER:
        return FileKind.profile
    names = frozenset(columns)
    if len(names & frozenset(FILM_HEADER)) < 2:
        return None
    if "Review" in names:
        return FileKind.reviews
    if names & _DIARY_COLUMNS:
        return FileKind.diary
    if "Rating" in names:
        return FileKind.ratings
    if names <= frozenset(FILM_HEADER):
        name = lowered.rsplit("/", 1)[-1]
        if name == "watched.csv":
            return FileKind.watched
        if name == "watchlist.csv":
            return FileKind.watchlist
        if name in ("films.csv", "likes-films.csv", "liked-films.csv"):
            return FileKind.likes
    return None
