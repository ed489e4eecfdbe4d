"""An export file to read (a loose CSV or a zip member) and its record reader.

`read_records` streams CSV records with the physical line each one starts on, so every error
can name the file and the line. Nothing here keeps more than one record in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import IO

from letterboxd_stats.errors import InvalidCsv, InvalidEncoding, NulBytes

FIELD_LIMIT_CHARS = 1024 * 1024  # the default of the `max_csv_field_chars` setting

Opener = Callable[[], AbstractContextManager[IO[bytes]]]


@dataclass(frozen=True, slots=True)
class ExportFile:
    """`path` is where the file sits in the export (`lists/top-10.csv`, or a loose file's name);
    `label` is how errors name it (`export.zip: lists/top-10.csv`)."""

    path: str
    label: str
    open: Opener

    @property
    def basename(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    fields: list[str]


def read_records(
    file: ExportFile, max_field_chars: int = FIELD_LIMIT_CHARS
) -> Generator[Record, None, None]:
    """Yields the non-blank CSV records of `file` (UTF-8, BOM optional, CRLF/LF/CR); a field
    longer than `max_field_chars` (`MAX_CSV_FIELD_CHARS`) is an `InvalidCsv`."""
    # The csv module keeps one limit for the whole process, checked while a field is read (so
    # that a huge field is refused before it is held in memory); this is the process's only
    # CSV reader, and it sets that limit to the one it is given before every file.
    csv.field_size_limit(max_field_chars)
    with file.open() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.reader(_checked_lines(text, file), strict=True)
        end_of_last = 0
        try:
            for fields in reader:
                start, end_of_last = end_of_last + 1, reader.line_num
                if fields:
                    yield Record(start, fields)
        except UnicodeDecodeError:
            line = _first_undecodable_line(file)
            raise InvalidEncoding(
                f"{file.label}: line {line} is not valid UTF-8 text; "
                "export the file again from Letterboxd or save it as UTF-8"
            ) from None
        except csv.Error as exc:
            hint = " (MAX_CSV_FIELD_CHARS)" if "field limit" in str(exc) else ""
            raise InvalidCsv(f"{file.label}: line {reader.line_num}: {exc}{hint}") from None
        finally:
            text.detach()


def _checked_lines(text: io.TextIOWrapper, file: ExportFile) -> Iterator[str]:
    for number, line in enumerate(text, 1):
        if "\x00" in line:
            raise NulBytes(
                f"{file.label}: line {number} contains NUL bytes (not a text file)", number
            )
        yield line


def _first_undecodable_line(file: ExportFile) -> int:
    """Only on the error path: find the physical line with the first invalid UTF-8 byte."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    line = 1
    with file.open() as raw:
        for chunk in iter(lambda: raw.read(64 * 1024), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return line + chunk[: exc.start].count(b"\n")
            line += chunk.count(b"\n")
    return line
