"""The durable reminder queue: the generic API other features call in the SAME transaction as their change.

Typical use from a use case (inside ``with ask.core.db.transaction() as s:``; the use cases call it
through ``handlers.chasing.queueing``)::

    cal = load_calendar(s, school_id=case.school_id, tz=core.tz, hours=core.hours)
    target = Target(Kind.INPUT_REQUEST, req.id, school_id=case.school_id, case_id=case.id,
                    recipient_id=person.id, key_worker_id=case.key_worker_id)
    queue.schedule(s, target, cal=cal, due=req.due, route=case.route, now=ask.now, requested_on=ask.today)
    queue.reschedule(s, target, ..., due=new_due)     # the due date moved: re-plan
    queue.cancel_for(s, kind=Kind.INPUT_REQUEST, subject_id=req.id, now=ask.now)   # done / withdrawn

A kind is anything with a ``value`` (the name stored in ``reminders.subject_kind``) and a ``timeline``
(``ReminderKind``); the queue knows nothing else about it. Rows are unique on ``key`` (kind, subject,
recipient, step, anchor date), so calling ``schedule`` twice queues nothing new. Whether a reminder still
makes sense is decided again when it fires (``handlers.chasing.delivery``), from current data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NotRequired, Protocol, TypedDict, Unpack

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scheduler.calendar import SchoolCalendar
from scheduler.steps import KEY_WORKER, Policy, Step, Timeline, steps_for
from storage.models import Reminder

OPEN_STATES = ("pending", "claimed")


class ReminderKind(Protocol):
    """What the queue needs of a reminder kind (``handlers.chasing.kinds.Kind`` implements it)."""

    @property
    def value(self) -> str:
        """The name stored in ``reminders.subject_kind``."""
        ...

    @property
    def timeline(self) -> Timeline | None:
        """How ``schedule`` plans it (None: queued only as ready-made steps, with ``enqueue``)."""
        ...


@dataclass(frozen=True, slots=True)
class Target:
    """What reminders are about and whom they go to: one subject's reminders to one person.

    Key-worker steps (escalations, the statutory steps of an annual review) go to ``key_worker_id``.
    """

    kind: ReminderKind
    subject_id: int
    school_id: int
    case_id: int | None
    recipient_id: int
    key_worker_id: int | None = None


def reminder_key(*, kind: str, subject_id: int, recipient_id: int, step: str, anchor: str) -> str:
    return f"{kind}:{subject_id}:{recipient_id}:{step}:{anchor}"


def store(session: Session, rows: Sequence[Reminder]) -> list[Reminder]:
    """Queue new rows in one go: keys already queued are kept (cancelled ones revived), the rest added."""
    if not rows:
        return []
    existing = {
        r.key: r for r in session.scalars(select(Reminder).where(Reminder.key.in_({r.key for r in rows})))
    }
    out: list[Reminder] = []
    for row in rows:
        found = existing.get(row.key)
        if found is None:
            session.add(row)
            existing[row.key] = row
            out.append(row)
            continue
        if found.state == "cancelled":
            found.state, found.due_at, found.claim_token, found.lease_until = (
                "pending",
                row.due_at,
                None,
                None,
            )
        out.append(found)
    session.flush()
    return out


def planned(target: Target, *, steps: Sequence[Step], anchor: str, now: datetime) -> list[Reminder]:
    """Rows (not yet stored) for ``steps``; key-worker steps go to the target's key worker."""
    rows: list[Reminder] = []
    kind = target.kind.value
    for step in steps:
        to = target.recipient_id
        if step.audience == KEY_WORKER and target.key_worker_id is not None:
            to = target.key_worker_id
        rows.append(
            Reminder(
                key=reminder_key(
                    kind=kind, subject_id=target.subject_id, recipient_id=to, step=step.name, anchor=anchor
                ),
                school_id=target.school_id,
                case_id=target.case_id,
                subject_kind=kind,
                subject_id=target.subject_id,
                recipient_id=to,
                step=step.name,
                anchor=anchor,
                due_at=step.at,
                state="pending",
                attempts=0,
                created_at=now,
            )
        )
    return rows


