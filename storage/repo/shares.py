"""Which versions of a case's inputs the key worker shared with the room."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import InputShare


def share(
    s: Session, *, case_id: int, request_id: int, version: int, by_id: int, reason: str | None, now: datetime
) -> InputShare | None:
    """Record the share; None if that version was shared already."""
    if get(s, request_id=request_id, version=version) is not None:
        return None
    row = InputShare(
        case_id=case_id,
        request_id=request_id,
        version=version,
        shared_by_id=by_id,
        reason=reason,
        shared_at=now,
    )
    s.add(row)
    s.flush()
    return row


def get(s: Session, *, request_id: int, version: int) -> InputShare | None:
    return s.scalars(
        select(InputShare).where(InputShare.request_id == request_id, InputShare.version == version)
    ).one_or_none()


def latest_shared_versions(s: Session, *, case_id: int) -> dict[int, int]:
    """Request id -> the newest version shared, for every input of the case shared at least once."""
    found: dict[int, int] = {}
    for request_id, version in s.execute(
        select(InputShare.request_id, InputShare.version).where(InputShare.case_id == case_id)
    ):
        found[request_id] = max(version, found.get(request_id, 0))
    return found
