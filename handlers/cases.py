"""Use cases: open a case (with its private room), close it, and list a SENCO's cases."""

from __future__ import annotations

from dataclasses import replace

from handlers import access
from handlers.alias import check_alias, full_name_question
from handlers.confirm import ask_first
from handlers.core import Ask
from handlers.errors import UsageError
from handlers.forms.requests import cancel_requests
from handlers.grammar import commands as c
from handlers.open_work import open_work, work_lines
from handlers.platform import PlatformError
from handlers.render import case_title, mention, plural, room_topic
from handlers.replies import Bullets, Fields, Heading, Note, Reply, Span, Strong, para, reply
from handlers.reviews.meeting import announce_cancellation, cancel_current
from storage import audit
from storage.models import Case, Room
from storage.repo import cases as case_repo
from storage.repo import people

REOPEN_DAYS = 30  # a closed case can be reopened by its key worker this long after closing


def room_name(case: Case) -> str:
    """Rooms are named from the reference only: never the pupil's name or alias."""
    return case.reference.lower()


async def open_case(ask: Ask, cmd: c.Open) -> Reply:
    alias = check_alias(cmd.alias, command="open")
    question = full_name_question(ask, alias=alias, reference=None)
    if question is not None:
        return question
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        access.require_senco(s, who, "open a case")
        # Only the asker's own cases are looked at: another SENCO's aliases stay invisible to them.
        existing = case_repo.find_open_case_by_alias(
            s, school_id=who.school.id, alias=alias, member_id=who.person.id
        )
        if existing is not None:
            room = case_repo.get_room(s, case_id=existing.id)
            if existing.key_worker_id == who.person.id and room is not None and room.state != "ready":
                case = existing  # a repeat of `open` retries the room that failed
            else:
                raise UsageError(
                    f"{existing.reference} already uses the alias {alias}.",
                    command="open",
                    hint="Choose another alias, or carry on in that case.",
                )
        else:
            number = people.next_case_number(s, school_id=who.school.id)
            case = case_repo.create_case(
                s,
                school_id=who.school.id,
                number=number,
                alias=alias,
                year_group=cmd.year_group,
                route=cmd.route,
                key_worker_id=who.person.id,
                now=ask.now,
            )
            case_repo.create_room(
                s, case_id=case.id, platform=ask.platform.name, name=room_name(case), now=ask.now
            )
            case_repo.add_membership(
                s,
                case_id=case.id,
                person_id=who.person.id,
                role="senco",
                agency=None,
                champion=False,
                added_by_id=who.person.id,
                now=ask.now,
            )
            audit.record(
                s,
                action="case.opened",
                at=ask.now,
                school_id=who.school.id,
                case_id=case.id,
                actor_id=who.person.id,
                route=cmd.route,
                year_group=cmd.year_group,
            )
        senco = who.person
    problem = await ensure_room(ask, case)
    title = case_title(case)
    if problem:
        return reply(
            para("Case ", Strong(title), " is open, but its private room could not be made: ", problem),
            Note(("Type the same `open` command again to retry; `status` shows the room's state.",)),
            summary=f"{case.reference} opened; room not created",
        )
    return reply(
        para(
            "Opened case ",
            Strong(title),
            " with a private room. You are its key worker, ",
            mention(senco),
            ".",
        ),
        Note(('Next: record consent with `consent given by "<name>" relationship parent`.',)),
        summary=f"Opened {case.reference}",
    )


async def ensure_room(ask: Ask, case: Case) -> str | None:
    """Create the case's room if it has none yet, add the key worker, post a welcome.

    Returns None on success, or a user-safe sentence saying what went wrong. Never holds a database
    transaction while waiting on the platform.
    """
    with ask.core.db.transaction() as s:
        room = case_repo.get_room(s, case_id=case.id)
        assert room is not None
        key_worker = people.people_by_id(s, ids={case.key_worker_id})[case.key_worker_id]
        if room.state == "ready" and room.external_id:
            return None
    platform = ask.platform
    try:
        room_id = room.external_id or await platform.create_private_room(
            workspace=ask.workspace, name=room.name, topic=room_topic(case.reference, case.purpose)
        )
        _save_room(ask, room, room_id=room_id, state="pending", error=None)
        await platform.add_members(
            workspace=ask.workspace, room_id=room_id, user_ids=[key_worker.external_id]
        )
        await platform.post(workspace=ask.workspace, room_id=room_id, reply=welcome(case))
    except PlatformError as exc:
        _save_room(ask, room, room_id=room.external_id, state="failed", error=exc.message)
        return exc.message
    _save_room(ask, room, room_id=room_id, state="ready", error=None)
    return None


