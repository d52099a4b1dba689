"""What is still open in a case (actions, input requests, a meeting ahead): for `close`, which lists it
and asks first, and for someone leaving the team, whose open work the key worker decides about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.forms.library import Form
from handlers.render import mention
from handlers.replies import Span
from handlers.reviews.times import when
from storage.models import Action, Case, InputRequest, Person, Review
from storage.repo import forms as form_repo
from storage.repo import people
from storage.repo import plan as plan_repo
from storage.repo import reviews as review_repo


@dataclass(frozen=True, slots=True)
class OpenWork:
    actions: tuple[Action, ...]
    requests: tuple[InputRequest, ...]
    review: Review | None  # a meeting fixed ahead, or a date poll still open
    owners: dict[int, Person]

    @property
    def empty(self) -> bool:
        return not (self.actions or self.requests or self.review)


def open_work(s: Session, *, case: Case, now: datetime, person_id: int | None = None) -> OpenWork:
    """The case's open work, or only ``person_id``'s (their actions and requests, no meeting)."""
    actions = tuple(
        a
        for a in plan_repo.actions(s, case_id=case.id)
        if a.status == "open" and person_id in (None, a.owner_id)
    )
    requests = tuple(
        r
        for r in form_repo.requests_for_case(s, case_id=case.id)
        if r.state == "open" and person_id in (None, r.requested_of_id)
    )
    review = None
    if person_id is None:
        current = review_repo.current_review(s, case_id=case.id)
        if current is not None and (current.starts_at is None or current.starts_at > now):
            review = current
    ids = {a.owner_id for a in actions} | {r.requested_of_id for r in requests}
    return OpenWork(actions, requests, review, people.people_by_id(s, ids=ids))


def work_lines(work: OpenWork, *, tz: ZoneInfo, forms: Mapping[str, Form]) -> tuple[tuple[Span, ...], ...]:
    """One bullet per open thing: the action's text, the form's title, the meeting's date."""
    lines: list[tuple[Span, ...]] = []
    for a in work.actions:
        owner = mention(work.owners[a.owner_id])
        lines.append((f"Action {a.number}: ", a.what, " · ", owner, f" · due {a.due:%d %b %Y}"))
    for r in work.requests:
        form = forms.get(r.form_id)
        title = form.title if form is not None else r.form_id
        asked = mention(work.owners[r.requested_of_id])
        lines.append((f"Input {r.number}: {title} from ", asked, f" · due {r.due:%d %b %Y}"))
    if work.review is not None:
        if work.review.starts_at is None:
            lines.append(("A date poll for the next review is open",))
        else:
            lines.append((f"Review meeting on {when(work.review.starts_at, tz, work.review.place)}",))
    return tuple(lines)
