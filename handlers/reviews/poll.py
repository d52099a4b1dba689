"""Use cases `review poll <slots>` and `review pick <n>`, the poll's buttons, and chasing non-answers."""

from __future__ import annotations

from datetime import UTC

from handlers import access
from handlers.chasing.queueing import calendar_for, plan_poll_chase, plan_review
from handlers.confirm import ask_about_days
from handlers.core import Ask, Core
from handlers.errors import NotAllowed, NotFound, UsageError
from handlers.grammar import commands as c
from handlers.model import Interaction
from handlers.render import case_title, plural
from handlers.replies import Heading, Reply, reply
from handlers.reviews.invitations import invitation, member_ids, new_uid, tell
from handlers.reviews.meeting import announce
from handlers.reviews.poll_view import ANSWERS, poll_message, slot_label, tally_blocks, unanswered
from handlers.reviews.times import when
from storage import audit
from storage.models import Case, School
from storage.repo import cases as case_repo
from storage.repo import people
from storage.repo import reviews as review_repo


async def review_poll(ask: Ask, cmd: c.ReviewPoll) -> Reply:
    tz = ask.core.tz
    starts = sorted(local.replace(tzinfo=tz).astimezone(UTC) for local in cmd.slots)
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "poll the team for a review date")
        access.require_open(acc)
        case = acc.case
        if any(t <= ask.now for t in starts):
            raise UsageError("Every slot must be in the future.", command="review")
        current = review_repo.current_review(s, case_id=case.id)
        if current is not None:
            what = "A date poll is open" if current.status == "polling" else "A review meeting is fixed"
            raise UsageError(
                f"{what} already for {case.reference}.",
                command="review",
                hint="`review pick <n>` fixes the poll's slot; `review cancel` cancels either.",
            )
        cal = calendar_for(s, ask, school_id=case.school_id)
        days = [t.astimezone(tz).date() for t in starts]
        question = ask_about_days(ask, reference=case.reference, days=days, cal=cal, what="the review poll")
        if question is not None:
            return question
        review = review_repo.create_review(
            s,
            case_id=case.id,
            status="polling",
            starts_at=None,
            place=None,
            uid=new_uid(),
            created_by_id=who.person.id,
            now=ask.now,
        )
        slots = [
            review_repo.add_slot(s, review_id=review.id, number=n, starts_at=t)
            for n, t in enumerate(starts, start=1)
        ]
        audit.record(
            s,
            action="review.poll_opened",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            review=review.number,
            slots=[t.isoformat() for t in starts],
        )
        plan_poll_chase(s, cal=cal, case=case, review=review, now=ask.now)
        message = poll_message(case.reference, review, slots, tz)
        members = member_ids(s, case_id=case.id)
    failed = await tell(ask.platform, ask.workspace, members, message)
    note = f" {failed} could not be reached." if failed else ""
    return Reply.text(
        f"Asked {plural(len(members) - failed, 'member')} which of the {plural(len(slots), 'slot')} "
        f"they can make.{note} "
        "`review poll` shows the tally; `review pick <n>` fixes the meeting."
    )


async def review_pick(ask: Ask, cmd: c.ReviewPick) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "fix the review date")
        access.require_open(acc)
        case = acc.case
        review = review_repo.current_review(s, case_id=case.id)
        if review is None or review.status != "polling":
            raise NotFound(f"{case.reference} has no open date poll.", hint="Start one with `review poll`.")
        slot = next((x for x in review_repo.slots(s, review_id=review.id) if x.number == cmd.number), None)
        if slot is None:
            raise NotFound(f"The poll has no slot {cmd.number}.")
        if slot.starts_at <= ask.now:
            raise UsageError(f"Slot {cmd.number} is in the past.", command="review")
        cal = calendar_for(s, ask, school_id=case.school_id)
        day = slot.starts_at.astimezone(ask.core.tz).date()
        question = ask_about_days(ask, reference=case.reference, days=[day], cal=cal, what="the review")
        if question is not None:
            return question
        review.status, review.starts_at, review.updated_at = "scheduled", slot.starts_at, ask.now
        review.place = cmd.where or review.place
        audit.record(
            s,
            action="review.fixed",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
            review=review.number,
            slot=slot.number,
            starts_at=slot.starts_at.isoformat(),
            why="review invitations to the team",
        )
        plan_review(s, cal=cal, case=case, review=review, now=ask.now)
        inv = invitation(s, case=case, review=review, kind="fixed", tz=ask.core.tz)
    return await announce(ask, inv)


