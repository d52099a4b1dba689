"""Use case `plan`: the joint agency plan in chat, compact enough for one Slack message (<= 50 blocks)."""

from __future__ import annotations

from handlers import access
from handlers.core import Ask
from handlers.governance.reads import record_read
from handlers.grammar import commands as c
from handlers.plan import snapshot
from handlers.plan.snapshot import ActionRow, PlanSnapshot, ReviewRow
from handlers.replies import (
    Block,
    Bullets,
    Heading,
    Mention,
    Note,
    Paragraph,
    Reply,
    Span,
    Strong,
    para,
    reply,
)

MAX_BLOCKS = 50  # Slack's limit for one message
ITEMS_PER_BLOCK = 12  # keeps each block's text well under Slack's 3,000 characters


def action_spans(a: ActionRow) -> tuple[Span, ...]:
    spans: list[Span] = [
        Strong(f"Action {a.number}:"),
        " ",
        a.what,
        " · ",
        Mention(a.owner.user_id, a.owner.name),
        *((" ", Strong("(left the team)")) if a.owner_left and not a.done else ()),
        f" · due {a.due:%d %b %Y}",
    ]
    for extra in (a.where, a.often, a.cost_text):
        if extra:
            spans += [" · ", extra]
    if a.done:
        spans.append(" · done")
    elif a.overdue:
        spans += [" · ", Strong("OVERDUE")]
    return tuple(spans)


def purpose_line(purpose: str) -> Paragraph:
    """The team's agreed purpose, the first line of `status`, `plan` and the review pack."""
    return para(Strong("Our shared purpose:"), " ", purpose)


def _chunks(items: list[tuple[Span, ...]]) -> list[Block]:
    return [Bullets(tuple(items[i : i + ITEMS_PER_BLOCK])) for i in range(0, len(items), ITEMS_PER_BLOCK)]


def when(review: ReviewRow) -> str:
    if review.starts is None:
        return "date being polled for"
    return f"{review.starts:%a %d %b %Y at %H:%M}" + (f", {review.place}" if review.place else "")


def review_items(plan: PlanSnapshot) -> list[tuple[Span, ...]]:
    items: list[tuple[Span, ...]] = [(plan.cadence,)]
    upcoming = plan.next_review()
    if upcoming is not None:
        items.append((Strong("Next review"), ": ", when(upcoming)))
    else:
        items.append(("No review meeting fixed yet: `review on <date> at <time>` or `review poll`.",))
    held = [r for r in plan.reviews if r.status == "held"]
    if held:
        items.append((f"Last review held: {when(held[-1])}",))
    return items


def plan_blocks(plan: PlanSnapshot) -> list[Block]:
    """The plan as neutral blocks: one list per outcome, then costs and review arrangements."""
    blocks: list[Block] = [Heading(f"Joint agency plan: {plan.title}")]
    if plan.purpose:
        blocks.append(purpose_line(plan.purpose))
    if not plan.outcomes and not plan.actions:
        blocks.append(Note(('No outcomes yet. Add one with `outcome add "<text>"`.',)))
    for o in plan.outcomes:
        items: list[tuple[Span, ...]] = [
            (Strong(f"Outcome {o.number}."), " ", o.text),
            ("How we will know: ", o.measure)
            if o.measure
            else (f'How we will know: not set yet (`outcome measure {o.number} "<measure>"`)',),
        ]
        items += [action_spans(a) for a in plan.actions if a.outcome == o.number]
        blocks += _chunks(items)
    loose = [a for a in plan.actions if a.outcome is None]
    if loose:
        blocks += _chunks([(Strong("Other actions"),), *(action_spans(a) for a in loose)])
    if plan.actions:
        blocks.append(Heading("Costs"))
        cost_items: list[tuple[Span, ...]] = [
            (Strong(agency), ": ", t.describe()) for agency, t in plan.totals_by_agency()
        ]
        cost_items.append((Strong("Overall"), ": ", plan.overall().describe()))
        uncosted = [str(a.number) for a in plan.actions if a.cost is None]
        if uncosted:
            cost_items.append((f"Not costed: action {', '.join(uncosted)}",))
        blocks += _chunks(cost_items)
    blocks.append(Heading("Review arrangements"))
    blocks.append(Bullets(tuple(review_items(plan))))
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], Note(("The plan is too long to show in full; `plan export`.",))]
    return blocks


async def show_plan(ask: Ask, cmd: c.PlanShow) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_or_only_case(s, ask, who, cmd.case_ref, word="plan")
        record_read(s, acc, what="plan", now=ask.now)
        plan = snapshot.load(s, case=acc.case, today=ask.today, tz=ask.core.tz)
    return reply(*plan_blocks(plan), summary=f"Plan for {plan.reference}")
