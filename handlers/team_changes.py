"""Changes to someone already on the team: `invite` again with the same role (nothing to do, nothing
announced), or with another role, agency or as champion (stated as a change, audited)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from handlers.core import Ask
from handlers.grammar import commands as c
from handlers.platform import PlatformError
from handlers.render import mention, role_label
from handlers.replies import Reply, Span
from storage import audit
from storage.models import Case, Membership, Person, Room
from storage.repo import cases as case_repo
from storage.repo import people


@dataclass(frozen=True, slots=True)
class MemberChange:
    """What changed for someone already on the team; ``said`` empty when nothing did."""

    reference: str
    person: Person
    said: tuple[Span, ...]


def previous_champion(s: Session, *, case: Case, but: int) -> Person | None:
    """The team's champion now (other than ``but``), before a new one is named."""
    for m in case_repo.active_members(s, case_id=case.id):
        if m.champion and m.person_id != but:
            return people.people_by_id(s, ids={m.person_id})[m.person_id]
    return None


def move_champion(s: Session, *, case: Case, to: Membership) -> None:
    for m in case_repo.active_members(s, case_id=case.id):
        m.champion = m.id == to.id


def member_change(
    s: Session, ask: Ask, *, case: Case, person: Person, membership: Membership, cmd: c.Invite, by: Person
) -> MemberChange:
    """Apply `invite` to a current member: a new role, agency or the champion's place; audited."""
    said: list[Span] = []
    old_role, old_agency = membership.role, membership.agency
    agency = cmd.agency if cmd.agency is not None else (old_agency if cmd.role == old_role else None)
    if (cmd.role, agency) != (old_role, old_agency):
        membership.role, membership.agency = cmd.role, agency
        new_label = role_label(cmd.role) + (f", {agency}" if agency else "")
        old_label = role_label(old_role) + (f", {old_agency}" if old_agency else "")
        said += [mention(person), f" is now {new_label} instead of {old_label}."]
    if cmd.champion and not membership.champion:
        before = previous_champion(s, case=case, but=person.id)
        move_champion(s, case=case, to=membership)
        said += [" " if said else "", mention(person), " is now the champion"]
        said += [" instead of ", mention(before), "."] if before is not None else ["."]
    if said:
        audit.record(
            s,
            action="member.changed",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=by.id,
            person_id=person.id,
            role=membership.role,
            old_role=old_role,
            agency=membership.agency,
            champion=membership.champion,
        )
    return MemberChange(case.reference, person, tuple(said))


async def announce_change(ask: Ask, change: MemberChange, *, room: Room | None) -> Reply:
    """Nothing changed: say so, announce nothing (but make sure they are in the room, which a platform may
    have refused before). A change: stated in the room and to the asker."""
    ready = room is not None and room.external_id and room.state == "ready"
    if not change.said:
        if room is not None and room.external_id and ready:
            try:
                await ask.platform.add_members(
                    workspace=ask.workspace, room_id=room.external_id, user_ids=[change.person.external_id]
                )
            except PlatformError as exc:
                return Reply.text(
                    mention(change.person),
                    f" is on the team of {change.reference}, but could not be added to its room: ",
                    exc.message,
                )
        return Reply.text(
            mention(change.person),
            f" is already on the team of {change.reference} with that role. Nothing changed.",
        )
    if room is not None and room.external_id and ready:
        with contextlib.suppress(PlatformError):  # the change stands; the asker is told below
            await ask.platform.post(
                workspace=ask.workspace,
                room_id=room.external_id,
                reply=Reply.text(*change.said, private=False),
            )
    return Reply.text(*change.said)


def champion_words(cmd: c.Invite, before: Person | None) -> tuple[Span, ...]:
    """For a newcomer named champion: whom they take over from, if anyone."""
    if not cmd.champion:
        return ()
    if before is None:
        return (" They are the champion.",)
    return (" They are now the champion instead of ", mention(before), ".")
