"""Referrals of a case: numbered per case, moved through their states."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Referral

OPEN_STATES = ("recorded", "sent", "accepted", "waiting", "seen")


def add(
    session: Session,
    *,
    case_id: int,
    service_key: str,
    service_name: str,
    reason: str | None,
    consent_id: int,
    made_by_id: int,
    now: datetime,
) -> Referral:
    number = int(session.scalar(select(func.max(Referral.number)).where(Referral.case_id == case_id)) or 0)
    referral = Referral(
        case_id=case_id,
        number=number + 1,
        service_key=service_key,
        service_name=service_name,
        reason=reason,
        consent_id=consent_id,
        made_by_id=made_by_id,
        made_at=now,
        state="recorded",
        state_at=now,
    )
    session.add(referral)
    session.flush()
    return referral


def of_case(session: Session, *, case_id: int) -> Sequence[Referral]:
    return session.scalars(
        select(Referral).where(Referral.case_id == case_id).order_by(Referral.number)
    ).all()


def by_number(session: Session, *, case_id: int, number: int) -> Referral | None:
    return session.scalars(
        select(Referral).where(Referral.case_id == case_id, Referral.number == number)
    ).one_or_none()


def by_ids(session: Session, ids: Iterable[int]) -> Sequence[Referral]:
    wanted = set(ids)
    if not wanted:
        return []
    return session.scalars(select(Referral).where(Referral.id.in_(wanted))).all()


def waiting_longest(session: Session, *, case_ids: Iterable[int], limit: int) -> Sequence[Referral]:
    """Referrals still with a service (sent or waiting), the longest in that state first."""
    wanted = set(case_ids)
    if not wanted:
        return []
    return session.scalars(
        select(Referral)
        .where(Referral.case_id.in_(wanted), Referral.state.in_(("sent", "waiting")))
        .order_by(Referral.state_at, Referral.id)
        .limit(limit)
    ).all()
