"""The exported document's content as plain sections, shared by the Word and PDF renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from handlers.plan.snapshot import PlanSnapshot
from handlers.render import role_label, route_label
from handlers.roles import SCOPE_WORDS
from handlers.text import clean_text


def _clean(texts: tuple[str, ...]) -> tuple[str, ...]:
    """Text stored before control characters were removed on the way in cannot break the files."""
    return tuple(clean_text(t, multiline=True) for t in texts)


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]  # relative column widths

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(_clean(row) for row in self.rows))


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None
    after: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "paragraphs", _clean(self.paragraphs))
        object.__setattr__(self, "after", _clean(self.after))


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subtitle: str
    sections: tuple[Section, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "subtitle", clean_text(self.subtitle, multiline=False))


def _day(d: date) -> str:
    return f"{d:%d %b %Y}"


def build(plan: PlanSnapshot, *, produced: date) -> Document:
    """Only what the case room already holds: the plan, team, consent and reviews; the alias, no name."""
    outcomes = Section(
        "Outcomes and how we will know",
        () if plan.outcomes else ("No outcomes have been agreed yet.",),
        Table(
            ("No.", "Outcome for the child", "How we will know"),
            tuple((str(o.number), o.text, o.measure or "Not set yet") for o in plan.outcomes),
            (1, 6, 5),
        )
        if plan.outcomes
        else None,
    )
    actions = Section(
        "Actions",
        () if plan.actions else ("No actions have been agreed yet.",),
        Table(
            ("No.", "Outcome", "What", "Owner", "Agency", "When", "Where", "How often", "Cost", "Status"),
            tuple(
                (
                    str(a.number),
                    str(a.outcome) if a.outcome else "-",
                    a.what,
                    a.owner.name,
                    a.owner.agency,
                    _day(a.due),
                    a.where or "-",
                    a.often or "-",
                    a.cost_text or "-",
                    "Done" if a.done else ("Overdue" if a.overdue else "Open"),
                )
                for a in plan.actions
            ),
            (1, 2, 5, 3, 3, 2, 2, 2, 2, 2),
        )
        if plan.actions
        else None,
    )
    uncosted = [str(a.number) for a in plan.actions if a.cost is None]
    costs = Section(
        "Costs",
        (),
        Table(
            ("Agency", "Total"),
            (
                *((agency, t.describe()) for agency, t in plan.totals_by_agency()),
                ("Overall", plan.overall().describe()),
            ),
            (2, 5),
        ),
        # As `plan` says it in chat: the actions whose cost names neither money nor time.
        (f"Not costed: action {', '.join(uncosted)}.",) if uncosted else (),
    )
    team = Section(
        "The team around the child",
        (),
        Table(
            ("Name", "Role", "Agency", ""),
            tuple(
                (
                    m.who.name,
                    role_label(m.who.role),
                    m.who.agency,
                    ", ".join(x for x, on in (("key worker", m.key_worker), ("champion", m.champion)) if on),
                )
                for m in plan.team
            ),
            (3, 3, 3, 2),
        ),
    )
    consent = Section(
        "Consent",
        (f"Consent in force covers: {plan.consent_in_force.replace('-', ' ')}.",),
        Table(
            ("Date", "Consent", "By", "Relationship to the child", "Covers"),
            tuple(
                (
                    _day(c.on),
                    "Given" if c.given else "Withdrawn",
                    c.by_name,
                    c.relationship.replace("-", " ").capitalize(),
                    SCOPE_WORDS.get(c.scope, c.scope),
                )
                for c in plan.consents
            ),
            (2, 2, 3, 3, 4),
        )
        if plan.consents
        else None,
    )
    reviews = Section(
        "Review arrangements",
        (plan.cadence,),
        Table(
            ("No.", "When", "Where", "Status"),
            tuple(
                (
                    str(r.number),
                    f"{r.starts:%a %d %b %Y %H:%M}" if r.starts else "being arranged",
                    r.place or "-",
                    r.status,
                )
                for r in plan.reviews
            ),
            (1, 4, 4, 2),
        )
        if plan.reviews
        else None,
        () if plan.reviews else ("No review meeting has been arranged yet.",),
    )
    details = [f"Route: {route_label(plan.route)}"]
    if plan.year_group:
        details.append(f"Year {plan.year_group}")
    details += [f"Key worker: {plan.key_worker.name}", f"Produced {_day(produced)}"]
    opening = (Section("Our shared purpose", (plan.purpose,)),) if plan.purpose else ()
    return Document(
        title=f"Joint agency plan: {plan.title}",
        subtitle=" · ".join(details),
        sections=(*opening, outcomes, actions, costs, team, consent, reviews),
    )
