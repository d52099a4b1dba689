"""Someone left the team (`remove`, consent withdrawn, left the room): the key worker sees their open
actions and requests, and for each action one tap gives it to someone else on the team, or cancels it.

The buttons carry the command they stand for (``confirm.run``, see ``handlers.confirm``): pressing one is
typing `action edit <n> owner <@person>` or `action remove <n>`, with the same checks, as the presser.
Their input requests are cancelled as they leave (nobody else can answer a form addressed to them); a
button per request and person asks someone else for the same form (`request <form> from <@person>`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.confirm import CONFIRM_WORD
from handlers.forms.library import Form
from handlers.open_work import OpenWork, open_work, work_lines
from handlers.render import mention
from handlers.replies import Block, Bullets, Button, Buttons, Heading, Note, para
from storage.models import Case, Person
from storage.repo import cases as case_repo
from storage.repo import people

MAX_ACTIONS_WITH_BUTTONS = 5
MAX_TAKERS = 4


@dataclass(frozen=True, slots=True)
class LeaverWork:
    """A leaver's open work, read before they leave; ``takers`` are who could take their actions."""

    reference: str
    person: Person
    work: OpenWork
    takers: tuple[Person, ...]


def leaver_work(s: Session, *, case: Case, person: Person, now: datetime) -> LeaverWork | None:
    """Their open actions and requests (read before the requests are cancelled); None when they have none."""
    work = open_work(s, case=case, now=now, person_id=person.id)
    if work.empty:
        return None
    members = [m for m in case_repo.active_members(s, case_id=case.id) if m.person_id != person.id]
    found = people.people_by_id(s, ids={m.person_id for m in members})
    staff_first = sorted(members, key=lambda m: (m.person_id != case.key_worker_id, m.added_at))
    takers = tuple(found[m.person_id] for m in staff_first[:MAX_TAKERS])
    return LeaverWork(case.reference, person, work, takers)


def leaver_blocks(leaver: LeaverWork, *, tz: ZoneInfo, forms: Mapping[str, Form]) -> list[Block]:
    """What they left open, and per action the buttons to give it to someone or cancel it."""
    ref = leaver.reference
    blocks: list[Block] = [
        Heading(f"Left open on {ref}"),
        para(mention(leaver.person), " is no longer on the team. What they had open:"),
        Bullets(work_lines(leaver.work, tz=tz, forms=forms)),
    ]
    for action in leaver.work.actions[:MAX_ACTIONS_WITH_BUTTONS]:
        give = tuple(
            Button(
                f"Action {action.number} to {p.display_name or p.external_id}"[:75],
                f"{CONFIRM_WORD}.run",
                f"action edit {action.number} owner <@{p.external_id}> case {ref}",
            )
            for p in leaver.takers
        )
        cancel = Button(
            f"Cancel action {action.number}",
            f"{CONFIRM_WORD}.run",
            f"action remove {action.number} case {ref}",
        )
        blocks.append(Buttons((*give, cancel)))
    for request in leaver.work.requests[:MAX_ACTIONS_WITH_BUTTONS]:
        ask_instead = tuple(
            Button(
                f"Input {request.number} from {p.display_name or p.external_id}"[:75],
                f"{CONFIRM_WORD}.run",
                f"request {request.form_id} from <@{p.external_id}> case {ref}",
            )
            for p in leaver.takers
        )
        if ask_instead:
            blocks.append(Buttons(ask_instead))
    notes = ["Or type `action edit <n> owner @person`, or `action remove <n>`."]
    if leaver.work.requests:
        notes.append(
            " Their input requests were cancelled (nobody else can answer a form sent to them): the buttons, "
            "or `request <form> from @person`, ask someone else."
        )
    blocks.append(Note(("".join(notes),)))
    return blocks
