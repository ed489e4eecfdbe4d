"""The HTML pages. Thin: each page checks the session exists and renders its template; the
data is fetched by the page's script from the JSON API (same origin, CSP-friendly)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from letterboxd_stats import __version__
from letterboxd_stats.compare.schemas import HIGH, LOW
from letterboxd_stats.compare.service import resolve_pair
from letterboxd_stats.config import Settings
from letterboxd_stats.db import SessionDep
from letterboxd_stats.deps import SettingsDep
from letterboxd_stats.errors import SessionNotFound
from letterboxd_stats.models import FINAL_STATUSES, UploadSession
from letterboxd_stats.sessions import service
from letterboxd_stats.sessions.access import SessionAccess
from letterboxd_stats.sessions.deps import FoundOpenedAccessDep, FoundOwnerSessionDep
from letterboxd_stats.sessions.schemas import SessionProgress
from letterboxd_stats.stats.schemas import MIN_RATED
from letterboxd_stats.stats.service import MAX_YEAR, MIN_YEAR

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")  # autoescapes .html
templates.env.globals["version"] = __version__

router = APIRouter(include_in_schema=False)


def _render(
    request: Request, name: str, context: dict[str, object], status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _session_page(
    request: Request,
    access: SessionAccess | None,
    name: str,
    page: str,
    settings: Settings,
    extra: dict[str, object] | None = None,
) -> HTMLResponse:
    """A library's page; through a share link (a viewer) it shows the share id, never the
    session id, says whose library it is and that it is read-only, and links to nothing of
    the owner's (the review page, My data, downloads)."""
    if access is None:
        return _not_found(request, settings)
    state: SessionProgress = service.progress(access.session, access.shown_id)
    context: dict[str, object] = {
        "page": page,
        "session_id": str(state.session_id),
        "read_only": not access.is_owner,
        "username": access.session.username,
        "status": state.status.value,
        "done": state.status in FINAL_STATUSES,
        "session_ttl_days": settings.session_ttl_days,
        "min_rated": MIN_RATED,  # the dashboard says it where a ranking by rating is empty
        "min_year": MIN_YEAR,  # the years the API takes (?year=, a TMDB search's year)
        "max_year": MAX_YEAR,
    }
    return _render(request, name, context | (extra or {}))


def _not_found(request: Request, settings: Settings) -> HTMLResponse:
    context: dict[str, object] = {"page": "missing", "session_ttl_days": settings.session_ttl_days}
    return _render(request, "not_found.html", context, status_code=404)


def _owner_page(
    request: Request, session: UploadSession | None, name: str, page: str, settings: Settings
) -> HTMLResponse:
    access = SessionAccess.owner(session) if session is not None else None
    return _session_page(request, access, name, page, settings)


@router.get("/", response_class=HTMLResponse)
async def upload_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    context: dict[str, object] = {"page": "upload", "session_ttl_days": settings.session_ttl_days}
    return _render(request, "upload.html", context)


@router.get("/session/{session_id}", response_class=HTMLResponse)
async def session_page(
    request: Request, access: FoundOpenedAccessDep, settings: SettingsDep
) -> HTMLResponse:
    """Progress while the films are enriched, then the dashboard (the script switches).
    Opening it has the library's stale TMDB metadata refreshed in the background; opened by
    its owner, the library is active again. A share id opens it read-only. Its Open Graph
    tags show the share card (`og:image`), by the share id only: opened by its owner, the page
    has them only when the library has a share link."""
    extra: dict[str, object] = {"og": _share_meta(request, access)}
    return _session_page(request, access, "session.html", "stats", settings, extra)


