"""Who, in a case room, is an external member asked in through the platform: a Teams guest (``invite_guest``
through Graph) or a Slack Connect member (``conversations.inviteShared``, then their acceptance).

One ``conversation_refs`` row of kind ``guest`` per (room, external member): its key is
``"<room id> <ext. id>"`` (no room id has a space, and ``handlers.governance.sar`` exports and erases the
rows with the room's), its ``directory_id`` the platform's id of the guest once known (a Teams guest's
Entra object id at once; a Slack Connect member's user id when they accept and join, matched by e-mail).

The room guard leaves a linked guest whose person is on the team alone; ``remove`` and withdrawn consent
take them out again through the platform's ``remove_guest`` (``handlers.outside.routing``), and a guest
leaving the room by hand takes the person off the team (``handlers.membership.member_left_room``).
E-mail addresses are compared here and never logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from handlers.platform import PlatformError
from storage import audit
from storage.engine import Database
from storage.models import Case, ConversationRef, ExternalContact, Person
from storage.repo import cases as case_repo
from storage.repo import conversations, people

if TYPE_CHECKING:
    from handlers.core import Core

KIND = "guest"


def guest_key(room_id: str, person: str) -> str:
    """``<room id> <ext. id>``: the row of one external member in one room."""
    return f"{room_id} {person}"


def _in_room(platform: str, room_id: str) -> list[ColumnElement[bool]]:
    return [
        ConversationRef.platform == platform,
        ConversationRef.kind == KIND,
        ConversationRef.key.startswith(room_id + " ", autoescape=True),
    ]


def remember(
    s: Session,
    *,
    platform: str,
    workspace: str,
    room_id: str,
    person: str,
    user_id: str | None,
    now: datetime,
) -> None:
    """Asked in (``user_id`` None: not yet joined), or linked to the platform's user once known."""
    conversations.save_ref(
        s,
        platform=platform,
        workspace=workspace,
        kind=KIND,
        key=guest_key(room_id, person),
        directory_id=user_id,
        now=now,
    )


def user_of(s: Session, *, platform: str, room_id: str, person: str) -> str | None:
    """The platform's id of the external member ``person`` in this room, once linked."""
    row = conversations.get_ref(s, platform=platform, kind=KIND, key=guest_key(room_id, person))
    return row.directory_id if row is not None else None


def _linked(s: Session, *, platform: str, room_id: str, user_id: str) -> ConversationRef | None:
    return s.scalars(
        select(ConversationRef).where(
            *_in_room(platform, room_id),
            or_(ConversationRef.directory_id == user_id, ConversationRef.directory_id == user_id.lower()),
        )
    ).first()


def person_of(s: Session, *, platform: str, room_id: str, user_id: str) -> str | None:
    """The ``ext.`` id of the external member the platform user ``user_id`` is linked to in this room."""
    row = _linked(s, platform=platform, room_id=room_id, user_id=user_id)
    person = row.key[len(room_id) + 1 :] if row is not None else ""
    return person if person.startswith("ext.") else None


def is_guest(s: Session, *, platform: str, room_id: str, user_id: str) -> bool:
    """Someone TAC Bot asked into this room (rows from before the link to a person count too)."""
    return _linked(s, platform=platform, room_id=room_id, user_id=user_id) is not None


def forget(s: Session, *, platform: str, room_id: str, person: str) -> None:
    s.execute(
        delete(ConversationRef).where(
            ConversationRef.platform == platform,
            ConversationRef.kind == KIND,
            ConversationRef.key == guest_key(room_id, person),
        )
    )


def _waiting(s: Session, *, case: Case, platform: str, room_id: str) -> dict[str, Person]:
    """E-mail address (lower case) -> external member asked into this room, not yet joined, on the team."""
    rows = s.scalars(
        select(ConversationRef).where(
            *_in_room(platform, room_id),
            ConversationRef.directory_id.is_(None),
        )
    ).all()
    waiting: dict[str, Person] = {}
    for row in rows:
        person = people.find_person(s, platform=platform, external_id=row.key[len(room_id) + 1 :])
        if person is None or case_repo.active_membership(s, case_id=case.id, person_id=person.id) is None:
            continue
        contact = s.scalars(
            select(ExternalContact).where(
                ExternalContact.person_id == person.id, ExternalContact.school_id == case.school_id
            )
        ).one_or_none()
        if contact is not None:
            waiting[contact.email.lower()] = person
    return waiting


def any_waiting(db: Database, *, platform: str, room_id: str) -> bool:
    """Is anyone asked into this open case room and not yet joined? (Only then is a joiner looked up.)"""
    with db.transaction() as s:
        case = case_repo.get_case_by_room(s, platform=platform, room_external_id=room_id)
        if case is None or case.status != "open":
            return False
        return bool(_waiting(s, case=case, platform=platform, room_id=room_id))


def link_joined(
    db: Database, *, platform: str, workspace: str, room_id: str, user_id: str, email: str, now: datetime
) -> bool:
    """Someone from outside the workspace joined the case room: when their address is that of an external
    member asked in and still on the team, they are that member here (linked, audited) and stay. False
    otherwise (the room guard then acts as for anyone else)."""
    with db.transaction() as s:
        case = case_repo.get_case_by_room(s, platform=platform, room_external_id=room_id)
        if case is None or case.status != "open" or not email:
            return False
        person = _waiting(s, case=case, platform=platform, room_id=room_id).get(email.strip().lower())
        if person is None:
            return False
        remember(
            s,
            platform=platform,
            workspace=workspace,
            room_id=room_id,
            person=person.external_id,
            user_id=user_id,
            now=now,
        )
        audit.record(
            s,
            action="guest.joined",
            at=now,
            school_id=case.school_id,
            case_id=case.id,
            person_id=person.id,
            user=user_id,
        )
        return True


def _linked_on_team(s: Session, *, platform: str, room_id: str, user_id: str) -> bool:
    person_id = person_of(s, platform=platform, room_id=room_id, user_id=user_id)
    case = case_repo.get_case_by_room(s, platform=platform, room_external_id=room_id)
    person = person_id and people.find_person(s, platform=platform, external_id=person_id)
    return bool(
        case is not None
        and person
        and case_repo.active_membership(s, case_id=case.id, person_id=person.id) is not None
    )


async def welcome(core: Core, *, platform: str, workspace: str, room_id: str, user_id: str) -> bool:
    """Someone joined a case room: True when they are an external member's guest account there (already
    linked, or linked now: someone from outside the workspace whose address, as the platform's optional
    ``outside_email`` gives it, is that of an external member asked in and not yet joined)."""
    with core.db.transaction() as s:
        if _linked_on_team(s, platform=platform, room_id=room_id, user_id=user_id):
            return True
    email_of = getattr(core.platform(platform), "outside_email", None)
    if email_of is None or not any_waiting(core.db, platform=platform, room_id=room_id):
        return False
    try:
        email = await email_of(workspace=workspace, user_id=user_id)
    except PlatformError:
        return False
    if not email:
        return False  # one of the workspace's own people, or an address the platform does not show
    return link_joined(
        core.db,
        platform=platform,
        workspace=workspace,
        room_id=room_id,
        user_id=user_id,
        email=email,
        now=core.clock.now(),
    )
