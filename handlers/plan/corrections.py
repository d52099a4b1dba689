"""Use cases that undo mistakes in the plan: `outcome edit|remove <n>`, `action edit|remove <n>`.

Each is the key worker's, audited (numbers and what changed, never the words typed about the child), and
re-plans or cancels the action's chasers in the same transaction.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers import access
from handlers.chasing import queueing as chasing
from handlers.core import Ask
from handlers.errors import NotFound, UsageError
from handlers.grammar import commands as c
from handlers.render import mention
from handlers.replies import Reply, Span
from storage import audit
from storage.models import Action, Case, Outcome
from storage.repo import cases as case_repo
from storage.repo import people
from storage.repo import plan as plan_repo


def _plan_access(s: Session, ask: Ask, ref: str | None) -> access.CaseAccess:
    who = access.asker(s, ask)
    acc = access.case_for(s, ask, who, ref)
    access.require_key_worker(acc, "change the plan")
    access.require_open(acc)
    return acc


def _outcome(s: Session, case: Case, number: int) -> Outcome:
    outcome = plan_repo.get_outcome(s, case_id=case.id, number=number)
    if outcome is None:
        raise NotFound(f"{case.reference} has no outcome {number}.", hint="`plan` shows the outcomes.")
    return outcome


def _action(s: Session, case: Case, number: int) -> Action:
    action = plan_repo.get_action(s, case_id=case.id, number=number)
    if action is None:
        raise NotFound(f"{case.reference} has no action {number}.", hint="`plan` shows the actions.")
    return action


def _audit(s: Session, ask: Ask, acc: access.CaseAccess, what: str, **details: object) -> None:
    case = acc.case
    audit.record(
        s,
        action=what,
        at=ask.now,
        school_id=case.school_id,
        case_id=case.id,
        actor_id=acc.asker.person.id,
        **details,
    )


async def edit_outcome(ask: Ask, cmd: c.OutcomeEdit) -> Reply:
    with ask.core.db.transaction() as s:
        acc = _plan_access(s, ask, cmd.case_ref)
        outcome = _outcome(s, acc.case, cmd.number)
        outcome.text = cmd.text
        _audit(s, ask, acc, "outcome.edited", number=outcome.number)
    return Reply.text(f"Outcome {cmd.number} now reads: ", cmd.text)


async def remove_outcome(ask: Ask, cmd: c.OutcomeRemove) -> Reply:
    with ask.core.db.transaction() as s:
        acc = _plan_access(s, ask, cmd.case_ref)
        outcome = _outcome(s, acc.case, cmd.number)
        unlinked = plan_repo.remove_outcome(s, outcome=outcome)
        _audit(s, ask, acc, "outcome.removed", number=cmd.number, actions=[a.number for a in unlinked])
    text = f"Removed outcome {cmd.number} from the plan of {acc.case.reference}."
    if unlinked:
        numbers = ", ".join(str(a.number) for a in unlinked)
        text += f" Its actions ({numbers}) stay on the plan under other actions."
    return Reply.text(text)


async def edit_action(ask: Ask, cmd: c.ActionEdit) -> Reply:
    with ask.core.db.transaction() as s:
        acc = _plan_access(s, ask, cmd.case_ref)
        case = acc.case
        action = _action(s, case, cmd.number)
        changed: list[str] = []
        said: list[Span] = []
        if cmd.owner is not None:
            owner = people.find_person(s, platform=ask.command.actor.platform, external_id=cmd.owner.user_id)
            if owner is None or case_repo.active_membership(s, case_id=case.id, person_id=owner.id) is None:
                raise NotFound(
                    f"{cmd.owner.label} is not on the team of {case.reference}.",
                    hint="Invite them first; an action's owner must be on the team.",
                )
            action.owner_id = owner.id
            changed.append("owner")
            said += [", owner ", mention(owner)]
        if cmd.due is not None:
            if cmd.due < ask.today:
                raise UsageError(f"{cmd.due:%d %b %Y} is in the past.", command="action")
            action.due = cmd.due
            changed.append("due")
            said.append(f", due {cmd.due:%a %d %b %Y}")
        if cmd.outcome is not None:
            action.outcome_id = _outcome(s, case, cmd.outcome).id
            changed.append("outcome")
            said.append(f", towards outcome {cmd.outcome}")
        for part in ("what", "where", "often", "cost"):
            value = getattr(cmd, part)
            if value is not None:
                setattr(action, part, value)
                changed.append(part)
        chasing.plan_action(s, ask, case=case, action=action)
        _audit(s, ask, acc, "action.edited", number=action.number, changed=changed, owner_id=action.owner_id)
        what = action.what
    return Reply.text(f"Changed action {cmd.number} ({', '.join(changed)}): ", what, *said, ".")


async def remove_action(ask: Ask, cmd: c.ActionRemove) -> Reply:
    with ask.core.db.transaction() as s:
        acc = _plan_access(s, ask, cmd.case_ref)
        action = _action(s, acc.case, cmd.number)
        action.status = plan_repo.REMOVED
        chasing.stop_action(s, ask, action=action)
        _audit(s, ask, acc, "action.removed", number=action.number)
        what = action.what
    return Reply.text(f"Removed action {cmd.number} from the plan: ", what, ". No more reminders about it.")
