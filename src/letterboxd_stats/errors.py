"""One error hierarchy; one handler renders it as `{"error": <Kind>, "detail": <message>}`."""

from __future__ import annotations

import math
from typing import ClassVar


class AppError(Exception):
    """Base of every error we raise on purpose. `kind` is the class name unless overridden."""

    status_code: ClassVar[int] = 500
    kind: ClassVar[str | None] = None

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def error(self) -> str:
        return self.kind or type(self).__name__

    @property
    def headers(self) -> dict[str, str]:
        """Headers the answer carries (`Retry-After` of a 429 or 503)."""
        return {}


class NotFound(AppError):
    status_code = 404


class SessionNotFound(NotFound):
    kind = "SessionNotFound"


class SessionFinished(AppError):
    status_code = 409
    kind = "SessionFinished"


class DifferentAccount(AppError):
    """An update's export is another Letterboxd account's than the library's."""

    status_code = 409
    kind = "DifferentAccount"


class Internal(AppError):
    """An unexpected error (a bug): the detail never holds its message, only where it is logged."""

    status_code = 500


class ServiceUnavailable(AppError):
    status_code = 503


class DatabaseUnavailable(ServiceUnavailable):
    """The database does not answer (down, restarting, unreachable)."""


class DiskFull(AppError):
    """A write failed for lack of disk space (the database's, or an upload's temporary file):
    nothing was stored."""

    status_code = 507


class LowOnDisk(ServiceUnavailable):
    """What `/api/health` says while the disk is, or lately was, full."""

    kind = "DiskFull"


class RetryLater(AppError):
    """An answer that says when to ask again (`Retry-After`, whole seconds, at least 1)."""

    def __init__(self, detail: str, retry_after: float) -> None:
        super().__init__(detail)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(max(1, math.ceil(self.retry_after)))}


class TooManyRequests(RetryLater):
    """A client, or everyone using one session, asked more than its share."""

    status_code = 429


class DatabaseBusy(RetryLater):
    """Every pooled database connection stayed in use for the pool's whole timeout."""

    status_code = 503


class InvalidSearch(AppError):
    status_code = 422


class InvalidRegion(AppError):
    """A watch region that ISO 3166-1 does not have."""

    status_code = 422


class InvalidProviders(AppError):
    status_code = 422


class MovieNotFound(NotFound):
    kind = "MovieNotFound"


class TmdbFilmNotFound(NotFound):
    kind = "TmdbFilmNotFound"


class TmdbUnavailable(AppError):
    status_code = 502
    kind = "TmdbUnavailable"


class TmdbDisabled(ServiceUnavailable):
    kind = "TmdbDisabled"


# --- bad uploads (4xx); the detail names the file and, where there is one, the line ---


class BadUpload(AppError):
    status_code = 400


class EmptyUpload(BadUpload):
    pass


class UnsupportedFile(BadUpload):
    status_code = 415


class UnknownCsv(BadUpload):
    pass


class NoExportFiles(BadUpload):
    pass


class DuplicateFile(BadUpload):
    pass


class InvalidCsv(BadUpload):
    pass


class NulBytes(InvalidCsv):
    """A file with NUL bytes is binary or zero-filled, not a CSV."""

    def __init__(self, detail: str, line: int) -> None:
        super().__init__(detail)
        self.line = line


class InvalidRow(BadUpload):
    pass


class InvalidEncoding(BadUpload):
    pass


class InvalidZip(BadUpload):
    pass


class UnsafeZip(BadUpload):
    pass


class UploadTooLarge(BadUpload):
    status_code = 413


class ZipTooLarge(BadUpload):
    status_code = 413


class TooManyFiles(BadUpload):
    status_code = 413


class TooManyRows(BadUpload):
    """A CSV file, or the whole upload, has more rows than the limits allow."""

    status_code = 413


class UploadTimeout(BadUpload):
    """The upload's body did not arrive within `UPLOAD_TIMEOUT_SECONDS`."""

    status_code = 408


class HeadersTooLarge(AppError):
    status_code = 431


class MalformedUpload(BadUpload):
    """The multipart body itself could not be read."""
