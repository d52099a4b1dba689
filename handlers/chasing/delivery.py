"""Sending what is due: claim a batch atomically, decide from current data, deliver, mark sent.

Where reminders go: a direct message to the person (``core.platforms[school platform].direct_message``),
not the case room: a chaser is about one person's task, and nudging people in front of the team is
neither kind nor necessary. Escalations and blocks go to the key worker the same way.

Delivery guarantee. Between concurrent workers (several ``serve`` instances, ``tacbot reminders run-due``
processes) each reminder is sent once: a row is claimed by one atomic statement (PostgreSQL ``FOR UPDATE
SKIP LOCKED``; SQLite's ``BEGIN IMMEDIATE`` write lock around a conditional ``UPDATE ... WHERE state =
'pending'``; ``storage.repo.reminders``) and only the claimant marks it. A live worker's rows are never
taken back: no platform call starts after half the lease and each call, the platform's own retries and
waits included, is cut off after a fifth of it (``handlers.platform.within``), and each message is marked
sent in its own transaction as soon as the platform has taken it. Around a crash we chose AT-LEAST-ONCE:
a worker killed after a send and before its mark leaves that one row claimed, and when the lease expires
another worker sends it again (one duplicate per crash at most; the rows it had not sent yet go once).
A call cut off for taking too long (``NoAnswer``) may have delivered too, and is retried later the same
way. A lost chaser is worse than a rare duplicate.

Rate limits: a platform raising ``RateLimited`` delivered nothing; we wait ``retry_after`` (injected
``sleep``) and retry that message when the wait fits, otherwise the unsent rows go back to the queue due
after ``retry_after`` with their attempt given back: nothing lost, nothing doubled.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.chasing import messages
from handlers.chasing.batch import Batch, Outgoing, mark_sent, put_back
from handlers.chasing.kinds import Kind
from handlers.chasing.registry import Chaser, Job, Letter, handling
from handlers.chasing.relevance import group as _group
from handlers.chasing.subjects import Subject
from handlers.core import Core
from handlers.platform import PlatformError, RateLimited, within
from scheduler import queue
from scheduler.calendar import Calendars, SchoolCalendar
from scheduler.steps import follow_ups, too_late
from storage.models import Case, Membership, Person, Reminder, School
from storage.repo import reminders as reminder_repo

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
LEASE = timedelta(minutes=5)
BATCH = 500
MAX_WAIT = 30.0  # longest Retry-After we wait for inside one pass
# Within a batch's lease: no platform call starts after half of it, and one call (the platform's own
# retries and waits included) is cut off after a fifth, so a live worker has marked every row it sent
# by 0.7 of the lease and its rows are never taken back (5 minutes: 2.5 min, 60 s, 3.5 min).
START_BY = 0.5
CALL_SHARE = 0.2


@dataclass
class RunStats:
    """What one ``run_due`` pass did."""

    claimed: int = 0
    sent: int = 0
    cancelled: int = 0
    held: int = 0
    failed: int = 0
    rate_limited: int = 0
    batches: int = 0


class _Calendars(Calendars):
    """The pass's calendars and policies (``scheduler.calendar.Calendars``), and the core for subjects."""

    def __init__(self, core: Core) -> None:
        super().__init__(tz=core.tz, hours=core.hours)
        self.core = core