async def on_poll(ask: Ask, interaction: Interaction) -> Reply:
    """A member pressed Can / Can't / Maybe for a slot; late and changed answers are handled."""
    answer = interaction.action.partition(".")[2]
    review_id, _, number = interaction.value.partition(":")
    if answer not in ANSWERS or not review_id.isdigit() or not number.isdigit():
        return Reply.text("That button no longer does anything.")
    tz = ask.core.tz
    with ask.core.db.transaction() as s:
        review = review_repo.get_review(s, review_id=int(review_id))
        case = s.get(Case, review.case_id) if review is not None else None
        school = s.get(School, case.school_id) if case is not None else None
        person = people.find_person(
            s, platform=interaction.actor.platform, external_id=interaction.actor.user_id
        )
        if (
            review is None
            or case is None
            or school is None
            or school.external_id != interaction.actor.workspace
            or person is None
            or case_repo.active_membership(s, case_id=case.id, person_id=person.id) is None
        ):
            raise NotAllowed("That poll is not one you can answer.")
        if review.status == "scheduled" and review.starts_at is not None:
            return Reply.text(
                f"Thanks, but the meeting is already fixed: {when(review.starts_at, tz, review.place)}. "
                "Your invitation came separately."
            )
        if review.status != "polling":
            return Reply.text("Thanks, but that date poll is closed.")
        slot = next((x for x in review_repo.slots(s, review_id=review.id) if x.number == int(number)), None)
        if slot is None:
            return Reply.text("That button no longer does anything.")
        waiting_before = len(unanswered(s, case=case, review=review))
        before = review_repo.set_answer(s, slot_id=slot.id, person_id=person.id, answer=answer, now=ask.now)
        audit.record(
            s,
            action="review.poll_answered",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=person.id,
            review=review.number,
            slot=slot.number,
            answer=answer,
            before=before,
        )
        complete = waiting_before > 0 and not unanswered(s, case=case, review=review)
        key_worker = people.people_by_id(s, ids={case.key_worker_id})[case.key_worker_id]
        tally = tally_blocks(s, case=case, review=review, tz=tz, names=True) if complete else []
        label = slot_label(slot, tz)
    if complete:
        await tell(
            ask.platform,
            interaction.actor.workspace,
            (key_worker.external_id,),
            reply(
                Heading(f"Everyone has answered the date poll for {case_title(case)}"),
                *tally,
                summary=f"Everyone has answered the {case.reference} date poll",
                private=False,
            ),
        )
    changed = f" (changed from {ANSWERS[before]})" if before and before != answer else ""
    return Reply.text(f"Noted: you {ANSWERS[answer]} slot {label}{changed}.")


async def chase_poll(core: Core, review_id: int) -> int:
    """Remind, once, the members who have not answered a poll; returns how many were chased.

    Meant to be queued by the reminders queue a few school days after the poll opens.
    """
    now = core.clock.now()
    with core.db.transaction() as s:
        review = review_repo.get_review(s, review_id=review_id)
        if review is None or review.status != "polling" or review.poll_chased_at is not None:
            return 0
        case = s.get(Case, review.case_id)
        assert case is not None
        school = s.get(School, case.school_id)
        assert school is not None
        waiting = unanswered(s, case=case, review=review)
        persons = people.people_by_id(s, ids=set(waiting))
        review.poll_chased_at = now
        audit.record(
            s,
            action="review.poll_chased",
            at=now,
            school_id=case.school_id,
            case_id=case.id,
            count=len(waiting),
        )
        message = poll_message(
            case.reference, review, list(review_repo.slots(s, review_id=review.id)), core.tz
        )
        ids = tuple(persons[p].external_id for p in waiting)
        platform, workspace = core.platform(school.platform), school.external_id
    chaser = Reply(
        blocks=message.blocks,
        summary=f"Reminder: the {case.reference} date poll is waiting for your answer",
        private=False,
        mail=message.mail,
    )
    await tell(platform, workspace, ids, chaser)
    return len(ids)
