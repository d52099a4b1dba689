"""Referrals waiting longest: for the SENCO's weekly digest and App Home."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.replies import Span, Strong
from storage.models import Case
from storage.repo import referrals as repo

SHOWN = 5


def waiting_longest(s: Session, *, cases: Sequence[Case], now: datetime) -> list[tuple[Span, ...]]:
    """ "TAC-0001: Referral 1 to CAMHS, sent for 5 weeks", the longest-waiting first."""
    by_id = {c.id: c for c in cases}
    lines: list[tuple[Span, ...]] = []
    for r in repo.waiting_longest(s, case_ids=by_id, limit=SHOWN):
        days = max(0, (now - r.state_at).days)
        age = f"{days // 7} weeks" if days >= 14 else f"{days} day{'s' if days != 1 else ''}"
        lines.append(
            (
                Strong(by_id[r.case_id].reference),
                f": referral {r.number} to {r.service_name}, {r.state} for {age}",
            )
        )
    return lines
