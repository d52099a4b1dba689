"""Use case `concern`: open the private form; nothing about it reaches a case room.

Typed in a case room by a member, the concern remembers that case (for the pupil's record only); typed
anywhere, the reply is for the asker alone (``Reply.direct``: a Teams channel gets it by direct message).
"""

from __future__ import annotations

from handlers import access
from handlers.concerns.common import FOR_WHOM, dsl_ids, form_key
from handlers.core import Ask
from handlers.grammar import commands as c
from handlers.replies import Button, Buttons, Note, Reply, para
from storage.repo import cases as case_repo
from storage.repo import concerns as repo
from storage.repo import people

NO_DSL = (
    "No Designated Safeguarding Lead is set up in TAC Bot, so it cannot take a concern.",
    "Tell your DSL in person now, and ask an administrator to name one (`tacbot dsl add`). "
    "If a child is in immediate danger, call 999.",
)


async def start_concern(ask: Ask, cmd: c.ConcernStart) -> Reply:
    actor = ask.command.actor
    with ask.core.db.transaction() as s:
        school = people.find_school(s, platform=actor.platform, external_id=actor.workspace)
        reachable = dsl_ids(s, ask.core, platform=actor.platform, school_id=school.id if school else None)
    if not reachable:  # a refusal for the asker alone, like the form
        return Reply(
            blocks=tuple(para(line) for line in NO_DSL), summary=NO_DSL[0], refused=True, direct=True
        )
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        case_id: int | None = None
        if ask.command.room_id is not None:
            case = case_repo.get_case_by_room(
                s, platform=ask.command.actor.platform, room_external_id=ask.command.room_id
            )
            member = (
                case is not None
                and case.school_id == who.school.id
                and case_repo.active_membership(s, case_id=case.id, person_id=who.person.id)
            )
            case_id = case.id if case is not None and member else None
        concern = repo.start(
            s, school_id=who.school.id, raised_by_id=who.person.id, case_id=case_id, now=ask.now
        )
        key = form_key(concern.id)
    return Reply(
        blocks=(
            para(
                "Write down your safeguarding concern in the private form. It goes only to the Designated "
                "Safeguarding Lead, never to a case room or the team, and you get a receipt."
            ),
            Buttons((Button("Open form", "form.open", key, style="primary"),)),
            Note((f"For {FOR_WHOM}. If a child is in immediate danger, call 999 now.",)),
        ),
        summary="Your private safeguarding form",
        direct=True,
    )