def _save_room(ask: Ask, room: Room, *, room_id: str | None, state: str, error: str | None) -> None:
    with ask.core.db.transaction() as s:
        row = s.get(Room, room.id)
        assert row is not None
        row.external_id, row.state, row.last_error = room_id, state, error
        room.external_id, room.state, room.last_error = room_id, state, error
        audit.record(s, action=f"room.{state}", at=ask.now, case_id=room.case_id, error=error)


def welcome(case: Case) -> Reply:
    fields: list[tuple[str, tuple[Span, ...]]] = [
        ("Case", (case.reference,)),
        ("Alias", (case.alias,)),
        ("Route", (case.route,)),
    ]
    if case.year_group:
        fields.append(("Year", (case.year_group,)))
    return reply(
        Heading(f"Team Around the Child: {case.reference}"),
        Fields(tuple(fields)),
        para("This private room is for the team around this pupil. Only invited members can see it."),
        Note(("Type `/tac help` for what you can do here.",)),
        summary=f"Welcome to {case.reference}",
        private=False,
    )


async def close_case(ask: Ask, cmd: c.Close) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "close it")
        access.require_open(acc)
        case = acc.case
        work = open_work(s, case=case, now=ask.now)
        if not work.empty and not ask.confirmed:
            lines = work_lines(work, tz=ask.core.tz, forms=ask.core.forms_of(s, case.school_id))
            return ask_first(
                ask,
                reference=case.reference,
                blocks=[
                    para(
                        f"{case.reference} still has open work. Closing it cancels the requests and the "
                        "meeting, stops every chaser and archives the room:"
                    ),
                    Bullets(lines),
                    para(f"You can `reopen` it within {REOPEN_DAYS} days."),
                ],
                summary=f"Close {case.reference}? It still has open work.",
            )
        case.status, case.closed_at, case.close_reason = "closed", ask.now, cmd.reason
        cancel_requests(s, case=case, actor_id=who.person.id, now=ask.now, reason="case closed")
        cancelled_review = cancel_current(s, ask, case=case, actor_id=who.person.id)
        members = len(case_repo.active_members(s, case_id=case.id))
        room = case_repo.get_room(s, case_id=case.id)
        audit.record(
            s,
            action="case.closed",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            reason=cmd.reason,
        )
    summary = reply(
        Heading(f"{case.reference} is closed"),
        Fields(
            (
                ("Opened", (case.opened_at.astimezone(ask.core.tz).strftime("%d %b %Y"),)),
                ("Closed", (ask.now.astimezone(ask.core.tz).strftime("%d %b %Y"),)),
                ("Team", (plural(members, "member"),)),
            )
        ),
        *((para("Reason: ", cmd.reason),) if cmd.reason else ()),
        Note(("This room is now archived. Records are kept under the school's retention policy.",)),
        summary=f"{case.reference} closed",
        private=False,
    )
    if cancelled_review is not None:
        await announce_cancellation(ask, case, cancelled_review)
    if room is not None and room.external_id and room.state == "ready":
        try:
            await ask.platform.post(workspace=ask.workspace, room_id=room.external_id, reply=summary)
            await ask.platform.archive_room(workspace=ask.workspace, room_id=room.external_id)
        except PlatformError as exc:
            return Reply.text(
                f"{case.reference} is closed, but its room could not be archived: {exc.message}"
            )
        _save_room(ask, room, room_id=room.external_id, state="archived", error=None)
    closed = Reply.text("Closed ", Strong(case_title(case)), ".")
    return replace(closed, summary=f"Closed {case.reference}.")  # a notification names no alias


async def list_cases(ask: Ask, cmd: c.Cases) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        senco = people.is_senco(s, person_id=who.person.id, school_id=who.school.id)
        rows = case_repo.open_cases_of_member(s, school_id=who.school.id, person_id=who.person.id)
    if not rows:
        if senco:
            return Reply.text("You have no open cases. Open one with `open <alias>`.")
        return Reply.text("You are not on any open case. A case's key worker adds you with `invite`.")
    items = tuple(
        (Strong(r.reference), f" {r.alias} · {r.route}" + (f" · year {r.year_group}" if r.year_group else ""))
        for r in rows
    )
    return reply(Heading("Your open cases"), Bullets(items), summary=f"{len(rows)} open cases")