def prepare(session: Session, *, token: str, now: datetime, calendars: _Calendars, stats: RunStats) -> Batch:
    """Decide about each claimed row from current data; cancel or hold the ones not to send now."""
    rows = reminder_repo.claimed(session, token=token)
    calendars.preload(session, {r.school_id for r in rows})
    case_ids = {r.case_id for r in rows if r.case_id is not None}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    schools = {
        s.id: s for s in session.scalars(select(School).where(School.id.in_({r.school_id for r in rows})))
    }
    members = {
        (case_id, person_id)
        for case_id, person_id in session.execute(
            select(Membership.case_id, Membership.person_id).where(
                Membership.case_id.in_(case_ids), Membership.active.is_(True)
            )
        )
    }
    subjects: dict[str, dict[int, Subject]] = {}
    for kind in {r.subject_kind for r in rows}:
        if isinstance(how := handling(kind), Chaser):
            wanted = [r.subject_id for r in rows if r.subject_kind == kind]
            subjects[kind] = how.subjects.load(session, wanted, core=calendars.core)
    owner_ids = {s.owner_id for by in subjects.values() for s in by.values() if s.owner_id is not None}
    people = {
        p.id: p
        for p in session.scalars(
            select(Person).where(Person.id.in_({r.recipient_id for r in rows} | owner_ids))
        )
    }
    batch, cancel, fail, hold = Batch(), list[int](), list[int](), dict[int, datetime]()
    # After downtime several chasers of one subject to one person may be due: send only the latest.
    # (Other kinds, e.g. a review's steps, each say something different: every step is sent.)
    latest: dict[tuple[str, int, int, str], Reminder] = {}
    for r in rows:
        group = _group(r)
        if group not in latest or (r.due_at, r.id) > (latest[group].due_at, latest[group].id):
            latest[group] = r
    for r in rows:
        if latest[_group(r)] is not r:
            cancel.append(r.id)
            continue
        cal = calendars.get(session, r.school_id)
        school, person = schools[r.school_id], people[r.recipient_id]
        if not cal.is_working(now):
            hold[r.id] = cal.next_working_slot(now)
            continue
        how = handling(r.subject_kind)
        if isinstance(how, Job):
            job_case = cases.get(r.case_id) if r.case_id is not None else None
            if r.case_id is not None and (
                job_case is None or (job_case.status != "open" and not how.after_close)
            ):  # a concern: no case
                cancel.append(r.id)
            else:
                batch.rows[r.id] = r
                batch.jobs.append((r, how))
            continue
        if isinstance(how, Letter):
            body = how.write(session, school_id=r.school_id, person_id=r.recipient_id, cal=cal, now=now)
        else:
            case = cases.get(r.case_id) if r.case_id is not None else None
            if how is None:
                log.error("no handling for reminder kind %s (reminder %s)", r.subject_kind, r.id)
                fail.append(r.id)
                continue
            subject = subjects[r.subject_kind].get(r.subject_id)
            if (
                case is None
                or case.status != "open"
                or (case.id, r.recipient_id) not in members
                or subject is None
                or not subject.open
                or (subject.due is not None and r.anchor and r.anchor != subject.due.isoformat())
                or too_late(r.step, subject.due, cal.local(now).date())
            ):
                cancel.append(r.id)
                continue
            today = cal.local(now).date()
            if r.step == "escalation":
                owner = people.get(subject.owner_id) if subject.owner_id is not None else None
                body = messages.escalation(case=case, subject=subject, owner=owner, today=today)
            else:
                body = messages.chaser(
                    kind=r.subject_kind, step=r.step, case=case, subject=subject, today=today
                )
            if how.chased:
                steps = follow_ups(cal, step=r.step, fired_at=now)  # the school's policy
                again = queue.Target(
                    Kind(r.subject_kind),
                    r.subject_id,
                    school_id=r.school_id,
                    case_id=r.case_id,
                    recipient_id=r.recipient_id,
                    key_worker_id=case.key_worker_id,
                )
                batch.follow_ups[r.id] = queue.planned(again, steps=steps, anchor=r.anchor, now=now)
        batch.rows[r.id] = r
        batch.outgoing.append(Outgoing(r.id, school.platform, school.external_id, person.external_id, body))
    if cancel:
        reminder_repo.release(session, token=token, ids=cancel, state="cancelled")
    if fail:
        reminder_repo.release(session, token=token, ids=fail, state="failed")
    for slot in set(hold.values()):
        reminder_repo.release(
            session,
            token=token,
            ids=[i for i, at in hold.items() if at == slot],
            state="pending",
            due_at=slot,
        )
    stats.cancelled += len(cancel)
    stats.failed += len(fail)
    stats.held += len(hold)
    return batch


