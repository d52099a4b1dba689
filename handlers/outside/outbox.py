"""E-mails to members outside the workspace are queued here, in the database, and sent by the reminders
queue as ``mail`` jobs (``handlers.outside.sending``): retried on failure, sent once across processes,
held to the school's working hours like every reminder.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.chasing.kinds import Kind
from handlers.outside.topics import Topic
from handlers.replies import Reply
from scheduler import queue
from scheduler.steps import Step
from storage.models import Case, ExternalContact, OutgoingMail, Person
from storage.repo import people

if TYPE_CHECKING:
    from handlers.core import Core

log = logging.getLogger(__name__)


def contact_of(s: Session, *, person_id: int) -> ExternalContact | None:
    return s.scalars(select(ExternalContact).where(ExternalContact.person_id == person_id)).one_or_none()


def queue_mail(
    s: Session,
    *,
    case: Case,
    person: Person,
    topic: Topic,
    now: datetime,
    due: date | None = None,
    subject_id: int | None = None,
    calendar: bytes | None = None,
) -> OutgoingMail:
    """One e-mail to ``person`` about ``case``, sent by the queue's next pass (within working hours)."""
    row = OutgoingMail(
        school_id=case.school_id,
        case_id=case.id,
        person_id=person.id,
        kind=topic.value,
        due=due,
        subject_id=subject_id,
        calendar=calendar,
        created_at=now,
        state="queued",
    )
    s.add(row)
    s.flush()
    queue.enqueue(
        s,
        queue.Target(Kind.MAIL, row.id, school_id=case.school_id, case_id=case.id, recipient_id=person.id),
        steps=[Step("send", now)],
        anchor=str(row.id),
        now=now,
    )
    return row


def without_place(ics: bytes) -> bytes:
    """The meeting's .ics for an e-mail: the place (typed text) stays on the portal page, and the
    description points there."""
    cal = Calendar.from_ical(ics)
    for event in cal.walk("VEVENT"):
        if "LOCATION" in event:
            del event["LOCATION"]
        if "DESCRIPTION" in event:  # the chat's words ("type /tac plan") mean nothing outside it
            del event["DESCRIPTION"]
        event.add("description", "The details are on your TAC Bot page: the link in the e-mail.")
    return bytes(cal.to_ical())


def queue_reply(core: Core, *, platform: str, user_id: str, reply: Reply) -> None:
    """What a direct message to an external member becomes: an e-mail of its ``MailNote`` (none without
    one: such messages are for people in the workspace)."""
    note = reply.mail
    if note is None:
        log.info("a message with no e-mail form was not sent to a member outside the workspace")
        return
    calendar = next((a.content for a in reply.attachments if a.mime.startswith("text/calendar")), None)
    topic = note.topic
    if calendar is not None:
        calendar = without_place(calendar)
        if topic is Topic.MEETING and b"METHOD:CANCEL" in calendar:
            topic = Topic.MEETING_CANCELLED
    now = core.clock.now()
    with core.db.transaction() as s:
        person = people.find_person(s, platform=platform, external_id=user_id)
        case = s.get(Case, note.case_id)
        if person is None or case is None or contact_of(s, person_id=person.id) is None:
            return
        queue_mail(
            s,
            case=case,
            person=person,
            topic=topic,
            now=now,
            due=note.due,
            subject_id=note.subject_id,
            calendar=calendar,
        )
