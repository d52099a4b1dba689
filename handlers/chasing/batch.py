"""A claimed batch of reminders: what it holds (messages to send, jobs to run, follow-ups to queue once a
message is sent), and how each row ends: marked sent with its follow-ups and audit (``mark_sent``), or
queued again (``put_back``): after the platform's pause with its attempt given back, or, refused, after
a growing back-off; given up as ``failed`` after ``MAX_ATTEMPTS``, except jobs tried until done (e-mail).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from handlers.chasing.registry import Job, handling
from handlers.replies import Reply
from scheduler import queue
from storage import audit
from storage.models import Reminder
from storage.repo import reminders as reminder_repo

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACK_OFF = timedelta(minutes=10)  # a refused try is retried 10, 20, 30... minutes later
LONGEST_BACK_OFF = timedelta(hours=2)  # for jobs tried until done (e-mail), never further apart than this


@dataclass(frozen=True, slots=True)
class Outgoing:
    reminder_id: int
    platform: str
    workspace: str
    user_id: str
    reply: Reply


@dataclass
class Batch:
    """The decisions about one claimed batch."""

    outgoing: list[Outgoing] = field(default_factory=list)
    follow_ups: dict[int, list[Reminder]] = field(default_factory=dict)
    rows: dict[int, Reminder] = field(default_factory=dict)
    jobs: list[tuple[Reminder, Job]] = field(default_factory=list)  # run, not messaged
    more_due: bool = False  # a follow-up (an escalation) is due at once: run another batch


def mark_sent(session: Session, *, token: str, now: datetime, batch: Batch, ids: list[int]) -> int:
    """Record delivered rows still ours: sent, their follow-ups queued, audited; returns how many."""
    marked = reminder_repo.release(session, token=token, ids=ids, state="sent", sent_at=now) if ids else []
    rows = [batch.rows[i] for i in marked]
    follow_ups = [f for i in marked for f in batch.follow_ups.get(i, [])]
    queue.store(session, follow_ups)
    batch.more_due = batch.more_due or any(f.due_at <= now for f in follow_ups)
    audit.record_many(
        session,
        [
            audit.Entry(
                "reminder.sent",
                now,
                school_id=r.school_id,
                case_id=r.case_id,
                detail={
                    "kind": r.subject_kind,
                    "subject_id": r.subject_id,
                    "step": r.step,
                    "to": r.recipient_id,
                },
            )
            for r in rows
        ],
    )
    return len(marked)


def put_back(
    session: Session, *, token: str, now: datetime, batch: Batch, back: dict[int, float], failed: list[int]
) -> None:
    """Queue again what was not delivered: after the platform's pause, or (refused) after a back-off."""
    for delay in set(back.values()):
        ids = [i for i, d in back.items() if d == delay]
        # Not delivered: give the claim's attempt back and queue it again after the platform's pause.
        reminder_repo.release(
            session,
            token=token,
            ids=ids,
            state="pending",
            due_at=now + timedelta(seconds=delay),
            attempts=Reminder.attempts - 1,
        )
    for i in failed:
        r = batch.rows[i]
        how = handling(r.subject_kind)
        until_done = isinstance(how, Job) and how.until_done
        if r.attempts >= MAX_ATTEMPTS and not until_done:
            reminder_repo.release(session, token=token, ids=[i], state="failed")
            continue
        if r.attempts == MAX_ATTEMPTS:  # an e-mail is never given up: someone should look at the server
            log.error(
                "reminder %s (%s) still not done after %s tries; tried again", i, r.subject_kind, r.attempts
            )
        reminder_repo.release(
            session,
            token=token,
            ids=[i],
            state="pending",
            due_at=now + min(BACK_OFF * r.attempts, LONGEST_BACK_OFF),
        )
