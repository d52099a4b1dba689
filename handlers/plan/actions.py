"""Use cases: actions of the joint agency plan: `action add`, `action done <n>`, `action due <n> <date>`."""

from __future__ import annotations

from handlers import access
from handlers.chasing import queueing
from handlers.core import Ask
from handlers.errors import NotAllowed, NotFound, UsageError
from handlers.grammar import commands as c
from handlers.render import mention
from handlers.replies import Reply
from storage import audit
from storage.repo import cases as case_repo
from storage.repo import people
from storage.repo import plan as plan_repo


async def add_action(ask: Ask, cmd: c.ActionAdd) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "change the plan")
        access.require_open(acc)
        case = acc.case
        owner = people.find_person(s, platform=ask.command.actor.platform, external_id=cmd.owner.user_id)
        if owner is None or case_repo.active_membership(s, case_id=case.id, person_id=owner.id) is None:
            raise NotFound(
                f"{cmd.owner.label} is not on the team of {case.reference}.",
                hint="Invite them first; an action's owner must be on the team.",
            )
        outcome_id = None
        if cmd.outcome is not None:
            outcome = plan_repo.get_outcome(s, case_id=case.id, number=cmd.outcome)
            if outcome is None:
                raise NotFound(f"{case.reference} has no outcome {cmd.outcome}.")
            outcome_id = outcome.id
        if cmd.due < ask.today:
            raise UsageError(f"{cmd.due:%d %b %Y} is in the past.", command="action")
        action = plan_repo.add_action(
            s,
            case_id=case.id,
            what=cmd.what,
            owner_id=owner.id,
            due=cmd.due,
            where=cmd.where,
            cost=cmd.cost,
            often=cmd.often,
            outcome_id=outcome_id,
            created_by_id=who.person.id,
            now=ask.now,
        )
        queueing.plan_action(s, ask, case=case, action=action)
        audit.record(
            s,
            action="action.added",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            number=action.number,
            owner_id=owner.id,
            due=cmd.due.isoformat(),
        )
    return Reply.text(
        f"Added action {action.number}: ",
        cmd.what,
        ", owner ",
        mention(owner),
        f", due {cmd.due:%a %d %b %Y}.",
    )


async def update_action(ask: Ask, cmd: c.ActionDone | c.ActionDue) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_open(acc)
        case = acc.case
        action = plan_repo.get_action(s, case_id=case.id, number=cmd.number)
        if action is None:
            raise NotFound(f"{case.reference} has no action {cmd.number}.")
        if not acc.is_key_worker and action.owner_id != who.person.id:
            raise NotAllowed(f"Only the key worker or the action's owner can update action {cmd.number}.")
        if isinstance(cmd, c.ActionDone):
            if action.status == "done":
                return Reply.text(f"Action {action.number} was already done.")
            action.status, action.done_at = "done", ask.now
            queueing.stop_action(s, ask, action=action)
            audit.record(
                s,
                action="action.done",
                at=ask.now,
                school_id=case.school_id,
                case_id=case.id,
                actor_id=who.person.id,
                number=action.number,
            )
            return Reply.text(f"Action {action.number} is done: ", action.what)
        if cmd.due < ask.today:
            raise UsageError(f"{cmd.due:%d %b %Y} is in the past.", command="action")
        old = action.due
        action.due = cmd.due
        queueing.plan_action(s, ask, case=case, action=action)
        audit.record(
            s,
            action="action.due_changed",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            number=action.number,
            old=old.isoformat(),
            new=cmd.due.isoformat(),
        )
    return Reply.text(f"Action {action.number} is now due {cmd.due:%a %d %b %Y}.")
