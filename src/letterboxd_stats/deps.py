"""Typed access to what the lifespan built (`app.state`), as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from letterboxd_stats.config import Settings
from letterboxd_stats.db import SessionMaker
from letterboxd_stats.enrich.refresh import MetadataRefresher
from letterboxd_stats.enrich.runner import JobRunner
from letterboxd_stats.kit.answers import Answers
from letterboxd_stats.sessions.limits import UserLimits
from letterboxd_stats.sessions.lookups import TmdbLookups
from letterboxd_stats.watchlist.providers import ProviderRefresher
from letterboxd_stats.watchlist.ranking import RankedLists
from letterboxd_stats.watchlist.training import TasteTrainer


def get_app_settings(request: Request) -> Settings:
    """The settings this app was created with (`config.get_settings` reads the environment)."""
    settings: Settings = request.app.state.settings
    return settings


def get_sessionmaker(request: Request) -> SessionMaker:
    sessionmaker: SessionMaker = request.app.state.sessionmaker
    return sessionmaker


def get_runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.runner
    return runner


def get_refresher(request: Request) -> MetadataRefresher:
    refresher: MetadataRefresher = request.app.state.refresher
    return refresher


def get_limits(request: Request) -> UserLimits:
    limits: UserLimits = request.app.state.limits
    return limits


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: what uvicorn's
    `--forwarded-allow-ips` lets it read from X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


def get_answers(request: Request) -> Answers:
    """Computed answers (/stats, comparisons) kept until what they rest on changes."""
    answers: Answers = request.app.state.stats_answers
    return answers


def get_lookups(request: Request) -> TmdbLookups:
    lookups: TmdbLookups = request.app.state.lookups
    return lookups


def get_trainer(request: Request) -> TasteTrainer:
    trainer: TasteTrainer = request.app.state.trainer
    return trainer


def get_providers(request: Request) -> ProviderRefresher:
    """The refresh of the watchlists' offers (where to stream)."""
    providers: ProviderRefresher = request.app.state.providers
    return providers


def get_watchlists(request: Request) -> RankedLists:
    """The watchlists' rows, kept per library, region and version."""
    lists: RankedLists = request.app.state.watchlists
    return lists


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SessionMakerDep = Annotated[SessionMaker, Depends(get_sessionmaker)]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]
RefresherDep = Annotated[MetadataRefresher, Depends(get_refresher)]
LookupsDep = Annotated[TmdbLookups, Depends(get_lookups)]
LimitsDep = Annotated[UserLimits, Depends(get_limits)]
ClientDep = Annotated[str, Depends(client_address)]
AnswersDep = Annotated[Answers, Depends(get_answers)]
TrainerDep = Annotated[TasteTrainer, Depends(get_trainer)]
ProvidersDep = Annotated[ProviderRefresher, Depends(get_providers)]
WatchlistsDep = Annotated[RankedLists, Depends(get_watchlists)]
