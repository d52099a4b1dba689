"""Someone left a case room by hand (or was removed outside TAC Bot): the roster follows the room."""

from __future__ import annotations

import contextlib

from handlers.core import Core
from handlers.forms.requests import cancel_requests
from handlers.platform import PlatformError
from handlers.render import mention
from handlers.replies import Reply, Strong
from storage import audit
from storage.repo import cases as case_repo
from storage.repo import people


async def member_left_room(core: Core, *, platform: str, workspace: str, room_id: str, user_id: str) -> bool:
    """Deactivate their membership (audited) and tell the key worker; False when nothing changed."""
    now = core.clock.now()
    with core.db.transaction() as s:
        case = case_repo.get_case_by_room(s, platform=platform, room_external_id=room_id)
        person = people.find_person(s, platform=platform, external_id=user_id)
        if case is None or case.status != "open" or person is None:
            return False
        membership = case_repo.active_membership(s, case_id=case.id, person_id=person.id)
        if membership is None:
            return False  # already off the team (e.g. `remove`, whose kick Slack reports too)
        key_worker = people.people_by_id(s, ids={case.key_worker_id})[case.key_worker_id]
        is_key_worker = person.id == case.key_worker_id
        if not is_key_worker:
            case_repo.deactivate_membership(s, membership=membership, reason="left the room", now=now)
            cancel_requests(s, case=case, person_id=person.id, actor_id=None, now=now, reason="left the room")
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
        message = Reply.text(
            mention(person),
            " left the room of ",
            Strong(case.reference),
            ", so they are no longer on its team. Invite them again to bring them back.",
            private=False,
        )
    with contextlib.suppress(PlatformError):
        await core.platform(platform).direct_message(
            workspace=workspace, user_id=key_worker.external_id, reply=message
        )
    return True