def _share_meta(request: Request, access: SessionAccess | None) -> dict[str, str] | None:
    """The Open Graph / Twitter card of the dashboard: its share card's absolute URL (for the
    period of `?year=` when it is a year the API takes), by the share id, never the session
    id; None without a share link."""
    if access is None:
        return None
    share_id = access.shown_id if not access.is_owner else access.session.share_id
    if share_id is None:
        return None
    raw_year = request.query_params.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and MIN_YEAR <= int(raw_year) <= MAX_YEAR else None
    base = str(request.base_url).rstrip("/")
    session = access.session
    name = session.username or "A Letterboxd library"
    if year is None:
        title = f"{name}: Letterboxd statistics"
        description = (
            f"{session.total_movies:,} films, {session.diary_count:,} diary entries, "
            f"{session.rating_count:,} ratings: the top rated, genres and more."
        )
    else:
        title = f"{name}: {year} in film"
        description = f"The year {year} in film: counts, hours, the top rated films and genres."
    period = f"&year={year}" if year is not None else ""
    return {
        "title": title,
        "description": description,
        "url": f"{base}/session/{share_id}" + (f"?year={year}" if year is not None else ""),
        "image": f"{base}/api/share/{share_id}/card.png?format=og{period}",
    }


@router.get("/session/{session_id}/watch", response_class=HTMLResponse)
async def watch_page(
    request: Request, access: FoundOpenedAccessDep, settings: SettingsDep
) -> HTMLResponse:
    """What to watch: the watchlist ranked by predicted stars, where to stream each film, the
    model's accuracy; the script fetches `/api/session/{id}/watchlist`. A share id opens it
    read-only (no services to choose, no region saved: a viewer's region is `?region=`)."""
    return _session_page(request, access, "watch.html", "watch", settings)


@router.get("/session/{session_id}/year/{period}", response_class=HTMLResponse)
async def story_page(
    request: Request, period: str, access: FoundOpenedAccessDep, settings: SettingsDep
) -> HTMLResponse:
    """The year in review as story slides: `period` a year the API takes (`MIN_YEAR` to
    `MAX_YEAR`) or `all`; anything else is not found. The script fetches `/stats` and
    `/review` of the period once each and builds the slides. A share id opens it read-only."""
    if period != "all" and not (
        len(period) == 4 and period.isdigit() and MIN_YEAR <= int(period) <= MAX_YEAR
    ):
        return _not_found(request, settings)
    extra: dict[str, object] = {"year": None if period == "all" else int(period)}
    return _session_page(request, access, "story.html", "story", settings, extra)


@router.get("/session/{session_id}/completion", response_class=HTMLResponse)
async def completion_page(
    request: Request, access: FoundOpenedAccessDep, settings: SettingsDep
) -> HTMLResponse:
    """Completion: how much of each collection, of the most seen directors' and actors' films
    and of the export's lists the library holds, and what is missing; the script fetches
    `/api/session/{id}/completion`. A share id opens it read-only (nothing to hide)."""
    return _session_page(request, access, "completion.html", "completion", settings)


@router.get("/session/{session_id}/review", response_class=HTMLResponse)
async def review_page(
    request: Request, session: FoundOwnerSessionDep, settings: SettingsDep
) -> HTMLResponse:
    return _owner_page(request, session, "review.html", "review", settings)


@router.get("/session/{session_id}/data", response_class=HTMLResponse)
async def data_page(
    request: Request, session: FoundOwnerSessionDep, settings: SettingsDep
) -> HTMLResponse:
    return _owner_page(request, session, "data.html", "data", settings)


@router.get("/compare/{a}/{b}", response_class=HTMLResponse)
async def compare_page(
    request: Request, a: str, b: str, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """Two libraries side by side: `a` the visitor's own library (its id) or a share id, `b`
    a friend's share id (an owner id as `b` is not found, as for `/api/compare`). The page gives
    its script the two ids of its path, nothing more (no owner id but the one in the path); the
    script fetches `/api/compare/{a}/{b}`. Opening it is no activity of either library."""
    try:
        first, second = await resolve_pair(db, a, b)
    except SessionNotFound:
        return _not_found(request, settings)
    context: dict[str, object] = {
        "page": "compare",
        "compare_a": str(first.shown_id),
        "compare_b": str(second.shown_id),
        "a_is_own": first.is_owner,  # a's id is the visitor's own key: "you", no link to it
        "name_a": first.session.username,
        "name_b": second.session.username,
        "high": f"{HIGH:g}",  # the ratings "loved" and "disliked" stand for (the API's)
        "low": f"{LOW:g}",
    }
    return _render(request, "compare.html", context)


def mount_static(app: FastAPI) -> None:
    """Mount the static files at /static (the pages are `router`'s routes)."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
