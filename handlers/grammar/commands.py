"""Typed commands: what the parser makes of the words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

ROUTES = ("sen-support", "ehc-assessment", "annual-review", "early-help")
RELATIONSHIPS = ("parent", "carer", "pupil", "other")
SCOPES = ("all", "education", "health", "social-care")


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person named in a command: a mention (``user_id``), or, for a member outside the workspace, the
    quoted name they were invited with (``user_id`` empty until ``handlers.outside.names`` finds them)."""

    user_id: str
    label: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """Base of every typed command; ``case_ref`` is the `case TAC-0007` named in the words, if any."""

    case_ref: str | None


@dataclass(frozen=True, slots=True)
class Help(Parsed):
    topic: str | None


@dataclass(frozen=True, slots=True)
class Open(Parsed):
    alias: str
    year_group: str | None
    route: str


@dataclass(frozen=True, slots=True)
class ConsentChange(Parsed):
    given: bool
    by_name: str
    relationship: str
    scope: str


@dataclass(frozen=True, slots=True)
class Invite(Parsed):
    person: PersonRef
    role: str
    agency: str | None
    champion: bool


@dataclass(frozen=True, slots=True)
class InviteExternal(Parsed):
    name: str
    email: str
    role: str
    agency: str | None
    champion: bool


@dataclass(frozen=True, slots=True)
class Remove(Parsed):
    person: PersonRef


@dataclass(frozen=True, slots=True)
class Team(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class Status(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class Cases(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class Define(Parsed):
    term: str


@dataclass(frozen=True, slots=True)
class Close(Parsed):
    reason: str | None


@dataclass(frozen=True, slots=True)
class OutcomeAdd(Parsed):
    text: str
    measure: str | None = None


@dataclass(frozen=True, slots=True)
class OutcomeMeasure(Parsed):
    """`outcome measure <n> "<how we will know>"`: the outcome's evaluation measure."""

    number: int
    measure: str


@dataclass(frozen=True, slots=True)
class ActionAdd(Parsed):
    what: str
    owner: PersonRef
    due: date
    where: str | None
    cost: str | None
    outcome: int | None
    often: str | None = None


@dataclass(frozen=True, slots=True)
class ActionDone(Parsed):
    number: int


@dataclass(frozen=True, slots=True)
class ActionDue(Parsed):
    number: int
    due: date


@dataclass(frozen=True, slots=True)
class PlanShow(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class PlanExport(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class ReviewShow(Parsed):
    """`review`, or `review poll` with no slots: the next meeting and the poll's tally."""


@dataclass(frozen=True, slots=True)
class ReviewOn(Parsed):
    day: date
    at: time | None
    where: str | None


@dataclass(frozen=True, slots=True)
class ReviewPoll(Parsed):
    slots: tuple[datetime, ...]  # naive, in the school's time zone


@dataclass(frozen=True, slots=True)
class ReviewPick(Parsed):
    number: int
    where: str | None


@dataclass(frozen=True, slots=True)
class ReviewCancel(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class ReviewRecord(Parsed):
    attendees: tuple[PersonRef, ...]
    decided: str
    changes: str | None
    next_day: date | None
    next_at: time | None


@dataclass(frozen=True, slots=True)
class ReviewRecordForm(Parsed):
    """Bare `review record`: open the form for the record of the meeting."""


@dataclass(frozen=True, slots=True)
class PriorityAdd(Parsed):
    text: str


@dataclass(frozen=True, slots=True)
class Priorities(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class PriorityAsk(Parsed):
    person: PersonRef


@dataclass(frozen=True, slots=True)
class PurposeSet(Parsed):
    """`purpose "<text>"`: the team's agreed purpose."""

    text: str


@dataclass(frozen=True, slots=True)
class PurposeShow(Parsed):
    """Bare `purpose`: the team's agreed purpose, if any."""


@dataclass(frozen=True, slots=True)
class ServicesList(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class ServiceShow(Parsed):
    name: str


@dataclass(frozen=True, slots=True)
class ConcernStart(Parsed):
    """`concern`: the private safeguarding form."""


@dataclass(frozen=True, slots=True)
class ConcernShow(Parsed):
    """`concern <n>` (a DSL): one concern in full."""

    number: int


@dataclass(frozen=True, slots=True)
class ConcernsList(Parsed):
    """`concerns` (a DSL): every concern raised."""


@dataclass(frozen=True, slots=True)
class FamilyUpdateDraft(Parsed):
    """`update family`: a plain-language draft of progress for the parents and carers."""


@dataclass(frozen=True, slots=True)
class FamilyUpdateSend(Parsed):
    """`update family send`: send the draft to the parent-carer members."""


REFERRAL_STATES = ("sent", "accepted", "declined", "waiting", "seen", "closed")


@dataclass(frozen=True, slots=True)
class Refer(Parsed):
    """`refer <service> [reason "<text>"]`; ``named`` when the service was quoted (not from the directory)."""

    service: str
    named: bool
    reason: str | None


@dataclass(frozen=True, slots=True)
class ReferralMove(Parsed):
    """`referral <n> sent|accepted|declined|waiting [<weeks> weeks]|seen|closed [note "<text>"]`."""

    number: int
    state: str
    weeks: int | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ReferralsList(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class NotYet(Parsed):
    """A command of the grammar that this version does not do yet."""

    name: str


@dataclass(frozen=True, slots=True)
class FormsList(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class RequestForm(Parsed):
    """`request <form> from <@person>|team [due <date>]`; ``person`` is None for the whole team."""

    form_id: str
    person: PersonRef | None
    due: date | None


@dataclass(frozen=True, slots=True)
class InputsList(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class InputShow(Parsed):
    number: int


@dataclass(frozen=True, slots=True)
class AliasChange(Parsed):
    """`alias <new alias>`: the key worker renames the case's alias."""

    alias: str


@dataclass(frozen=True, slots=True)
class OutcomeEdit(Parsed):
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class OutcomeRemove(Parsed):
    number: int


@dataclass(frozen=True, slots=True)
class ActionEdit(Parsed):
    """`action edit <n> ...`: only the parts given change (at least one)."""

    number: int
    what: str | None = None
    owner: PersonRef | None = None
    due: date | None = None
    where: str | None = None
    cost: str | None = None
    often: str | None = None
    outcome: int | None = None


@dataclass(frozen=True, slots=True)
class ActionRemove(Parsed):
    number: int


@dataclass(frozen=True, slots=True)
class Reopen(Parsed):
    pass


@dataclass(frozen=True, slots=True)
class Handover(Parsed):
    person: PersonRef


@dataclass(frozen=True, slots=True)
class InputShare(Parsed):
    """`share input <n> [reason "<why>"]`: post an input's answers to the case room."""

    number: int
    reason: str | None


@dataclass(frozen=True, slots=True)
class AuditShow(Parsed):
    """`audit [page <n>]`: the case's trail, newest first."""

    page: int


@dataclass(frozen=True, slots=True)
class PupilDetailsForm(Parsed):
    """`pupil details`: open the private form for the pupil's full name, date of birth and UPN."""
