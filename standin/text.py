"""Title normalisation and deterministic hashing (pure)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`\u00b4")
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Case-folded, accents stripped, punctuation removed, single spaces.

    `"Amélie"` -> `"amelie"`, `"Schindler's List"` -> `"schindlers list"`,
    `"Spider-Man: No Way Home"` -> `"spider man no way home"`, `"&"` -> `"and"`.
    """
    text = text.replace("&", " and ")
    if text.isascii():  # NFKD leaves ASCII as it is: skip the per-character pass
        stripped = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold().translate(_APOSTROPHES)
    return " ".join(_NON_WORD.sub(" ", folded).split())


def stable_int(*parts: object) -> int:
    """A 64-bit integer from the parts, identical in every process (unlike `hash`)."""
    key = "\x1f".join(str(part) for part in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


def stable_id(*parts: object, low: int = 1, high: int = 2**31 - 1) -> int:
    """A deterministic id in `[low, high)`: fits a 32-bit signed column by default."""
    return low + stable_int(*parts) % (high - low)


def fake_path(kind: str, key: object, suffix: str = ".jpg") -> str:
    """A deterministic image path shaped like TMDB's (`/` + 27 characters + `.jpg`)."""
    digest = hashlib.blake2b(f"{kind}:{key}".encode(), digest_size=14).hexdigest()
    return f"/{digest[:27]}{suffix}"


def fake_hex(*parts: object, length: int = 24) -> str:
    """A deterministic hex string (TMDB credit ids are 24 hex characters)."""
    key = "\x1f".join(str(part) for part in parts).encode("utf-8")
    return hashlib.blake2b(key, digest_size=(length + 1) // 2).hexdigest()[:length]


def repair_mojibake(text: str) -> str:
    """The Udacity file holds UTF-8 read as cp1252 (`DÃ©jÃ  Vu`); undo that where it
    round-trips, as TMDB itself serves the right text."""
    if text.isascii():
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text
