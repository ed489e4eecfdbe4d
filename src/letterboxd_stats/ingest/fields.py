"""Parsers of single CSV fields. Each raises `FieldError`; the caller adds file and line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Longest values accepted, in characters: far beyond any real export, small enough that no
# title, tag or link can outgrow what stores, keys or pages it.
MAX_TITLE_CHARS = 500  # film titles and list names
MAX_TAG_CHARS = 200  # one tag
MAX_URI_CHARS = 500  # Letterboxd links
MAX_USERNAME_CHARS = 100


class FieldError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class DateRange:
    """The dates an import accepts, both ends included."""

    first: date = date.min
    last: date = date.max

    @classmethod
    def until(cls, first: date, today: date, future_days: int) -> DateRange:
        """From `first` to `future_days` after `today`."""
        return cls(first, today + timedelta(days=min(future_days, (date.max - today).days)))

    def check(self, day: date, column: str) -> date:
        if not self.first <= day <= self.last:
            raise FieldError(
                f"{column} {day.isoformat()} is outside the dates accepted "
                f"({self.first.isoformat()} to {self.last.isoformat()})"
            )
        return day


ANY_DATE = DateRange()


_HALF_STARS = {f"{n / 2:g}": n for n in range(1, 11)} | {f"{n / 2:.1f}": n for n in range(1, 11)}


def parse_date(value: str, column: str, within: DateRange = ANY_DATE) -> date:
    text = value.strip()
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise FieldError(f"{column} {value[:40]!r} is not a date (expected YYYY-MM-DD)")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FieldError(f"{column} {value!r} is not a date (expected YYYY-MM-DD)") from None
    return within.check(day, column)


def parse_optional_date(value: str, column: str, within: DateRange = ANY_DATE) -> date | None:
    return parse_date(value, column, within) if value.strip() else None


def parse_rating(value: str) -> int | None:
    """`0.5`…`5` in half steps -> half stars 1…10; blank -> None (unrated)."""
    text = value.strip()
    if not text:
        return None
    try:
        return _HALF_STARS[text]
    except KeyError:
        raise FieldError(f"Rating {value!r} is not one of 0.5, 1, 1.5, … 5") from None


def parse_year(value: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        raise FieldError(f"Year {value!r} is not a year")
    return int(text)


def parse_rewatch(value: str) -> bool:
    text = value.strip().lower()
    if text in ("", "no"):
        return False
    if text == "yes":
        return True
    raise FieldError(f"Rewatch {value!r} is neither 'Yes' nor blank")


def parse_position(value: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise FieldError(f"Position {value!r} is not a number")
    return int(text)


def parse_tags(value: str) -> tuple[str, ...]:
    """Tags are comma-separated inside one field; blanks and repeats dropped, order kept."""
    seen: dict[str, None] = {}
    for tag in value.split(","):
        tag = tag.strip()
        if tag:
            seen.setdefault(bounded(tag, "A tag in Tags", MAX_TAG_CHARS), None)
    return tuple(seen)


def parse_title(value: str, column: str = "Name") -> str:
    title = value.strip()
    if not title:
        raise FieldError(f"{column} is empty")
    return bounded(title, column, MAX_TITLE_CHARS)


def optional_text(value: str) -> str | None:
    text = value.strip()
    return text or None


def optional_bounded(value: str, column: str, limit: int) -> str | None:
    text = value.strip()
    return bounded(text, column, limit) if text else None


def bounded(text: str, column: str, limit: int) -> str:
    if len(text) > limit:
        raise FieldError(
            f"{column} {text[:40]!r}… is {len(text):,} characters long (at most {limit:,})"
        )
    return text
