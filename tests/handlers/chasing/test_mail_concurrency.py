"""E-mails (reminders of kind ``mail``) under the same guarantees as chat reminders, through a real SMTP
server (aiosmtpd, counting each queued e-mail by its ``X-TACBot-Mail`` header): several OS processes on
one database deliver each exactly once; a process killed between claim and send is taken back after the
lease; a SIGKILL between the server's acceptance and the mark repeats exactly that one e-mail; a server
that refuses (451, 550) leaves every e-mail queued, retried with back-off, never given up, never marked
sent, and sent once when the server takes it again."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.mail.smtp import SmtpMailer
from handlers.chasing.batch import LONGEST_BACK_OFF, MAX_ATTEMPTS
from handlers.chasing.delivery import LEASE, run_due
from handlers.clock import ManualClock
from handlers.core import Core
from handlers.outside.config import Outside
from handlers.outside.links import LinkSigner
from storage.engine import Database
from storage.models import OutgoingMail, Reminder
from tests.handlers.chasing.fakes import ListPlatform
from tests.handlers.chasing.seed import seed_mail
from tests.handlers.chasing.test_concurrency import together
from tests.handlers.chasing.workers import run_due_mail_process
from tests.mailbox import Mailbox

NOW = datetime(2026, 9, 14, 9, 0, tzinfo=UTC)  # Monday 10:00 in London
SPAWN = multiprocessing.get_context("spawn")


def run_processes(
    url: str, mailbox: Mailbox, *, now: datetime, n: int, batch: int, die: bool = False
) -> list[int]:
    return together(n, run_due_mail_process, url, mailbox.port, now.isoformat(), batch, die)


def seeded(url: str, *, cases: int, per_case: int) -> list[int]:
    db = Database.from_url(url)
    ids = seed_mail(db, cases=cases, per_case=per_case, now=NOW)
    db.dispose()
    return ids


def states(url: str) -> tuple[dict[str, int], dict[str, int]]:
    """(the mail reminders' states, the outbox rows' states), counted."""
    db = Database.from_url(url)
    with db.transaction() as s:
        reminders = dict(s.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all())
        mails = dict(s.execute(select(OutgoingMail.state, func.count()).group_by(OutgoingMail.state)).all())
    db.dispose()
    return {str(k): int(v) for k, v in reminders.items()}, {str(k): int(v) for k, v in mails.items()}


def test_four_processes_send_every_email_exactly_once(fresh_url: str, mailbox: Mailbox) -> None:
    ids = seeded(fresh_url, cases=30, per_case=4)
    assert run_processes(fresh_url, mailbox, now=NOW, n=4, batch=7) == [0, 0, 0, 0]
    counts = mailbox.per_outbox_row()
    assert sorted(counts) == sorted(ids) and set(counts.values()) == {1}
    assert states(fresh_url) == ({"sent": len(ids)}, {"sent": len(ids)})
    assert run_processes(fresh_url, mailbox, now=NOW + LEASE * 2, n=2, batch=7) == [0, 0]
    assert len(mailbox.received) == len(ids)  # nothing left to send


def test_a_process_killed_between_claim_and_send_is_taken_back_after_the_lease(
    fresh_url: str, mailbox: Mailbox
) -> None:
    ids = seeded(fresh_url, cases=10, per_case=3)
    assert run_processes(fresh_url, mailbox, now=NOW, n=1, batch=12, die=True) == [9]
    assert states(fresh_url) == ({"claimed": 12, "pending": len(ids) - 12}, {"queued": len(ids)})
    run_processes(fresh_url, mailbox, now=NOW + timedelta(minutes=1), n=3, batch=5)  # lease still held
    assert len(mailbox.received) == len(ids) - 12
    run_processes(fresh_url, mailbox, now=NOW + LEASE + timedelta(minutes=1), n=3, batch=5)
    counts = mailbox.per_outbox_row()
    assert sorted(counts) == sorted(ids) and set(counts.values()) == {1}
    assert states(fresh_url) == ({"sent": len(ids)}, {"sent": len(ids)})


def kill_after_send(url: str, mailbox: Mailbox, *, now: datetime, batch: int, nth: int) -> int:
    """A worker held right after the server accepted its ``nth`` e-mail, before the mark, is SIGKILLed."""
    accepted = SPAWN.Event()
    worker = SPAWN.Process(
        target=run_due_mail_process,
        args=(url, mailbox.port, now.isoformat(), batch, False, None, (nth, accepted)),
    )
    worker.start()
    reached = accepted.wait(120)
    os.kill(worker.pid or 0, signal.SIGKILL)
    worker.join(60)
    assert reached, "the worker never got to its send"
    return worker.exitcode or 0


KILLS = (3, 1, 5, 2, 4)


def test_each_sigkill_between_the_servers_acceptance_and_the_mark_repeats_exactly_that_email(
    fresh_url: str, mailbox: Mailbox
) -> None:
    """At least once around a crash, as for every reminder: one duplicate per kill, nothing lost."""
    ids = seeded(fresh_url, cases=12, per_case=3)
    now = NOW
    for nth in KILLS:
        assert kill_after_send(fresh_url, mailbox, now=now, batch=8, nth=nth) == -signal.SIGKILL
        now += LEASE + timedelta(minutes=1)  # the killed worker's lease runs out
    assert run_processes(fresh_url, mailbox, now=now, n=2, batch=8) == [0, 0]
    counts = mailbox.per_outbox_row()
    assert sorted(counts) == sorted(ids)  # nothing lost
    assert sum(counts.values()) - len(ids) == len(KILLS)  # one duplicate per kill, no more
    assert states(fresh_url) == ({"sent": len(ids)}, {"sent": len(ids)})
    # (An e-mail can be the one under way at two kills in a row: it then arrives three times.)
    # Every try of one e-mail carries the same Message-ID: a mail program may show the repeat once.
    ids_of: dict[int, set[str]] = {}
    for m in mailbox.received:
        ids_of.setdefault(int(m["X-TACBot-Mail"]), set()).add(str(m["Message-ID"]))
    assert {len(v) for v in ids_of.values()} == {1} and len({*map(min, ids_of.values())}) == len(ids)


def test_a_refusing_server_leaves_every_email_queued_until_it_accepts_then_each_goes_once(
    fresh_url: str, mailbox: Mailbox
) -> None:
    ids = seeded(fresh_url, cases=6, per_case=2)
    mailbox.refuse = "451 4.3.0 Try again later"
    assert run_processes(fresh_url, mailbox, now=NOW, n=3, batch=5) == [0, 0, 0]
    assert mailbox.refused == len(ids) and mailbox.received == []
    assert states(fresh_url) == ({"pending": len(ids)}, {"queued": len(ids)})
    run_processes(fresh_url, mailbox, now=NOW + timedelta(minutes=5), n=3, batch=5)  # backing off
    assert mailbox.refused == len(ids)
    mailbox.refuse = "550 5.7.1 Relaying denied"  # a permanent refusal is retried too: never dropped
    run_processes(fresh_url, mailbox, now=NOW + timedelta(minutes=11), n=3, batch=5)
    assert mailbox.refused == 2 * len(ids) and mailbox.received == []
    assert states(fresh_url) == ({"pending": len(ids)}, {"queued": len(ids)})
    mailbox.refuse = None
    assert run_processes(fresh_url, mailbox, now=NOW + timedelta(minutes=32), n=3, batch=5) == [0, 0, 0]
    counts = mailbox.per_outbox_row()
    assert sorted(counts) == sorted(ids) and set(counts.values()) == {1}
    assert states(fresh_url) == ({"sent": len(ids)}, {"sent": len(ids)})


def mail_core(db: Database, mailbox: Mailbox, clock: ManualClock) -> Core:
    outside = Outside(
        public_url="https://tac.school.example",
        links=LinkSigner(b"k" * 32, clock=clock, days=14),
        mailer=SmtpMailer(host=mailbox.host, port=mailbox.port, username=None, password=None, starttls=False),
    )
    return Core(
        db=db,
        clock=clock,
        platforms={"fake": ListPlatform()},  # type: ignore[dict-item]
        outside=outside,
        hours=(time(0, 0), time(23, 59)),  # the back-off runs through the night: no hold to step over
    )


async def test_a_refused_email_is_never_given_up_and_backs_off_to_at_most_two_hours(
    db: Database, mailbox: Mailbox
) -> None:
    """Past MAX_ATTEMPTS a chat reminder fails; an e-mail is kept, tried at most LONGEST_BACK_OFF apart."""
    [outbox_id] = seed_mail(db, cases=1, per_case=1, now=NOW)
    clock = ManualClock(NOW)
    core = mail_core(db, mailbox, clock)
    mailbox.refuse = "451 4.3.0 Try again later"
    now, gaps = NOW, []
    for attempt in range(1, MAX_ATTEMPTS + 10):
        clock.current = now
        stats = await run_due(core, now=now)
        assert stats.failed == 1 and stats.sent == 0 and mailbox.refused == attempt
        with db.transaction() as s:
            [row] = s.scalars(select(Reminder))
            mail = s.get(OutgoingMail, outbox_id)
            assert mail is not None and mail.state == "queued" and mail.sent_at is None
        assert row.state == "pending" and row.attempts == attempt
        gaps.append(row.due_at.replace(tzinfo=UTC) - now)
        assert (await run_due(core, now=row.due_at.replace(tzinfo=UTC) - timedelta(seconds=1))).claimed == 0
        now = row.due_at.replace(tzinfo=UTC)
    assert gaps[:3] == [timedelta(minutes=10), timedelta(minutes=20), timedelta(minutes=30)]
    assert max(gaps) == LONGEST_BACK_OFF and gaps[-1] == LONGEST_BACK_OFF
    mailbox.refuse = None
    clock.current = now
    assert (await run_due(core, now=now)).sent == 1
    assert mailbox.per_outbox_row() == {outbox_id: 1}
    assert (await run_due(core, now=now + timedelta(hours=3))).claimed == 0


async def test_no_job_starts_past_half_the_lease_the_rest_go_back_unspent(
    db: Database, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A live worker never outlives its lease with e-mails either, so no other worker sends them too."""
    import handlers.chasing.delivery as delivery

    ids = seed_mail(db, cases=5, per_case=1, now=NOW)
    elapsed = [0.0]
    monkeypatch.setattr(delivery.time, "monotonic", lambda: elapsed[0])
    clock = ManualClock(NOW)
    core = mail_core(db, mailbox, clock)
    assert core.outside is not None and core.outside.mailer is not None
    smtp = core.outside.mailer

    class Slow:
        async def send(self, message: object) -> None:
            await smtp.send(message)  # type: ignore[arg-type]
            elapsed[0] += 100.0  # each conversation takes 100 s (counted once it is over: the loop's
            # timers read the same clock)

    core.outside = Outside(public_url=core.outside.public_url, links=core.outside.links, mailer=Slow())
    stats = await run_due(core, now=NOW)
    assert stats.sent == 2 and len(mailbox.received) == 2  # at 0 s and 100 s; none starts after 150 s
    with db.transaction() as s:
        rows = list(s.scalars(select(Reminder)))
    assert sorted(r.state for r in rows) == ["pending"] * 3 + ["sent"] * 2
    assert {r.attempts for r in rows if r.state == "pending"} == {0}  # the attempt given back
    stats = await run_due(core, now=NOW + timedelta(seconds=1))
    assert stats.sent == 2
    await run_due(core, now=NOW + timedelta(seconds=2))
    counts = mailbox.per_outbox_row()
    assert sorted(counts) == sorted(ids) and set(counts.values()) == {1}
