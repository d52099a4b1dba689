"""The room is the team: nobody stays in a case room who is not on its team.

Someone a member adds to a case room by hand (Slack ``member_joined_channel``, a Teams channel member
added) is taken out again, and the key worker told; where the platform refuses, the key worker is asked
to do it. Every refusal to take someone out (this one, or `remove` and withdrawn consent taking someone
off the team) is kept as a ``RoomMismatch``, retried by ``reconcile_rooms`` on every clock pass until the
room matches the team, and shown by `status` meanwhile. All of it is audited.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.core import Core
from handlers.outside import guests
from handlers.platform import PlatformError
from handlers.replies import Mention, Reply, Strong
from storage import audit
from storage.models import Case, RoomMismatch
from storage.repo import cases as case_repo
from storage.repo import people

JOINED = "joined by hand"
TAKEN_OFF = "removed from the team"
RECONCILE_BATCH = 50


def open_mismatches(s: Session, *, case_id: int) -> list[RoomMismatch]:
    return list(
        s.scalars(
            select(RoomMismatch)
            .where(RoomMismatch.case_id == case_id, RoomMismatch.resolved_at.is_(None))
            .order_by(RoomMismatch.id)
        )
    )


def record_refusal(
    s: Session,
    *,
    case: Case,
    platform: str,
    workspace: str,
    room_id: str,
    user_id: str,
    why: str,
    error: str,
    now: datetime,
) -> RoomMismatch:
    """The platform would not take ``user_id`` out of the room: kept (once) for the reconciling job."""
    for open_one in open_mismatches(s, case_id=case.id):
        if open_one.user_id == user_id:
            return open_one
    mismatch = RoomMismatch(
        case_id=case.id,
        platform=platform,
        workspace=workspace,
        room_id=room_id,
        user_id=user_id,
        why=why,
        last_error=error[:300],
        attempts=1,
        found_at=now,
        resolved_at=None,
    )
    s.add(mismatch)
    audit.record(
        s,
        action="room.removal_refused",
        at=now,
        school_id=case.school_id,
        case_id=case.id,
        user=user_id,
        why=why,
        error=error[:300],
    )
    s.flush()
    return mismatch


def _on_team(s: Session, *, case: Case, platform: str, user_id: str) -> bool:
    person = people.find_person(s, platform=platform, external_id=user_id)
    return (
        person is not None
        and case_repo.active_membership(s, case_id=case.id, person_id=person.id) is not None
    )


async def member_joined_room(
    core: Core, *, platform: str, workspace: str, room_id: str, user_id: str
) -> bool:
    """Someone joined a case room: if they are not on its team, take them out (or ask the key worker).
    False when nothing was wrong (not a case room, closed, a member, or an external member's guest account:
    ``handlers.outside.guests.welcome``)."""
    if await guests.welcome(core, platform=platform, workspace=workspace, room_id=room_id, user_id=user_id):
        return False
    now = core.clock.now()
    with core.db.transaction() as s:
        case = case_repo.get_case_by_room(s, platform=platform, room_external_id=room_id)
        if (
            case is None
            or case.status != "open"
            or _on_team(s, case=case, platform=platform, user_id=user_id)
        ):
            return False
        audit.record(
            s, action="room.outsider_joined", at=now, school_id=case.school_id, case_id=case.id, user=user_id
        )
        reference, key_worker = (
            case.reference,
            people.people_by_id(s, ids={case.key_worker_id})[case.key_worker_id],
        )
        case_id = case.id
    try:
        await core.platform(platform).remove_member(workspace=workspace, room_id=room_id, user_id=user_id)
    except PlatformError as exc:
        with core.db.transaction() as s:
            case = s.get(Case, case_id)
            assert case is not None
            record_refusal(
                s,
                case=case,
                platform=platform,
                workspace=workspace,
                room_id=room_id,
                user_id=user_id,
                why=JOINED,
                error=exc.message,
                now=now,
            )
        told = Reply.text(
            Mention(user_id=user_id),
            " was added to the room of ",
            Strong(reference),
            " by hand but is not on its team, and the platform would not let me take them out (",
            exc.message,
            "). Please remove them from the room; I will keep trying meanwhile.",
            private=False,
        )
    else:
        with core.db.transaction() as s:
            audit.record(s, action="room.outsider_removed", at=now, case_id=case_id, user=user_id)
        told = Reply.text(
            Mention(user_id=user_id),
            " was added to the room of ",
            Strong(reference),
            " by hand but is not on "
            "its team, so I took them out again. Invite them with `invite` to bring them in.",
            private=False,
        )
    with contextlib.suppress(PlatformError):
        await core.platform(platform).direct_message(
            workspace=workspace, user_id=key_worker.external_id, reply=told
        )
    return True


async def reconcile_rooms(core: Core) -> int:
    """Retry every open mismatch: settled once the person is out of the room or back on the team.
    Returns how many were settled."""
    now = core.clock.now()
    with core.db.transaction() as s:
        pending = [
            (m.id, m.case_id, m.platform, m.workspace, m.room_id, m.user_id)
            for m in s.scalars(
                select(RoomMismatch)
                .where(RoomMismatch.resolved_at.is_(None))
                .order_by(RoomMismatch.id)
                .limit(RECONCILE_BATCH)
            )
        ]
    settled = 0
    for mismatch_id, case_id, platform, workspace, room_id, user_id in pending:
        with core.db.transaction() as s:
            case = s.get(Case, case_id)
            member = case is not None and _on_team(s, case=case, platform=platform, user_id=user_id)
        error = ""
        if not member and case is not None and case.status == "open":
            try:
                await core.platform(platform).remove_member(
                    workspace=workspace, room_id=room_id, user_id=user_id
                )
            except PlatformError as exc:
                error = exc.message
        with core.db.transaction() as s:
            mismatch = s.get(RoomMismatch, mismatch_id)
            assert mismatch is not None
            if error:
                mismatch.attempts += 1
                mismatch.last_error = error[:300]
                continue
            mismatch.resolved_at = now
            audit.record(
                s,
                action="room.reconciled",
                at=now,
                case_id=case_id,
                user=user_id,
                how="back on the team" if member else "taken out of the room",
            )
            settled += 1
    return settled
