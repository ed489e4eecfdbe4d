"""A library's share card: its statistics for the period (the stats service's answer, from its
cache when the dashboard asked for it already), its top films' posters, drawn once.

A rendered card is kept in memory per (library, year, format) for as long as the library does
not change: its `updated_at` (every write the statistics rest on moves it) and its share link
(a revoke, a new link); a request that finds it does no rendering. A share id is resolved by
`shared_access` only: a library's own id is as unknown there as any other id."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Hashable
from dataclasses import dataclass, field

from cachetools import LRUCache
from sqlalchemy.ext.asyncio import AsyncSession

from letterboxd_stats.cards.posters import PosterCache
from letterboxd_stats.cards.render import render_card
from letterboxd_stats.cards.schemas import CardData, CardFilm, CardFormat, CardGenre, Counter
from letterboxd_stats.config import Settings
from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.kit.answers import Answers
from letterboxd_stats.sessions import repository
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.sessions.service import parse_session_id
from letterboxd_stats.stats import service as stats_service
from letterboxd_stats.stats.schemas import FilmRef, StatsResponse

CardKey = tuple[uuid.UUID, int | None, CardFormat]


@dataclass(slots=True)
class Cards:
    """The posters, and the rendered cards kept until their library changes."""

    posters: PosterCache
    entries: int
    _kept: LRUCache[CardKey, tuple[Hashable, bytes]] = field(init=False)

    def __post_init__(self) -> None:
        self._kept = LRUCache(maxsize=max(1, self.entries))

    def get(self, key: CardKey, version: Hashable) -> bytes | None:
        item = self._kept.get(key)
        return item[1] if item is not None and item[0] == version else None

    def put(self, key: CardKey, version: Hashable, png: bytes) -> None:
        if self.entries > 0:
            self._kept[key] = (version, png)


async def shared_access(db: AsyncSession, raw_id: str) -> SessionAccess:
    """The library whose current share link has this id (a viewer); SessionNotFound for any
    other id, a library's own id included."""
    share_id = parse_session_id(raw_id)
    session = await repository.get_by_share_id(db, share_id)
    if session is None:
        raise SessionNotFound("no session with this id")
    return SessionAccess.viewer(session, share_id)


async def card_png(
    db: AsyncSession,
    access: SessionAccess,
    year: int | None,
    fmt: CardFormat,
    *,
    settings: Settings,
    answers: Answers,
    cards: Cards,
) -> bytes:
    """The card's PNG: kept, else drawn (in a worker thread) from the period's statistics."""
    session = access.session
    key: CardKey = (session.id, year, fmt)
    version = (session.updated_at, session.share_id)
    kept = cards.get(key, version)
    if kept is not None:
        return kept
    answer = await stats_service.stats_json(db, answers, access, year, settings)
    stats = StatsResponse.model_validate_json(answer)
    data = await card_data(stats, session.username, fmt, cards.posters)
    png = await asyncio.to_thread(render_card, data, fmt)
    cards.put(key, version, png)
    return png


async def card_data(
    stats: StatsResponse, username: str | None, fmt: CardFormat, posters: PosterCache
) -> CardData:
    """What the card shows, from the statistics of its period (nothing recomputed here)."""
    films, heading = top_films(stats, fmt.films)
    images = await posters.get_many([film.poster_path for film in films])
    totals = stats.totals
    mean = stats.ratings.mean
    counters = (
        Counter("films", f"{totals.films:,}"),
        Counter("hours", f"{round(totals.hours):,}"),
        Counter("diary viewings", f"{totals.viewings:,}"),
        Counter("ratings", f"{totals.ratings:,}"),
        Counter("mean stars", f"{mean:.1f}" if mean is not None else "-"),
        Counter("directors", f"{totals.directors:,}"),
    )
    return CardData(
        username=username,
        period=str(stats.year) if stats.year is not None else "All time",
        counters=counters,
        films=tuple(
            CardFilm(film.title, film.year, film.rating, image)
            for film, image in zip(films, images, strict=True)
        ),
        films_heading=heading,
        genres=tuple(
            CardGenre(genre.name, genre.films) for genre in stats.genres.most_watched[: fmt.genres]
        ),
    )


def top_films(stats: StatsResponse, count: int) -> tuple[list[FilmRef], str]:
    """The period's highest rated films, then (fewer rated than `count`) its most viewed ones
    not among them; and the heading that says which."""
    films: list[FilmRef] = list(stats.ratings.highest_rated[:count])
    shown = {film.film_id for film in films}
    rated = len(films)
    for film in stats.diary.most_viewed:
        if len(films) >= count:
            break
        if film.film_id not in shown:
            films.append(film)
            shown.add(film.film_id)
    if rated == len(films):
        return films, "Highest rated"
    return films, "Most viewed" if rated == 0 else "Top rated and most viewed"
