"""Use cases that change a case's hands or undo a mistake about it: `alias`, `reopen`, `handover`.

Each is audited. The alias is the pupil's chosen name in TAC Bot: it is never written to the audit trail,
a room name or a log (the audit says only that it changed).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from handlers import access
from handlers.alias import check_alias, full_name_question
from handlers.cases import REOPEN_DAYS, room_name
from handlers.chasing import queueing as chasing
from handlers.chasing.queueing import replan_current
from handlers.core import Ask
from handlers.errors import NotAllowed, UsageError
from handlers.grammar import commands as c
from handlers.outside.ids import is_external
from handlers.platform import PlatformError
from handlers.render import case_title, mention
from handlers.replies import Block, Note, Reply, Strong, para, reply
from handlers.roles import SCHOOL_STAFF
from storage import audit
from storage.models import Case, Person, Room
from storage.repo import cases as case_repo
from storage.repo import people
from storage.repo import plan as plan_repo


async def change_alias(ask: Ask, cmd: c.AliasChange) -> Reply:
    alias = check_alias(cmd.alias, command="alias")
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "change its alias")
        access.require_open(acc)
        case = acc.case
        question = full_name_question(ask, alias=alias, reference=case.reference)
        if question is not None:
            return question
        clash = case_repo.find_open_case_by_alias(
            s, school_id=who.school.id, alias=alias, member_id=who.person.id
        )
        if clash is not None and clash.id != case.id:
            raise UsageError(f"{clash.reference} already uses the alias {alias}.", command="alias")
        case.alias = alias
        audit.record(
            s,
            action="case.alias_changed",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
        )
        room = _ready_room(case_repo.get_room(s, case_id=case.id))
    if room is not None:
        with contextlib.suppress(PlatformError):
            notice = reply(
                para(f"{case.reference} is now known as ", Strong(alias), "."),
                summary=f"{case.reference}: its alias changed",  # a notification never shows the alias
                private=False,
            )
            await ask.platform.post(workspace=ask.workspace, room_id=room, reply=notice)
    return reply(
        para(f"{case.reference} is now known as ", Strong(alias), "."),
        summary=f"{case.reference}: alias changed",
    )


def _ready_room(room: Room | None) -> str | None:
    return room.external_id if room is not None and room.state == "ready" and room.external_id else None


async def reopen(ask: Ask, cmd: c.Reopen) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "reopen it")
        case = acc.case
        if case.status == "open":
            return Reply.text(f"{case.reference} is open already.")
        closed_at = case.closed_at or ask.now
        if ask.now - closed_at > timedelta(days=REOPEN_DAYS):
            raise NotAllowed(
                f"{case.reference} was closed over {REOPEN_DAYS} days ago; it can no longer be reopened.",
                hint="Open a new case with `open <alias>`.",
            )
        case.status, case.closed_at, case.close_reason = "open", None, None
        for action in plan_repo.actions(s, case_id=case.id):
            chasing.plan_action(s, ask, case=case, action=action)
        audit.record(
            s,
            action="case.reopened",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            closed_at=closed_at.isoformat(),
        )
        room = case_repo.get_room(s, case_id=case.id)
        members = case_repo.active_members(s, case_id=case.id)
        team = people.people_by_id(s, ids={m.person_id for m in members})
        user_ids = [team[m.person_id].external_id for m in members]
    problem = await _bring_back_room(ask, case, room, user_ids) if room is not None else None
    blocks: list[Block] = [
        para("Reopened ", Strong(case_title(case)), f": its room and its team of {len(user_ids)} are back."),
        Note(
            (
                "Open actions are chased again. Requests and the meeting cancelled at closing stay "
                "cancelled: `request` and `review on` set them up again.",
            )
        ),
    ]
    if problem:
        blocks.insert(1, para("The room could not be brought back: ", problem))
    return reply(*blocks, summary=f"Reopened {case.reference}")


async def _bring_back_room(ask: Ask, case: Case, room: Room, user_ids: list[str]) -> str | None:
    """Unarchive the room, or (where the platform cannot) make a new one; add the whole team back."""
    platform = ask.platform
    room_id = room.external_id
    try:
        if room_id is None:
            raise PlatformError("The case had no room.")
        await platform.unarchive_room(workspace=ask.workspace, room_id=room_id)
    except PlatformError:
        try:
            room_id = await platform.create_private_room(
                workspace=ask.workspace,
                name=room_name(case),
                topic=f"{case.reference}: Team Around the Child",
            )
        except PlatformError as exc:
            return exc.message
    try:
        await platform.add_members(workspace=ask.workspace, room_id=room_id, user_ids=user_ids)
        notice = Reply.text(Strong(case.reference), " is open again.", private=False)
        await platform.post(workspace=ask.workspace, room_id=room_id, reply=notice)
    except PlatformError as exc:
        _save(ask, room, room_id=room_id, state="failed", error=exc.message)
        return exc.message
    _save(ask, room, room_id=room_id, state="ready", error=None)
    return None


def _save(ask: Ask, room: Room, *, room_id: str, state: str, error: str | None) -> None:
    with ask.core.db.transaction() as s:
        row = s.get(Room, room.id)
        assert row is not None
        row.external_id, row.state, row.last_error = room_id, state, error
        audit.record(s, action=f"room.{state}", at=ask.now, case_id=room.case_id, error=error)


async def handover(ask: Ask, cmd: c.Handover) -> Reply:
    if is_external(cmd.person.user_id):
        raise UsageError(
            f"{cmd.person.label} is outside the workspace; the key worker must be someone in it.",
            command="handover",
        )
    name = await access.known_name(ask, cmd.person)
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        if not acc.is_key_worker and not people.is_senco(s, person_id=who.person.id, school_id=who.school.id):
            raise NotAllowed(f"Only the key worker of {acc.case.reference} or a SENCO can hand it over.")
        access.require_open(acc)
        case = acc.case
        person = people.get_or_create_person(
            s,
            platform=ask.command.actor.platform,
            external_id=cmd.person.user_id,
            display_name=name,
            now=ask.now,
        )
        if person.id == case.key_worker_id:
            raise UsageError(f"{name} is already the key worker of {case.reference}.", command="handover")
        membership = case_repo.active_membership(s, case_id=case.id, person_id=person.id)
        if membership is not None and membership.role not in SCHOOL_STAFF:
            raise UsageError(
                f"{name} is on the team as someone from outside the school; a key worker is school staff.",
                command="handover",
            )
        joined = membership is None
        if joined:  # someone new (or back) joins the team as its key worker
            case_repo.add_membership(
                s,
                case_id=case.id,
                person_id=person.id,
                role="key-worker",
                agency=None,
                champion=False,
                added_by_id=who.person.id,
                now=ask.now,
            )
        old_id, case.key_worker_id = case.key_worker_id, person.id
        cal = chasing.calendar_for(s, ask, school_id=case.school_id)
        replan_current(s, cal=cal, case=case, now=ask.now)  # the meeting's key-worker steps follow
        audit.record(
            s,
            action="case.handed_over",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            person_id=person.id,
            old_key_worker_id=old_id,
        )
        old = people.people_by_id(s, ids={old_id})[old_id]
        room = _ready_room(case_repo.get_room(s, case_id=case.id))
    by = who.person
    return await _announce_handover(ask, case, room=room, new=person, old=old, by=by, joined=joined)


async def _announce_handover(
    ask: Ask, case: Case, *, room: str | None, new: Person, old: Person, by: Person, joined: bool
) -> Reply:
    """The new key worker into the room (if they were not on the team), the room told, they told."""
    platform, workspace = ask.platform, ask.workspace
    problem = None
    if room is not None:
        try:
            if joined:
                await platform.add_members(workspace=workspace, room_id=room, user_ids=[new.external_id])
            notice = Reply.text(
                mention(new), " is now the key worker instead of ", mention(old), ".", private=False
            )
            await platform.post(workspace=workspace, room_id=room, reply=notice)
        except PlatformError as exc:
            problem = exc.message
    with contextlib.suppress(PlatformError):
        await platform.direct_message(
            workspace=workspace,
            user_id=new.external_id,
            reply=reply(
                para(
                    "You are now the key worker of ",
                    Strong(case_title(case)),
                    ", handed over by ",
                    mention(by),
                    ". Its escalations, the weekly digest and the decisions about it come to you; "
                    f"`status case {case.reference}` shows where things stand.",
                ),
                summary=f"You are now the key worker of {case.reference}",  # the alias is never pushed
                private=False,
            ),
        )
    if problem:
        return Reply.text(
            mention(new), f" is now the key worker of {case.reference}, but the room was not told: ", problem
        )
    return Reply.text(
        mention(new), f" is now the key worker of {case.reference} instead of ", mention(old), "."
    )
