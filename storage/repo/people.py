"""Schools, people, SENCOs and Designated Safeguarding Leads."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, SQLColumnExpression, or_, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.models import Dsl, Person, School, Senco


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


Role = type[Senco] | type[Dsl]
_NAMES: dict[Role, str] = {Senco: "senco", Dsl: "dsl"}  # their audit actions: senco.added, dsl.removed...


def senco_in(school_id: int | SQLColumnExpression[int], role: Role = Senco) -> ColumnElement[bool]:
    """A role row (``Senco`` unless told) that gives its person the role in ``school_id`` (named there,
    or everywhere)."""
    return or_(role.school_id == school_id, role.school_id.is_(None))


def is_senco(session: Session, *, person_id: int, school_id: int, role: Role = Senco) -> bool:
    return (
        session.scalar(select(role.id).where(role.person_id == person_id, senco_in(school_id, role)).limit(1))
        is not None
    )


def is_dsl(session: Session, *, person_id: int, school_id: int) -> bool:
    """A Designated Safeguarding Lead of the school by a row (``TACBOT_DSL`` is the use cases' to add)."""
    return is_senco(session, person_id=person_id, school_id=school_id, role=Dsl)


def _role_row(session: Session, role: Role, *, person_id: int, school_id: int | None) -> Senco | Dsl | None:
    where = role.school_id.is_(None) if school_id is None else role.school_id == school_id
    return cast(
        "Senco | Dsl | None", session.scalars(select(role).where(role.person_id == person_id, where)).first()
    )


def add_senco(
    session: Session,
    *,
    person: Person,
    school_id: int | None,
    added_by: str,
    now: datetime,
    role: Role = Senco,
) -> bool:
    """Name ``person`` a SENCO (or ``role``: a DSL) of one school (or, with None, of every school);
    audited. False when they already were one there."""
    if _role_row(session, role, person_id=person.id, school_id=school_id) is not None:
        return False
    if school_id is not None and is_senco(session, person_id=person.id, school_id=school_id, role=role):
        return False  # already one of every school
    session.add(role(person_id=person.id, school_id=school_id, added_at=now, added_by=added_by))
    audit.record(
        session, action=f"{_NAMES[role]}.added", at=now, school_id=school_id, person=person.id, by=added_by
    )
    session.flush()
    return True


def remove_senco(
    session: Session,
    *,
    person: Person,
    school_id: int | None,
    removed_by: str,
    now: datetime,
    role: Role = Senco,
) -> int:
    """Take the SENCO role (or ``role``) from ``person`` in one school (None: everywhere); audited. How
    many rows went. A SENCO of every school is not a SENCO of one school that can be removed alone."""
    rows = cast("list[Senco | Dsl]", list(session.scalars(select(role).where(role.person_id == person.id))))
    gone = [r for r in rows if school_id is None or r.school_id == school_id]
    for row in gone:
        audit.record(
            session,
            action=f"{_NAMES[role]}.removed",
            at=now,
            school_id=row.school_id,
            person=person.id,
            by=removed_by,
        )
        session.delete(row)
    session.flush()
    return len(gone)


def sencos(
    session: Session, *, school_id: int | None = None, role: Role = Senco
) -> list[tuple[Person, School | None, Senco | Dsl]]:
    """Every SENCO (or ``role``; of ``school_id`` when given, every-school ones included), by platform
    and id."""
    query = (
        select(Person, School, role)
        .join(role, role.person_id == Person.id)
        .outerjoin(School, School.id == role.school_id)
        .order_by(Person.platform, Person.external_id, role.school_id)
    )
    if school_id is not None:
        query = query.where(senco_in(school_id, role))
    return [(p, sch, cast("Senco | Dsl", row)) for p, sch, row in session.execute(query)]


def dsls_of(session: Session, *, school_id: int) -> list[Person]:
    """The people named DSL of the school (or of every school) by a row, by platform and id."""
    return [p for p, _, _ in sencos(session, school_id=school_id, role=Dsl)]


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
