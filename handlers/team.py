"""Use cases: invite someone to the team (behind the consent gate), remove them, show the roster."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session

from handlers import access
from handlers.chasing.queueing import calendar_for, replan_current
from handlers.consent import describe, scopes_in_force
from handlers.core import Ask
from handlers.directory.show import with_directory_hint
from handlers.errors import NoConsent, NotFound, UsageError
from handlers.grammar import commands as c
from handlers.leavers import leaver_blocks, leaver_work
from handlers.membership import remove_from_room, take_off_team
from handlers.outside.ids import is_external
from handlers.outside.topics import Topic
from handlers.platform import PlatformError
from handlers.render import case_title, mention, role_label, with_article
from handlers.replies import Block, Bullets, Heading, MailNote, Note, Reply, Span, Strong, para, reply
from handlers.roles import CHAMPION, consent_covers, scope_needed
from handlers.team_changes import announce_change, champion_words, member_change, previous_champion
from storage import audit
from storage.models import Person
from storage.repo import cases as case_repo
from storage.repo import people

NewPerson = Callable[[Session, access.Asker, str], Person]


async def invite(ask: Ask, cmd: c.Invite) -> Reply:
    name = await access.known_name(ask, cmd.person)

    def on_platform(s: Session, who: access.Asker, name: str) -> Person:
        return people.get_or_create_person(
            s,
            platform=ask.command.actor.platform,
            external_id=cmd.person.user_id,
            display_name=name,
            now=ask.now,
        )

    return await join(ask, cmd, name=name, person_for=on_platform)


async def join(ask: Ask, cmd: c.Invite, *, name: str, person_for: NewPerson) -> Reply:
    """Put the person ``person_for`` finds or makes on the team (behind the consent gate), into the room
    (people outside the workspace: by e-mail instead), and tell them."""
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "invite people")
        access.require_open(acc)
        case = acc.case
        in_force = scopes_in_force(s, case_id=case.id)
        if not consent_covers(cmd.role, in_force):
            needed = scope_needed(cmd.role)
            covering = "any scope" if needed == "any" else f"{needed.replace('-', ' ')} (or all)"
            raise NoConsent(
                f"{with_article(role_label(cmd.role))} can join only once consent covering {covering} is "
                f"recorded. Consent so far covers: {describe(in_force) if in_force else 'nothing yet'}.",
                hint='Record it first: `consent given by "<name>" relationship parent scope all`.',
            )
        person = person_for(s, who, name)
        if person.id == case.key_worker_id:
            raise UsageError("The key worker is already on the team.", command="invite")
        existing = case_repo.active_membership(s, case_id=case.id, person_id=person.id)
        change, before = None, None
        if existing is not None:
            change = member_change(
                s, ask, case=case, person=person, membership=existing, cmd=cmd, by=who.person
            )
        else:
            if cmd.champion:
                before = previous_champion(s, case=case, but=person.id)
                for m in case_repo.active_members(s, case_id=case.id):
                    m.champion = False
            case_repo.add_membership(
                s,
                case_id=case.id,
                person_id=person.id,
                role=cmd.role,
                agency=cmd.agency,
                champion=cmd.champion,
                added_by_id=who.person.id,
                now=ask.now,
            )
            audit.record(
                s,
                action="member.invited",
                at=ask.now,
                school_id=case.school_id,
                case_id=case.id,
                actor_id=who.person.id,
                person_id=person.id,
                role=cmd.role,
                agency=cmd.agency,
                why="joined the team around the child",
            )
            replan_current(s, cal=calendar_for(s, ask, school_id=case.school_id), case=case, now=ask.now)
        room = case_repo.get_room(s, case_id=case.id)
    if change is not None:
        return await announce_change(ask, change, room=room)
    label = role_label(cmd.role) + (f", {cmd.agency}" if cmd.agency else "")
    if room is not None and room.external_id and room.state == "ready":
        try:
            await ask.platform.add_members(
                workspace=ask.workspace, room_id=room.external_id, user_ids=[person.external_id]
            )
            await ask.platform.post(
                workspace=ask.workspace,
                room_id=room.external_id,
                reply=Reply.text(
                    mention(person),
                    f" joined the team as {label}.",
                    *champion_words(cmd, before),
                    private=False,
                ),
            )
        except PlatformError as exc:
            return Reply.text(
                f"{name} is on the team of {case.reference}, but could not be added to its room: ",
                exc.message,
            )
    await _tell(
        ask,
        person.external_id,
        Reply.text(
            "You have been added to the team around a child: ",
            Strong(case_title(case)),
            f", as {label}. ",
            "Type `/tac status` in the case room to see where things stand.",
            private=False,
            mail=MailNote(Topic.ADDED, case.id),
        ),
        summary=f"You have been added to the team around a child: {case.reference}",
    )
    done = Reply.text("Invited ", mention(person), f" to {case.reference} as {label}.")
    return with_directory_hint(ask, done, role=cmd.role, agency=cmd.agency)


async def _tell(ask: Ask, user_id: str, message: Reply, *, summary: str) -> None:
    """DM them ``message``; its notification (``summary``) names the case by reference only."""
    with contextlib.suppress(PlatformError):  # the invitation stands; the room post told them
        await ask.platform.direct_message(
            workspace=ask.workspace, user_id=user_id, reply=replace(message, summary=summary)
        )


async def remove(ask: Ask, cmd: c.Remove) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "remove people")
        access.require_open(acc)
        case = acc.case
        person = people.find_person(s, platform=ask.command.actor.platform, external_id=cmd.person.user_id)
        membership = person and case_repo.active_membership(s, case_id=case.id, person_id=person.id)
        if person is None or not membership:
            raise NotFound(f"{cmd.person.label} is not on the team of {case.reference}.")
        if person.id == case.key_worker_id:
            raise UsageError("The key worker cannot be removed from their own case.", command="remove")
        left_open = leaver_work(s, case=case, person=person, now=ask.now)
        forms = ask.core.forms_of(s, case.school_id)
        take_off_team(
            s,
            case=case,
            membership=membership,
            actor_id=who.person.id,
            now=ask.now,
            reason="removed by key worker",
        )
        room = case_repo.get_room(s, case_id=case.id)
    if room is not None and room.external_id and room.state == "ready":
        problems = await remove_from_room(ask, room_id=room.external_id, user_ids=[person.external_id])
        if problems:
            return Reply.text(
                f"Removed from the team of {case.reference}, but not from its room: ", problems[0]
            )
    done = para("Removed ", mention(person), f" from {case.reference}.")
    if left_open is None:
        return reply(done, summary=f"Removed from {case.reference}")
    more = leaver_blocks(left_open, tz=ask.core.tz, forms=forms)
    return reply(done, *more, summary=f"Removed from {case.reference}; they had work open")


async def roster(ask: Ask, cmd: c.Team) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_or_only_case(s, ask, who, cmd.case_ref, word="team")
        case = acc.case
        members = case_repo.active_members(s, case_id=case.id)
        persons = people.people_by_id(s, ids={m.person_id for m in members})
    items: list[tuple[Span, ...]] = []
    for m in members:
        p = persons[m.person_id]
        spans: list[Span] = [mention(p), " · ", role_label(m.role)]
        if m.agency:
            spans += [" · ", m.agency]
        if p.id == case.key_worker_id:
            spans.append(" · key worker")
        if m.champion:
            spans += [" · ", Strong("champion")]
        if is_external(p.external_id):
            spans.append(" · external (by e-mail)")
        items.append(tuple(spans))
    blocks: list[Block] = [Heading(f"Team around {case_title(case)}"), Bullets(tuple(items))]
    if not any(m.champion for m in members):
        blocks.append(Note(("No champion named yet: `invite @person <role> champion`. ", CHAMPION)))
    else:
        blocks.append(Note((CHAMPION,)))
    return reply(*blocks, summary=f"{len(members)} members")
