"""The SENCO's overview (Slack App Home): open cases, overdue actions and inputs, next reviews; else help."""

from __future__ import annotations

from handlers import access, help
from handlers.core import Ask, Core
from handlers.grammar import commands as c
from handlers.model import Actor, Command
from handlers.render import mention
from handlers.replies import Block, Bullets, Divider, Fields, Heading, Note, Reply, Span, Strong, reply
from handlers.reviews.common import when
from storage.repo import cases as case_repo
from storage.repo import forms as form_repo
from storage.repo import people
from storage.repo import plan as plan_repo
from storage.repo import reviews as review_repo


async def overview(core: Core, actor: Actor) -> Reply:
    """What the person sees when they open the bot's Home: a SENCO's caseload, or the help."""
    now = core.clock.now()
    ask = Ask(core=core, command=Command(actor=actor, text=""), now=now, today=now.astimezone(core.tz).date())
    with core.db.transaction() as s:
        who = access.asker(s, ask)
        if not people.is_senco(s, person_id=who.person.id):
            senco = False
        else:
            senco = True
            cases = case_repo.open_cases_of_member(s, school_id=who.school.id, person_id=who.person.id)
            overdue = [
                (case, action)
                for case in cases
                for action in plan_repo.actions(s, case_id=case.id)
                if action.status == "open" and action.due < ask.today
            ]
            late_inputs = [
                (case, r)
                for case in cases
                for r in form_repo.requests_for_case(s, case_id=case.id)
                if r.state == "open" and r.due < ask.today
            ]
            reviews = [
                (case, review)
                for case in cases
                if (review := review_repo.current_review(s, case_id=case.id)) is not None
                and review.status == "scheduled"
                and review.starts_at is not None
            ]
            owners = people.people_by_id(
                s, ids={a.owner_id for _, a in overdue} | {r.requested_of_id for _, r in late_inputs}
            )
    if not senco:
        return await help.show_help(ask, c.Help(case_ref=None, topic=None))
    blocks: list[Block] = [
        Heading("Your TAC overview"),
        Fields(
            (
                ("Open cases", (str(len(cases)),)),
                ("Overdue actions", (str(len(overdue)),)),
                ("Overdue inputs", (str(len(late_inputs)),)),
            )
        ),
        Divider(),
        Heading("Open cases"),
    ]
    if cases:
        blocks.append(
            Bullets(
                tuple(
                    (Strong(k.reference), " ", k.alias, f" · {k.route}", f" · opened {k.opened_at:%d %b %Y}")
                    for k in cases
                )
            )
        )
    else:
        blocks.append(Note(("No open cases. Open one with `/tac open <alias>`.",)))
    blocks.append(Heading("Overdue actions"))
    if overdue:
        items: list[tuple[Span, ...]] = [
            (
                Strong(case.reference),
                f" action {a.number}: ",
                a.what,
                " · ",
                mention(owners[a.owner_id]),
                f" · due {a.due:%d %b}",
            )
            for case, a in overdue
        ]
        blocks.append(Bullets(tuple(items)))
    else:
        blocks.append(Note(("Nothing overdue.",)))
    blocks.append(Heading("Overdue inputs"))
    if late_inputs:
        blocks.append(
            Bullets(
                tuple(
                    (
                        Strong(case.reference),
                        f" input {r.number}: {_title(core, r.form_id)} · ",
                        mention(owners[r.requested_of_id]),
                        f" · due {r.due:%d %b}",
                    )
                    for case, r in late_inputs
                )
            )
        )
    else:
        blocks.append(Note(("No input overdue.",)))
    blocks.append(Heading("Next reviews"))
    if reviews:
        reviews.sort(key=lambda pair: pair[1].starts_at or now)
        blocks.append(
            Bullets(
                tuple(
                    (Strong(case.reference), " ", when(r.starts_at or now, core.tz, r.place))
                    for case, r in reviews
                )
            )
        )
    else:
        blocks.append(Note(("No review fixed. Fix one with `/tac review on <date>` or `/tac review poll`.",)))
    return reply(*blocks, summary="Your TAC overview")


def _title(core: Core, form_id: str) -> str:
    form = core.forms.get(form_id)
    return form.title if form is not None else form_id
