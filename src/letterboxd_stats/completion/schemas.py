"""`GET /api/session/{id}/completion` and the hiding of a collection or a person. Definitions
in the field descriptions (and in `completion.compute`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from letterboxd_stats.completion.compute import TOP_BILLED_CREDITS, TOP_PEOPLE

MISSING_SHOWN = 200
"""Missing films listed per item at most (the count is always whole)."""


class MissingFilm(BaseModel):
    tmdb_id: int | None = Field(description="Null for a list entry (lists need no TMDB).")
    title: str
    year: int | None
    poster_path: str | None
    released: bool = Field(description="Out on or before today (a collection's next film: not).")
    on_watchlist: bool
    position: int | None = Field(description="Its place in a ranked list; null elsewhere.")


class CompletionItem(BaseModel):
    kind: Literal["collection", "director", "actor", "list"]
    id: int = Field(description="TMDB's collection or person id; the list's number.")
    name: str
    image: str | None = Field(description="Poster (collection) or profile (person) path.")
    seen: int
    total: int = Field(
        description="Collections: released films (and any seen); directors: released films "
        "they directed, no `video`; actors: released films where they are billed in the first "
        f"{TOP_BILLED_CREDITS} (cast order below {TOP_BILLED_CREDITS}), no `video`, no "
        "documentary, not as themselves; lists: entries."
    )
    percent: float = Field(description="seen / total in percent, one decimal.")
    missing_count: int
    missing: list[MissingFilm] = Field(
        description=f"What is left, released first (at most {MISSING_SHOWN})."
    )


class People(BaseModel):
    directors: list[CompletionItem] = Field(
        description=f"The library's {TOP_PEOPLE} most seen directors' filmographies."
    )
    actors: list[CompletionItem] = Field(
        description=f"The library's {TOP_PEOPLE} most seen actors' filmographies."
    )


class Hidden(BaseModel):
    kind: Literal["collection", "person"]
    id: int


class CompletionResponse(BaseModel):
    collections: list[CompletionItem] = Field(
        description="Collections (franchises) the library's films belong to, most complete "
        "first, then the largest."
    )
    people: People
    lists: list[CompletionItem] = Field(description="The export's own lists (lists/*.csv).")
    hidden: list[Hidden] = Field(description="What the owner hid from completion.")
    pending: bool = Field(
        description="The completion phase is still fetching collections or filmographies: "
        "what is not fetched yet is not shown."
    )


class IgnoreRequest(BaseModel):
    kind: Literal["collection", "person"]
    id: int = Field(ge=1, le=2**31 - 1)