def enqueue(
    session: Session, target: Target, *, steps: Sequence[Step], anchor: str, now: datetime
) -> list[Reminder]:
    """Queue already planned ``steps`` for one subject (one-off reminders, digests, follow-ups)."""
    return store(session, planned(target, steps=steps, anchor=anchor, now=now))


class PlanArgs(TypedDict):
    """When a planned subject falls due and by which calendar: what ``plan``, ``schedule`` and
    ``reschedule`` take beside the ``Target``, checked by mypy at every call."""

    cal: SchoolCalendar
    due: date
    route: str
    now: datetime
    requested_on: NotRequired[date | None]
    policy: NotRequired[Policy | None]


def plan(
    target: Target,
    *,
    cal: SchoolCalendar,
    due: date,
    route: str,
    now: datetime,
    requested_on: date | None = None,
    policy: Policy | None = None,
) -> list[Reminder]:
    """The rows (not yet stored) that the policy of the kind's timeline wants for a subject due on ``due``.

    ``policy`` None: the school's own, which its calendar carries (``cal.policy``)."""
    timeline = target.kind.timeline
    if timeline is None:
        raise ValueError(f"reminders of kind {target.kind.value} are queued with enqueue, not planned")
    steps = steps_for(
        cal, timeline=timeline, due=due, route=route, now=now, requested_on=requested_on, policy=policy
    )
    return planned(target, steps=steps, anchor=due.isoformat(), now=now)


def schedule(session: Session, target: Target, **plan_args: Unpack[PlanArgs]) -> list[Reminder]:
    """Expand the policy of the target's kind for a subject due (or meeting) on ``due`` into queued rows.

    The kind's timeline chooses the policy (``scheduler.steps``); for a meeting, call it once per member
    (key-worker steps are de-duplicated by their key). Returns the rows (new or already there).
    """
    return store(session, plan(target, **plan_args))


def cancel_for(
    session: Session,
    *,
    kind: ReminderKind,
    subject_id: int,
    now: datetime,
    recipient_id: int | None = None,
    keep_keys: frozenset[str] = frozenset(),
) -> int:
    """Cancel every reminder still to be sent about a subject (optionally to one person); returns how many.

    A row another process has claimed is cancelled too: its sender decides again from current data and
    the final mark only applies to rows still claimed by it.
    """
    query = (
        update(Reminder)
        .where(
            Reminder.subject_kind == kind.value,
            Reminder.subject_id == subject_id,
            Reminder.state.in_(OPEN_STATES),
        )
        .values(state="cancelled", lease_until=None)
    )
    if recipient_id is not None:
        query = query.where(Reminder.recipient_id == recipient_id)
    if keep_keys:
        query = query.where(Reminder.key.not_in(keep_keys))
    result = session.execute(query.returning(Reminder.id), execution_options={"synchronize_session": False})
    return len(result.all())


def reschedule(session: Session, target: Target, **plan_args: Unpack[PlanArgs]) -> list[Reminder]:
    """The due date moved (or the owner changed): plan afresh and cancel what the new plan no longer has.

    Rows the new plan keeps are left alone, so a reminder being sent right now by another worker is
    neither cancelled nor revived under its feet (which would send it twice).
    """
    rows = plan(target, **plan_args)
    cancel_for(
        session,
        kind=target.kind,
        subject_id=target.subject_id,
        now=plan_args["now"],
        keep_keys=frozenset(r.key for r in rows),
    )
    return store(session, rows)


def pending_for(session: Session, *, kind: ReminderKind, subject_id: int) -> list[Reminder]:
    """Reminders still to be sent about a subject, soonest first (for status views and tests)."""
    return list(
        session.scalars(
            select(Reminder)
            .where(
                Reminder.subject_kind == kind.value,
                Reminder.subject_id == subject_id,
                Reminder.state.in_(OPEN_STATES),
            )
            .order_by(Reminder.due_at, Reminder.id)
        )
    )
