"""Use case: `audit [page <n>]`: a case's audit trail in chat, newest first, paged.

The key worker sees their case's trail; the school's SENCOs and Designated Safeguarding Leads
(``TACBOT_DSL``, `tacbot dsl add`) see it for any case of their school, and their reading is itself
audited. Anyone else is told the same as for a case that does not exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from handlers import access
from handlers.core import Ask
from handlers.errors import NotAllowed
from handlers.grammar import commands as c
from handlers.render import mention
from handlers.replies import Block, Bullets, Heading, Note, Reply, Span, reply
from storage import audit
from storage.models import AuditEvent, Case, Person
from storage.repo import cases as case_repo
from storage.repo import people

PAGE = 20
PER_BLOCK = 10
_PERSON_KEYS = ("person_id", "owner_id", "to")


def _case(s: Session, ask: Ask, who: access.Asker, ref: str | None) -> Case:
    """The case named or implied, in the asker's school, whether or not they are on its team."""
    if ref is None and ask.command.room_id is None:
        return access.case_for(s, ask, who, ref).case  # the usual "Which case?" refusal
    case = (
        case_repo.get_case_by_reference(s, school_id=who.school.id, reference=ref)
        if ref is not None
        else case_repo.get_case_by_room(
            s, platform=ask.command.actor.platform, room_external_id=ask.command.room_id or ""
        )
    )
    if case is None or case.school_id != who.school.id or case.status == "erased":
        raise access.not_found(ref)
    return case


def may_oversee(s: Session, ask: Ask, who: access.Asker) -> bool:
    """A SENCO or a Designated Safeguarding Lead of the asker's school."""
    actor = ask.command.actor
    return (
        (actor.platform, actor.user_id) in ask.core.dsls
        or people.is_dsl(s, person_id=who.person.id, school_id=who.school.id)
        or people.is_senco(s, person_id=who.person.id, school_id=who.school.id)
    )


def _detail(event: AuditEvent, names: dict[int, Person]) -> list[Span]:
    if event.detail is None:
        return [" · (details erased)"]
    spans: list[Span] = []
    detail: dict[str, Any] = dict(event.detail)
    why = detail.pop("why", None)
    for key, value in detail.items():
        if key in _PERSON_KEYS and isinstance(value, int) and value in names:
            spans += [f" · {key.removesuffix('_id')} ", mention(names[value])]
        elif value not in (None, "", [], {}):
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            spans.append(f" · {key}: {shown[:200]}")
    if why:
        spans.append(f" · why: {str(why)[:300]}")
    return spans


async def show_audit(ask: Ask, cmd: c.AuditShow) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        case = _case(s, ask, who, cmd.case_ref)
        member = case_repo.active_membership(s, case_id=case.id, person_id=who.person.id)
        key_worker = case.key_worker_id == who.person.id and member is not None
        if not key_worker and not may_oversee(s, ask, who):
            if member is None:
                raise access.not_found(cmd.case_ref or case.reference)
            raise NotAllowed(
                f"Only the key worker of {case.reference}, a SENCO or the DSL can read its audit trail."
            )
        rows, total = audit.page_for_case(s, case_id=case.id, page=cmd.page, size=PAGE)
        if not key_worker:
            audit.record(
                s,
                action="audit.read",
                at=ask.now,
                school_id=case.school_id,
                case_id=case.id,
                actor_id=who.person.id,
                page=cmd.page,
            )
        ids = {e.actor_id for e in rows if e.actor_id is not None}
        ids |= {
            v for e in rows for k, v in (e.detail or {}).items() if k in _PERSON_KEYS and isinstance(v, int)
        }
        names = people.people_by_id(s, ids=ids)
        reference = case.reference
    pages = max(1, -(-total // PAGE))
    if not rows:
        return Reply.text(
            f"{reference}'s audit trail has {total} entries; there is no page {cmd.page} (of {pages}).",
            direct=True,
        )
    lines: list[tuple[Span, ...]] = []
    for event in rows:
        when = event.at.astimezone(ask.core.tz)
        by: Span = mention(names[event.actor_id]) if event.actor_id in names else "TAC Bot"
        lines.append((f"{when:%d %b %Y %H:%M} · ", by, f" · {event.action}", *_detail(event, names)))
    blocks: list[Block] = [Heading(f"Audit trail of {reference}: page {cmd.page} of {pages}, newest first")]
    blocks += [Bullets(tuple(lines[i : i + PER_BLOCK])) for i in range(0, len(lines), PER_BLOCK)]
    if cmd.page < pages:
        blocks.append(Note((f"{total} entries in all. Older: `audit page {cmd.page + 1}`.",)))
    return reply(*blocks, summary=f"Audit trail of {reference}, page {cmd.page}", direct=True)
