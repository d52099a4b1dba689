"""The digest's further lines: overdue inputs, reviews coming up, and statutory deadlines at risk.

Deadlines (SEND Regulations 2014): EHC needs-assessment advice is due within 6 weeks of the request (reg 8:
the law's number, not the school's ``ehc_advice_weeks``), so an open request on the ``ehc-assessment``
route older than that is at risk; an EHC plan is reviewed at least every 12 months (reg 20), so an
``annual-review`` case whose last review (or opening) is 12 months ago within the next 4 weeks, with no
meeting fixed before then, is at risk too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.calendar import SchoolCalendar
from scheduler.policy import STATUTORY_EHC_ADVICE_WEEKS as EHC_ADVICE_WEEKS
from storage.models import Case, InputRequest, Review

REVIEW_AHEAD = timedelta(days=14)
ANNUAL = timedelta(days=365)
WARN = timedelta(weeks=4)


@dataclass(frozen=True, slots=True)
class CaseExtras:
    """Per case: inputs overdue, the next review if it is soon, and deadlines at risk (user-safe words)."""

    inputs_overdue: int = 0
    review_soon: date | None = None
    risks: tuple[str, ...] = ()


def extras(
    session: Session, *, cases: Sequence[Case], cal: SchoolCalendar, today: date
) -> dict[int, CaseExtras]:
    """The extras of these cases, in a bounded number of queries."""
    ids = [c.id for c in cases]
    if not ids:
        return {}
    late: dict[int, int] = dict(
        session.execute(
            select(InputRequest.case_id, func.count())
            .where(InputRequest.case_id.in_(ids), InputRequest.state == "open", InputRequest.due < today)
            .group_by(InputRequest.case_id)
        ).all()
    )
    ehc_ids = [c.id for c in cases if c.route == "ehc-assessment"]
    old_requests: dict[int, int] = {}
    if ehc_ids:
        for case_id, created in session.execute(
            select(InputRequest.case_id, InputRequest.created_at).where(
                InputRequest.case_id.in_(ehc_ids), InputRequest.state == "open"
            )
        ):
            if cal.local(created).date() + timedelta(weeks=EHC_ADVICE_WEEKS) < today:
                old_requests[case_id] = old_requests.get(case_id, 0) + 1
    reviews = list(
        session.scalars(select(Review).where(Review.case_id.in_(ids), Review.starts_at.is_not(None)))
    )
    out: dict[int, CaseExtras] = {}
    for case in cases:
        mine = [r for r in reviews if r.case_id == case.id and r.starts_at is not None]
        fixed = sorted(cal.local(r.starts_at).date() for r in mine if r.status == "scheduled" and r.starts_at)
        upcoming = [d for d in fixed if today <= d <= today + REVIEW_AHEAD]
        risks: list[str] = []
        if old_requests.get(case.id):
            n = old_requests[case.id]
            risks.append(f"{n} EHC advice request(s) open for more than {EHC_ADVICE_WEEKS} weeks")
        if case.route == "annual-review":
            held = [cal.local(r.starts_at).date() for r in mine if r.status == "held" and r.starts_at]
            since = max(held) if held else cal.local(case.opened_at).date()
            deadline = since + ANNUAL
            covered = any(today <= d <= deadline for d in fixed)
            if not covered and deadline <= today + WARN:
                verb = "was due" if deadline < today else "is due by"
                risks.append(f"annual review {verb} {deadline:%d %b %Y} (12 months), none fixed before then")
        out[case.id] = CaseExtras(int(late.get(case.id, 0)), upcoming[0] if upcoming else None, tuple(risks))
    return out
