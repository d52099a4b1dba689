"""What reminders are about, read from current data when they fire: one ``SubjectSource`` per kind.

Other features register their own kind here (e.g. the forms feature: ``SUBJECTS["input_request"] =
InputRequestSource()``). A source loads many subjects in one query, so a batch costs a bounded number of
statements, and describes each without anything about the pupil (privacy: reference and alias only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Action


@dataclass(frozen=True, slots=True)
class Subject:
    """A subject as it is now. ``label`` is user-safe and says nothing about the pupil ("Action 2")."""

    id: int
    label: str
    open: bool
    due: date | None
    owner_id: int | None
    answerable: bool = True  # chasers about it carry Done / Need more time / Blocked buttons


class SubjectSource(Protocol):
    def load(self, session: Session, ids: Iterable[int]) -> dict[int, Subject]:
        """The subjects with these ids that still exist (missing ids: the subject is gone)."""
        ...


class ActionSource:
    """Plan actions (``handlers.plan``): open until done; due is the action's current due date."""

    def load(self, session: Session, ids: Iterable[int]) -> dict[int, Subject]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = session.scalars(select(Action).where(Action.id.in_(wanted)))
        return {
            a.id: Subject(
                id=a.id, label=f"Action {a.number}", open=a.status == "open", due=a.due, owner_id=a.owner_id
            )
            for a in rows
        }


SUBJECTS: dict[str, SubjectSource] = {"action": ActionSource()}
