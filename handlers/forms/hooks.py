"""Per-form behaviour beyond storing answers: options filled in at open time, and an on-submit hook.

A form field with ``options_from: team`` offers the case's current team (values are person ids), filled
in by ``api`` every time the form is opened or submitted, so the choices are never stale and an answer is
checked against the team as it is now. A form in ``PRIVATE`` is never stored by the forms core: only its
hook sees the answers. A form whose id is in ``ON_SUBMIT`` runs its hook inside the
submission's transaction (it may raise ``FieldErrors``: nothing is stored) and returns the follow-up
(messages) that ``api.announce`` runs once the edge has acknowledged - in place of the room summary.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.core import Core
from handlers.forms.answers import Answers
from handlers.forms.library import Form, Option
from handlers.model import Actor
from storage.models import Case, Person
from storage.repo import cases as case_repo
from storage.repo import people

MAX_TEAM_OPTIONS = 100  # Slack's multi-select limit; a team is far smaller
LABEL_CHARS = 75


class FieldErrors(Exception):
    """Answers the form's own checks accept but the hook cannot (e.g. a date in the past), by field id."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Submitted:
    """A valid submission, just stored, handed to the form's hook inside the same transaction."""

    core: Core
    actor: Actor
    case: Case
    person: Person
    form: Form
    answers: Answers
    now: datetime
    version: int  # 1 for the first submission of this request


FollowUp = Callable[[Core], Awaitable[None]]
OnSubmit = Callable[[Session, Submitted], FollowUp]
ON_SUBMIT: dict[str, OnSubmit] = {}
# Forms whose answers the forms core never stores (no submission, no draft, no prefill): their hook keeps
# them its own way (the pupil's details, encrypted).
PRIVATE: set[str] = set()


def _label(person: Person) -> str:
    name = person.display_name or person.external_id
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def with_options(s: Session, form: Form, case: Case) -> Form:
    """The form with every ``options_from: team`` field offering the case's current team."""
    if not any(f.options_from for f in form.fields):
        return form
    members = case_repo.active_members(s, case_id=case.id)[:MAX_TEAM_OPTIONS]
    persons = people.people_by_id(s, ids={m.person_id for m in members})
    return fill_options(form, tuple(Option(str(m.person_id), _label(persons[m.person_id])) for m in members))


def fill_options(form: Form, team: tuple[Option, ...]) -> Form:
    """The form with ``team`` as the options of its ``options_from: team`` fields (values: person ids)."""
    sections = tuple(
        dataclasses.replace(
            section,
            fields=tuple(
                dataclasses.replace(f, options=team) if f.options_from == "team" else f
                for f in section.fields
            ),
        )
        for section in form.sections
    )
    return dataclasses.replace(form, sections=sections)
