"""The HTML pages. Thin: each page checks the session exists and renders its template; the
data is fetched by the page's script from the JSON API (same origin, CSP-friendly)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from letterboxd_stats import __version__
from letterboxd_stats.deps import SettingsDep
from letterboxd_stats.models import FINAL_STATUSES, UploadSession
from letterboxd_stats.sessions import service
from letterboxd_stats.sessions.deps import FoundOpenedSessionDep, FoundSessionDep
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
    request: Request, session: UploadSession | None, name: str, page: str
) -> HTMLResponse:
    if session is None:
        return _render(request, "not_found.html", {"page": "missing"}, status_code=404)
    state: SessionProgress = service.progress(session)
    context: dict[str, object] = {
        "page": page,
        "session_id": str(state.session_id),
        "status": state.status.value,
        "done": state.status in FINAL_STATUSES,
        "min_rated": MIN_RATED,  # the dashboard says it where a ranking by rating is empty
        "min_year": MIN_YEAR,  # the years the API takes (?year=, a TMDB search's year)
        "max_year": MAX_YEAR,
    }
    return _render(request, name, context)


@router.get("/", response_class=HTMLResponse)
async def upload_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    context: dict[str, object] = {"page": "upload", "session_ttl_days": settings.session_ttl_days}
    return _render(request, "upload.html", context)


@router.get("/session/{session_id}", response_class=HTMLResponse)
async def session_page(request: Request, session: FoundOpenedSessionDep) -> HTMLResponse:
    """Progress while the films are enriched, then the dashboard (the script switches).
    Opening it has the library's stale TMDB metadata refreshed in the background."""
    return _session_page(request, session, "session.html", "stats")


@router.get("/session/{session_id}/review", response_class=HTMLResponse)
async def review_page(request: Request, session: FoundSessionDep) -> HTMLResponse:
    return _session_page(request, session, "review.html", "review")


@router.get("/session/{session_id}/data", response_class=HTMLResponse)
async def data_page(request: Request, session: FoundSessionDep) -> HTMLResponse:
    return _session_page(request, session, "data.html", "data")


def install(app: FastAPI) -> None:
    """Add the pages and mount the static files at /static."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
