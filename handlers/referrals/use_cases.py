"""Use cases `refer`, `referral <n> <state>` and `referrals`.

A referral records where to (a service of the school's directory, or a quoted name), why, when, by whom
and the consent that covers it; it is refused when no consent in force covers the service's scope. Its
state moves on with `referral <n> ...`; the key worker is chased through the reminder queue while it
stays `sent` or waits longer than expected (``handlers.referrals.chasing``). Each change is audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers import access
from handlers.consent import describe, scopes_in_force
from handlers.core import Ask
from handlers.directory.show import find, not_in_directory, wait_text
from handlers.errors import NoConsent, NotAllowed, NotFound
from handlers.grammar import commands as c
from handlers.referrals.chasing import plan_referral
from handlers.render import case_title, plural
from handlers.replies import Bullets, Heading, Note, Reply, Span, Strong, reply
from storage import audit
from storage.models import Case, Referral
from storage.repo import cases as case_repo
from storage.repo import referrals as repo
from storage.repo import services as service_repo

RANK = {"recorded": 0, "sent": 1, "accepted": 2, "declined": 2, "waiting": 2, "seen": 3, "closed": 4}
MAX_LISTED = 30


def _covering_consent(s: Session, case: Case, scope: str | None) -> int | None:
    """The latest consent given that covers ``scope`` (None: a service outside the directory needs all)."""
    in_force = scopes_in_force(s, case_id=case.id)
    needed = scope or "all"
    if "all" not in in_force and needed not in in_force:
        return None
    given = [e for e in case_repo.consents(s, case_id=case.id) if e.kind == "given"]
    for e in reversed(given):
        if e.scope in ("all", needed):
            return e.id
    return None


async def refer(ask: Ask, cmd: c.Refer) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "refer the child to a service")
        access.require_open(acc)
        case = acc.case
        directory = list(service_repo.directory(s, school_id=case.school_id))
        service = find(directory, cmd.service)
        if service is None and not cmd.named:
            raise not_in_directory(directory, cmd.service, command="refer")
        key, name = (service.key, service.name) if service else ("", cmd.service)
        scope = service.scope if service else None
        consent_id = _covering_consent(s, case, scope)
        if consent_id is None:
            raise NoConsent(
                f"No consent in force covers a referral to {name} (needs scope {scope or 'all'}; "
                f"in force: {describe(scopes_in_force(s, case_id=case.id))}).",
                hint='Record it first: `consent given by "<name>" relationship parent scope all`.',
            )
        referral = repo.add(
            s,
            case_id=case.id,
            service_key=key,
            service_name=name,
            reason=cmd.reason,
            consent_id=consent_id,
            made_by_id=who.person.id,
            now=ask.now,
        )
        audit.record(
            s,
            action="referral.made",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            referral=referral.number,
            service=key or "outside the directory",
            consent=consent_id,
        )
        number, how = referral.number, service.how_to_refer if service else None
    spans: list[Span] = [f"Recorded referral {number} of {case.reference} to ", Strong(name), "."]
    blocks = [Reply.text(*spans).blocks[0]]
    if how:
        blocks.append(Note((f"How to refer: {how}",)))
    blocks.append(Note((f"When it has gone: `referral {number} sent`.",)))
    return reply(*blocks, summary=f"Referral {number} recorded")


def _check_move(referral: Referral, state: str) -> None:
    now_state = referral.state
    if now_state == "closed":
        raise NotAllowed(f"Referral {referral.number} is closed; record a new one with `refer`.")
    if now_state == "declined" and state != "closed":
        raise NotAllowed(f"Referral {referral.number} was declined; it can only be closed now.")
    if RANK[state] < RANK[now_state] or (state == now_state and state != "waiting"):
        raise NotAllowed(f"Referral {referral.number} is already {now_state}; it cannot go back to {state}.")


async def move_referral(ask: Ask, cmd: c.ReferralMove) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "move a referral on")
        access.require_open(acc)
        case = acc.case
        referral = repo.by_number(s, case_id=case.id, number=cmd.number)
        if referral is None:
            raise NotFound(f"{case.reference} has no referral {cmd.number}.", hint="`referrals` lists them.")
        _check_move(referral, cmd.state)
        referral.state, referral.state_at = cmd.state, ask.now
        if cmd.state == "waiting":
            typical = None
            if referral.service_key:
                listed = find(service_repo.directory(s, school_id=case.school_id), referral.service_key)
                typical = listed.typical_wait_weeks if listed else None
            referral.expected_wait_weeks = cmd.weeks or typical
        if cmd.note:
            referral.note = cmd.note
        audit.record(
            s,
            action="referral.moved",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            referral=referral.number,
            state=cmd.state,
            weeks=referral.expected_wait_weeks if cmd.state == "waiting" else None,
        )
        plan_referral(s, ask, case=case, referral=referral)
        name, weeks = referral.service_name, referral.expected_wait_weeks
    extra = f", expected wait {wait_text(weeks)}" if cmd.state == "waiting" else ""
    return Reply.text(f"Referral {cmd.number} to ", Strong(name), f" is now {cmd.state}{extra}.")


def age(since: datetime, now: datetime) -> str:
    days = max(0, (now - since).days)
    return plural(days // 7, "week") if days >= 14 else plural(days, "day")


async def list_referrals(ask: Ask, cmd: c.ReferralsList) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        found = list(repo.of_case(s, case_id=acc.case.id))[:MAX_LISTED]
        title = case_title(acc.case)
    if not found:
        return reply(
            Heading(f"Referrals: {title}"),
            Note(("None yet. The key worker refers with `refer <service>` (see `services`).",)),
            summary=f"Referrals of {title}",
        )
    items: list[tuple[Span, ...]] = []
    for r in found:
        line: list[Span] = [
            Strong(f"{r.number}. {r.service_name}"),
            f" · {r.state} for {age(r.state_at, ask.now)} · made {age(r.made_at, ask.now)} ago",
        ]
        if r.state == "waiting":
            line.append(f" · expected wait {wait_text(r.expected_wait_weeks)}")
        if r.reason:
            line += [" · why: ", r.reason]
        if r.note:
            line += [" · note: ", r.note]
        items.append(tuple(line))
    return reply(Heading(f"Referrals: {title}"), Bullets(tuple(items)), summary=f"Referrals of {title}")
