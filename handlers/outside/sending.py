"""The ``mail`` job: one queued e-mail, written from current data and sent through the mailer.

Sent once across processes (the queue's claim); a refusal is retried by the queue with its back-off; a
crash between the server's acceptance and the mark may send it again (at least once, like every
reminder). A member no longer on the case, or a closed case, gets nothing: the row is dropped.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from handlers.chasing.subjects import ActionSource, InputRequestSource, SubjectSource
from handlers.core import Core
from handlers.outside.letters import letter, message
from handlers.outside.mailer import MailRefused
from handlers.outside.standing import standing
from handlers.outside.topics import Topic
from handlers.platform import within
from storage import audit
from storage.models import OutgoingMail, Review

log = logging.getLogger(__name__)
SEND_BUDGET = 30.0  # seconds one SMTP conversation may take


_SUBJECTS: dict[Topic, SubjectSource] = {
    Topic.FORM: InputRequestSource(),
    Topic.FORM_DUE: InputRequestSource(),
    Topic.FORM_OVERDUE: InputRequestSource(),
    Topic.ACTION_DUE: ActionSource(),
    Topic.ACTION_OVERDUE: ActionSource(),
}


def still_applies(s: Session, row: OutgoingMail) -> bool:
    """Whether what the e-mail is about still stands when it is sent (a form already submitted, an action
    done: the chasers' own reading of their subjects; a poll closed): else nothing to say any more."""
    topic, subject_id = Topic(row.kind), row.subject_id
    if subject_id is None:
        return True
    source = _SUBJECTS.get(topic)
    if source is not None:
        subject = source.load(s, [subject_id]).get(subject_id)
        return subject is not None and subject.open
    if topic is Topic.POLL:
        review = s.get(Review, subject_id)
        return review is not None and review.status == "polling"
    return True


async def mail_job(core: Core, outbox_id: int) -> bool:
    """Send outbox row ``outbox_id``; True when done (sent or no longer due), False to try again."""
    outside = core.outside
    if outside is None or outside.mailer is None:
        raise MailRefused("E-mail is not configured here (TACBOT_SMTP_HOST).")
    now = core.clock.now()
    with core.db.transaction() as s:
        row = s.get(OutgoingMail, outbox_id)
        if row is None or row.state != "queued":
            return True
        cancelled = Topic(row.kind) is Topic.MEETING_CANCELLED
        stands = standing(s, person_id=row.person_id, case_id=row.case_id, closed_ok=cancelled)
        if stands is None or not still_applies(s, row):
            row.state = "dropped"
            return True
        item = letter(
            outside,
            outbox_id=row.id,
            queued_at=row.created_at,
            to=stands.contact.email,
            name=stands.person.display_name,
            reference=stands.case.reference,
            topic=Topic(row.kind),
            person_id=row.person_id,
            case_id=row.case_id,
            due=row.due,
            subject_id=row.subject_id,
            calendar=row.calendar,
        )
        school_id, case_id, person_id, kind = row.school_id, row.case_id, row.person_id, row.kind
    try:
        await within(SEND_BUDGET, outside.mailer.send(message(outside, item)))
    except MailRefused as refused:
        log.warning("e-mail %s not sent: %s", outbox_id, refused.message)
        return False
    with core.db.transaction() as s:
        row = s.get(OutgoingMail, outbox_id)
        if row is not None:
            row.state, row.sent_at = "sent", now
        audit.record(
            s,
            action="mail.sent",
            at=now,
            school_id=school_id,
            case_id=case_id,
            person_id=person_id,
            topic=kind,
        )
    return True
