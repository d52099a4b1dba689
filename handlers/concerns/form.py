"""The concern's private form through the forms API (``api.SOURCES["concern"]``): open, draft, submit.

Only the person who started it may open or submit it, and only until it is raised. A submission is
stored on the concern (never on the case), audited without its content, and - once the edge has
acknowledged - sent by direct message to every DSL with an *Acknowledge* button. The raiser gets a
receipt and nothing more; if no DSL could be reached by chat they are told to go in person.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from sqlalchemy.orm import Session

from handlers.concerns.common import FOR_WHOM, FORM_ID, PREFIX, concern_id, dsl_ids
from handlers.concerns.message import dsl_message
from handlers.concerns.resend import plan_resend
from handlers.core import Core
from handlers.errors import NotAllowed
from handlers.forms import api
from handlers.forms.answers import check_answers
from handlers.model import Actor
from handlers.platform import PlatformError
from handlers.replies import Reply, Strong, para, reply
from scheduler.calendar import load_calendar
from storage import audit
from storage.models import Concern, Person
from storage.repo import concerns as repo
from storage.repo import people


def _refusal() -> NotAllowed:
    return NotAllowed("Sorry, this form is not yours, so I can't open it.")


def _own_draft(s: Session, actor: Actor, key: str) -> tuple[Concern, Person]:
    """The concern behind ``key`` if ``actor`` started it and it is not raised yet; else a refusal."""
    number = concern_id(key)
    concern = repo.get(s, concern_id=number) if number is not None else None
    person = people.find_person(s, platform=actor.platform, external_id=actor.user_id)
    school = people.find_school(s, platform=actor.platform, external_id=actor.workspace)
    if (
        concern is None
        or person is None
        or school is None
        or concern.school_id != school.id  # pressed in another school's workspace
        or concern.raised_by_id != person.id
    ):
        raise _refusal()
    if concern.state != "draft":
        raise NotAllowed(
            f"Concern {concern.number} is already with the Designated Safeguarding Lead.",
            hint="To add something, type `concern` again and refer to it.",
        )
    return concern, person


def open_concern(core: Core, actor: Actor, key: str) -> api.FormView:
    form = core.forms[FORM_ID]
    with core.db.transaction() as s:
        concern, _ = _own_draft(s, actor, key)
        answers = check_answers(form, dict(concern.answers), draft=True).answers
        return api.FormView(
            request_id=key,
            form=form,
            case_title=FOR_WHOM,
            due=core.clock.now().astimezone(core.tz).date(),
            state="open",
            answers=answers,
            version=0,
            from_draft=bool(concern.answers),
        )


def save_concern_draft(core: Core, actor: Actor, key: str, raw: Mapping[str, object]) -> Reply:
    form = core.forms[FORM_ID]
    with core.db.transaction() as s:
        concern, _ = _own_draft(s, actor, key)
        concern.answers = dict(check_answers(form, raw, draft=True).answers)
    return Reply.text("Draft kept, for you only. Open the form again to finish it.", direct=True)


async def submit_concern(core: Core, actor: Actor, key: str, raw: Mapping[str, object]) -> api.SubmitResult:
    form = core.forms[FORM_ID]
    now = core.clock.now()
    with core.db.transaction() as s:
        concern, person = _own_draft(s, actor, key)
        checked = check_answers(form, raw)
        if not checked.ok:
            return api.SubmitResult(errors=checked.errors)
        concern.answers = dict(checked.answers)
        concern.state, concern.raised_at = "raised", now
        audit.record(
            s,
            action="concern.raised",
            at=now,
            school_id=concern.school_id,
            actor_id=person.id,
            concern=concern.number,
            why="to the Designated Safeguarding Leads",
        )
        message = dsl_message(s, concern, now=now, core=core)
        to = dsl_ids(s, core, platform=actor.platform, school_id=concern.school_id)
        cal = load_calendar(s, school_id=concern.school_id, tz=core.tz, hours=core.hours)
        plan_resend(s, cal=cal, concern=concern, recipient_id=person.id, now=now)
        concern_db_id, number = concern.id, concern.number
    platform, workspace = actor.platform, actor.workspace

    async def follow_up(core: Core) -> None:
        await deliver(
            core, platform=platform, workspace=workspace, to=to, concern_id=concern_db_id, message=message
        )

    receipt = Reply.text(
        "Thank you. Your concern ",
        Strong(f"(number {number})"),
        f" is with the Designated Safeguarding Lead, raised {now.astimezone(core.tz):%a %d %b %Y at %H:%M}. "
        "It is not shared with any team or room. If a child is in immediate danger, call 999.",
        direct=True,
    )
    return api.SubmitResult(
        reply=receipt, version=1, post=api.RoomPost(platform, workspace, None, None, follow_up)
    )


async def deliver(
    core: Core, *, platform: str, workspace: str, to: list[str], concern_id: int, message: Reply
) -> int:
    """DM the concern to every DSL of its school (``to``: ``dsl_ids``); if none could be reached, tell
    the raiser to go in person."""
    chat = core.platform(platform)
    reached = 0
    for user_id in to:
        with contextlib.suppress(PlatformError):
            await chat.direct_message(workspace=workspace, user_id=user_id, reply=message)
            reached += 1
    if reached == 0:
        with core.db.transaction() as s:
            concern = repo.get(s, concern_id=concern_id)
            raiser = people.people_by_id(s, ids={concern.raised_by_id}) if concern is not None else {}
        for person in raiser.values():
            with contextlib.suppress(PlatformError):
                await chat.direct_message(
                    workspace=workspace,
                    user_id=person.external_id,
                    reply=reply(
                        para(
                            "Your concern is stored, but it could not reach the Designated Safeguarding "
                            "Lead by chat. Please tell them in person now."
                        ),
                        summary="Please tell the DSL in person now",
                        private=False,
                    ),
                )
    return reached


api.SOURCES[PREFIX] = api.FormSource(open=open_concern, save_draft=save_concern_draft, submit=submit_concern)
