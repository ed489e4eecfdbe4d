"""What one session, or one client address, may ask of this process: TMDB lookups by hand
(searches and match fixes) per minute, and progress streams open at once. Beyond, a 429 that
says when to ask again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from letterboxd_stats.config import Settings
from letterboxd_stats.errors import TooManyRequests
from letterboxd_stats.kit.quota import Quota, Slots, take_all

STREAM_RETRY_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class UserLimits:
    lookups_per_session: Quota
    lookups_per_client: Quota
    streams_per_session: Slots
    streams_per_client: Slots

    @classmethod
    def from_settings(cls, settings: Settings) -> UserLimits:
        return cls(
            Quota(settings.user_lookups_per_minute_per_session),
            Quota(settings.user_lookups_per_minute_per_client),
            Slots(settings.sse_max_streams_per_session),
            Slots(settings.sse_max_streams_per_client),
        )

    def lookup(self, session: str, client: str) -> None:
        """Count one TMDB lookup of this session and client, or refuse it (429)."""
        wait = take_all([(self.lookups_per_session, session), (self.lookups_per_client, client)])
        if wait > 0:
            raise TooManyRequests(
                f"too many TMDB lookups (at most {self.lookups_per_session.per_minute} a minute "
                f"per library and {self.lookups_per_client.per_minute} per client); "
                f"try again in {wait:.0f} s",
                retry_after=wait,
            )

    @contextmanager
    def stream(self, session: str, client: str) -> Iterator[None]:
        """Hold a progress stream of this session and client while the block runs, or refuse
        it (429: the page then polls /status instead)."""
        if self.streams_per_session.full(session) or self.streams_per_client.full(client):
            raise TooManyRequests(
                f"too many progress streams open (at most {self.streams_per_session.limit} per "
                f"library and {self.streams_per_client.limit} per client); poll /status instead",
                retry_after=STREAM_RETRY_SECONDS,
            )
        self.streams_per_session.hold(session)
        self.streams_per_client.hold(client)
        try:
            yield
        finally:
            self.streams_per_session.release(session)
            self.streams_per_client.release(client)
