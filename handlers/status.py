"""Use case: the case at a glance."""

from __future__ import annotations

from handlers import access
from handlers.consent import describe, scopes_in_force
from handlers.core import Ask
from handlers.forms.inputs import awaited
from handlers.governance.reads import record_read
from handlers.grammar import commands as c
from handlers.outside.ids import is_external
from handlers.plan.view import purpose_line
from handlers.render import case_title, mention, plural
from handlers.replies import Block, Fields, Heading, Mention, Note, Reply, Span, reply
from handlers.reviews.times import review_line
from handlers.roles import SCHOOL_STAFF
from handlers.room_guard import open_mismatches
from storage.models import RoomMismatch
from storage.repo import cases as case_repo
from storage.repo import people
from storage.repo import plan as plan_repo
from storage.repo import reviews as review_repo


def stage(*, status: str, consent: frozenset[str], outside: int, outcomes: int, actions: int) -> str:
    if status == "closed":
        return "Closed"
    if not consent:
        return "Awaiting consent"
    if outside == 0:
        return "Building the team"
    if outcomes == 0 or actions == 0:
        return "Planning"
    return "Plan in action"


async def status(ask: Ask, cmd: c.Status) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_or_only_case(s, ask, who, cmd.case_ref, word="status")
        record_read(s, acc, what="status", now=ask.now)
        case = acc.case
        members = case_repo.active_members(s, case_id=case.id)
        consent = scopes_in_force(s, case_id=case.id)
        outcomes = plan_repo.outcomes(s, case_id=case.id)
        actions = plan_repo.actions(s, case_id=case.id)
        room = case_repo.get_room(s, case_id=case.id)
        inputs = awaited(s, case_id=case.id, today=ask.today)
        next_review = review_repo.current_review(s, case_id=case.id)
        owners = people.people_by_id(s, ids={a.owner_id for a in actions} | {case.key_worker_id})
        mismatched = open_mismatches(s, case_id=case.id) if acc.is_key_worker else []
        outsiders = {  # external members (reached by e-mail) are named, having no handle to mention
            m.user_id: found.display_name
            for m in mismatched
            if is_external(m.user_id)
            and (found := people.find_person(s, platform=m.platform, external_id=m.user_id)) is not None
        }
    overdue = [a for a in actions if a.status == "open" and a.due < ask.today]
    outside = sum(1 for m in members if m.role not in SCHOOL_STAFF)
    fields: list[tuple[str, tuple[Span, ...]]] = [
        (
            "Stage",
            (
                stage(
                    status=case.status,
                    consent=consent,
                    outside=outside,
                    outcomes=len(outcomes),
                    actions=len(actions),
                ),
            ),
        ),
        ("Route", (case.route,)),
        ("Key worker", (mention(owners[case.key_worker_id]),)),
        ("Team", (f"{plural(len(members), 'member')}, {outside} from outside school",)),
        ("Consent in force", (describe(consent),)),
        ("Plan", (f"{plural(len(outcomes), 'outcome')}, {plural(len(actions), 'action')}",)),
        ("Inputs", (inputs,)),
        ("Overdue actions", (", ".join(f"{a.number} ({a.due:%d %b})" for a in overdue) or "none",)),
        ("Next review", (review_line(next_review, ask.core.tz),)),
    ]
    blocks: list[Block] = [Heading(f"Status of {case_title(case)}")]
    if case.purpose:
        blocks.append(purpose_line(case.purpose))
    blocks.append(Fields(tuple(fields)))
    if room is not None and room.state in ("pending", "failed"):
        blocks.append(
            Note(
                (
                    f"The case room is not ready ({room.last_error or room.state}). "
                    "The key worker can retry with the same `open` command.",
                )
            )
        )
    if mismatched:
        blocks.append(room_mismatch_note(mismatched, names=outsiders))
    return reply(*blocks, summary=f"Status of {case.reference}")


def room_mismatch_note(mismatched: list[RoomMismatch], *, names: dict[str, str] | None = None) -> Note:
    """For the key worker: who is in the room but not on the team, and why they are still there."""
    spans: list[Span] = ["The room does not match the team: "]
    for n, m in enumerate(mismatched):
        spans += [
            ", " if n else "",
            Mention(user_id=m.user_id, name=(names or {}).get(m.user_id, "")),
            f" ({m.why}; the platform said: {m.last_error})",
        ]
    spans.append(". I keep trying to take them out; you can remove them from the room yourself.")
    return Note(tuple(spans))
