"""The audit trail: one append-only row for every change and every read of case content, hash-chained.

Each row's ``hash`` covers its fields, the hash of the row before (``prev_hash``) and ``digest``, an
HMAC of its ``detail`` keyed by the row's own random ``salt``. ``verify`` walks the chain in ``seq``
order and names the first row changed, removed or inserted out of order. Appends are serialised: on
PostgreSQL by a transaction-scoped advisory lock taken before the last row is read, on SQLite by the
write lock every transaction takes at BEGIN IMMEDIATE (``storage.engine``).

Erasure (``redact_case``) clears a case's rows' ``detail`` and ``salt``, the one UPDATE the database
allows; the chain still verifies, and ``verify`` accepts a redacted row only when a ``case.erased``
tombstone for that case follows it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from storage.models import AuditEvent

GENESIS = "0" * 64
ERASED = "case.erased"
# The key of the advisory lock that serialises appends on PostgreSQL (any constant unique to us).
CHAIN_LOCK = 0x7AC_A0D1


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest_of(detail: dict[str, Any], salt: str) -> str:
    return hmac.new(salt.encode(), canonical(detail), hashlib.sha256).hexdigest()


def row_hash(
    *,
    prev_hash: str,
    seq: int,
    school_id: int | None,
    case_id: int | None,
    actor_id: int | None,
    action: str,
    at: datetime,
    digest: str,
) -> str:
    when = at.astimezone(UTC).isoformat(timespec="microseconds")
    fields = [prev_hash, seq, school_id, case_id, actor_id, action, when, digest]
    return hashlib.sha256(canonical(fields)).hexdigest()


def hash_of(event: AuditEvent) -> str:
    return row_hash(
        prev_hash=event.prev_hash,
        seq=event.seq,
        school_id=event.school_id,
        case_id=event.case_id,
        actor_id=event.actor_id,
        action=event.action,
        at=event.at,
        digest=event.digest,
    )


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})


def _last(session: Session) -> tuple[int, str]:
    row = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (0, GENESIS) if row is None else (row[0], row[1])


def record(
    session: Session,
    *,
    action: str,
    at: datetime,
    school_id: int | None = None,
    case_id: int | None = None,
    actor_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one row to the chain, in the caller's transaction (its lock is held until it ends)."""
    _lock_chain(session)
    seq, prev = _last(session)
    salt = secrets.token_hex(16)
    event = AuditEvent(
        seq=seq + 1,
        school_id=school_id,
        case_id=case_id,
        actor_id=actor_id,
        action=action,
        detail=detail,
        salt=salt,
        digest=digest_of(detail, salt),
        prev_hash=prev,
        at=at,
    )
    event.hash = hash_of(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True, slots=True)
class Entry:
    """One row for ``record_many``."""

    action: str
    at: datetime
    school_id: int | None = None
    case_id: int | None = None
    actor_id: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


def record_many(session: Session, entries: Sequence[Entry]) -> None:
    """Append many rows at once (one lock, one read of the chain's end, one INSERT): for batches."""
    if not entries:
        return
    _lock_chain(session)
    seq, prev = _last(session)
    rows: list[dict[str, Any]] = []
    for entry in entries:
        seq += 1
        salt = secrets.token_hex(16)
        detail = dict(entry.detail)
        digest = digest_of(detail, salt)
        hashed = row_hash(
            prev_hash=prev,
            seq=seq,
            school_id=entry.school_id,
            case_id=entry.case_id,
            actor_id=entry.actor_id,
            action=entry.action,
            at=entry.at,
            digest=digest,
        )
        rows.append(
            {
                "seq": seq,
                "school_id": entry.school_id,
                "case_id": entry.case_id,
                "actor_id": entry.actor_id,
                "action": entry.action,
                "detail": detail,
                "salt": salt,
                "digest": digest,
                "prev_hash": prev,
                "hash": hashed,
                "at": entry.at,
            }
        )
        prev = hashed
    session.execute(insert(AuditEvent), rows)


def events_for_case(session: Session, *, case_id: int) -> Sequence[AuditEvent]:
    return session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.seq)
    ).all()


def page_for_case(
    session: Session, *, case_id: int, page: int, size: int
) -> tuple[Sequence[AuditEvent], int]:
    """One page of a case's trail, newest first, and how many rows it has in all."""
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.case_id == case_id))
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.case_id == case_id)
        .order_by(AuditEvent.seq.desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return rows, int(total or 0)


def redact_case(session: Session, *, case_id: int) -> int:
    """Erase what a case's rows say (their detail and salt); the chain is untouched. Returns the count."""
    result = session.execute(
        update(AuditEvent)
        .where(AuditEvent.case_id == case_id, AuditEvent.salt.is_not(None))
        .values(detail=None, salt=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True, slots=True)
class Verdict:
    """``problem`` is None when the chain is intact; ``count`` rows were checked."""

    count: int
    problem: str | None = None
    head: str = GENESIS  # the last row's hash: record it, and pass it as ``head`` next time

    @property
    def ok(self) -> bool:
        return self.problem is None


def _row(event: AuditEvent) -> str:
    return f"row {event.seq} (id {event.id}, {event.action}, {event.at:%Y-%m-%d %H:%M:%S} UTC)"


def verify(session: Session, *, head: str | None = None, batch: int = 2000) -> Verdict:
    """Walk the whole chain in order; the first row changed, removed or inserted out of order fails it.

    Rows cut from the end leave a shorter chain that is still whole: ``head``, a hash recorded from an
    earlier run, must still be in the chain.
    """
    expected_seq, prev_hash, last_id, count = 1, GENESIS, 0, 0
    head_seen = head is None
    redacted: dict[int, AuditEvent] = {}  # case id -> its first redacted row, until a tombstone follows
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                return Verdict(
                    count,
                    f"{_row(event)}: rows {expected_seq} to {event.seq - 1} before it were removed",
                )
            if event.prev_hash != prev_hash or event.id <= last_id:
                return Verdict(
                    count, f"{_row(event)} was inserted out of order (it does not follow row {event.seq - 1})"
                )
            if event.salt is not None and event.detail is not None:
                if not hmac.compare_digest(digest_of(event.detail, event.salt), event.digest):
                    return Verdict(count, f"{_row(event)} was changed (its detail)")
            elif event.salt is not None or event.detail is not None or event.case_id is None:
                return Verdict(count, f"{_row(event)} was changed (half redacted)")
            else:
                redacted.setdefault(event.case_id, event)
            if not hmac.compare_digest(hash_of(event), event.hash):
                return Verdict(count, f"{_row(event)} was changed")
            head_seen = head_seen or event.hash == head
            if event.action == ERASED and event.case_id is not None:
                redacted.pop(event.case_id, None)
            expected_seq, prev_hash, last_id, after = event.seq + 1, event.hash, event.id, event.seq
            count += 1
    if redacted:
        first = min(redacted.values(), key=lambda e: e.seq)
        return Verdict(count, f"{_row(first)} was redacted, but no erasure of its case was recorded")
    if not head_seen:
        return Verdict(count, f"the recorded head {head} is not in the chain: rows were removed from its end")
    return Verdict(count, head=prev_hash)
