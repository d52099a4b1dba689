"""Use cases: outcomes of the joint agency plan: `outcome add` (with a SMART hint when one is added
vaguely) and `outcome measure <n> "<how we will know>"`."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers import access
from handlers.core import Ask
from handlers.errors import NotFound
from handlers.grammar import commands as c
from handlers.replies import Note, Reply
from storage import audit
from storage.repo import plan as plan_repo

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_WHEN = re.compile(
    rf"\b(by|until|before|within|end of|each|every|per|weekly|daily|monthly|termly|term|year|week|"
    rf"month|christmas|easter|summer|autumn|spring|{_MONTHS})\w*|\d{{1,2}}/\d{{1,2}}|\b20\d\d\b",
    re.I,
)
_MEASURE = re.compile(r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|half|all|most)\b", re.I)


def smart_gaps(text: str, measure: str | None) -> list[str]:
    """What a SMART outcome would add: by when, and how much (a measure)."""
    gaps = []
    if not _WHEN.search(text):
        gaps.append('by when (e.g. "by July 2027")')
    if measure is None and not _MEASURE.search(text):
        gaps.append('how much or how often (e.g. "3 of 4 sessions")')
    return gaps


def with_smart_hint(added: Reply, *, number: int, text: str, measure: str | None) -> Reply:
    gaps = smart_gaps(text, measure)
    notes = []
    if gaps:
        notes.append("To make it SMART, say " + " and ".join(gaps) + ".")
    if measure is None:
        notes.append(f'Add how the team will know it is working: `outcome measure {number} "<measure>"`.')
    if not notes:
        return added
    return replace(added, blocks=(*added.blocks, Note((" ".join(notes),))))


async def add_outcome(ask: Ask, cmd: c.OutcomeAdd) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "change the plan")
        access.require_open(acc)
        outcome = plan_repo.add_outcome(
            s,
            case_id=acc.case.id,
            text=cmd.text,
            created_by_id=who.person.id,
            now=ask.now,
            measure=cmd.measure,
        )
        audit.record(
            s,
            action="outcome.added",
            at=ask.now,
            school_id=acc.case.school_id,
            case_id=acc.case.id,
            actor_id=who.person.id,
            number=outcome.number,
        )
    added = Reply.text(f"Added outcome {outcome.number} to {acc.case.reference}: ", cmd.text)
    return with_smart_hint(added, number=outcome.number, text=cmd.text, measure=cmd.measure)


async def set_measure(ask: Ask, cmd: c.OutcomeMeasure) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "change the plan")
        access.require_open(acc)
        outcome = plan_repo.get_outcome(s, case_id=acc.case.id, number=cmd.number)
        if outcome is None:
            raise NotFound(f"{acc.case.reference} has no outcome {cmd.number}.")
        outcome.measure = cmd.measure
        audit.record(
            s,
            action="outcome.measure_set",
            at=ask.now,
            school_id=acc.case.school_id,
            case_id=acc.case.id,
            actor_id=who.person.id,
            number=outcome.number,
        )
    return Reply.text(f"Outcome {cmd.number}: how we will know: ", cmd.measure)
