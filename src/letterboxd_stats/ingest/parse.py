"""Parse export files into typed records. Pure: bytes in, records out; every error names the
file and the line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from letterboxd_stats.errors import (
    DuplicateFile,
    InvalidCsv,
    InvalidRow,
    NulBytes,
    TooManyRows,
    UnknownCsv,
)
from letterboxd_stats.ingest import fields as f
from letterboxd_stats.ingest.kinds import (
    COLUMNS,
    EXPECTED_FILES,
    LIST_ENTRIES_HEADER,
    LIST_HEADER,
    REQUIRED_COLUMNS,
    FileKind,
    kind_by_header,
    kind_by_path,
)
from letterboxd_stats.ingest.records import (
    DiaryRow,
    FilmListRecord,
    FilmRow,
    ListEntryRow,
    ParsedExport,
    Profile,
    ReviewRow,
)
from letterboxd_stats.ingest.sources import FIELD_LIMIT_CHARS, ExportFile, Record, read_records

T = TypeVar("T")

_SINGLE_FILE_KINDS = frozenset(REQUIRED_COLUMNS)


@dataclass(frozen=True, slots=True)
class RowLimits:
    """Records (after the first) one CSV file may hold, and all the files of an upload; the
    characters one field may hold."""

    per_file: int = 100_000
    total: int = 500_000
    field_chars: int = FIELD_LIMIT_CHARS


class _RowCounter:
    def __init__(self, limits: RowLimits) -> None:
        self.limits = limits
        self.total = 0

    def counted(self, file: ExportFile, records: Iterator[Record]) -> Iterator[Record]:
        """`records`, raising `TooManyRows` on the first record beyond a limit."""
        per_file, total = self.limits.per_file, self.limits.total
        rows = -1  # the first record is a header
        for record in records:
            rows += 1
            if rows > 0:
                self.total += 1
                if rows > per_file:
                    raise TooManyRows(
                        f"{file.label}: line {record.line}: more than {per_file:,} rows in one "
                        f"file (MAX_CSV_ROWS); a Letterboxd export has far fewer"
                    )
                if self.total > total:
                    raise TooManyRows(
                        f"{file.label}: line {record.line}: more than {total:,} rows in the "
                        f"whole upload (MAX_UPLOAD_ROWS)"
                    )
            yield record


def parse_export(
    archived: Iterable[ExportFile],
    loose: Iterable[ExportFile],
    limits: RowLimits | None = None,
    dates: f.DateRange = f.ANY_DATE,
) -> ParsedExport:
    """`archived` are members of export zips (their place in the export says what they are);
    `loose` are CSVs uploaded on their own (their header says what they are). A date outside
    `dates` is a bad row."""
    export = ParsedExport()
    seen: dict[FileKind, str] = {}
    counter = _RowCounter(limits or RowLimits())
    for file in archived:
        kind = kind_by_path(file.path)
        if kind is None or kind is FileKind.unused:
            export.ignored_files.append(file.path)
            continue
        _parse_file(export, file, kind, seen, counter, dates)
    for file in loose:
        _parse_file(export, file, None, seen, counter, dates)
    export.missing_files = [name for kind, name in EXPECTED_FILES if kind not in seen]
    return export


def _parse_file(
    export: ParsedExport,
    file: ExportFile,
    kind: FileKind | None,
    seen: dict[FileKind, str],
    counter: _RowCounter,
    dates: f.DateRange,
) -> None:
    with closing(read_records(file, counter.limits.field_chars)) as records:
        _parse_records(export, file, kind, seen, counter.counted(file, records), dates)


def _parse_records(
    export: ParsedExport,
    file: ExportFile,
    kind: FileKind | None,
    seen: dict[FileKind, str],
    records: Iterator[Record],
    dates: f.DateRange,
) -> None:
    try:
        header = next(records, None)
    except NulBytes as exc:
        # Lists are not viewings, and a loose file whose very header is NUL-filled cannot even
        # be told apart; one real export has zero-filled lists. Skip those and say so.
        if kind is FileKind.list or (kind is None and exc.line == 1):
            export.ignored_files.append(file.path)
            export.warnings.append(f"skipped an unreadable file: {exc.detail}")
            return
        raise
    if header is None:
        raise InvalidCsv(f"{file.label}: the file is empty (a Letterboxd export file has a header)")
    if kind is None:
        kind = kind_by_header(file.path, header.fields)
        if kind is None:
            raise UnknownCsv(
                f"{file.label}: line {header.line}: the header "
                f"{','.join(header.fields)[:200]!r} is not one of a Letterboxd export's files "
                "(watched.csv, diary.csv, ratings.csv, reviews.csv, watchlist.csv, "
                "likes/films.csv, lists/*.csv, profile.csv)"
            )
    if kind is FileKind.unused:
        export.ignored_files.append(file.path)
        return
    if kind in _SINGLE_FILE_KINDS:
        if kind in seen:
            raise DuplicateFile(
                f"{file.label}: a second {kind.value} file (the first was {seen[kind]})"
            )
        seen[kind] = file.label

    if kind is FileKind.list:
        try:
            export.lists.append(_parse_list(file, header, records, dates))
        except NulBytes as exc:
            # Lists are not viewings; one real export has zero-filled list files. Skip, say so.
            export.ignored_files.append(file.path)
            export.warnings.append(f"skipped an unreadable list: {exc.detail}")
        return
    row = _columns(file, header, kind)
    rows = _rows(file, header, records, dates)
    if kind is FileKind.watched:
        export.watched.extend(_each(file, rows, row, _film_row))
    elif kind is FileKind.watchlist:
        export.watchlist.extend(_each(file, rows, row, _film_row))
    elif kind is FileKind.likes:
        export.likes.extend(_each(file, rows, row, _film_row))
    elif kind is FileKind.ratings:
        export.ratings.extend(_each(file, rows, row, _rating_row))
    elif kind is FileKind.diary:
        export.diary.extend(_each(file, rows, row, _diary_row))
    elif kind is FileKind.reviews:
        export.reviews.extend(_each(file, rows, row, _review_row))
    elif kind is FileKind.profile:
        profiles = list(_each(file, rows, row, _profile_row))
        export.profile = profiles[0] if profiles else None


# --- columns and rows ---

Columns = dict[str, int]


def _columns(file: ExportFile, header: Record, kind: FileKind) -> Columns:
    """Where each column of `kind` is in `header`; a column it does not need may be absent."""
    names = [name.strip() for name in header.fields]
    required = REQUIRED_COLUMNS[kind]
    missing = [name for name in required if name not in names]
    if missing:
        raise InvalidCsv(
            f"{file.label}: line {header.line}: the header lacks {', '.join(missing)} "
            f"(a {kind.value} file needs {','.join(required)}; "
            f"its full header is {','.join(COLUMNS[kind])})"
        )
    return {name: names.index(name) for name in COLUMNS[kind] if name in names}


@dataclass(frozen=True, slots=True)
class _Rows:
    """The rows of one file (all of one width), and the dates its rows may hold."""

    records: Iterator[Record]
    dates: f.DateRange


@dataclass(frozen=True, slots=True)
class Row:
    """One row's fields by column name."""

    values: list[str]
    columns: Columns
    dates: f.DateRange

    def __call__(self, name: str) -> str:
        """The row's value of column `name`; blank when the file has no such column."""
        index = self.columns.get(name)
        return "" if index is None else self.values[index]

    def day(self, name: str) -> date:
        return f.parse_date(self(name), name, self.dates)

    def optional_day(self, name: str) -> date | None:
        return f.parse_optional_date(self(name), name, self.dates)

    def uri(self, name: str) -> str | None:
        return f.optional_bounded(self(name), name, f.MAX_URI_CHARS)


