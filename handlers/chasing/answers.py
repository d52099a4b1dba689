"""Answers to chasers: Done / Need more time (a new date) / Blocked (a reason), from the chaser itself.

Routed by ``handlers.chasing.registry.on_chaser`` (``handlers.dispatch.INTERACTIONS["chaser"]``); the
button value is ``"<kind>:<id>"``. Every chased kind answers the same way, through an ``Owed`` that
says what its subject is, what Done means and how its due date moves: an action's Done closes it; an
input request's Done says to submit the form (the form is the answer). Need more time moves the due
date and re-plans; Blocked stops the chasers and tells the key worker. Only the owner or the case's key
worker may answer; anyone else is told the same as for something that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy.orm import Session

from handlers import access
from handlers.chasing import messages, queueing
from handlers.chasing.subjects import action_about, form_title
from handlers.core import Ask
from handlers.errors import NotFound, UsageError
from handlers.forms.buttons import open_form
from handlers.grammar.dates import parse_date
from handlers.model import Interaction
from handlers.platform import ChatPlatform
from handlers.replies import Reply, Span, para, reply
from storage import audit
from storage.models import Action, Case, InputRequest, Person
from storage.repo import cases as case_repo
from storage.repo.plan import REMOVED

GONE = "That reminder is about something you can no longer see or change."
DEAD_BUTTON = "That button no longer does anything."


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to send after the transaction (never inside it)."""

    platform: ChatPlatform
    workspace: str
    user_id: str
    reply: Reply


class Owed(Protocol):
    """A chased subject as its answer sees it, loaded for someone allowed to answer."""

    @property
    def case(self) -> Case: ...

    @property
    def who(self) -> Person: ...

    @property
    def label(self) -> str:
        """User-safe ("Action 2", "EP advice (input 1)")."""
        ...

    @property
    def number(self) -> int: ...

    @property
    def about(self) -> tuple[Span, ...]:
        """The thing itself in words, for the key worker's notice ("Action 2: Phonics group")."""
        ...

    @property
    def area(self) -> str:
        """The audit actions' prefix: ``<area>.due_changed``, ``<area>.blocked``."""
        ...

    def settled(self) -> Reply | None:
        """The answer when there is nothing left to do (already done, submitted, cancelled)."""
        ...

    def done(self, s: Session, ask: Ask) -> Reply: ...

    def move(self, s: Session, ask: Ask, *, due: date) -> date:
        """Set a new due date and re-plan the chasers; returns the old one."""
        ...

    def stop(self, s: Session, ask: Ask) -> None: ...


Load = Callable[[Session, Ask, int], Owed]


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


def block_reason(interaction: Interaction) -> str:
    """The reason typed into a Blocked prompt; a usage error when there is none."""
    reason = " ".join(interaction.inputs.get("reason", "").split())[:500]
    if not reason:
        raise UsageError("Say what is blocking it.", hint="A few words are enough.")
    return reason


def blocked(s: Session, ask: Ask, owed: Owed, *, reason: str) -> tuple[Notice | None, str]:
    """The key worker's notice of a block (none when they pressed it themselves) and the reply text."""
    case, label = owed.case, owed.label
    keyworker = s.get(Person, case.key_worker_id)
    if keyworker is None or keyworker.id == owed.who.id:
        return None, f"Noted: {label} on {case.reference} is blocked. Reminders about it have stopped."
    notice = Notice(
        ask.platform,
        ask.workspace,
        keyworker.external_id,
        messages.blocked(case=case, label=label, who=owed.who, reason=reason, about=owed.about),
    )
    return notice, f"Thanks: I've told the key worker that {label} on {case.reference} is blocked."


