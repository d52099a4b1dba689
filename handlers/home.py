"""The SENCO's overview (Slack App Home): open cases, overdue actions and inputs, reviews coming up;
help for everyone else."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from handlers import access, help
from handlers.core import Ask, Core
from handlers.grammar import commands as c
from handlers.model import Actor, Command
from handlers.referrals.waiting import waiting_longest
from handlers.render import mention
from handlers.replies import Block, Bullets, Divider, Fields, Heading, Note, Reply, Span, Strong, reply
from storage.models import Action, Case, InputRequest, Person, Review
from storage.repo import cases as case_repo
from storage.repo import forms as form_repo
from storage.repo import people
from storage.repo import plan as plan_repo
from storage.repo import reviews as review_repo


@dataclass
class Caseload:
    """What a SENCO's overview shows, read in one transaction."""

    cases: list[Case] = field(default_factory=list)
    overdue_actions: list[tuple[Case, Action]] = field(default_factory=list)
    overdue_inputs: list[tuple[Case, InputRequest]] = field(default_factory=list)
    reviews: list[tuple[Case, Review]] = field(default_factory=list)
    people: dict[int, Person] = field(default_factory=dict)
    referrals: list[tuple[Span, ...]] = field(default_factory=list)  # waiting longest


def _caseload(s: Session, ask: Ask, who: access.Asker) -> Caseload:
    load = Caseload(
        cases=list(case_repo.open_cases_of_member(s, school_id=who.school.id, person_id=who.person.id))
    )
    by_id = {case.id: case for case in load.cases}
    actions = plan_repo.overdue_actions(s, case_ids=list(by_id), today=ask.today)
    inputs = form_repo.overdue_requests(s, case_ids=list(by_id), today=ask.today)
    for case in load.cases:
        load.overdue_actions += [(case, a) for a in actions if a.case_id == case.id]
        load.overdue_inputs += [(case, r) for r in inputs if r.case_id == case.id]
        review = review_repo.current_review(s, case_id=case.id)
        if review is not None:
            load.reviews.append((case, review))
    ids = {a.owner_id for _, a in load.overdue_actions} | {r.requested_of_id for _, r in load.overdue_inputs}
    load.people = people.people_by_id(s, ids=ids)
    load.referrals = waiting_longest(s, cases=load.cases, now=ask.now)
    return load


async def overview(core: Core, actor: Actor) -> Reply:
    """What the person sees when they open the bot's Home: a SENCO's caseload, or the help."""
    ask = Ask.start(core, Command(actor=actor, text=""))
    with core.db.transaction() as s:
        who = access.asker(s, ask)
        load = (
            _caseload(s, ask, who)
            if people.is_senco(s, person_id=who.person.id, school_id=who.school.id)
            else None
        )
    if load is None:
        return await help.show_help(ask, c.Help(case_ref=None, topic=None))
    return _render(ask, load)


def _section(blocks: list[Block], title: str, items: list[tuple[Span, ...]], empty: str) -> None:
    blocks.append(Heading(title))
    blocks.append(Bullets(tuple(items)) if items else Note((empty,)))


def _render(ask: Ask, load: Caseload) -> Reply:
    blocks: list[Block] = [
        Heading("Your TAC overview"),
        Fields(
            (
                ("Open cases", (str(len(load.cases)),)),
                ("Overdue actions", (str(len(load.overdue_actions)),)),
                ("Overdue inputs", (str(len(load.overdue_inputs)),)),
                ("Reviews coming up", (str(len(load.reviews)),)),
            )
        ),
        Divider(),
    ]
    cases: list[tuple[Span, ...]] = [
        (
            Strong(k.reference),
            " ",
            k.alias,
            f" · {k.route}",
            f" · opened {k.opened_at.astimezone(ask.core.tz):%d %b %Y}",
        )
        for k in load.cases
    ]
    _section(blocks, "Open cases", cases, "No open cases. Open one with `/tac open <alias>`.")
    actions: list[tuple[Span, ...]] = [
        (
            Strong(k.reference),
            f" action {a.number}: ",
            a.what,
            " · ",
            mention(load.people[a.owner_id]),
            f" · due {a.due:%d %b}",
        )
        for k, a in load.overdue_actions
    ]
    _section(blocks, "Overdue actions", actions, "No action is overdue.")
    inputs: list[tuple[Span, ...]] = [
        (
            Strong(k.reference),
            f" {r.form_id} from ",
            mention(load.people[r.requested_of_id]),
            f" · due {r.due:%d %b}",
        )
        for k, r in load.overdue_inputs
    ]
    _section(blocks, "Overdue inputs", inputs, "No requested input is overdue.")
    reviews: list[tuple[Span, ...]] = []
    for k, review in sorted(
        load.reviews, key=lambda kr: (kr[1].starts_at is None, kr[1].starts_at or ask.now)
    ):
        when = (
            review.starts_at.astimezone(ask.core.tz).strftime("%a %d %b %Y, %H:%M")
            if review.starts_at is not None
            else "date being polled"
        )
        reviews.append((Strong(k.reference), f" review {review.number}: {when}"))
    _section(
        blocks,
        "Reviews coming up",
        reviews,
        "No review scheduled. Schedule one with `/tac review on <date>`.",
    )
    _section(blocks, "Referrals waiting longest", load.referrals, "No referral is waiting on a service.")
    return reply(*blocks, summary="Your TAC overview")
