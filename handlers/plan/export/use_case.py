"""Use case `plan export` (key worker): Word and PDF posted to the case room through the platform."""

from __future__ import annotations

import asyncio
import logging

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

log = logging.getLogger(__name__)


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
        school_id, case_id, actor_id = case.school_id, case.id, who.person.id
    doc = build(plan, produced=ask.today)
    try:
        # Rendering takes up to a second for a large plan: off the event loop, so other chats carry on.
        docx = await asyncio.to_thread(render_docx, doc)
        pdf = await asyncio.to_thread(render_pdf, doc, font_dir=unicode_font())
    except Exception as exc:  # a renderer's refusal (python-docx, fpdf2): say which and why
        log.warning("plan export of case %s failed to render: %s", case_id, type(exc).__name__)
        raise TacBotError(
            f"The plan of {plan.reference} could not be made into Word and PDF files ({_why(exc)}).",
            hint="Nothing was posted. `plan` shows it in chat meanwhile; tell your administrator.",
        ) from exc
    files = ((f"{stem}.docx", docx, "Word"), (f"{stem}.pdf", pdf, "PDF"))
    posted: list[str] = []
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
            _audit(ask, school_id, case_id, actor_id, posted)
            return Reply.text(f"The plan could not be posted as {kind}: ", exc.message)
        posted.append(filename)
    _audit(ask, school_id, case_id, actor_id, posted)
    return Reply.text(f"Posted the plan of {plan.reference} to its room as Word and PDF ({stem}).")


def _why(exc: Exception) -> str:
    """The renderer's reason in a line (its messages name characters and limits, not the plan's text)."""
    reason = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {reason}" if reason else type(exc).__name__


def _audit(ask: Ask, school_id: int, case_id: int, actor_id: int, posted: list[str]) -> None:
    """``plan.exported`` once the files are in the room: what was delivered, not what was attempted."""
    if not posted:
        return
    with ask.core.db.transaction() as s:
        audit.record(
            s,
            action="plan.exported",
            at=ask.now,
            school_id=school_id,
            case_id=case_id,
            actor_id=actor_id,
            files=posted,
            why="the plan posted to its case room as Word and PDF",
        )
