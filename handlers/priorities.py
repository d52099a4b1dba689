"""Use cases `priority add`, `priority ask <@person>` and `priorities`: the school's SEN development
priorities, and what specialists offer towards each (a button with a one-line prompt)."""

from __future__ import annotations

from handlers import access
from handlers.core import Ask
from handlers.errors import UsageError
from handlers.grammar import commands as c
from handlers.model import Interaction
from handlers.platform import PlatformError
from handlers.render import mention
from handlers.replies import (
    Block,
    Bullets,
    Button,
    Buttons,
    Heading,
    Note,
    Prompt,
    Reply,
    Span,
    Strong,
    para,
    reply,
)
from storage import audit
from storage.models import Priority
from storage.repo import people
from storage.repo import priorities as repo

MAX_SHOWN = 20  # keeps the list within one Slack message


def _offer_button(p: Priority) -> Button:
    return Button(
        f"Offer towards {p.number}",
        "priority.offer",
        str(p.id),
        prompt=Prompt("text", f"What can you offer towards priority {p.number}?", field="offer"),
    )


def _list(
    priorities: list[Priority], offer_lines: dict[int, list[tuple[Span, ...]]], *, buttons: bool
) -> list[Block]:
    blocks: list[Block] = [Heading("The school's SEN development priorities")]
    if not priorities:
        blocks.append(para('None yet. A SENCO adds one with `priority add "<text>"`.'))
        return blocks
    for p in priorities[:MAX_SHOWN]:
        blocks.append(para(Strong(f"{p.number}."), " ", p.text))
        if offer_lines.get(p.id):
            blocks.append(Bullets(tuple(offer_lines[p.id])))
    if buttons:
        blocks.append(Buttons(tuple(_offer_button(p) for p in priorities[:MAX_SHOWN])))
    return blocks


async def add_priority(ask: Ask, cmd: c.PriorityAdd) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        access.require_senco(s, who, "add the school's priorities")
        p = repo.add_priority(
            s, school_id=who.school.id, text=cmd.text, created_by_id=who.person.id, now=ask.now
        )
        audit.record(
            s,
            action="priority.added",
            at=ask.now,
            school_id=who.school.id,
            actor_id=who.person.id,
            number=p.number,
        )
    return Reply.text(
        f"Added priority {p.number}: ",
        cmd.text,
        ". `priority ask @person` asks a specialist what they can offer.",
    )


async def show_priorities(ask: Ask, cmd: c.Priorities) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        found = list(repo.priorities(s, school_id=who.school.id))
        offers = repo.offers(s, priority_ids=[p.id for p in found])
        persons = people.people_by_id(s, ids={o.person_id for o in offers})
    lines: dict[int, list[tuple[Span, ...]]] = {}
    for o in offers:
        lines.setdefault(o.priority_id, []).append((mention(persons[o.person_id]), " offers: ", o.text))
    return reply(*_list(found, lines, buttons=True), summary="SEN development priorities")


async def ask_specialist(ask: Ask, cmd: c.PriorityAsk) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        access.require_senco(s, who, "ask specialists about the school's priorities")
        found = list(repo.priorities(s, school_id=who.school.id))
    if not found:
        raise UsageError('There are no priorities yet: `priority add "<text>"` first.', command="priority")
    name = await access.known_name(ask, cmd.person)
    blocks = [
        Heading("Can you help with the school's SEN development priorities?"),
        para("The SENCO would like to know what you could offer towards any of these, beyond case work."),
        *_list(found, {}, buttons=True)[1:],
        Note(("Press a button and type a line; you can offer towards as many as you like.",)),
    ]
    message = Reply(
        blocks=tuple(blocks), summary="What could you offer towards the school's priorities?", private=False
    )
    try:
        await ask.platform.direct_message(workspace=ask.workspace, user_id=cmd.person.user_id, reply=message)
    except PlatformError as exc:
        return Reply.text(f"Could not ask {name}: ", exc.message)
    return Reply.text(f"Asked {name} what they can offer towards {len(found)} priorities.")


async def on_priority(ask: Ask, interaction: Interaction) -> Reply:
    """A specialist's offer towards one priority, typed into the button's prompt."""
    text = " ".join(interaction.inputs.get("offer", "").split())[:1000]
    if interaction.action != "priority.offer" or not interaction.value.isdigit():
        return Reply.text("That button no longer does anything.")
    if not text:
        raise UsageError("Type what you can offer first.")
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        p = repo.get_priority(s, priority_id=int(interaction.value))
        if p is None or p.school_id != who.school.id:
            return Reply.text("That button no longer does anything.")
        repo.add_offer(s, priority_id=p.id, person_id=who.person.id, text=text, now=ask.now)
        audit.record(
            s,
            action="priority.offered",
            at=ask.now,
            school_id=who.school.id,
            actor_id=who.person.id,
            number=p.number,
        )
        number = p.number
    return Reply.text(f"Thank you: your offer towards priority {number} is recorded: ", text)
