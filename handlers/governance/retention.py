"""Retention: which cases are past it (the pupil's date of birth + the school's ``retention_years``,
31 by default), and erasing one for good.

Erasure deletes every row about the case (``sar.CASE_TABLES``) but three: the case row is kept as a stub
(its reference and dates, nothing else: so its id is never reused and the audit trail's rows still point
somewhere), the audit rows are redacted (details and salt cleared: the chain still verifies) and closed
by a ``case.erased`` tombstone, and erasure requests keep who asked and approved (their reason cleared).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from handlers.errors import NotAllowed
from handlers.governance.sar import CASE_TABLES
from scheduler.policy import effective
from storage import audit
from storage.crypto import DataCipher
from storage.models import Base, Case, Concern, ErasureRequest
from storage.repo import policies, pupils

# Children before parents. With ``KEPT`` these are every table of ``CASE_TABLES`` (a test keeps it so).
ERASE_ORDER = (
    "review_answers",
    "review_slots",
    "reviews",
    "form_drafts",
    "form_submissions",
    "input_shares",
    "reminders",
    "mail_outbox",
    "referrals",
    "family_updates",
    "input_requests",
    "actions",
    "outcomes",
    "consents",
    "memberships",
    "pupil_details",
    "conversation_refs",
    "rooms",
)
# Kept: the case as a stub, the audit rows redacted, erasure requests; and concerns, a safeguarding hold:
# a case with one is never erased here (``erase_case`` refuses; the DSL decides under safeguarding rules).
KEPT = ("cases", "audit_events", "erasure_requests", "concerns")
ERASED = "erased"


@dataclass(frozen=True, slots=True)
class Due:
    """A case to review for erasure: past its retention (``until`` passed) or closed with no birth date."""

    case_id: int
    school_id: int
    reference: str
    alias: str
    until: date | None

    @property
    def why(self) -> str:
        return "past its retention period" if self.until else "closed, and no date of birth recorded"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def due_cases(s: Session, *, cipher: DataCipher | None, today: date) -> list[Due]:
    """Every case past retention, and every closed case with no date of birth, by reference."""
    cases = s.scalars(select(Case).where(Case.status != ERASED).order_by(Case.school_id, Case.number)).all()
    layers = policies.layers(s, school_ids={c.school_id for c in cases})
    due: list[Due] = []
    for case in cases:
        details = pupils.load(s, case_id=case.id, cipher=cipher)
        born = details.date_of_birth if details else None
        if born is not None:
            until = add_years(born, effective(layers, school_id=case.school_id).retention_years)
            if until <= today:
                due.append(Due(case.id, case.school_id, case.reference, case.alias, until))
        elif case.status == "closed":
            due.append(Due(case.id, case.school_id, case.reference, case.alias, None))
    return due


def erase_case(s: Session, *, case: Case, approved_by: str, basis: str, now: datetime) -> dict[str, int]:
    """Erase the case for good (see the module's note); returns rows removed per table. Audited."""
    if s.scalar(select(Concern.id).where(Concern.case_id == case.id).limit(1)) is not None:
        raise NotAllowed(
            f"{case.reference} has a safeguarding concern: a legal hold. Its records are kept.",
            hint="The Designated Safeguarding Lead decides under the safeguarding records' own retention.",
        )
    removed: dict[str, int] = {}
    for name in ERASE_ORDER:
        where = CASE_TABLES[name](s, case)
        result = s.execute(
            delete(Base.metadata.tables[name]).where(where).execution_options(synchronize_session=False)
        )
        removed[name] = int(getattr(result, "rowcount", 0) or 0)
    s.execute(
        update(ErasureRequest)
        .where(ErasureRequest.school_id == case.school_id, ErasureRequest.reference == case.reference)
        .values(reason="(cleared when the case was erased)")
        .execution_options(synchronize_session=False)
    )
    case.alias, case.year_group, case.close_reason, case.status = "", None, None, ERASED
    case.closed_at = case.closed_at or now
    s.flush()
    redacted = audit.redact_case(s, case_id=case.id)
    audit.record(
        s,
        action=audit.ERASED,
        at=now,
        school_id=case.school_id,
        case_id=case.id,
        reference=case.reference,
        approved_by=approved_by,
        basis=basis,
        rows_removed={k: v for k, v in removed.items() if v},
        audit_rows_redacted=redacted,
    )
    return removed
