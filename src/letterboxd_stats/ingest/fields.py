"""Parsers of single CSV fields. Each raises `FieldError`; the caller adds file and line."""

from __future__ import annotations

from datetime import date


class FieldError(ValueError):
    pass


_HALF_STARS = {f"{n / 2:g}": n for n in range(1, 11)} | {f"{n / 2:.1f}": n for n in range(1, 11)}


def parse_date(value: str, column: str) -> date:
    text = value.strip()
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise FieldError(f"{column} {value!r} is not a date (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(f"{column} {value!r} is not a date (expected YYYY-MM-DD)") from None


def parse_optional_date(value: str, column: str) -> date | None:
    return parse_date(value, column) if value.strip() else None


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
            seen.setdefault(tag, None)
    return tuple(seen)


def parse_title(value: str) -> str:
    title = value.strip()
    if not title:
        raise FieldError("Name is empty")
    return title


def optional_text(value: str) -> str | None:
    text = value.strip()
    return text or None
