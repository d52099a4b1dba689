"""Input requests, their submitted versions and drafts."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import FormDraft, FormSubmission, InputRequest


def create_request(
    session: Session,
    *,
    case_id: int,
    form_id: str,
    requested_of_id: int,
    requested_by_id: int,
    due: date,
    now: datetime,
) -> InputRequest:
    current = session.scalar(select(func.max(InputRequest.number)).where(InputRequest.case_id == case_id))
    request = InputRequest(
        case_id=case_id,
        number=int(current or 0) + 1,
        form_id=form_id,
        requested_of_id=requested_of_id,
        requested_by_id=requested_by_id,
        due=due,
        state="open",
        created_at=now,
    )
    session.add(request)
    session.flush()
    return request


def get_request(session: Session, *, request_id: int) -> InputRequest | None:
    return session.get(InputRequest, request_id)


def get_request_by_number(session: Session, *, case_id: int, number: int) -> InputRequest | None:
    return session.scalars(
        select(InputRequest).where(InputRequest.case_id == case_id, InputRequest.number == number)
    ).one_or_none()


def requests_for_case(session: Session, *, case_id: int) -> Sequence[InputRequest]:
    return session.scalars(
        select(InputRequest).where(InputRequest.case_id == case_id).order_by(InputRequest.number)
    ).all()


def overdue_requests(session: Session, *, case_ids: Collection[int], today: date) -> Sequence[InputRequest]:
    """Open input requests due before ``today`` in these cases, by case then number (App Home and digest)."""
    return session.scalars(
        select(InputRequest)
        .where(InputRequest.case_id.in_(case_ids), InputRequest.state == "open", InputRequest.due < today)
        .order_by(InputRequest.case_id, InputRequest.number)
    ).all()


def open_request_for(session: Session, *, case_id: int, form_id: str, person_id: int) -> InputRequest | None:
    """The person's open request for this form on this case, if they were already asked."""
    return session.scalars(
        select(InputRequest).where(
            InputRequest.case_id == case_id,
            InputRequest.form_id == form_id,
            InputRequest.requested_of_id == person_id,
            InputRequest.state == "open",
        )
    ).first()


def submissions(session: Session, *, request_id: int) -> Sequence[FormSubmission]:
    """Every version, oldest first."""
    return session.scalars(
        select(FormSubmission).where(FormSubmission.request_id == request_id).order_by(FormSubmission.version)
    ).all()


def latest_submission(session: Session, *, request_id: int) -> FormSubmission | None:
    return session.scalars(
        select(FormSubmission)
        .where(FormSubmission.request_id == request_id)
        .order_by(FormSubmission.version.desc())
        .limit(1)
    ).first()


def submission(session: Session, *, request_id: int, version: int) -> FormSubmission | None:
    return session.scalars(
        select(FormSubmission).where(
            FormSubmission.request_id == request_id, FormSubmission.version == version
        )
    ).one_or_none()


def add_submission(
    session: Session, *, request: InputRequest, answers: dict[str, Any], submitted_by_id: int, now: datetime
) -> FormSubmission:
    """Store the answers as the next version and mark the request submitted."""
    current = session.scalar(
        select(func.max(FormSubmission.version)).where(FormSubmission.request_id == request.id)
    )
    submission = FormSubmission(
        request_id=request.id,
        version=int(current or 0) + 1,
        answers=answers,
        submitted_by_id=submitted_by_id,
        submitted_at=now,
    )
    session.add(submission)
    request.state, request.submitted_at = "submitted", now
    session.flush()
    return submission


def get_draft(session: Session, *, request_id: int, person_id: int) -> FormDraft | None:
    return session.scalars(
        select(FormDraft).where(FormDraft.request_id == request_id, FormDraft.person_id == person_id)
    ).one_or_none()


def save_draft(
    session: Session, *, request_id: int, person_id: int, answers: dict[str, Any], now: datetime
) -> FormDraft:
    draft = get_draft(session, request_id=request_id, person_id=person_id)
    if draft is None:
        draft = FormDraft(request_id=request_id, person_id=person_id, answers=answers, saved_at=now)
        session.add(draft)
    else:
        draft.answers, draft.saved_at = answers, now
    session.flush()
    return draft


def delete_draft(session: Session, *, request_id: int, person_id: int) -> None:
    draft = get_draft(session, request_id=request_id, person_id=person_id)
    if draft is not None:
        session.delete(draft)


def open_requests_of_form(session: Session, *, case_id: int, form_id: str) -> Sequence[InputRequest]:
    return session.scalars(
        select(InputRequest).where(
            InputRequest.case_id == case_id, InputRequest.form_id == form_id, InputRequest.state == "open"
        )
    ).all()


def cancel_open_requests(
    session: Session, *, case_id: int, person_id: int | None = None
) -> list[InputRequest]:
    """Cancel the case's open requests (only ``person_id``'s when given); returns those cancelled."""
    query = select(InputRequest).where(InputRequest.case_id == case_id, InputRequest.state == "open")
    if person_id is not None:
        query = query.where(InputRequest.requested_of_id == person_id)
    found = session.scalars(query).all()
    for request in found:
        request.state = "cancelled"
    return list(found)
