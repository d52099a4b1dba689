"""Referrals chased to the key worker through the reminder queue (kind ``referral``).

A referral still `sent` after ``referral_sent_school_days`` school days (default 10), or `waiting` longer
than its expected wait (``referral_overdue_school_days`` after it ends, default 1), gets one reminder to
the key worker; every state change re-plans it, and any other state cancels it. The reminder names the
case and "Referral 2 to <service>" only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy.orm import Session

from handlers.chasing.kinds import Kind
from handlers.chasing.queueing import calendar_for, target
from handlers.chasing.subjects import Subject
from handlers.core import Ask, Core
from scheduler import queue
from scheduler.steps import Step
from storage.models import Case, Referral
from storage.repo import referrals as repo

SENT_STEP = "referral-sent"
WAITING_STEP = "referral-waiting"


def plan_referral(s: Session, ask: Ask, *, case: Case, referral: Referral) -> None:
    """(Re)plan the referral's reminder for its current state (none unless sent or waiting)."""
    queue.cancel_for(s, kind=Kind.REFERRAL, subject_id=referral.id, now=ask.now)
    cal = calendar_for(s, ask, school_id=case.school_id)
    today = cal.local(ask.now).date()
    if referral.state == "sent":
        day = cal.add_school_days(cal.next_school_day(today), cal.policy.referral_sent_school_days)
        step = SENT_STEP
    elif referral.state == "waiting" and referral.expected_wait_weeks:
        ends = today + timedelta(weeks=referral.expected_wait_weeks)
        day = cal.add_school_days(cal.next_school_day(ends), cal.policy.referral_overdue_school_days)
        step = WAITING_STEP
    else:
        return
    queue.enqueue(
        s,
        target(Kind.REFERRAL, referral.id, case=case, recipient_id=case.key_worker_id),
        steps=[Step(step, cal.day_start(day))],
        anchor=day.isoformat(),
        now=ask.now,
    )


class ReferralSource:
    """Referrals: open while `sent` or `waiting`; the key worker answers by moving them on."""

    def load(self, session: Session, ids: Iterable[int], *, core: Core | None = None) -> dict[int, Subject]:
        return {
            r.id: Subject(
                id=r.id,
                label=f"Referral {r.number} to {r.service_name}",
                open=r.state in ("sent", "waiting"),
                due=None,
                owner_id=None,
                answerable=False,
            )
            for r in repo.by_ids(session, ids)
        }


def referral_line(step: str, label: str) -> str | None:
    """The reminder's words for a referral step (None: not a referral step)."""
    if step == SENT_STEP:
        return (
            f"{label} has had no answer since it was sent. Chase the service, then record what happened: "
            "`referral <n> accepted`, `declined` or `waiting <weeks> weeks` (see `referrals`)."
        )
    if step == WAITING_STEP:
        return (
            f"{label} has waited longer than expected. Ask the service when the child will be seen, "
            "then record it (see `referrals`)."
        )
    return None
