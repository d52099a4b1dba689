"""Which claimed reminders still say something useful when they fire (used by ``delivery``).

After downtime several reminders that say the same thing may be due at once: only the latest is sent.
Whether a step has been overtaken by its date is ``scheduler.steps.too_late``.
"""

from __future__ import annotations

from handlers.chasing.registry import Chaser, handling
from storage.models import Reminder


def chased(kind: str) -> bool:
    """People answer its chasers, and an overdue one repeats (``scheduler.steps.follow_ups``)."""
    how = handling(kind)
    return isinstance(how, Chaser) and how.chased


def group(r: Reminder) -> tuple[str, int, int, str]:
    """Reminders that say the same thing (only the latest is sent): a subject's chasers to one person,
    or one step of a meeting's (all its "review-" steps count as one)."""
    same = "" if chased(r.subject_kind) else "review-" if r.step.startswith("review-") else r.step
    return (r.subject_kind, r.subject_id, r.recipient_id, same)
