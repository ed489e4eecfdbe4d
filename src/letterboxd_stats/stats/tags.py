"""What a film counts in (pure): its tags ("genres:18", "directors:138"…) and how each is shown
(`Label`), read from its `MovieData` once, when the film is stored, and kept packed in two
text columns of `tmdb_movies` (`pack`): the statistics split them, they never decode the film's
JSON."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from letterboxd_stats.tmdb.schemas import CREW_ROLES, Category, MovieData, Person

TOP_BILLED = 5
"""Actors count when top-billed: TMDB cast order below this (the first five)."""

SEPARATOR = "\x1f"
"""Between the packed fields (ASCII unit separator; in a name it becomes a space)."""

DIRECTOR_GENDERS = "director_genders"
"""The section of a film's directors' genders ("director_genders:1": a director is a woman),
packed after every other tag: not a section the statistics count in (`split_tags`)."""
GENDER_NAMES = {0: "not set", 1: "female", 2: "male", 3: "non-binary"}
"""TMDB's person genders. A director whose gender TMDB did not give (null) is packed as 0,
unless no director of the film has one: a film stored before they were kept has no tag."""

Tag = str
"""What a film counts in, once: "section:key", e.g. "genres:18", "directors:138" (a string,
whose hash Python caches: tallies of tens of thousands of tags stay cheap)."""


def tag(section: str, key: str) -> Tag:
    return f"{section}:{key}"


def tag_parts(value: Tag) -> tuple[str, str]:
    """(section, key); keys may hold ':' (`name:…`), sections never do."""
    section, _, key = value.partition(":")
    return section, key


@dataclass(frozen=True, slots=True)
class Label:
    """How a tag is shown: a name, and a TMDB profile image path for people."""

    name: str
    image: str | None = None


def film_labels(movie: MovieData) -> dict[Tag, Label]:
    """What a film counts in, once each, in the order met, and how each is shown."""
    labels: dict[Tag, Label] = {}
    categories: tuple[tuple[str, list[Category]], ...] = (
        ("genres", movie.genres),
        ("countries", [Category(id=c.iso_3166_1, name=c.name) for c in movie.production_countries]),
        ("studios", movie.production_companies),
        ("keywords", movie.keywords),
    )
    for section, items in categories:
        for item in items:
            if item.id is not None and item.id != "":
                found = tag(section, str(item.id))
                if found not in labels:
                    labels[found] = Label(item.name or str(item.id))
    original = movie.original_language
    if original:
        name = original
        for language in movie.spoken_languages:
            if language.iso_639_1 == original:
                name = language.english_name or language.name or original
                break
        labels[tag("languages", original)] = Label(name)
    for actor in movie.cast:
        if actor.order < TOP_BILLED:
            _person(labels, "actors", actor)
    genders: dict[int | None, None] = {}
    for member in movie.crew:
        role = CREW_ROLES.get(member.job)
        if role is not None:
            _person(labels, role, member)
            if role == "directors":
                genders[member.gender] = None
    if any(gender is not None for gender in genders):  # else kept before genders were
        for gender in dict.fromkeys(g or 0 for g in genders):  # last: see `split_tags`
            labels[tag(DIRECTOR_GENDERS, str(gender))] = Label(GENDER_NAMES[gender])
    return labels


def person_key(person_id: object, name: str) -> str:
    """TMDB person id as text; a person without id is keyed by name (`name:…`)."""
    if isinstance(person_id, int) and not isinstance(person_id, bool):
        return str(person_id)
    return f"name:{name}"


def _person(labels: dict[Tag, Label], role: str, person: Person) -> None:
    name = person.name or ""
    found = tag(role, person_key(person.id, name))
    if found not in labels:
        labels[found] = Label(name, person.profile_path or None)


@dataclass(frozen=True, slots=True)
class Packed:
    """A film's tags and their labels as stored (`tmdb_movies.tags`, `tmdb_movies.labels`):
    the tags joined by SEPARATOR; each label's name and image (empty: none), likewise."""

    tags: str
    labels: str


def pack(labels: dict[Tag, Label]) -> Packed:
    clean = _clean
    return Packed(
        SEPARATOR.join(clean(t) for t in labels),
        SEPARATOR.join(
            f"{clean(label.name)}{SEPARATOR}{clean(label.image or '')}" for label in labels.values()
        ),
    )


def unpack_tags(packed: str) -> tuple[Tag, ...]:
    """The film's tags, interned: thousands of films share a genre's or a director's tag, which
    is then one string (its hash computed once) instead of one per film."""
    return tuple(map(sys.intern, packed.split(SEPARATOR))) if packed else ()


_GENDERS_START = f"{DIRECTOR_GENDERS}:"
_GENDERS_AFTER = f"{SEPARATOR}{_GENDERS_START}"


def split_tags(packed: str) -> tuple[tuple[Tag, ...], tuple[int, ...]]:
    """The film's tags (`unpack_tags`) without its directors' genders, and those genders
    (each once; none for a film without directors, or stored before they were packed). The
    genders are packed last, so their labels come last too: a tag's index is the same."""
    if packed.startswith(_GENDERS_START):
        cut, rest = "", packed
    else:
        at = packed.find(_GENDERS_AFTER)
        if at < 0:
            return unpack_tags(packed), ()
        cut, rest = packed[:at], packed[at + 1 :]
    genders = tuple(
        int(key) if key.isdigit() else 0
        for key in (t.partition(":")[2] for t in rest.split(SEPARATOR))
    )
    return unpack_tags(cut), genders


def unpack_label(packed: str, index: int) -> Label:
    """The label of the film's `index`th tag."""
    parts = packed.split(SEPARATOR, 2 * index + 2)
    return Label(parts[2 * index], parts[2 * index + 1] or None)


def unpack_labels(packed: str) -> list[Label]:
    parts = packed.split(SEPARATOR) if packed else []
    return [Label(name, image or None) for name, image in zip(parts[::2], parts[1::2], strict=True)]


def _clean(text: str) -> str:
    return text.replace(SEPARATOR, " ") if SEPARATOR in text else text
