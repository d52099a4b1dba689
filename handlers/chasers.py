"""Answers to chasers: Done / Need more time (a new date) / Blocked (a reason), from the chaser itself.

Registered as ``handlers.dispatch.INTERACTIONS["chaser"]``. The button value is ``"<kind>:<id>"``;
each kind of subject registers how it is answered in ``ANSWERS`` (actions here; input requests and
reviews add theirs). Only the owner or the case's key worker may answer; anyone else is told the same
as for something that does not exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from handlers import access
from handlers import reminders as chasing
from handlers.core import Ask
from handlers.errors import NotFound, UsageError
from handlers.grammar.dates import parse_date
from handlers.model import Interaction
from handlers.platform import ChatPlatform
from handlers.replies import Reply
from scheduler import messages
from storage import audit
from storage.models import Action, Case, Person
from storage.repo import cases as case_repo

Answer = Callable[[Ask, Interaction, int], Awaitable[Reply]]
ANSWERS: dict[str, Answer] = {}

GONE = "That reminder is about something you can no longer see or change."


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to send after the transaction (never inside it)."""

    platform: ChatPlatform
    workspace: str
    user_id: str
    reply: Reply


def block_reason(interaction: Interaction) -> str:
    """The reason typed into a Blocked prompt; a usage error when there is none."""
    reason = " ".join(interaction.inputs.get("reason", "").split())[:500]
    if not reason:
        raise UsageError("Say what is blocking it.", hint="A few words are enough.")
    return reason


def blocked(
    s: Session, ask: Ask, *, case: Case, label: str, who: Person, reason: str
) -> tuple[Notice | None, str]:
    """The key worker's notice of a block (none when they pressed it themselves) and the reply text."""
    keyworker = s.get(Person, case.key_worker_id)
    if keyworker is None or keyworker.id == who.id:
        return None, f"Noted: {label} on {case.reference} is blocked. Reminders about it have stopped."
    notice = Notice(
        ask.platform,
        ask.workspace,
        keyworker.external_id,
        messages.blocked(case=case, label=label, who=who, reason=reason),
    )
    return notice, f"Thanks: I've told the key worker that {label} on {case.reference} is blocked."


async def answer(ask: Ask, interaction: Interaction) -> Reply:
    """Route a chaser button to the subject kind's answer."""
    kind, _, raw = interaction.value.partition(":")
    handler = ANSWERS.get(kind)
    if handler is None or not raw.isdigit():
        raise NotFound("That button no longer does anything.")
    return await handler(ask, interaction, int(raw))


def answerer(
    s: Session, ask: Ask, *, case_id: int | None, owner_id: int | None, who_may: str
) -> tuple[Case, Person]:
    """The case and the asker, if they are the subject's owner or the key worker and still a member.

    One answer for "no such subject" and "not yours": a chaser button reveals nothing to someone outside.
    """
    who = access.asker(s, ask)
    case = s.get(Case, case_id) if case_id is not None else None
    refusal = NotFound(GONE, hint=f"Only {who_may} or the case's key worker can answer it.")
    if case is None or case.school_id != who.school.id:
        raise refusal
    member = case_repo.active_membership(s, case_id=case.id, person_id=who.person.id)
    if member is None or who.person.id not in (owner_id, case.key_worker_id):
        raise refusal
    access.require_open(access.CaseAccess(who, case, member))
    return case, who.person


def _load(ask: Ask, s: Session, action_id: int) -> tuple[Action, Case, Person]:
    action = s.get(Action, action_id)
    case, person = answerer(
        s,
        ask,
        case_id=action.case_id if action else None,
        owner_id=action.owner_id if action else None,
        who_may="the action's owner",
    )
    assert action is not None
    return action, case, person


async def answer_action(ask: Ask, interaction: Interaction, action_id: int) -> Reply:
    """Done: close the action; Need more time: move its due date; Blocked: tell the key worker."""
    verb = interaction.action.partition(".")[2]
    notice: Notice | None = None
    with ask.core.db.transaction() as s:
        action, case, who = _load(ask, s, action_id)
        label = f"Action {action.number}"
        base = {"school_id": case.school_id, "case_id": case.id, "actor_id": who.id, "number": action.number}
        if action.status == "done":
            return Reply.text(f"{label} on {case.reference} is already done.")
        if verb == "done":
            action.status, action.done_at = "done", ask.now
            chasing.stop_action(s, ask, action=action)
            audit.record(s, action="action.done", at=ask.now, via="chaser", **base)
            text = f"Thanks: {label} on {case.reference} is done. No more reminders about it."
        elif verb == "later":
            new = parse_date(interaction.inputs.get("date", ""), today=ask.today)
            if new < ask.today:
                raise UsageError(f"{new:%d %b %Y} is in the past.", hint="Choose a date from today on.")
            old, action.due = action.due, new
            chasing.plan_action(s, ask, case=case, action=action)
            audit.record(
                s,
                action="action.due_changed",
                at=ask.now,
                via="chaser",
                old=old.isoformat(),
                new=new.isoformat(),
                **base,
            )
            text = (
                f"{label} on {case.reference} is now due {new:%a %d %b %Y}. I'll remind you nearer the time."
            )
        elif verb == "blocked":
            reason = block_reason(interaction)
            chasing.stop_action(s, ask, action=action)
            audit.record(s, action="action.blocked", at=ask.now, reason=reason, **base)
            notice, text = blocked(s, ask, case=case, label=label, who=who, reason=reason)
        else:
            raise NotFound("That button no longer does anything.")
    if notice is not None:
        await notice.platform.direct_message(
            workspace=notice.workspace, user_id=notice.user_id, reply=notice.reply
        )
    return Reply.text(text)


ANSWERS["action"] = answer_action