def _rows(file: ExportFile, header: Record, records: Iterator[Record], dates: f.DateRange) -> _Rows:
    width = len(header.fields)

    def checked() -> Iterator[Record]:
        for record in records:
            if len(record.fields) != width:
                raise InvalidRow(
                    f"{file.label}: line {record.line}: expected {width} fields, "
                    f"found {len(record.fields)}"
                )
            yield record

    return _Rows(checked(), dates)


def _each(
    file: ExportFile,
    rows: _Rows,
    columns: Columns,
    build: Callable[[Row], T],
) -> Iterator[T]:
    for record in rows.records:
        try:
            yield build(Row(record.fields, columns, rows.dates))
        except f.FieldError as exc:
            raise InvalidRow(f"{file.label}: line {record.line}: {exc}") from None


def _film_row(get: Row) -> FilmRow:
    return FilmRow(
        on=get.day("Date"),
        title=f.parse_title(get("Name")),
        year=f.parse_year(get("Year")),
        uri=get.uri("Letterboxd URI"),
    )


def _rating_row(get: Row) -> FilmRow:
    rating = f.parse_rating(get("Rating"))
    if rating is None:
        raise f.FieldError("Rating is blank in ratings.csv")
    return FilmRow(
        on=get.day("Date"),
        title=f.parse_title(get("Name")),
        year=f.parse_year(get("Year")),
        uri=get.uri("Letterboxd URI"),
        rating=rating,
    )


