"""Whether an external member still stands on a case: read from current data every time a link is
opened or an e-mail is sent. Removed, consent withdrawn (which removes them) or case closed: not."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from handlers.outside.outbox import contact_of
from storage.models import Case, ExternalContact, Membership, Person
from storage.repo import cases as case_repo


@dataclass(frozen=True, slots=True)
class Standing:
    case: Case
    person: Person
    membership: Membership
    contact: ExternalContact


def standing(s: Session, *, person_id: int, case_id: int, closed_ok: bool = False) -> Standing | None:
    """``closed_ok``: a closed case will do (a meeting's cancellation, sent as the case closes)."""
    case = s.get(Case, case_id)
    person = s.get(Person, person_id)
    if (
        case is None
        or person is None
        or (case.status != "open" and not (closed_ok and case.status == "closed"))
    ):
        return None
    contact = contact_of(s, person_id=person.id)
    if contact is None or contact.school_id != case.school_id:
        return None
    membership = case_repo.active_membership(s, case_id=case.id, person_id=person.id)
    if membership is None:
        return None
    return Standing(case, person, membership, contact)
