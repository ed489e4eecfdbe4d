from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from letterboxd_stats.cards import service
from letterboxd_stats.cards.posters import PosterCache, PosterOptions
from letterboxd_stats.cards.schemas import CardFormat
from letterboxd_stats.cards.service import Cards
from letterboxd_stats.config import Settings
from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import AnswersDep, SettingsDep
from letterboxd_stats.kit.responses import error_responses
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.sessions.deps import ViewerAccessDep
from letterboxd_stats.stats.service import MAX_YEAR, MIN_YEAR

PNG: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/png": {}}, "description": "The card, a PNG image."},
    **error_responses(404),
}

session_router = APIRouter(prefix="/api/session", tags=["cards"])
share_router = APIRouter(prefix="/api/share", tags=["cards"])

YearQuery = Annotated[
    int | None,
    Query(
        ge=MIN_YEAR,
        le=MAX_YEAR,
        description="Year in review: the diary viewings of this calendar year; none: all time.",
    ),
]
FormatQuery = Annotated[
    CardFormat,
    Query(alias="format", description="`og`: 1200x630 (Open Graph); `story`: 1080x1920."),
]


def get_cards(request: Request) -> Cards:
    """The app's posters and rendered cards, made on the first card asked for (from the app's
    settings and its shared HTTP client)."""
    state = request.app.state
    cards: Cards | None = getattr(state, "cards", None)
    if cards is None:
        settings: Settings = state.settings
        options = PosterOptions(
            directory=settings.poster_cache_dir,
            max_bytes=settings.poster_cache_bytes,
            base_url=settings.tmdb_image_base_url,
            timeout_seconds=settings.tmdb_image_timeout_seconds,
        )
        cards = Cards(PosterCache(state.http, options), settings.card_cache_entries)
        state.cards = cards
    return cards


async def get_shared_access(share_id: str, db: SessionDep) -> SessionAccess:
    """A share id, and only a share id: a library's own id is not found here."""
    return await service.shared_access(db, share_id)


CardsDep = Annotated[Cards, Depends(get_cards)]
SharedAccessDep = Annotated[SessionAccess, Depends(get_shared_access)]


@session_router.get("/{session_id}/card.png", response_class=Response, responses=PNG)
async def session_card(
    access: ViewerAccessDep,
    db: SessionDep,
    answers: AnswersDep,
    settings: SettingsDep,
    cards: CardsDep,
    year: YearQuery = None,
    fmt: FormatQuery = CardFormat.og,
) -> Response:
    """The library's share card for the year (or all time): a PNG of its counters, top rated
    films with their posters and top genres. A share id may ask."""
    png = await service.card_png(
        db, access, year, fmt, settings=settings, answers=answers, cards=cards
    )
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-cache"})


@share_router.get("/{share_id}/card.png", response_class=Response, responses=PNG)
async def shared_card(
    access: SharedAccessDep,
    db: SessionDep,
    answers: AnswersDep,
    settings: SettingsDep,
    cards: CardsDep,
    year: YearQuery = None,
    fmt: FormatQuery = CardFormat.og,
) -> Response:
    """The share card of the library whose share link has this id (what `og:image` of a shared
    dashboard points at): a library's own id, an unknown or a revoked share id are 404."""
    png = await service.card_png(
        db, access, year, fmt, settings=settings, answers=answers, cards=cards
    )
    return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=300"})