def _diary_row(get: Row) -> DiaryRow:
    logged_on = get.day("Date")
    return DiaryRow(
        logged_on=logged_on,
        title=f.parse_title(get("Name")),
        year=f.parse_year(get("Year")),
        uri=get.uri("Letterboxd URI"),
        rating=f.parse_rating(get("Rating")),
        rewatch=f.parse_rewatch(get("Rewatch")),
        tags=f.parse_tags(get("Tags")),
        # A viewing happened on its Watched Date; old entries without one fall back to the log date.
        watched_on=get.optional_day("Watched Date") or logged_on,
    )


def _review_row(get: Row) -> ReviewRow:
    return ReviewRow(
        logged_on=get.day("Date"),
        title=f.parse_title(get("Name")),
        year=f.parse_year(get("Year")),
        uri=get.uri("Letterboxd URI"),
        rating=f.parse_rating(get("Rating")),
        rewatch=f.parse_rewatch(get("Rewatch")),
        body=get("Review"),
        tags=f.parse_tags(get("Tags")),
        watched_on=get.optional_day("Watched Date"),
    )


def _profile_row(get: Row) -> Profile:
    return Profile(
        username=f.optional_bounded(get("Username"), "Username", f.MAX_USERNAME_CHARS),
        date_joined=get.optional_day("Date Joined"),
    )


# --- lists: a version line, the list's own row, a blank line, then its entries ---


def _parse_list(
    file: ExportFile, first: Record, records: Iterator[Record], dates: f.DateRange
) -> FilmListRecord:
    header = first
    if tuple(c.strip() for c in first.fields) != LIST_HEADER:
        header = _expect(file, records, "the list header " + ",".join(LIST_HEADER))
        if tuple(c.strip() for c in header.fields) != LIST_HEADER:
            raise InvalidCsv(
                f"{file.label}: line {header.line}: expected the list header "
                f"{','.join(LIST_HEADER)}"
            )
    columns = {name: i for i, name in enumerate(LIST_HEADER)}
    meta_record = _expect(file, records, "the list's name row")
    meta = next(_each(file, _rows(file, header, iter([meta_record]), dates), columns, _list_meta))

    entries: list[ListEntryRow] = []
    entries_header = next(records, None)
    if entries_header is not None:
        if tuple(c.strip() for c in entries_header.fields) != LIST_ENTRIES_HEADER:
            raise InvalidCsv(
                f"{file.label}: line {entries_header.line}: expected the entries header "
                f"{','.join(LIST_ENTRIES_HEADER)}"
            )
        entry_columns = {name: i for i, name in enumerate(LIST_ENTRIES_HEADER)}
        entries.extend(
            _each(file, _rows(file, entries_header, records, dates), entry_columns, _list_entry)
        )
    name, created_on, url, description, tags = meta
    return FilmListRecord(
        source_file=file.path,
        name=name,
        created_on=created_on,
        url=url,
        description=description,
        tags=tags,
        entries=tuple(entries),
    )


ListMeta = tuple[str, date | None, str | None, str, tuple[str, ...]]


def _list_meta(get: Row) -> ListMeta:
    return (
        f.parse_title(get("Name")) if get("Name").strip() else "(untitled list)",
        get.optional_day("Date"),
        get.uri("URL"),
        get("Description"),
        f.parse_tags(get("Tags")),
    )


def _list_entry(get: Row) -> ListEntryRow:
    return ListEntryRow(
        position=f.parse_position(get("Position")),
        title=f.parse_title(get("Name")),
        year=f.parse_year(get("Year")),
        uri=get.uri("URL"),
        description=get("Description"),
    )


def _expect(file: ExportFile, records: Iterator[Record], what: str) -> Record:
    record = next(records, None)
    if record is None:
        raise InvalidCsv(f"{file.label}: the file ends before {what}")
    return record
