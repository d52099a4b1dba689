"""Use case: record consent given or withdrawn; withdrawal takes away the access it covered."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers import access
from handlers.core import Ask
from handlers.grammar import commands as c
from handlers.leavers import LeaverWork, leaver_blocks, leaver_work
from handlers.membership import remove_from_room, take_off_team
from handlers.platform import PlatformError
from handlers.render import plural, role_label
from handlers.replies import Block, Bullets, Mention, Reply, Span, Strong, para, reply
from handlers.roles import consent_covers, effective_scopes
from storage import audit
from storage.repo import cases as case_repo
from storage.repo import people


def scopes_in_force(session: Session, *, case_id: int) -> frozenset[str]:
    return effective_scopes(
        (e.kind == "given", e.scope) for e in case_repo.consents(session, case_id=case_id)
    )


def describe(scopes: frozenset[str]) -> str:
    return ", ".join(sorted(scopes)) if scopes else "none"


async def change_consent(ask: Ask, cmd: c.ConsentChange) -> Reply:
    removed: list[tuple[str, str, str]] = []  # (platform user id, name, role)
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "record consent")
        access.require_open(acc)
        case = acc.case
        kind = "given" if cmd.given else "withdrawn"
        case_repo.add_consent(
            s,
            case_id=case.id,
            kind=kind,
            by_name=cmd.by_name,
            relationship=cmd.relationship,
            scope=cmd.scope,
            recorded_by_id=who.person.id,
            now=ask.now,
        )
        in_force = scopes_in_force(s, case_id=case.id)
        audit.record(
            s,
            action=f"consent.{kind}",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            by=cmd.by_name,
            relationship=cmd.relationship,
            scope=cmd.scope,
        )
        left_open: list[LeaverWork] = []
        if not cmd.given:
            members = case_repo.active_members(s, case_id=case.id)
            persons = people.people_by_id(s, ids={m.person_id for m in members})
            for m in members:
                if not consent_covers(m.role, in_force):
                    gone = leaver_work(s, case=case, person=persons[m.person_id], now=ask.now)
                    if gone is not None:
                        left_open.append(gone)
                    take_off_team(
                        s,
                        case=case,
                        membership=m,
                        actor_id=who.person.id,
                        now=ask.now,
                        reason="consent withdrawn",
                    )
                    removed.append(
                        (persons[m.person_id].external_id, persons[m.person_id].display_name, m.role)
                    )
        forms = ask.core.forms_of(s, case.school_id) if left_open else ask.core.forms
        room = case_repo.get_room(s, case_id=case.id)
    problems = []
    if room is not None and room.external_id and removed:
        problems = await remove_from_room(
            ask, room_id=room.external_id, user_ids=[uid for uid, _, _ in removed]
        )
        notice = Reply.text(
            f"Consent in force now covers: {describe(in_force)}. {plural(len(removed), 'member')} it no "
            f"longer covers {'has' if len(removed) == 1 else 'have'} left the team.",
            private=False,
        )
        try:
            await ask.platform.post(workspace=ask.workspace, room_id=room.external_id, reply=notice)
        except PlatformError as exc:
            problems.append(exc.message)
    verb = "given" if cmd.given else "withdrawn"
    blocks: list[Block] = [
        para(
            "Recorded consent ",
            Strong(verb),
            f" by {cmd.by_name} ({cmd.relationship}), scope {cmd.scope}. ",
            f"Consent now covers: {describe(in_force)}.",
        ),
    ]
    if removed:
        items: tuple[tuple[Span, ...], ...] = tuple(
            (Mention(user_id=uid, name=name), f" ({role_label(role)})") for uid, name, role in removed
        )
        blocks.append(para("No longer covered by consent, so removed from the team:"))
        blocks.append(Bullets(items))
    if problems:
        blocks.append(para("Some could not be taken out of the room: ", problems[0]))
    for gone in left_open:
        blocks += leaver_blocks(gone, tz=ask.core.tz, forms=forms)
    return reply(*blocks, summary=f"Consent {verb}")
