"""Who a request's path id makes its client: the library's *owner* (the session id, the key to
everything: read, fix matches, cancel, export, share, delete) or a *viewer* (the share id of
the library's read-only share link: its dashboard and the read-only API behind it, never the
owner's id, the review page, the downloads or any write).

A viewer must never learn the owner's id: answers show a viewer the id it came with
(`shown_id`). Routes declare what they allow through `sessions.deps` (`OwnerSessionDep`,
`ViewerAccessDep`, ...); an owner-only route answers a share id exactly as it answers an
unknown id (404 `SessionNotFound`, the same body)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

from letterboxd_stats.models import UploadSession


class Role(enum.StrEnum):
    owner = "owner"
    viewer = "viewer"


@dataclass(frozen=True, slots=True)
class SessionAccess:
    """The session a path id names, and as whom."""

    session: UploadSession
    role: Role
    shown_id: uuid.UUID  # the id the client came with: the owner's, or the share id

    @property
    def is_owner(self) -> bool:
        return self.role is Role.owner

    @classmethod
    def owner(cls, session: UploadSession) -> SessionAccess:
        return cls(session, Role.owner, session.id)

    @classmethod
    def viewer(cls, session: UploadSession, share_id: uuid.UUID) -> SessionAccess:
        return cls(session, Role.viewer, share_id)
