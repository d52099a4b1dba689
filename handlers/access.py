"""Who is asking, which case they mean, and whether they may: every command goes through here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from handlers.core import Ask
from handlers.errors import NotAllowed, NotFound, UsageError, WhichCase
from handlers.grammar.commands import PersonRef
from storage.models import Case, Membership, Person, School
from storage.repo import cases as case_repo
from storage.repo import people


@dataclass(frozen=True, slots=True)
class Asker:
    school: School
    person: Person


@dataclass(frozen=True, slots=True)
class CaseAccess:
    asker: Asker
    case: Case
    membership: Membership

    @property
    def is_key_worker(self) -> bool:
        return self.case.key_worker_id == self.asker.person.id


def asker(session: Session, ask: Ask) -> Asker:
    actor = ask.command.actor
    school = people.get_or_create_school(
        session, platform=actor.platform, external_id=actor.workspace, now=ask.now
    )
    person = people.get_or_create_person(
        session,
        platform=actor.platform,
        external_id=actor.user_id,
        display_name=actor.display_name,
        now=ask.now,
    )
    return Asker(school, person)


async def known_name(ask: Ask, ref: PersonRef) -> str:
    """The mentioned person's display name; ``NotFound`` if the platform has no such user."""
    name = ask.command.names.get(ref.user_id) or await ask.platform.user_name(
        workspace=ask.workspace, user_id=ref.user_id
    )
    if name is None:
        raise NotFound(f"I don't know anyone called {ref.label} here.", hint="Mention them, like @anna.")
    return name


def require_senco(session: Session, who: Asker, what: str) -> None:
    if not people.is_senco(session, person_id=who.person.id, school_id=who.school.id):
        raise NotAllowed(
            f"Only a SENCO can {what}.",
            hint="If you should be one, ask the person who runs TAC Bot for your school to name you a SENCO.",
        )


def not_found(ref: str | None) -> NotFound:
    """The same words whether the case does not exist or the asker is not in it: reveal nothing."""
    if ref:
        return NotFound(
            f"I can't find {ref} among your cases.",
            hint="You can only see a case while you are on its team; ask its key worker.",
        )
    return NotFound("I can't find that case among your cases.")


def case_for(session: Session, ask: Ask, who: Asker, ref: str | None) -> CaseAccess:
    """The case the command is about, for a current member of it; otherwise ``NotFound``."""
    case: Case | None
    if ref is not None:
        case = case_repo.get_case_by_reference(session, school_id=who.school.id, reference=ref)
    elif ask.command.room_id is not None:
        case = case_repo.get_case_by_room(
            session, platform=ask.command.actor.platform, room_external_id=ask.command.room_id
        )
        if case is None or case.school_id != who.school.id:  # another school's room is no case room here
            raise UsageError(
                "Which case? This room is not a case room.",
                hint="Name the case, like `status case TAC-0007`, or type the command in the case's room.",
            )
    else:
        raise UsageError(
            "Which case? Name it, like `case TAC-0007`.",
            hint="In a case's own room the case is implied.",
        )
    if case is None or case.school_id != who.school.id:
        raise not_found(ref)
    membership = case_repo.active_membership(session, case_id=case.id, person_id=who.person.id)
    if membership is None:
        raise not_found(ref or case.reference)
    return CaseAccess(who, case, membership)


def case_or_only_case(session: Session, ask: Ask, who: Asker, ref: str | None, *, word: str) -> CaseAccess:
    """``case_for``, except that in a direct message with no case named, someone on exactly one open
    case means that one, and someone on several is asked which (``WhichCase``, shown as buttons).
    Only for commands that read (`status`, `plan`, `team`): nothing changes on a guess."""
    if ref is None and ask.command.room_id is None:
        mine = case_repo.open_cases_of_member(session, school_id=who.school.id, person_id=who.person.id)
        if len(mine) == 1:
            ref = mine[0].reference
        elif mine:
            raise WhichCase(word=word, cases=tuple((c.reference, c.alias) for c in mine))
    return case_for(session, ask, who, ref)


def require_key_worker(access: CaseAccess, what: str) -> None:
    if not access.is_key_worker:
        raise NotAllowed(f"Only the key worker of {access.case.reference} can {what}.")


def require_open(access: CaseAccess) -> None:
    require_case_open(access.case)


def require_case_open(case: Case) -> None:
    if case.status != "open":
        raise NotAllowed(f"{case.reference} is closed; it can no longer change.")
