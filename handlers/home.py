"""The SENCO's overview (Slack App Home): open cases and overdue actions; help for everyone else."""

from __future__ import annotations

from handlers import access, help
from handlers.core import Ask, Core
from handlers.grammar import commands as c
from handlers.model import Actor, Command
from handlers.render import mention
from handlers.replies import Block, Bullets, Divider, Fields, Heading, Note, Reply, Span, Strong, reply
from storage.repo import cases as case_repo
from storage.repo import people
from storage.repo import plan as plan_repo


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
            owners = people.people_by_id(s, ids={a.owner_id for _, a in overdue})
    if not senco:
        return await help.show_help(ask, c.Help(case_ref=None, topic=None))
    blocks: list[Block] = [
        Heading("Your TAC overview"),
        Fields((("Open cases", (str(len(cases)),)), ("Overdue actions", (str(len(overdue)),)))),
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
    blocks.append(Note(("Reviews will show here once they are scheduled with `/tac review on <date>`.",)))
    return reply(*blocks, summary="Your TAC overview")
