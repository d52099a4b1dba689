"""What reminders are about, read from current data when they fire: one ``SubjectSource`` per kind.

Each chaser kind names its source in ``handlers.chasing.registry.KINDS``. A source loads many subjects in
one query, so a batch costs a bounded number of statements. A subject's ``label`` ("Action 2") says
nothing about the pupil and may go in a notification; what it is about, in the team's words, is its
``about``, shown in the message's body only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.core import Core
from handlers.forms.buttons import open_form_button
from handlers.forms.library import Form, builtin_library
from handlers.replies import Button, Span, Strong
from handlers.reviews.times import when
from scheduler.calendar import LONDON
from storage.models import Action, Case, InputRequest, Review


@dataclass(frozen=True, slots=True)
class Subject:
    """A subject as it is now. ``label`` is user-safe and says nothing about the pupil ("Action 2")."""

    id: int
    label: str
    open: bool
    due: date | None
    owner_id: int | None
    answerable: bool = True  # chasers about it carry Done / Need more time / Blocked buttons
    buttons: tuple[Button, ...] = ()  # shown before the chaser's answers (e.g. Open form)
    # The thing itself in words (the action's text, the meeting's date, time and place): in the message's
    # body so nobody has to go and look it up, never in its notification text (``Reply.summary``).
    about: tuple[Span, ...] = ()


class SubjectSource(Protocol):
    def load(self, session: Session, ids: Iterable[int], *, core: Core | None = None) -> dict[int, Subject]:
        """The subjects with these ids that still exist (missing ids: the subject is gone)."""
        ...


class ActionSource:
    """Plan actions (``handlers.plan``): open until done; due is the action's current due date."""

    def load(self, session: Session, ids: Iterable[int], *, core: Core | None = None) -> dict[int, Subject]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = session.scalars(select(Action).where(Action.id.in_(wanted)))
        return {
            a.id: Subject(
                id=a.id,
                label=f"Action {a.number}",
                open=a.status == "open",
                due=a.due,
                owner_id=a.owner_id,
                about=action_about(a),
            )
            for a in rows
        }


def action_about(action: Action) -> tuple[Span, ...]:
    """What the chaser is about, for its body: "Action 2: Phonics group · Library · 3x weekly"."""
    spans: list[Span] = [Strong(f"Action {action.number}"), ": ", action.what]
    for extra in (action.where, action.often):
        if extra:
            spans += [" · ", extra]
    return tuple(spans)


def form_title(form_id: str, forms: Mapping[str, Form] | None = None) -> str:
    """The form's title for a chaser: from the deployment's forms (else the built-in ones, else its id)."""
    form = (forms if forms is not None else builtin_library()).get(form_id)
    return form.title if form is not None else form_id


class InputRequestSource:
    """Requested inputs (``handlers.forms``): open until submitted or cancelled; owned by the person asked.

    The label is the form's title and the request's number only ("EP advice (input 2)").
    """

    def load(self, session: Session, ids: Iterable[int], *, core: Core | None = None) -> dict[int, Subject]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = session.execute(
            select(InputRequest, Case.school_id)
            .join(Case, Case.id == InputRequest.case_id)
            .where(InputRequest.id.in_(wanted))
        ).all()
        forms: dict[int, Mapping[str, Form]] = {}
        if core is not None:  # each school's own forms too (a school's form is titled from its own)
            forms = {school: core.forms_of(session, school) for school in {school for _, school in rows}}
        return {
            r.id: Subject(
                id=r.id,
                label=f"{form_title(r.form_id, forms.get(school))} (input {r.number})",
                open=r.state == "open",
                due=r.due,
                owner_id=r.requested_of_id,
                buttons=(open_form_button(r.id),),
            )
            for r, school in rows
        }


class ReviewSource:
    """Review meetings (``handlers.reviews``): open while fixed or held (the report falls due after).

    ``due`` is the meeting's date (UTC date of its start; schools do not meet around midnight).
    """

    def load(self, session: Session, ids: Iterable[int], *, core: Core | None = None) -> dict[int, Subject]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = session.scalars(select(Review).where(Review.id.in_(wanted)))
        tz = core.tz if core is not None else LONDON
        return {
            r.id: Subject(
                id=r.id,
                label=f"Review {r.number}",
                open=r.status in ("scheduled", "held") and r.starts_at is not None,
                due=r.starts_at.date() if r.starts_at is not None else None,
                owner_id=None,
                answerable=False,
                about=(Strong("When and where"), ": ", when(r.starts_at, tz, r.place)) if r.starts_at else (),
            )
            for r in rows
        }
