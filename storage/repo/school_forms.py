"""Each school's own input forms, as YAML text (checked by ``handlers.forms.library`` before it is stored)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.models import SchoolForm


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def versions(session: Session, *, school_id: int) -> list[tuple[str, str, bool]]:
    """(form id, digest, removed) of each of the school's forms: cheap, to tell whether a cache is current."""
    rows = session.execute(
        select(SchoolForm.form_id, SchoolForm.digest, SchoolForm.removed_at)
        .where(SchoolForm.school_id == school_id)
        .order_by(SchoolForm.form_id)
    )
    return [(form_id, sha, removed is not None) for form_id, sha, removed in rows]


def texts(session: Session, *, school_id: int, form_ids: set[str]) -> dict[str, str]:
    if not form_ids:
        return {}
    rows = session.execute(
        select(SchoolForm.form_id, SchoolForm.text).where(
            SchoolForm.school_id == school_id, SchoolForm.form_id.in_(form_ids)
        )
    )
    return {form_id: text for form_id, text in rows}


def listed(session: Session, *, school_id: int | None = None) -> Sequence[SchoolForm]:
    """The schools' forms (of ``school_id`` when given), removed ones too, by school and id."""
    query = select(SchoolForm).order_by(SchoolForm.school_id, SchoolForm.form_id)
    if school_id is not None:
        query = query.where(SchoolForm.school_id == school_id)
    return session.scalars(query).all()


def store(session: Session, *, school_id: int, form_id: str, text: str, by: str, now: datetime) -> bool:
    """Keep ``text`` as the school's form ``form_id`` (audited ``form.loaded``); True when it is new or
    changed, False when exactly that text was already there (and not removed)."""
    row = session.scalars(
        select(SchoolForm).where(SchoolForm.school_id == school_id, SchoolForm.form_id == form_id)
    ).one_or_none()
    sha = digest(text)
    if row is not None and row.digest == sha and row.removed_at is None:
        return False
    if row is None:
        row = SchoolForm(school_id=school_id, form_id=form_id, text=text, digest=sha, loaded_at=now)
        session.add(row)
    row.text, row.digest, row.loaded_at, row.loaded_by, row.removed_at = text, sha, now, by[:200], None
    audit.record(session, action="form.loaded", at=now, school_id=school_id, form_id=form_id, by=by)
    session.flush()
    return True


def remove(session: Session, *, school_id: int, form_id: str, by: str, now: datetime) -> bool:
    """No longer offer the school's form (requests already made of it still open); audited
    ``form.removed``. False when the school has no such form offered."""
    row = session.scalars(
        select(SchoolForm).where(
            SchoolForm.school_id == school_id,
            SchoolForm.form_id == form_id,
            SchoolForm.removed_at.is_(None),
        )
    ).one_or_none()
    if row is None:
        return False
    row.removed_at = now
    audit.record(session, action="form.removed", at=now, school_id=school_id, form_id=form_id, by=by)
    session.flush()
    return True