async def answer(ask: Ask, interaction: Interaction, subject_id: int, *, load: Load) -> Reply:
    """Done, Need more time or Blocked on the subject ``load`` finds for the asker."""
    verb = interaction.action.partition(".")[2]
    notice: Notice | None = None
    with ask.core.db.transaction() as s:
        owed = load(s, ask, subject_id)
        case, label = owed.case, owed.label
        base = {
            "school_id": case.school_id,
            "case_id": case.id,
            "actor_id": owed.who.id,
            "number": owed.number,
        }
        settled = owed.settled()
        if settled is not None:
            return settled
        if verb == "done":
            return owed.done(s, ask)
        if verb == "later":
            new = parse_date(interaction.inputs.get("date", ""), today=ask.today)
            if new < ask.today:
                raise UsageError(f"{new:%d %b %Y} is in the past.", hint="Choose a date from today on.")
            old = owed.move(s, ask, due=new)
            audit.record(
                s,
                action=f"{owed.area}.due_changed",
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
            owed.stop(s, ask)
            audit.record(s, action=f"{owed.area}.blocked", at=ask.now, reason=reason, **base)
            notice, text = blocked(s, ask, owed, reason=reason)
        else:
            raise NotFound(DEAD_BUTTON)
    if notice is not None:
        await notice.platform.direct_message(
            workspace=notice.workspace, user_id=notice.user_id, reply=notice.reply
        )
    return Reply.text(text)


@dataclass(frozen=True, slots=True)
class OwedAction:
    """A plan action: Done closes it."""

    action: Action
    case: Case
    who: Person
    area: str = "action"

    @property
    def label(self) -> str:
        return f"Action {self.action.number}"

    @property
    def number(self) -> int:
        return self.action.number

    @property
    def about(self) -> tuple[Span, ...]:
        return action_about(self.action)

    def settled(self) -> Reply | None:
        if self.action.status == "done":
            return Reply.text(f"{self.label} on {self.case.reference} is already done.")
        if self.action.status == REMOVED:
            return Reply.text(f"{self.label} on {self.case.reference} was taken off the plan; nothing to do.")
        return None

    def done(self, s: Session, ask: Ask) -> Reply:
        self.action.status, self.action.done_at = "done", ask.now
        self.stop(s, ask)
        audit.record(
            s,
            action="action.done",
            at=ask.now,
            via="chaser",
            school_id=self.case.school_id,
            case_id=self.case.id,
            actor_id=self.who.id,
            number=self.number,
        )
        return Reply.text(
            f"Thanks: {self.label} on {self.case.reference} is done. No more reminders about it."
        )

    def move(self, s: Session, ask: Ask, *, due: date) -> date:
        old, self.action.due = self.action.due, due
        queueing.plan_action(s, ask, case=self.case, action=self.action)
        return old

    def stop(self, s: Session, ask: Ask) -> None:
        queueing.stop_action(s, ask, action=self.action)


def load_action(s: Session, ask: Ask, action_id: int) -> OwedAction:
    action = s.get(Action, action_id)
    case, person = answerer(
        s,
        ask,
        case_id=action.case_id if action else None,
        owner_id=action.owner_id if action else None,
        who_may="the action's owner",
    )
    assert action is not None
    return OwedAction(action, case, person)


@dataclass(frozen=True, slots=True)
class OwedInput:
    """A requested input: the form is the answer, so Done says to submit it."""

    request: InputRequest
    case: Case
    who: Person
    label: str
    area: str = "input"

    @property
    def number(self) -> int:
        return self.request.number

    @property
    def about(self) -> tuple[Span, ...]:
        return ()  # its label is the form's title

    def settled(self) -> Reply | None:
        if self.request.state == "submitted":
            return Reply.text(f"{self.label} on {self.case.reference} is already submitted. Thank you.")
        if self.request.state != "open":
            return Reply.text(f"{self.label} on {self.case.reference} was cancelled; there is nothing to do.")
        return None

    def done(self, s: Session, ask: Ask) -> Reply:
        label, reference = self.label, self.case.reference
        return reply(
            para(f"{label} on {reference} is done when the form is submitted: open it and submit."),
            open_form(self.request.id),
            summary=f"Submit the form to finish {label}",
        )

    def move(self, s: Session, ask: Ask, *, due: date) -> date:
        old, self.request.due = self.request.due, due
        cal = queueing.calendar_for(s, ask, school_id=self.case.school_id)
        queueing.plan_request(s, cal=cal, case=self.case, request=self.request, now=ask.now)
        return old

    def stop(self, s: Session, ask: Ask) -> None:
        queueing.stop_request(s, request=self.request, now=ask.now)


def load_input(s: Session, ask: Ask, request_id: int) -> OwedInput:
    """The request, its case and the asker, if they are the person asked or the key worker (members)."""
    request = s.get(InputRequest, request_id)
    case, person = answerer(
        s,
        ask,
        case_id=request.case_id if request else None,
        owner_id=request.requested_of_id if request else None,
        who_may="the person asked",
    )
    assert request is not None
    label = f"{form_title(request.form_id, ask.core.forms_of(s, case.school_id))} (input {request.number})"
    return OwedInput(request, case, person, label)
