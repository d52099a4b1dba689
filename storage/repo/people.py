"""Schools, people and SENCOs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Person, School, Senco


def get_or_create_school(session: Session, *, platform: str, external_id: str, now: datetime) -> School:
    school = session.scalars(
        select(School).where(School.platform == platform, School.external_id == external_id)
    ).one_or_none()
    if school is None:
        school = School(platform=platform, external_id=external_id, name="", case_seq=0, created_at=now)
        session.add(school)
        session.flush()
    return school


def next_case_number(session: Session, *, school_id: int) -> int:
    """Take the school's next case number atomically (a row-level increment, safe on both databases)."""
    return int(
        session.execute(
            update(School)
            .where(School.id == school_id)
            .values(case_seq=School.case_seq + 1)
            .returning(School.case_seq)
        ).scalar_one()
    )


def find_person(session: Session, *, platform: str, external_id: str) -> Person | None:
    return session.scalars(
        select(Person).where(Person.platform == platform, Person.external_id == external_id)
    ).one_or_none()


def get_or_create_person(
    session: Session, *, platform: str, external_id: str, display_name: str, now: datetime
) -> Person:
    person = find_person(session, platform=platform, external_id=external_id)
    if person is None:
        person = Person(platform=platform, external_id=external_id, display_name=display_name, created_at=now)
        session.add(person)
        session.flush()
    elif display_name and person.display_name != display_name:
        person.display_name = display_name
    return person


def is_senco(session: Session, *, person_id: int) -> bool:
    return session.scalar(select(Senco.id).where(Senco.person_id == person_id)) is not None


def add_senco(session: Session, *, person: Person, added_by: str, now: datetime) -> bool:
    """Name ``person`` a SENCO; returns False when they already were one."""
    if is_senco(session, person_id=person.id):
        return False
    session.add(Senco(person_id=person.id, added_at=now, added_by=added_by))
    session.flush()
    return True


def people_by_id(session: Session, *, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
