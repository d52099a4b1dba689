"""Which queued reminders still say something useful when they fire (used by ``scheduler.delivery``)."""

from __future__ import annotations

from datetime import date

from storage.models import Reminder

CHASED = ("action", "input_request")  # chasers people answer; overdue ones repeat (``policies.follow_ups``)
BEFORE_MEETING = ("review-", "ar-invitations", "ar-advice-due", "ar-pack")


def group(r: Reminder) -> tuple[str, int, int, str]:
    """Reminders that say the same thing (only the latest is sent): a subject's chasers to one person."""
    same = "" if r.subject_kind in CHASED else "review-" if r.step.startswith("review-") else r.step
    return (r.subject_kind, r.subject_id, r.recipient_id, same)


def too_late(step: str, due: date | None, today: date) -> bool:
    """A reminder ahead of something that has come: "before" chasers on the day, review ones after it."""
    if due is None:
        return False
    if step.startswith("before"):
        return today >= due
    return step.startswith(BEFORE_MEETING) and today > due
