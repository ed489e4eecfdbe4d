"""create_standin_app(): a TMDB v3 stand-in on FastAPI (routes in endpoints.py)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from standin.catalogue import load_catalogue
from standin.config import StandinConfig
from standin.endpoints import admin, api
from standin.middleware import StandinMiddleware
from standin.responses import TMDBResponse, not_found
from standin.state import StandinState

# The routes, built once per process and shared by every stand-in app (as the service's own:
# `include_router` would build them again for each app, and tests make many).
ROUTES = (*api.routes, *admin.routes)


def create_standin_app(config: StandinConfig | None = None) -> FastAPI:
    """The stand-in app. Loads (or reuses, per process) the catalogue before returning."""
    config = config or StandinConfig()
    app = FastAPI(
        title="TMDB v3 stand-in",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        routes=list(ROUTES),
    )
    app.state.catalogue = load_catalogue(
        config.data_dir,
        config.extra_films,
        synthesise=config.synthesise,
        real_world=config.real_world,
    )
    app.state.standin = StandinState(config)
    app.add_middleware(StandinMiddleware, state=app.state.standin)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> TMDBResponse:
        if exc.status_code == 404:
            return not_found()
        body = {"success": False, "status_code": 3, "status_message": str(exc.detail)}
        return TMDBResponse(body, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> TMDBResponse:
        errors = [str(error.get("msg", "invalid")) for error in exc.errors()]
        return TMDBResponse({"errors": errors}, status_code=422)

    return app
