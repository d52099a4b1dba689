"""What the concern use cases share: who the DSLs are, the form, and how a concern is named."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers.core import Core
from handlers.model import Actor
from storage.models import Dsl
from storage.repo import people

FORM_ID = "concern"
PREFIX = "concern"  # a concern's form id for the forms API: "concern-<row id>"
FOR_WHOM = "the Designated Safeguarding Lead only"


def dsl_ids(s: Session, core: Core, *, platform: str, school_id: int | None) -> list[str]:
    """The user ids, on the school's platform, of its Designated Safeguarding Leads: those of every
    school (`TACBOT_DSL`, and `tacbot dsl add` without ``--school``) and its own (``--school``). Never
    another school's. ``school_id`` None (a school not seen yet): those of every school only."""
    named = [
        person.external_id
        for person, school, _ in people.sencos(s, school_id=school_id, role=Dsl)
        if person.platform == platform and (school is None or school.id == school_id)
    ]
    return list(dict.fromkeys([*(user for where, user in core.dsls if where == platform), *named]))


def is_dsl(s: Session, core: Core, actor: Actor) -> bool:
    """Whether the actor is a DSL of the school they are asking in (the workspace's)."""
    if (actor.platform, actor.user_id) in core.dsls:
        return True
    school = people.find_school(s, platform=actor.platform, external_id=actor.workspace)
    person = people.find_person(s, platform=actor.platform, external_id=actor.user_id)
    return (
        school is not None
        and person is not None
        and people.is_dsl(s, person_id=person.id, school_id=school.id)
    )


def form_key(concern_id: int) -> str:
    return f"{PREFIX}-{concern_id}"


def concern_id(key: str) -> int | None:
    prefix, _, number = key.partition("-")
    return int(number) if prefix == PREFIX and number.isdigit() and len(number) <= 12 else None
