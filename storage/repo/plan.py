"""Outcomes and actions of a case's plan."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Action, Outcome


def _next_number(session: Session, model: type[Outcome] | type[Action], case_id: int) -> int:
    current = session.scalar(select(func.max(model.number)).where(model.case_id == case_id))
    return int(current or 0) + 1


def add_outcome(
    session: Session,
    *,
    case_id: int,
    text: str,
    created_by_id: int,
    now: datetime,
    measure: str | None = None,
) -> Outcome:
    outcome = Outcome(
        case_id=case_id,
        number=_next_number(session, Outcome, case_id),
        text=text,
        measure=measure,
        created_by_id=created_by_id,
        created_at=now,
    )
    session.add(outcome)
    session.flush()
    return outcome


def outcomes(session: Session, *, case_id: int) -> Sequence[Outcome]:
    return session.scalars(select(Outcome).where(Outcome.case_id == case_id).order_by(Outcome.number)).all()


def get_outcome(session: Session, *, case_id: int, number: int) -> Outcome | None:
    return session.scalars(
        select(Outcome).where(Outcome.case_id == case_id, Outcome.number == number)
    ).one_or_none()


def add_action(
    session: Session,
    *,
    case_id: int,
    what: str,
    owner_id: int,
    due: date,
    where: str | None,
    cost: str | None,
    outcome_id: int | None,
    created_by_id: int,
    now: datetime,
    often: str | None = None,
) -> Action:
    action = Action(
        case_id=case_id,
        number=_next_number(session, Action, case_id),
        what=what,
        owner_id=owner_id,
        due=due,
        where=where,
        cost=cost,
        often=often,
        outcome_id=outcome_id,
        status="open",
        created_by_id=created_by_id,
        created_at=now,
    )
    session.add(action)
    session.flush()
    return action


REMOVED = "removed"  # an action taken off the plan (`action remove`): kept for the record, never shown


def actions(session: Session, *, case_id: int) -> Sequence[Action]:
    """The plan's actions (open and done), by number; removed ones are left out."""
    return session.scalars(
        select(Action).where(Action.case_id == case_id, Action.status != REMOVED).order_by(Action.number)
    ).all()


def overdue_actions(session: Session, *, case_ids: Collection[int], today: date) -> Sequence[Action]:
    """Open actions due before ``today`` in these cases, by case then number (the one meaning of overdue:
    the App Home lists them, the digest counts them)."""
    return session.scalars(
        select(Action)
        .where(Action.case_id.in_(case_ids), Action.status == "open", Action.due < today)
        .order_by(Action.case_id, Action.number)
    ).all()


def get_action(session: Session, *, case_id: int, number: int) -> Action | None:
    return session.scalars(
        select(Action).where(Action.case_id == case_id, Action.number == number, Action.status != REMOVED)
    ).one_or_none()


def remove_outcome(session: Session, *, outcome: Outcome) -> list[Action]:
    """Delete an outcome; its actions stay on the plan, under "other actions". Returns them."""
    linked = list(session.scalars(select(Action).where(Action.outcome_id == outcome.id)))
    for action in linked:
        action.outcome_id = None
    session.flush()
    session.delete(outcome)
    session.flush()
    return [a for a in linked if a.status != REMOVED]
