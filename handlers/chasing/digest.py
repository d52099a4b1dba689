"""The SENCO's weekly digest: queued as reminder rows (exactly once per SENCO per week), built when sent.

Per case: overdue and upcoming actions, overdue inputs, a review coming up, and statutory deadlines at
risk. EHC needs-assessment advice is due within 6 weeks of the request (SEND Regulations 2014 reg 8: the
law's number, not the school's ``ehc_advice_weeks``), so an open request on the ``ehc-assessment`` route
older than that is at risk; an EHC plan is reviewed at least every 12 months (reg 20), so an
``annual-review`` case whose last review (or opening) is 12 months ago within the next 4 weeks, with no
meeting fixed before then, is at risk too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from handlers.chasing.kinds import Kind
from handlers.referrals.waiting import waiting_longest
from handlers.render import case_title, plural
from handlers.replies import Block, Bullets, Heading, Reply, para, reply
from scheduler import queue
from scheduler.calendar import SchoolCalendar
from scheduler.policy import STATUTORY_EHC_ADVICE_WEEKS as EHC_ADVICE_WEEKS
from scheduler.steps import Step
from storage.models import Action, Case, InputRequest, Review, Senco
from storage.repo import forms as form_repo
from storage.repo import plan as plan_repo
from storage.repo.people import senco_in

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
    late = Counter(r.case_id for r in form_repo.overdue_requests(session, case_ids=ids, today=today))
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


@dataclass(frozen=True, slots=True)
class DigestLine:
    case: Case
    overdue: int
    upcoming: int
    more: CaseExtras = field(default_factory=CaseExtras)


def _digest_line(x: DigestLine, today: date) -> str:
    text = f"{case_title(x.case)}: {x.overdue} overdue, {x.upcoming} due in the next 7 days"
    if x.more.inputs_overdue:
        text += f", {plural(x.more.inputs_overdue, 'input')} overdue"
    if x.more.review_soon is not None:
        soon = x.more.review_soon
        text += f", review on {soon:%a %d %b}" + ("" if soon.year == today.year else f" {soon.year}")
    return text


def digest(*, lines: list[DigestLine], today: date) -> Reply:
    """The SENCO's weekly digest: open cases, overdue actions and inputs, reviews soon, deadlines at risk."""
    overdue = sum(x.overdue for x in lines)
    upcoming = sum(x.upcoming for x in lines)
    summary = f"Week of {today:%d %b}: {len(lines)} open cases, {overdue} overdue, {upcoming} due this week"
    if not lines:
        return reply(Heading("Your TAC week"), para("You have no open cases."), summary=summary)
    blocks: list[Block] = [
        Heading("Your TAC week"),
        para(summary + "."),
        Bullets(tuple((_digest_line(x, today),) for x in lines)),
    ]
    risks = tuple((f"{x.case.reference}: {risk}",) for x in lines for risk in x.more.risks)
    if risks:
        blocks += [Heading("Statutory deadlines at risk"), Bullets(risks)]
    return reply(*blocks, summary=summary)


def queue_digests(session: Session, *, cal: SchoolCalendar, now: datetime) -> int:
    """Queue this week's digest for every SENCO who key-works a case; returns how many were queued."""
    week = cal.local(now).strftime("%G-W%V")
    rows = session.execute(
        select(Case.school_id, Case.key_worker_id)
        .where(
            Case.status == "open",
            exists().where(Senco.person_id == Case.key_worker_id, senco_in(Case.school_id)),
        )
        .distinct()
    ).all()
    queued = 0
    for school_id, person_id in rows:
        queued += len(
            queue.enqueue(
                session,
                queue.Target(
                    Kind.DIGEST, person_id, school_id=school_id, case_id=None, recipient_id=person_id
                ),
                steps=[Step("weekly", cal.next_working_slot(now))],
                anchor=week,
                now=now,
            )
        )
    return queued


def build_digest(
    session: Session, *, school_id: int, person_id: int, cal: SchoolCalendar, now: datetime
) -> Reply:
    """The digest from current data: open cases, overdue and upcoming actions, inputs, reviews, risks."""
    today = cal.local(now).date()
    cases = session.scalars(
        select(Case)
        .where(Case.school_id == school_id, Case.key_worker_id == person_id, Case.status == "open")
        .order_by(Case.number)
    ).all()
    ids = [c.id for c in cases]
    overdue = Counter(a.case_id for a in plan_repo.overdue_actions(session, case_ids=ids, today=today))
    upcoming: dict[int, int] = dict(
        session.execute(
            select(Action.case_id, func.count())
            .where(
                Action.case_id.in_(ids),
                Action.status == "open",
                Action.due >= today,
                Action.due <= today + timedelta(days=7),
            )
            .group_by(Action.case_id)
        ).all()
    )
    more = extras(session, cases=cases, cal=cal, today=today)
    lines = [
        DigestLine(c, int(overdue.get(c.id, 0)), int(upcoming.get(c.id, 0)), more.get(c.id, CaseExtras()))
        for c in cases
    ]
    letter = digest(lines=lines, today=today)
    waiting = waiting_longest(session, cases=cases, now=now)
    if not waiting:
        return letter
    return replace(
        letter, blocks=(*letter.blocks, Heading("Referrals waiting longest"), Bullets(tuple(waiting)))
    )
