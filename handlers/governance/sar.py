"""Subject access: everything held about one pupil (one case), as rows per table.

``CASE_TABLES`` says, for every table that can hold something about a case, how to find that case's rows;
``NOT_ABOUT_A_CASE`` names (with the reason) every other table. A table in neither fails the subject
access test: a new table must decide which it is. ``collect`` gathers the rows (pupil details decrypted),
and the people they name, who are third parties for the DPO to review before release.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, false, or_, select
from sqlalchemy.orm import Session

from storage.crypto import DataCipher, DataKeyError
from storage.models import (
    AuditEvent,
    Base,
    Case,
    ConversationRef,
    ErasureRequest,
    FormDraft,
    FormSubmission,
    InputRequest,
    Person,
    Review,
    ReviewAnswer,
    ReviewSlot,
    Room,
)
from storage.repo import pupils

Where = Callable[[Session, Case], ColumnElement[bool]]
WITHHELD = "(withheld: a safeguarding record, kept by the Designated Safeguarding Lead, who decides on it)"


def _by_case(table: str) -> Where:
    return lambda s, case: Base.metadata.tables[table].c.case_id == case.id


def _room_refs(s: Session, case: Case) -> ColumnElement[bool]:
    room = s.scalars(select(Room).where(Room.case_id == case.id)).one_or_none()
    if room is None or not room.external_id:
        return false()
    return and_(
        ConversationRef.platform == room.platform,
        or_(
            and_(ConversationRef.kind == "room", ConversationRef.key == room.external_id),
            # an external member asked into the room (``handlers.outside.guests``: "<room id> <ext. id>")
            and_(
                ConversationRef.kind == "guest",
                ConversationRef.key.startswith(room.external_id + " ", autoescape=True),
            ),
        ),
    )


def _requests(case: Case) -> Select[int]:
    return select(InputRequest.id).where(InputRequest.case_id == case.id)


def _reviews(case: Case) -> Select[int]:
    return select(Review.id).where(Review.case_id == case.id)


def _slots(case: Case) -> Select[int]:
    return select(ReviewSlot.id).where(ReviewSlot.review_id.in_(_reviews(case)))


CASE_TABLES: dict[str, Where] = {
    "cases": lambda s, case: Case.id == case.id,
    "memberships": _by_case("memberships"),
    "consents": _by_case("consents"),
    "rooms": _by_case("rooms"),
    "input_requests": _by_case("input_requests"),
    "form_submissions": lambda s, case: FormSubmission.request_id.in_(_requests(case)),
    "form_drafts": lambda s, case: FormDraft.request_id.in_(_requests(case)),
    "input_shares": _by_case("input_shares"),
    "pupil_details": _by_case("pupil_details"),
    "outcomes": _by_case("outcomes"),
    "actions": _by_case("actions"),
    "reviews": _by_case("reviews"),
    "review_slots": lambda s, case: ReviewSlot.review_id.in_(
        select(Review.id).where(Review.case_id == case.id)
    ),
    "review_answers": lambda s, case: ReviewAnswer.slot_id.in_(_slots(case)),
    "reminders": _by_case("reminders"),
    "audit_events": lambda s, case: AuditEvent.case_id == case.id,
    "conversation_refs": _room_refs,
    "referrals": _by_case("referrals"),
    "family_updates": _by_case("family_updates"),
    "mail_outbox": _by_case("mail_outbox"),  # what kind of e-mail went to an external member, and when
    "concerns": _by_case("concerns"),  # their existence only: the answers stay with the DSL
    "erasure_requests": lambda s, case: and_(
        ErasureRequest.school_id == case.school_id, ErasureRequest.reference == case.reference
    ),
}

NOT_ABOUT_A_CASE: dict[str, str] = {
    "schools": "the school (a workspace or tenant)",
    "people": "staff and professionals; those a case names are exported as third parties",
    "sencos": "who may open cases",
    "dsls": "who receives the school's safeguarding concerns (its Designated Safeguarding Leads)",
    "room_mismatches": "platform ids of people in a case room but not on its team (no case content)",
    "school_holidays": "the school calendar",
    "school_policies": "the school's chasing policy",
    "priorities": "the school's SEN development priorities",
    "priority_offers": "what specialists offer towards the school's priorities",
    "services": "the school's service directory",
    "school_forms": "the school's own input forms (their questions, no answers)",
    "external_contacts": "e-mail addresses of professionals and parents outside the workspace (people)",
    "seen_events": "platform event ids already handled (de-duplication), no content",
    "slack_installations": "which Slack workspaces installed the app, with their tokens (encrypted)",
    "slack_bots": "each Slack workspace's bot token (encrypted)",
    "slack_oauth_states": "one-time values of install links in progress",
    "alembic_version": "the database schema's version",
}

# Columns holding a person's id (people.id), whatever the table.
PERSON_COLUMNS = frozenset(
    {
        "key_worker_id",
        "person_id",
        "added_by_id",
        "recorded_by_id",
        "requested_of_id",
        "requested_by_id",
        "submitted_by_id",
        "shared_by_id",
        "updated_by_id",
        "created_by_id",
        "owner_id",
        "recipient_id",
        "actor_id",
        "made_by_id",
        "drafted_by_id",
        "raised_by_id",
        "acknowledged_by_id",
    }
)


@dataclass(frozen=True, slots=True)
class Export:
    """A case's rows by table (JSON-ready), its pupil details and the third parties they name."""

    case: Case
    tables: dict[str, list[dict[str, Any]]]
    details: pupils.Details | None
    details_note: str
    people: dict[int, Person]


def plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def rows_of(s: Session, table: Table, where: ColumnElement[bool]) -> list[dict[str, Any]]:
    order = table.c.id if "id" in table.c else next(iter(table.c))
    return [
        {k: plain(v) for k, v in row._mapping.items()}
        for row in s.execute(select(table).where(where).order_by(order))
    ]


def _person_ids(row: dict[str, Any]) -> set[int]:
    found = {v for k, v in row.items() if (k in PERSON_COLUMNS or k == "to") and isinstance(v, int)}
    for key in ("attendee_ids", "attendees"):
        if isinstance(row.get(key), list):
            found |= {v for v in row[key] if isinstance(v, int)}
    return found


def collect(s: Session, *, case: Case, cipher: DataCipher | None) -> Export:
    tables = {
        name: rows_of(s, Base.metadata.tables[name], where(s, case)) for name, where in CASE_TABLES.items()
    }
    details, note = None, "No pupil details are recorded."
    try:
        details = pupils.load(s, case_id=case.id, cipher=cipher)
    except DataKeyError as error:
        note = f"Pupil details are stored but could not be decrypted here: {error}."
    if details is not None:
        note = "Pupil details as recorded (decrypted for this export)."
    for row in tables["pupil_details"]:
        row["ciphertext"] = "(encrypted at rest; decrypted in pupil-details.json)"
    for row in tables["concerns"]:  # a safeguarding record: its existence here, its content with the DSL
        row["answers"] = WITHHELD
    ids: set[int] = set()
    for rows in tables.values():
        for row in rows:
            ids |= _person_ids(row)
            ids |= _person_ids(row.get("detail") or {})
    people = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(ids)))} if ids else {}
    return Export(case=case, tables=tables, details=details, details_note=note, people=people)
