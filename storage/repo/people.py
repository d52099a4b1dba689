"""Schools, people and SENCOs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, SQLColumnExpression, or_, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.models import Person, School, Senco


def find_school(session: Session, *, platform: str, external_id: str) -> School | None:
    """The school of a workspace (Slack team, Teams tenant), if it has asked anything yet."""
    return session.scalars(
        select(School).where(School.platform == platform, School.external_id == external_id)
    ).one_or_none()


def get_or_create_school(session: Session, *, platform: str, external_id: str, now: datetime) -> School:
    school = find_school(session, platform=platform, external_id=external_id)
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


def senco_in(school_id: int | SQLColumnExpression[int]) -> ColumnElement[bool]:
    """A ``Senco`` row that makes its person a SENCO of ``school_id`` (named there, or everywhere)."""
    return or_(Senco.school_id == school_id, Senco.school_id.is_(None))


def is_senco(session: Session, *, person_id: int, school_id: int) -> bool:
    return (
        session.scalar(select(Senco.id).where(Senco.person_id == person_id, senco_in(school_id)).limit(1))
        is not None
    )


def _senco_row(session: Session, *, person_id: int, school_id: int | None) -> Senco | None:
    where = Senco.school_id.is_(None) if school_id is None else Senco.school_id == school_id
    return session.scalars(select(Senco).where(Senco.person_id == person_id, where)).first()


def add_senco(
    session: Session, *, person: Person, school_id: int | None, added_by: str, now: datetime
) -> bool:
    """Name ``person`` a SENCO of one school (or, with None, of every school); audited. False when
    they already were one there."""
    if _senco_row(session, person_id=person.id, school_id=school_id) is not None:
        return False
    if school_id is not None and is_senco(session, person_id=person.id, school_id=school_id):
        return False  # already a SENCO of every school
    session.add(Senco(person_id=person.id, school_id=school_id, added_at=now, added_by=added_by))
    audit.record(session, action="senco.added", at=now, school_id=school_id, person=person.id, by=added_by)
    session.flush()
    return True


def remove_senco(
    session: Session, *, person: Person, school_id: int | None, removed_by: str, now: datetime
) -> int:
    """Take the SENCO role from ``person`` in one school (None: everywhere); audited. How many
    rows went. A SENCO of every school is not a SENCO of one school that can be removed alone."""
    rows = session.scalars(select(Senco).where(Senco.person_id == person.id)).all()
    gone = [r for r in rows if school_id is None or r.school_id == school_id]
    for row in gone:
        audit.record(
            session,
            action="senco.removed",
            at=now,
            school_id=row.school_id,
            person=person.id,
            by=removed_by,
        )
        session.delete(row)
    session.flush()
    return len(gone)


def sencos(session: Session, *, school_id: int | None = None) -> list[tuple[Person, School | None, Senco]]:
    """Every SENCO (of ``school_id`` when given, every-school ones included), by platform and id."""
    query = (
        select(Person, School, Senco)
        .join(Senco, Senco.person_id == Person.id)
        .outerjoin(School, School.id == Senco.school_id)
        .order_by(Person.platform, Person.external_id, Senco.school_id)
    )
    if school_id is not None:
        query = query.where(senco_in(school_id))
    return [(p, sch, sen) for p, sch, sen in session.execute(query)]


def people_by_id(session: Session, *, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}


def school_installed(
    session: Session, *, platform: str, external_id: str, name: str, installer: str, now: datetime
) -> bool:
    """A workspace installed the app (audited ``school.installed``): its school exists from now, and the
    person who installed it becomes its first SENCO when it has none of its own yet (SENCOs of every
    school do not count: a trust's SENCO is not the school's). True when the installer became SENCO."""
    school = get_or_create_school(session, platform=platform, external_id=external_id, now=now)
    if name and not school.name:
        school.name = name[:200]
    person = get_or_create_person(session, platform=platform, external_id=installer, display_name="", now=now)
    audit.record(session, action="school.installed", at=now, school_id=school.id, person=person.id)
    has_own = session.scalar(select(Senco.id).where(Senco.school_id == school.id).limit(1)) is not None
    if has_own:
        return False
    return add_senco(session, person=person, school_id=school.id, added_by="installed the Slack app", now=now)
