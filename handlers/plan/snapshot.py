"""A case's plan read once into plain values, shared by `plan`, `plan export` and the review pack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.consent import describe, scopes_in_force
from handlers.plan.costs import Cost, Total, parse_cost, total
from handlers.render import role_label
from handlers.roles import ROLE_AGENCY, SCHOOL_STAFF
from storage.models import Case
from storage.repo import cases as case_repo
from storage.repo import people
from storage.repo import plan as plan_repo
from storage.repo import reviews as review_repo

CADENCE = {
    "sen-support": "SEN support: assess, plan, do, review, with reviews termly; parents met at least "
    "three times a year.",
    "ehc-assessment": "EHC needs assessment: advice due within 6 weeks of the request; the team reviews "
    "this plan at least termly while the assessment runs.",
    "annual-review": "EHC plan: reviewed at least every 12 months; advice and the pack circulated at least "
    "2 weeks before the meeting.",
    "early-help": "Early help: reviewed every 6 weeks (set locally).",
}


@dataclass(frozen=True, slots=True)
class Who:
    user_id: str
    name: str
    role: str
    agency: str


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    number: int
    text: str
    measure: str | None


@dataclass(frozen=True, slots=True)
class ActionRow:
    number: int
    what: str
    owner: Who
    due: date
    where: str | None
    often: str | None
    cost_text: str | None
    cost: Cost | None
    done: bool
    overdue: bool
    outcome: int | None
    owner_left: bool = False  # the owner is no longer on the team (removed, consent withdrawn, left)


@dataclass(frozen=True, slots=True)
class MemberRow:
    who: Who
    champion: bool
    key_worker: bool


@dataclass(frozen=True, slots=True)
class ConsentRow:
    given: bool
    by_name: str
    relationship: str
    scope: str
    on: date


@dataclass(frozen=True, slots=True)
class ReviewRow:
    number: int
    status: str
    starts: datetime | None  # in the school's time zone
    place: str | None
    decided: str | None


@dataclass(frozen=True, slots=True)
class PlanSnapshot:
    reference: str
    alias: str
    year_group: str | None
    route: str
    key_worker: Who
    outcomes: tuple[OutcomeRow, ...]
    actions: tuple[ActionRow, ...]
    team: tuple[MemberRow, ...]
    consents: tuple[ConsentRow, ...]
    consent_in_force: str
    reviews: tuple[ReviewRow, ...]
    today: date
    purpose: str | None = None  # the team's agreed purpose (`purpose`), heading the plan

    @property
    def title(self) -> str:
        return f"{self.reference} ({self.alias})"

    @property
    def cadence(self) -> str:
        return CADENCE.get(self.route, "Reviewed as the team agrees.")

    def totals_by_agency(self) -> list[tuple[str, Total]]:
        agencies = sorted({a.owner.agency for a in self.actions if a.cost is not None})
        return [
            (agency, total(a.cost for a in self.actions if a.cost is not None and a.owner.agency == agency))
            for agency in agencies
        ]

    def overall(self) -> Total:
        return total(a.cost for a in self.actions if a.cost is not None)

    def next_review(self) -> ReviewRow | None:
        upcoming = [r for r in self.reviews if r.status in ("polling", "scheduled")]
        return upcoming[-1] if upcoming else None


def agency_of(role: str, agency: str | None) -> str:
    """The agency an action's cost counts towards: the member's stated agency, else a sensible default."""
    if agency:
        return agency
    if role in SCHOOL_STAFF:
        return "School"
    if role == "parent-carer":
        return "Family"
    return ROLE_AGENCY.get(role, role_label(role))


def load(session: Session, *, case: Case, today: date, tz: ZoneInfo) -> PlanSnapshot:
    """Everything the plan shows, read in the caller's transaction."""
    outcomes = plan_repo.outcomes(session, case_id=case.id)
    actions = plan_repo.actions(session, case_id=case.id)
    members = case_repo.active_members(session, case_id=case.id)
    ids = {a.owner_id for a in actions} | {m.person_id for m in members} | {case.key_worker_id}
    persons = people.people_by_id(session, ids=ids)
    memberships = {
        pid: case_repo.get_membership(session, case_id=case.id, person_id=pid)
        for pid in {a.owner_id for a in actions} | {case.key_worker_id}
    }
    memberships.update({m.person_id: m for m in members})

    def who(person_id: int) -> Who:
        p, m = persons[person_id], memberships.get(person_id)
        role = m.role if m is not None else "other"
        return Who(
            p.external_id, p.display_name or p.external_id, role, agency_of(role, m.agency if m else None)
        )

    def left(person_id: int) -> bool:
        membership = memberships.get(person_id)
        return membership is None or not membership.active

    number_of = {o.id: o.number for o in outcomes}
    return PlanSnapshot(
        purpose=case.purpose,
        reference=case.reference,
        alias=case.alias,
        year_group=case.year_group,
        route=case.route,
        key_worker=who(case.key_worker_id),
        outcomes=tuple(OutcomeRow(o.number, o.text, o.measure) for o in outcomes),
        actions=tuple(
            ActionRow(
                number=a.number,
                what=a.what,
                owner=who(a.owner_id),
                due=a.due,
                where=a.where,
                often=a.often,
                cost_text=a.cost,
                cost=parse_cost(a.cost, a.often),
                done=a.status == "done",
                overdue=a.status == "open" and a.due < today,
                outcome=number_of.get(a.outcome_id) if a.outcome_id is not None else None,
                owner_left=left(a.owner_id),
            )
            for a in actions
        ),
        team=tuple(
            MemberRow(who(m.person_id), m.champion, m.person_id == case.key_worker_id) for m in members
        ),
        consents=tuple(
            ConsentRow(
                c.kind == "given", c.by_name, c.relationship, c.scope, c.recorded_at.astimezone(tz).date()
            )
            for c in case_repo.consents(session, case_id=case.id)
        ),
        consent_in_force=describe(scopes_in_force(session, case_id=case.id)),
        reviews=tuple(
            ReviewRow(
                r.number,
                r.status,
                r.starts_at.astimezone(tz) if r.starts_at else None,
                r.place,
                r.decided,
            )
            for r in review_repo.reviews(session, case_id=case.id)
        ),
        today=today,
    )