async def _send(
    core: Core, batch: Batch, *, token: str, now: datetime, timing: Timing, sleep: Sleep, stats: RunStats
) -> tuple[dict[int, float], list[int]]:
    """Deliver in order, marking each message sent as soon as it is (so a crash repeats at most the one
    message under way). Returns (ids to put back with a delay in seconds, failed ids)."""
    back: dict[int, float] = {}
    failed: list[int] = []
    for i, out in enumerate(batch.outgoing):
        tries = 0
        while True:
            if time.monotonic() > timing.last_start:  # keep well inside the lease: hand the rest back
                back.update({o.reminder_id: 0.0 for o in batch.outgoing[i:]})
                return back, failed
            platform = core.platform(out.platform)
            try:
                await within(
                    timing.call_budget,
                    platform.direct_message(workspace=out.workspace, user_id=out.user_id, reply=out.reply),
                )
            except RateLimited as limited:
                stats.rate_limited += 1
                tries += 1
                wait = limited.retry_after
                if tries > 3 or wait > MAX_WAIT or time.monotonic() + wait > timing.last_start:
                    back.update({o.reminder_id: wait for o in batch.outgoing[i:]})
                    return back, failed
                await sleep(wait)
                continue
            except PlatformError as error:  # refused, or no answer in time (``NoAnswer``): tried later
                log.warning("reminder %s not delivered: %s", out.reminder_id, error.message)
                failed.append(out.reminder_id)
                break
            with core.db.transaction() as s:
                stats.sent += mark_sent(s, token=token, now=now, batch=batch, ids=[out.reminder_id])
            break
    return back, failed


@dataclass(frozen=True, slots=True)
class Timing:
    """A batch's time inside its lease (monotonic seconds): when the last call may start, how long one
    call may take. Every call has ended by ``START_BY + CALL_SHARE`` of the lease, then it is marked."""

    last_start: float
    call_budget: float

    @classmethod
    def of(cls, *, claimed: float, lease: timedelta) -> Timing:
        length = lease.total_seconds()
        return cls(last_start=claimed + length * START_BY, call_budget=length * CALL_SHARE)


async def run_due(
    core: Core,
    *,
    now: datetime,
    batch_size: int = BATCH,
    lease: timedelta = LEASE,
    sleep: Sleep = asyncio.sleep,
) -> RunStats:
    """Send every reminder due at ``now`` once, in batches; returns what happened.

    Nothing is sent outside working time on a school day (weekends, bank holidays, the school's own
    holidays): those reminders wait for the next working slot. Transactions never span a platform call.
    """
    stats = RunStats()
    if not SchoolCalendar(tz=core.tz, hours=core.hours).is_working(now):
        return stats
    calendars = _Calendars(core)
    platforms = sorted(core.platforms)
    started = time.monotonic()
    while True:
        token = uuid.uuid4().hex
        # A long pass (a Monday backlog under rate limits) must not claim with a lease that has already
        # run out for other instances: each batch's lease starts when that batch is claimed.
        claimed = time.monotonic()
        claimed_at = now + timedelta(seconds=claimed - started)
        with core.db.transaction() as s:
            ids = reminder_repo.claim(
                s, token=token, now=claimed_at, lease=lease, limit=batch_size, platforms=platforms
            )
            if not ids:
                break
            batch = prepare(s, token=token, now=now, calendars=calendars, stats=stats)
        stats.claimed += len(ids)
        stats.batches += 1
        timing = Timing.of(claimed=claimed, lease=lease)
        back, failed = await _send(core, batch, token=token, now=now, timing=timing, sleep=sleep, stats=stats)
        await run_jobs(
            core, batch, token=token, now=now, timing=timing, stats=stats, back=back, failed=failed
        )
        with core.db.transaction() as s:
            put_back(s, token=token, now=now, batch=batch, back=back, failed=failed)
        stats.failed += len(failed)
        if len(ids) < batch_size and not batch.more_due:
            break
    return stats


async def run_jobs(
    core: Core,
    batch: Batch,
    *,
    token: str,
    now: datetime,
    timing: Timing,
    stats: RunStats,
    back: dict[int, float],
    failed: list[int],
) -> None:
    """Run claimed jobs (outside any transaction), inside the lease as messages are: none starts after
    half of it (the rest go back, their attempt given back), each one done is marked at once, refused
    ones are retried. A job that raises anything is retried, never lets the pass die with rows claimed."""
    for i, (r, job) in enumerate(batch.jobs):
        if time.monotonic() > timing.last_start:
            back.update({row.id: 0.0 for row, _ in batch.jobs[i:]})
            return
        try:
            done = await job.run(core, r.subject_id)
        except PlatformError as error:
            log.warning("reminder job %s failed: %s", r.id, error.message)
            done = False
        except Exception as error:
            log.error("reminder job %s (%s) failed: %s", r.id, r.subject_kind, type(error).__name__)
            done = False
        if not done:
            failed.append(r.id)
            continue
        with core.db.transaction() as s:
            stats.sent += mark_sent(s, token=token, now=now, batch=batch, ids=[r.id])
