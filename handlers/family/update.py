"""Use cases `update family` (a draft for the key worker, with *Edit* and *Send*) and `update family send`.

The draft's *Edit* opens it as a form (``api.SOURCES["family"]``: a Slack modal, a Teams card, the
console's `:form`); *Send* (or `update family send`) sends it by direct message to the parent-carer
members of the team, and to nobody else. Drafting and sending are audited, without the words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from handlers import access
from handlers.core import Ask, Core
from handlers.errors import NotAllowed, NotFound
from handlers.family.draft import draft_text
from handlers.forms import api
from handlers.forms.answers import check_answers
from handlers.grammar import commands as c
from handlers.model import Actor, Interaction
from handlers.outside.topics import Topic
from handlers.platform import PlatformError
from handlers.render import case_title, mention
from handlers.replies import Block, Button, Buttons, Heading, MailNote, Note, Reply, Span, para
from storage import audit
from storage.models import Case, FamilyUpdate, Person
from storage.repo import cases as case_repo
from storage.repo import family as repo
from storage.repo import people

FORM_ID = "family-update"
PREFIX = "family"
PARENT = "parent-carer"


def _key(update_id: int) -> str:
    return f"{PREFIX}-{update_id}"


def _parents(s: Session, case: Case) -> list[Person]:
    members = [m for m in case_repo.active_members(s, case_id=case.id) if m.role == PARENT]
    persons = people.people_by_id(s, ids={m.person_id for m in members})
    return [persons[m.person_id] for m in members]


def _paragraphs(text: str) -> list[Block]:
    return [para(chunk.strip()) for chunk in text.split("\n\n") if chunk.strip()]


def draft_reply(case: Case, update: FamilyUpdate, parents: list[Person]) -> Reply:
    to: list[Span] = []
    for i, p in enumerate(parents):
        to += [", " if i else "", mention(p)]
    note: tuple[Span, ...] = (
        ("Goes only to the parents and carers on the team: ", *to, ". `update family send` sends it too.")
        if parents
        else ("No parent or carer is on the team yet: `invite @person parent-carer` before sending.",)
    )
    return Reply(
        blocks=(
            Heading(f"Draft update for the family: {case_title(case)}"),
            *_paragraphs(update.text),
            Buttons(
                (
                    Button("Edit", "form.open", _key(update.id)),
                    Button("Send", "family.send", str(update.id), style="primary"),
                )
            ),
            Note(note),
        ),
        summary=f"Draft update for the family of {case.reference}",
        direct=True,  # the parents are in the room: a draft is for the key worker alone until sent
    )


async def update_family(ask: Ask, cmd: c.FamilyUpdateDraft) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "write to the family")
        access.require_open(acc)
        case = acc.case
        previous = repo.last_sent(s, case_id=case.id)
        since = previous.sent_at if previous is not None and previous.sent_at else case.opened_at
        text = draft_text(s, case=case, key_worker=who.person, since=since, now=ask.now, tz=ask.core.tz)
        update = repo.new_draft(s, case_id=case.id, text=text, drafted_by_id=who.person.id, now=ask.now)
        audit.record(
            s,
            action="family.update_drafted",
            at=ask.now,
            school_id=case.school_id,
            case_id=case.id,
            actor_id=who.person.id,
        )
        return draft_reply(case, update, _parents(s, case))


@dataclass(frozen=True, slots=True)
class _Draft:
    case: Case
    update: FamilyUpdate
    person: Person


def _key_workers_draft(s: Session, actor: Actor, update_id: int | None) -> _Draft:
    """The draft, for the key worker of its case (open, same school); anyone else: a refusal."""
    update = repo.get(s, update_id=update_id) if update_id is not None else None
    person = people.find_person(s, platform=actor.platform, external_id=actor.user_id)
    school = people.find_school(s, platform=actor.platform, external_id=actor.workspace)
    case = s.get(Case, update.case_id) if update is not None else None
    if (
        update is None
        or person is None
        or case is None
        or school is None
        or case.school_id != school.id  # pressed in another school's workspace
        or case.key_worker_id != person.id
    ):
        raise NotAllowed("Sorry, that draft is not yours.")
    if case.status != "open":
        raise NotAllowed(f"{case.reference} is closed; it can no longer change.")
    if update.state != "draft":
        raise NotAllowed("That draft was sent or replaced.", hint="`update family` makes a new one.")
    return _Draft(case, update, person)


async def _send(core: Core, actor: Actor, update_id: int | None) -> Reply:
    now = core.clock.now()
    with core.db.transaction() as s:
        d = _key_workers_draft(s, actor, update_id)
        parents = _parents(s, d.case)
        if not parents:
            raise NotFound(
                f"No parent or carer is on the team of {d.case.reference}, so there is nobody to send it to.",
                hint="Invite them first: `invite @person parent-carer`.",
            )
        text, title, reference = d.update.text, case_title(d.case), d.case.reference
    message = Reply(
        blocks=(Heading(f"An update from the team at school: {title}"), *_paragraphs(text)),
        summary=f"An update from the team at school ({reference})",
        private=False,
        mail=MailNote(Topic.UPDATE, d.case.id),
    )
    reached: list[Person] = []
    missed: list[Person] = []
    for parent in parents:
        try:
            await core.platform(actor.platform).direct_message(
                workspace=actor.workspace, user_id=parent.external_id, reply=message
            )
            reached.append(parent)
        except PlatformError:
            missed.append(parent)
    if not reached:
        return Reply.text(
            "The update could not be sent; it is kept as a draft. Try `update family send` again."
        )
    with core.db.transaction() as s:
        d = _key_workers_draft(s, actor, update_id)
        d.update.state, d.update.sent_at = "sent", now
        audit.record(
            s,
            action="family.update_sent",
            at=now,
            school_id=d.case.school_id,
            case_id=d.case.id,
            actor_id=d.person.id,
            recipients=len(reached),
        )
    spans: list[Span] = ["Sent the update to "]
    for i, p in enumerate(reached):
        spans += [", " if i else "", mention(p)]
    spans.append(".")
    if missed:
        spans += [" Not reached: ", *(mention(p) for p in missed), "."]
    return Reply.text(*spans)


async def send_family_update(ask: Ask, cmd: c.FamilyUpdateSend) -> Reply:
    with ask.core.db.transaction() as s:
        who = access.asker(s, ask)
        acc = access.case_for(s, ask, who, cmd.case_ref)
        access.require_key_worker(acc, "write to the family")
        access.require_open(acc)
        draft = repo.current_draft(s, case_id=acc.case.id)
        if draft is None:
            raise NotFound("There is no draft to send.", hint="`update family` drafts one.")
        update_id = draft.id
    return await _send(ask.core, ask.command.actor, update_id)


async def on_family(ask: Ask, interaction: Interaction) -> Reply:
    if interaction.action != "family.send" or not interaction.value.isdigit():
        return Reply.text("That button no longer does anything.")
    return await _send(ask.core, interaction.actor, int(interaction.value))


def _update_id(key: str) -> int | None:
    prefix, _, number = key.partition("-")
    return int(number) if prefix == PREFIX and number.isdigit() and len(number) <= 12 else None


def open_draft(core: Core, actor: Actor, key: str) -> api.FormView:
    with core.db.transaction() as s:
        d = _key_workers_draft(s, actor, _update_id(key))
        return api.FormView(
            request_id=key,
            form=core.forms[FORM_ID],
            case_title=case_title(d.case),
            due=core.clock.now().astimezone(core.tz).date(),
            state="open",
            answers={"text": d.update.text},
            version=0,
            from_draft=True,
        )


def _store(
    core: Core, actor: Actor, key: str, raw: Mapping[str, object], *, draft: bool
) -> tuple[dict[str, str], Reply | None]:
    form = core.forms[FORM_ID]
    checked = check_answers(form, raw, draft=draft)
    if not checked.ok:
        return checked.errors, None
    with core.db.transaction() as s:
        d = _key_workers_draft(s, actor, _update_id(key))
        text = checked.answers.get("text")
        if isinstance(text, str) and text.strip():
            d.update.text = text.strip()
        return {}, draft_reply(d.case, d.update, _parents(s, d.case))


def save_draft(core: Core, actor: Actor, key: str, raw: Mapping[str, object]) -> Reply:
    _, shown = _store(core, actor, key, raw, draft=True)
    return shown or Reply.text("Draft kept.")


async def submit(core: Core, actor: Actor, key: str, raw: Mapping[str, object]) -> api.SubmitResult:
    errors, shown = _store(core, actor, key, raw, draft=False)
    return api.SubmitResult(errors=errors, reply=shown, version=1 if shown else 0)


api.SOURCES[PREFIX] = api.FormSource(open=open_draft, save_draft=save_draft, submit=submit)
