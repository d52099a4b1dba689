"""Coming off a case's team: by `remove`, by consent withdrawn (``take_off_team``), or by leaving the case
room by hand, or being removed outside TAC Bot (``member_left_room``: the roster follows the room).

Whichever way, the membership ends and the person's open input requests are cancelled with their chasers.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from sqlalchemy.orm import Session

from handlers import room_guard
from handlers.core import Ask, Core
from handlers.forms.requests import cancel_requests
from handlers.leavers import leaver_blocks, leaver_work
from handlers.outside import guests
from handlers.platform import PlatformError
from handlers.render import mention
from handlers.replies import Reply, Strong, para, reply
from storage import audit
from storage.models import Case, Membership
from storage.repo import cases as case_repo
from storage.repo import people


def end_membership(
    s: Session, *, case: Case, membership: Membership, actor_id: int | None, now: datetime, reason: str
) -> None:
    """Off the team: the membership ends and their open requests (and so their chasers) are cancelled."""
    case_repo.deactivate_membership(s, membership=membership, reason=reason, now=now)
    cancel_requests(s, case=case, person_id=membership.person_id, actor_id=actor_id, now=now, reason=reason)


def take_off_team(
    s: Session, *, case: Case, membership: Membership, actor_id: int, now: datetime, reason: str
) -> None:
    """The key worker (or the consent gate) takes someone off the team: ended, audited as removed."""
    end_membership(s, case=case, membership=membership, actor_id=actor_id, now=now, reason=reason)
    audit.record(
        s,
        action="member.removed",
        at=now,
        school_id=case.school_id,
        case_id=case.id,
        actor_id=actor_id,
        person_id=membership.person_id,
        reason=reason,
    )


async def remove_from_room(ask: Ask, *, room_id: str, user_ids: list[str]) -> list[str]:
    """Take them out of the case room; returns the platform's refusals (the team change stands, and each
    refusal is retried by ``room_guard.reconcile_rooms`` until the room matches the team)."""
    problems = []
    for user_id in user_ids:
        try:
            await ask.platform.remove_member(workspace=ask.workspace, room_id=room_id, user_id=user_id)
        except PlatformError as exc:
            problems.append(exc.message)
            platform = ask.command.actor.platform
            with ask.core.db.transaction() as s:
                case = case_repo.get_case_by_room(s, platform=platform, room_external_id=room_id)
                if case is not None:
                    room_guard.record_refusal(
                        s,
                        case=case,
                        platform=platform,
                        workspace=ask.workspace,
                        room_id=room_id,
                        user_id=user_id,
                        why=room_guard.TAKEN_OFF,
                        error=exc.message,
                        now=ask.now,
                    )
    return problems


async def member_left_room(core: Core, *, platform: str, workspace: str, room_id: str, user_id: str) -> bool:
    """Deactivate their membership (audited) and tell the key worker; False when nothing changed."""
    now = core.clock.now()
    with core.db.transaction() as s:
        case = case_repo.get_case_by_room(s, platform=platform, room_external_id=room_id)
        person = people.find_person(s, platform=platform, external_id=user_id)
        if person is None:  # an external member's guest account (a Teams guest, a Slack Connect member)
            outsider = guests.person_of(s, platform=platform, room_id=room_id, user_id=user_id)
            if outsider is not None:
                person = people.find_person(s, platform=platform, external_id=outsider)
            if person is not None:
                guests.forget(s, platform=platform, room_id=room_id, person=person.external_id)
        if case is None or case.status != "open" or person is None:
            return False
        membership = case_repo.active_membership(s, case_id=case.id, person_id=person.id)
        if membership is None:
            return False  # already off the team (e.g. `remove`, whose kick Slack reports too)
        key_worker = people.people_by_id(s, ids={case.key_worker_id})[case.key_worker_id]
        is_key_worker = person.id == case.key_worker_id
        left_open = None if is_key_worker else leaver_work(s, case=case, person=person, now=now)
        forms = core.forms_of(s, case.school_id)
        if not is_key_worker:
            end_membership(
                s, case=case, membership=membership, actor_id=None, now=now, reason="left the room"
            )
        audit.record(
            s,
            action="member.left_room",
            at=now,
            school_id=case.school_id,
            case_id=case.id,
            person_id=person.id,
            still_on_team=is_key_worker,
        )
    if is_key_worker:
        message = Reply.text(
            "You left the room of ", Strong(case.reference), "; you are still its key worker.", private=False
        )
    else:
        left = para(
            mention(person),
            " left the room of ",
            Strong(case.reference),
            ", so they are no longer on its team. Invite them again to bring them back.",
        )
        more = leaver_blocks(left_open, tz=core.tz, forms=forms) if left_open is not None else []
        message = reply(left, *more, summary=f"Someone left the room of {case.reference}", private=False)
    with contextlib.suppress(PlatformError):
        await core.platform(platform).direct_message(
            workspace=workspace, user_id=key_worker.external_id, reply=message
        )
    return True
