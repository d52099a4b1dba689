"""What only the Designated Safeguarding Leads do: acknowledge a concern (its button), list the concerns
(`concerns`) and read one (`concern <n>`). Every read is audited, never with the concern's content.

Anyone else gets the same answer whether a concern exists or not.
"""

from __future__ import annotations

from handlers import access
from handlers.concerns.common import is_dsl
from handlers.concerns.message import dsl_message
from handlers.core import Ask
from handlers.errors import NotAllowed, NotFound
from handlers.grammar import commands as c
from handlers.model import Interaction
from handlers.render import mention
from handlers.replies import Bullets, Heading, Note, Reply, Span, Strong, reply
from storage import audit
from storage.repo import concerns as repo
from storage.repo import people

MAX_LISTED = 30
DSL_ONLY = NotAllowed("Only the Designated Safeguarding Leads can read safeguarding concerns.")


async def on_concern(ask: Ask, interaction: Interaction) -> Reply:
    """*Acknowledge*: the DSL has it; it is no longer sent again."""
    nothing = Reply.text("That button no longer does anything.")
    if interaction.action != "concern.ack" or not interaction.value.isdigit():
        return nothing
    with ask.core.db.transaction() as s:
        if not is_dsl(s, ask.core, ask.command.actor):
            return nothing
        who = access.asker(s, ask)
        concern = repo.get(s, concern_id=int(interaction.value))
        if concern is None or concern.school_id != who.school.id or concern.state == "draft":
            return nothing
        if concern.state == "acknowledged" and concern.acknowledged_by_id is not None:
            by = people.people_by_id(s, ids={concern.acknowledged_by_id})[concern.acknowledged_by_id]
            at = concern.acknowledged_at.astimezone(ask.core.tz) if concern.acknowledged_at else None
            when = f" on {at:%a %d %b at %H:%M}" if at else ""
            return Reply.text(
                f"Concern {concern.number} was already acknowledged by ", mention(by), f"{when}."
            )
        concern.state = "acknowledged"
        concern.acknowledged_by_id, concern.acknowledged_at = who.person.id, ask.now
        audit.record(
            s,
            action="concern.acknowledged",
            at=ask.now,
            school_id=who.school.id,
            actor_id=who.person.id,
            concern=concern.number,
        )
        number = concern.number
    return Reply.text(f"You have acknowledged concern {number}. It will not be sent again.", direct=True)


async def list_concerns(ask: Ask, cmd: c.ConcernsList) -> Reply:
    with ask.core.db.transaction() as s:
        if not is_dsl(s, ask.core, ask.command.actor):
            raise DSL_ONLY
        who = access.asker(s, ask)
        found = list(repo.raised(s, school_id=who.school.id))[:MAX_LISTED]
        persons = people.people_by_id(s, ids={c.raised_by_id for c in found})
        audit.record(s, action="concerns.listed", at=ask.now, school_id=who.school.id, actor_id=who.person.id)
    items: list[tuple[Span, ...]] = []
    for concern in found:
        raised = concern.raised_at.astimezone(ask.core.tz) if concern.raised_at else None
        state = "acknowledged" if concern.state == "acknowledged" else "NOT acknowledged"
        items.append(
            (
                Strong(f"Concern {concern.number}"),
                " by ",
                mention(persons[concern.raised_by_id]),
                f" · {raised:%d %b %Y %H:%M} · {state}" if raised else f" · {state}",
            )
        )
    blocks = [Heading("Safeguarding concerns")]
    if not items:
        return reply(*blocks, Note(("None raised.",)), summary="Safeguarding concerns", private=True)
    return Reply(
        blocks=(*blocks, Bullets(tuple(items)), Note(("`concern <n>` shows one in full.",))),
        summary="Safeguarding concerns",
        direct=True,
    )


async def read_concern(ask: Ask, cmd: c.ConcernShow) -> Reply:
    with ask.core.db.transaction() as s:
        if not is_dsl(s, ask.core, ask.command.actor):
            raise DSL_ONLY
        who = access.asker(s, ask)
        concern = repo.by_number(s, school_id=who.school.id, number=cmd.number)
        if concern is None or concern.state == "draft":
            raise NotFound(f"There is no concern {cmd.number}.", hint="`concerns` lists them.")
        audit.record(
            s,
            action="concern.read",
            at=ask.now,
            school_id=who.school.id,
            actor_id=who.person.id,
            concern=concern.number,
        )
        message = dsl_message(s, concern, now=ask.now, core=ask.core)
    blocks = message.blocks if concern.state != "acknowledged" else message.blocks[:3]
    return Reply(blocks=blocks, summary=f"Safeguarding concern {cmd.number}", direct=True)
