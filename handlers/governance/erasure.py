"""Erasure before retention ends: recorded on request, carried out only when a second person approves and
confirms that no retention duty or legal hold applies. And the weekly retention list to the school's
SENCOs and Designated Safeguarding Leads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.concerns.common import dsl_ids
from handlers.core import Core
from handlers.errors import NotAllowed, NotFound
from handlers.governance.operator import find_case
from handlers.governance.retention import Due, due_cases, erase_case
from handlers.platform import PlatformError
from handlers.replies import Bullets, Heading, Note, Reply, reply
from storage import audit
from storage.models import ErasureRequest, Person, School
from storage.repo import people


def request_erasure(
    core: Core,
    *,
    reference: str,
    school: tuple[str, str] | None,
    reason: str,
    requested_by: str,
    now: datetime,
) -> ErasureRequest:
    if not reason.strip() or not requested_by.strip():
        raise NotAllowed("An erasure request needs a reason and the name of who asks.")
    with core.db.transaction() as s:
        case = find_case(s, reference=reference, school=school)
        row = ErasureRequest(
            school_id=case.school_id,
            reference=case.reference,
            reason=reason.strip()[:2000],
            requested_by=requested_by.strip()[:200],
            requested_at=now,
            state="pending",
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            action="erasure.requested",
            at=now,
            school_id=case.school_id,
            case_id=case.id,
            request=row.id,
            requested_by=row.requested_by,
            why=row.reason,
        )
        return row


def approve_erasure(
    core: Core, *, request_id: int, approved_by: str, no_hold: bool, now: datetime
) -> tuple[str, dict[str, int]]:
    """Erase the requested case: a second person, a closed case, no retention duty or legal hold."""
    with core.db.transaction() as s:
        row = s.get(ErasureRequest, request_id)
        if row is None or row.state != "pending":
            raise NotFound(f"There is no pending erasure request {request_id}.")
        if approved_by.strip().casefold() == row.requested_by.casefold() or not approved_by.strip():
            raise NotAllowed("A second person must approve: the approver cannot be the one who asked.")
        if not no_hold:
            raise NotAllowed(
                "Confirm that no retention duty or legal hold applies (a safeguarding file, a tribunal, a "
                "claim, a police or court request) with --no-legal-hold; otherwise the records stay."
            )
        school = s.get(School, row.school_id)
        assert school is not None
        case = find_case(s, reference=row.reference, school=(school.platform, school.external_id))
        if case.status == "open":
            raise NotAllowed(f"{case.reference} is open: close it before erasing it.")
        row.state, row.approved_by, row.decided_at = "erased", approved_by.strip()[:200], now
        removed = erase_case(
            s, case=case, approved_by=row.approved_by, basis=f"erasure request {row.id} (early)", now=now
        )
        return case.reference, removed


def retention_erase(
    core: Core, *, reference: str, school: tuple[str, str] | None, approved_by: str, now: datetime
) -> dict[str, int]:
    """Erase a case the retention list names (past retention, or closed with no date of birth)."""
    if not approved_by.strip():
        raise NotAllowed('Say who approved the erasure: --approved-by "<name>".')
    today = now.astimezone(core.tz).date()
    with core.db.transaction() as s:
        case = find_case(s, reference=reference, school=school)
        listed = {d.case_id for d in due_cases(s, cipher=core.cipher, today=today)}
        if case.id not in listed:
            raise NotAllowed(
                f"{case.reference} is not past its retention period.",
                hint="To erase it earlier: `tacbot erasure request` and a second person's approval.",
            )
        return erase_case(s, case=case, approved_by=approved_by.strip()[:200], basis="retention", now=now)


def _recipients(s: Session, core: Core, school: School, now: datetime) -> list[Person]:
    """The school's SENCOs and DSLs (its own and those of every school, ``TACBOT_DSL`` included), on its
    platform; never another school's."""
    sencos = [p for p, _, _ in people.sencos(s, school_id=school.id) if p.platform == school.platform]
    dsls = [
        people.get_or_create_person(s, platform=school.platform, external_id=user, display_name="", now=now)
        for user in dsl_ids(s, core, platform=school.platform, school_id=school.id)
    ]
    return list({p.id: p for p in (*sencos, *dsls)}.values())


def retention_message(due: Sequence[Due]) -> Reply:
    """References and aliases only: never a date (it would reveal a date of birth)."""
    return reply(
        Heading("Records to review for erasure (the weekly retention check)"),
        Bullets(tuple((f"{d.reference} ({d.alias}): {d.why}",) for d in due)),
        Note(
            (
                "After review an administrator erases each with "
                '`tacbot retention erase <reference> --approved-by "<name>"`. '
                "The case room stays archived on the platform: delete it there too.",
            )
        ),
        summary="Records to review for erasure",
    )


async def notify_retention(core: Core, *, now: datetime) -> list[Due]:
    """List the cases due for erasure to each school's SENCOs and DSLs by DM; audited per school."""
    today = now.astimezone(core.tz).date()
    sends: list[tuple[School, list[Person], list[Due]]] = []
    with core.db.transaction() as s:
        due = due_cases(s, cipher=core.cipher, today=today)
        for school_id in sorted({d.school_id for d in due}):
            school = s.get(School, school_id)
            assert school is not None
            mine = [d for d in due if d.school_id == school_id]
            recipients = _recipients(s, core, school, now)
            audit.record(
                s,
                action="retention.listed",
                at=now,
                school_id=school_id,
                cases=[d.reference for d in mine],
                to=[p.id for p in recipients],
            )
            sends.append((school, recipients, mine))
    for school, recipients, mine in sends:
        for person in recipients:
            try:
                await core.platform(school.platform).direct_message(
                    workspace=school.external_id, user_id=person.external_id, reply=retention_message(mine)
                )
            except PlatformError:
                continue  # listed again next week, and `tacbot retention run` prints it
    return due
