"""Who is behind a portal link: the link's person on the link's case, still standing (``admit``), or
``Refused``; and each page they open, an audited read of case content (``audit_read``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.core import Core
from handlers.model import Actor
from handlers.outside.ids import is_external
from handlers.outside.links import LinkRefused
from handlers.outside.standing import Standing, standing
from storage import audit
from storage.models import School

RawValue = str | list[str]


class Refused(Exception):
    """The link opens nothing (403 tampered, 410 expired or no longer valid, 404 nothing of theirs
    there). The page says so in a sentence that names no case."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def admit(s: Session, core: Core, token: str) -> tuple[Standing, Actor]:
    """The standing of the link's person on the link's case, and them as an actor; else ``Refused``."""
    outside = core.outside
    if outside is None:
        raise Refused(403)
    try:
        claim = outside.links.read(token)
    except LinkRefused as refused:
        raise Refused(refused.status) from None
    stands = standing(s, person_id=claim.person_id, case_id=claim.case_id)
    if stands is None:
        raise Refused(410)
    school = s.get(School, stands.case.school_id)
    person = stands.person
    if school is None or not is_external(person.external_id) or person.platform != school.platform:
        raise Refused(403)
    actor = Actor(
        platform=school.platform,
        workspace=school.external_id,
        user_id=person.external_id,
        display_name=person.display_name,
    )
    return stands, actor


def audit_read(s: Session, stands: Standing, *, now: datetime, what: str, **detail: object) -> None:
    audit.record(
        s,
        action="portal.read",
        at=now,
        school_id=stands.case.school_id,
        case_id=stands.case.id,
        actor_id=stands.person.id,
        what=what,
        **detail,
    )
