"""Cases, their rooms, memberships and consent records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Case, Consent, Membership, Room


def reference_for(number: int) -> str:
    return f"TAC-{number:04d}"


def create_case(
    session: Session,
    *,
    school_id: int,
    number: int,
    alias: str,
    year_group: str | None,
    route: str,
    key_worker_id: int,
    now: datetime,
) -> Case:
    case = Case(
        school_id=school_id,
        number=number,
        reference=reference_for(number),
        alias=alias,
        year_group=year_group,
        route=route,
        status="open",
        key_worker_id=key_worker_id,
        opened_at=now,
    )
    session.add(case)
    session.flush()
    return case


def get_case_by_reference(session: Session, *, school_id: int, reference: str) -> Case | None:
    return session.scalars(
        select(Case).where(Case.school_id == school_id, Case.reference == reference.upper())
    ).one_or_none()


def get_case_by_room(session: Session, *, platform: str, room_external_id: str) -> Case | None:
    return session.scalars(
        select(Case)
        .join(Room, Room.case_id == Case.id)
        .where(Room.platform == platform, Room.external_id == room_external_id)
    ).one_or_none()


def find_open_case_by_alias(session: Session, *, school_id: int, alias: str, member_id: int) -> Case | None:
    """An open case with this alias among those ``member_id`` is on: other cases stay invisible."""
    return session.scalars(
        select(Case)
        .join(Membership, Membership.case_id == Case.id)
        .where(
            Case.school_id == school_id,
            Case.status == "open",
            func.lower(Case.alias) == alias.lower(),
            Membership.person_id == member_id,
            Membership.active.is_(True),
        )
    ).first()


def open_cases_of_member(session: Session, *, school_id: int, person_id: int) -> Sequence[Case]:
    return session.scalars(
        select(Case)
        .join(Membership, Membership.case_id == Case.id)
        .where(
            Case.school_id == school_id,
            Case.status == "open",
            Membership.person_id == person_id,
            Membership.active.is_(True),
        )
        .order_by(Case.number)
    ).all()


def get_room(session: Session, *, case_id: int) -> Room | None:
    return session.scalars(select(Room).where(Room.case_id == case_id)).one_or_none()


def create_room(session: Session, *, case_id: int, platform: str, name: str, now: datetime) -> Room:
    room = Room(case_id=case_id, platform=platform, name=name, state="pending", created_at=now)
    session.add(room)
    session.flush()
    return room


def get_membership(session: Session, *, case_id: int, person_id: int) -> Membership | None:
    return session.scalars(
        select(Membership).where(Membership.case_id == case_id, Membership.person_id == person_id)
    ).one_or_none()


def active_membership(session: Session, *, case_id: int, person_id: int) -> Membership | None:
    membership = get_membership(session, case_id=case_id, person_id=person_id)
    return membership if membership is not None and membership.active else None


def active_members(session: Session, *, case_id: int) -> Sequence[Membership]:
    return session.scalars(
        select(Membership)
        .where(Membership.case_id == case_id, Membership.active.is_(True))
        .order_by(Membership.added_at, Membership.id)
    ).all()


def add_membership(
    session: Session,
    *,
    case_id: int,
    person_id: int,
    role: str,
    agency: str | None,
    champion: bool,
    added_by_id: int | None,
    now: datetime,
) -> Membership:
    """Add someone to the team, or re-activate them with the new role if they were removed."""
    membership = get_membership(session, case_id=case_id, person_id=person_id)
    if membership is None:
        membership = Membership(case_id=case_id, person_id=person_id, added_at=now)
        session.add(membership)
    membership.role = role
    membership.agency = agency
    membership.champion = champion
    membership.added_by_id = added_by_id
    membership.active = True
    membership.removed_at = None
    membership.removed_reason = None
    membership.added_at = now
    session.flush()
    return membership


def deactivate_membership(session: Session, *, membership: Membership, reason: str, now: datetime) -> None:
    membership.active = False
    membership.removed_at = now
    membership.removed_reason = reason
    membership.champion = False
    session.flush()


def add_consent(
    session: Session,
    *,
    case_id: int,
    kind: str,
    by_name: str,
    relationship: str,
    scope: str,
    recorded_by_id: int,
    now: datetime,
) -> Consent:
    consent = Consent(
        case_id=case_id,
        kind=kind,
        by_name=by_name,
        relationship=relationship,
        scope=scope,
        recorded_by_id=recorded_by_id,
        recorded_at=now,
    )
    session.add(consent)
    session.flush()
    return consent


def consents(session: Session, *, case_id: int) -> Sequence[Consent]:
    return session.scalars(
        select(Consent).where(Consent.case_id == case_id).order_by(Consent.recorded_at, Consent.id)
    ).all()
