"""Use case `purpose "<text>"`: the team's agreed purpose, "a focus point to come back to".

It becomes the room's topic, the first line of `status` and `plan`, and opens the plan export and the
review pack. Setting or changing it is audited (without its words) and announced in the room.
"""

from __future__ import annotations

import contextlib

from handlers import access
from handlers.core import Ask
from handlers.grammar import commands as c
from handlers.plan.view import purpose_line
from handlers.platform import PlatformError
from handlers.render import case_title, mention, room_topic
from handlers.replies import Block, Note, Reply, Strong, para, reply
from storage import audit
from storage.repo import cases as case_repo


async def set_purpose(ask: Ask, cmd: c.PurposeSet) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "set the team's purpose")
        access.require_open(acc)
        case = acc.case
        changed = case.purpose is not None
        case.purpose = cmd.text
        audit.record(
            s,
            action="case.purpose_set",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            changed=changed,
            why="the team's agreed purpose",
        )
        room = case_repo.get_room(s, case_id=case.id)
        title, reference = case_title(case), case.reference
    if room is None or room.state != "ready" or not room.external_id:
        return Reply.text(f"The purpose of {title} is set. The room is not ready, so nobody was told yet.")
    announcement = reply(
        para(mention(who.person), " changed the team's purpose:" if changed else " set the team's purpose:"),
        purpose_line(cmd.text),
        summary=f"The team's purpose for {reference} is {'changed' if changed else 'set'}",
        private=False,
    )
    note = ""
    with contextlib.suppress(PlatformError):
        await ask.platform.post(workspace=ask.workspace, room_id=room.external_id, reply=announcement)
    try:
        await ask.platform.set_topic(
            workspace=ask.workspace, room_id=room.external_id, topic=room_topic(reference, cmd.text)
        )
    except PlatformError as exc:
        note = f"The room's topic could not be changed: {exc.message}"
    blocks: list[Block] = [
        para("The team's purpose for ", Strong(title), " is set and announced in the room.")
    ]
    if note:
        blocks.append(Note((note,)))
    return reply(*blocks, summary=f"Purpose set for {reference}")


async def show_purpose(ask: Ask, cmd: c.PurposeShow) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        case = access.case_for(s, ask, who, cmd.case_ref).case
        purpose, title = case.purpose, case_title(case)
    if not purpose:
        return Reply.text(f'{title} has no agreed purpose yet. The key worker sets one: `purpose "<text>"`.')
    return reply(purpose_line(purpose), summary=f"The purpose of {title}")
