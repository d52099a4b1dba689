"""Use case `plan export` (key worker): Word and PDF posted to the case room through the platform."""

from __future__ import annotations

import asyncio

from handlers import access
from handlers.core import Ask
from handlers.errors import TacBotError
from handlers.grammar import commands as c
from handlers.plan import snapshot
from handlers.plan.export.content import build
from handlers.plan.export.pdf import render_pdf, unicode_font
from handlers.plan.export.word import render_docx
from handlers.platform import PlatformError
from handlers.replies import Reply
from storage import audit
from storage.repo import cases as case_repo


async def export_plan(ask: Ask, cmd: c.PlanExport) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "export the plan")
        case = acc.case
        room = case_repo.get_room(s, case_id=case.id)
        if room is not None and room.state == "archived":
            raise TacBotError(f"{case.reference} is closed and its room archived; there is nowhere to post.")
        if room is None or not room.external_id or room.state != "ready":
            raise TacBotError(
                f"The room of {case.reference} is not ready, so there is nowhere to post the plan.",
                hint="Retry `open` to make the room first.",
            )
        plan = snapshot.load(s, case=case, today=ask.today, tz=ask.core.tz)
        room_id = room.external_id
        stem = f"{case.reference}-plan-{ask.today:%Y-%m-%d}"
        audit.record(
            s,
            action="plan.exported",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            files=[f"{stem}.docx", f"{stem}.pdf"],
            why="the plan posted to its case room as Word and PDF",
        )
    doc = build(plan, produced=ask.today)
    # Rendering takes up to a second for a large plan: off the event loop, so other chats carry on.
    docx = await asyncio.to_thread(render_docx, doc)
    pdf = await asyncio.to_thread(render_pdf, doc, font_dir=unicode_font())
    files = ((f"{stem}.docx", docx, "Word"), (f"{stem}.pdf", pdf, "PDF"))
    for filename, content, kind in files:
        try:
            await ask.platform.upload_file(
                workspace=ask.workspace,
                room_id=room_id,
                filename=filename,
                content=content,
                title=f"Joint agency plan {plan.reference} ({kind})",
            )
        except PlatformError as exc:
            return Reply.text(f"The plan could not be posted as {kind}: ", exc.message)
    return Reply.text(f"Posted the plan of {plan.reference} to its room as Word and PDF ({stem}).")
