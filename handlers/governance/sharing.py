"""Use case: `share input <n> [reason "<why>"]` (key worker): post an input's answers to the case room.

The decision, who made it and why are audited (``input.shared``), and the pre-meeting pack includes only
shared inputs (``handlers.reviews.pack_inputs``).
"""

from __future__ import annotations

from handlers import access
from handlers.core import Ask
from handlers.errors import NotAllowed, NotFound
from handlers.forms.hooks import PRIVATE, with_options
from handlers.forms.inputs import answer_blocks
from handlers.grammar import commands as c
from handlers.platform import PlatformError
from handlers.render import case_title, mention
from handlers.replies import Block, Heading, Note, Reply, para, reply
from storage import audit
from storage.repo import cases as case_repo
from storage.repo import forms as form_repo
from storage.repo import people, shares


async def share_input(ask: Ask, cmd: c.InputShare) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "share an input with the room")
        access.require_open(acc)
        request = form_repo.get_request_by_number(s, case_id=acc.case.id, number=cmd.number)
        if request is None:
            raise NotFound(
                f"{acc.case.reference} has no input {cmd.number}.", hint="Type `inputs` to see them."
            )
        if request.form_id in PRIVATE:
            raise NotAllowed(f"Input {cmd.number} is the pupil's details: they are never shared.")
        latest = form_repo.latest_submission(s, request_id=request.id)
        if latest is None:
            raise NotAllowed(f"Input {cmd.number} is not in yet: there is nothing to share.")
        form = ask.core.forms_of(s, acc.case.school_id).get(request.form_id)
        if form is not None and form.internal:
            raise NotAllowed(f"Input {cmd.number} is the record of a meeting, posted to the room already.")
        room = case_repo.get_room(s, case_id=acc.case.id)
        if room is None or room.state != "ready" or not room.external_id:
            raise NotAllowed(f"{acc.case.reference}'s room is not ready, so nothing can be shared yet.")
        row = shares.share(
            s,
            case_id=acc.case.id,
            request_id=request.id,
            version=latest.version,
            by_id=who.person.id,
            reason=cmd.reason,
            now=ask.now,
        )
        if row is None:
            return Reply.text(
                f"Version {latest.version} of input {cmd.number} is already shared with the room."
            )
        audit.record(
            s,
            action="input.shared",
            at=ask.now,
            school_id=acc.case.school_id,
            case_id=acc.case.id,
            actor_id=who.person.id,
            number=request.number,
            form_id=request.form_id,
            version=latest.version,
            to="case room",
            why=cmd.reason or "",
        )
        author = people.people_by_id(s, ids={latest.submitted_by_id})[latest.submitted_by_id]
        form = with_options(s, form, acc.case) if form is not None else None
        room_id, workspace, platform = room.external_id, ask.workspace, room.platform
        title = form.title if form else request.form_id
        when = latest.submitted_at.astimezone(ask.core.tz)
        blocks: list[Block] = [
            Heading(f"{title}: {case_title(acc.case)}"),
            para("From ", mention(author), f" · {when:%a %d %b %Y}", f" · version {latest.version}"),
            *answer_blocks(form, latest.answers),
            Note(("Shared with the team by the key worker" + (f": {cmd.reason}" if cmd.reason else "."),)),
        ]
    try:
        await ask.core.platform(platform).post(
            workspace=workspace,
            room_id=room_id,
            reply=reply(*blocks, summary=f"Input {cmd.number} shared: {title}", private=False),
        )
    except PlatformError as error:
        return Reply.text(f"Recorded as shared, but the room did not take the message: {error.message}")
    return Reply.text(f"Shared input {cmd.number} ({title}, version {latest.version}) with the room.")
