"""The one entry point from every platform: parse, check, run the use case, turn errors into replies."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

from handlers import case_changes, cases, consent, glossary, help, priorities, purpose, status, team
from handlers.chasing.registry import on_chaser
from handlers.concerns import dsl as concern_dsl
from handlers.concerns import form as concern_form  # noqa: F401  (registers the concern's form source)
from handlers.concerns import start as concern_start
from handlers.concerns.disclosure import looks_like_disclosure
from handlers.concerns.disclosure import reminder as disclosure_reminder
from handlers.confirm import CONFIRM_WORD, split_confirm
from handlers.core import Ask, Core
from handlers.directory import show as directory
from handlers.errors import TacBotError, UsageError, WhichCase
from handlers.family import update as family
from handlers.forms import inputs as form_inputs
from handlers.forms import interactions as form_interactions
from handlers.forms import requests as form_requests
from handlers.governance import details, sharing, trail
from handlers.grammar import commands as c
from handlers.grammar.parser import parse
from handlers.help import usage_reply
from handlers.model import Command, Interaction
from handlers.offload import busy_reply, off_loop
from handlers.outside import invite, names
from handlers.plan import actions, corrections, outcomes, view
from handlers.plan.export.use_case import export_plan
from handlers.referrals import use_cases as referrals
from handlers.replies import Button, Buttons, Reply, para, reply
from handlers.reviews import meeting, poll, record, record_form
from storage.engine import Busy

log = logging.getLogger(__name__)
_CASE_WORD = re.compile(r"^(case|tac-\d{1,6})$")

P = TypeVar("P", bound=c.Parsed)
UseCase = Callable[[Ask, Any], Awaitable[Reply]]


def route(command: type[P], run: Callable[[Ask, P], Awaitable[Reply]]) -> tuple[type[c.Parsed], UseCase]:
    """One entry of ``USE_CASES``: mypy checks that ``run`` takes the parsed ``command`` type."""
    return command, run


async def not_yet(ask: Ask, cmd: c.NotYet) -> Reply:
    return Reply.text(f"`{cmd.name}` is not available in this version of TAC Bot yet.")


USE_CASES: dict[type[c.Parsed], UseCase] = dict(
    (
        route(c.Help, help.show_help),
        route(c.Open, cases.open_case),
        route(c.Close, cases.close_case),
        route(c.Cases, cases.list_cases),
        route(c.ConsentChange, consent.change_consent),
        route(c.Invite, team.invite),
        route(c.InviteExternal, invite.invite_external),
        route(c.Remove, team.remove),
        route(c.Team, team.roster),
        route(c.Status, status.status),
        route(c.Define, glossary.define),
        route(c.OutcomeAdd, outcomes.add_outcome),
        route(c.ActionAdd, actions.add_action),
        route(c.ActionDone, actions.update_action),
        route(c.ActionDue, actions.update_action),
        route(c.PlanShow, view.show_plan),
        route(c.FormsList, form_requests.list_forms),
        route(c.RequestForm, form_requests.request_form),
        route(c.InputsList, form_inputs.list_inputs),
        route(c.InputShow, form_inputs.show_input),
        route(c.OutcomeMeasure, outcomes.set_measure),
        route(c.PlanExport, export_plan),
        route(c.ReviewShow, meeting.review_show),
        route(c.ReviewOn, meeting.review_on),
        route(c.ReviewCancel, meeting.review_cancel),
        route(c.ReviewPoll, poll.review_poll),
        route(c.ReviewPick, poll.review_pick),
        route(c.ReviewRecord, record.review_record),
        route(c.ReviewRecordForm, record_form.review_record_form),
        route(c.PriorityAdd, priorities.add_priority),
        route(c.Priorities, priorities.show_priorities),
        route(c.PriorityAsk, priorities.ask_specialist),
        route(c.PurposeSet, purpose.set_purpose),
        route(c.PurposeShow, purpose.show_purpose),
        route(c.ServicesList, directory.list_services),
        route(c.ServiceShow, directory.show_service),
        route(c.ConcernStart, concern_start.start_concern),
        route(c.ConcernsList, concern_dsl.list_concerns),
        route(c.ConcernShow, concern_dsl.read_concern),
        route(c.FamilyUpdateDraft, family.update_family),
        route(c.FamilyUpdateSend, family.send_family_update),
        route(c.Refer, referrals.refer),
        route(c.ReferralMove, referrals.move_referral),
        route(c.ReferralsList, referrals.list_referrals),
        route(c.AliasChange, case_changes.change_alias),
        route(c.Reopen, case_changes.reopen),
        route(c.Handover, case_changes.handover),
        route(c.OutcomeEdit, corrections.edit_outcome),
        route(c.OutcomeRemove, corrections.remove_outcome),
        route(c.ActionEdit, corrections.edit_action),
        route(c.ActionRemove, corrections.remove_action),
        route(c.InputShare, sharing.share_input),
        route(c.AuditShow, trail.show_audit),
        route(c.PupilDetailsForm, details.pupil_details_form),
        route(c.NotYet, not_yet),
    )
)


def error_reply(error: TacBotError) -> Reply:
    if isinstance(error, WhichCase):
        buttons = tuple(
            Button(f"{ref} ({alias})", f"{CASE_AREA}.{error.word}", ref) for ref, alias in error.cases[:12]
        )
        return replace(reply(para(error.message), Buttons(buttons), summary=error.message), refused=True)
    if isinstance(error, UsageError) and error.command:
        return replace(usage_reply(error.command, error.message, error.hint), refused=True)
    blocks = [para(error.message)]
    if error.hint:
        blocks.append(para(error.hint))
    return replace(reply(*blocks, summary=error.message), refused=True)


InteractionHandler = Callable[[Ask, Interaction], Awaitable[Reply]]

# Button actions are named "<area>.<verb>" (e.g. "chaser.done"); each area registers its handler here.
INTERACTIONS: dict[str, InteractionHandler] = {
    "chaser": on_chaser,
    "form": form_interactions.on_form,
    "poll": poll.on_poll,
    "priority": priorities.on_priority,
    "concern": concern_dsl.on_concern,
    "family": family.on_family,
}


async def handle_interaction(core: Core, interaction: Interaction) -> Reply:
    """Handle a button press from anyone, off the event loop. Always returns a reply; never raises."""
    return await off_loop(core, lambda moved: _interaction(moved, interaction))


async def _interaction(core: Core, interaction: Interaction) -> Reply:
    ask = Ask.start(core, Command(actor=interaction.actor, text="", room_id=interaction.room_id))
    handler = INTERACTIONS.get(interaction.action.partition(".")[0])
    try:
        if handler is None:
            return replace(Reply.text("That button no longer does anything."), refused=True)
        return await handler(ask, interaction)
    except TacBotError as error:
        return error_reply(error)
    except Busy:
        return busy_reply()
    except Exception:
        log.exception(
            "interaction failed (platform=%s, action=%s)", interaction.actor.platform, interaction.action
        )
        return Reply.text(
            "Sorry, something went wrong on our side. Please try again; "
            "if it keeps happening, tell your administrator."
        )


CASE_AREA = "case"
_CASE_WORDS = ("status", "plan", "team")  # the reads `case_or_only_case` offers a choice of case for


async def on_case_pick(ask: Ask, interaction: Interaction) -> Reply:
    """A case picked from ``WhichCase``'s buttons: the command runs for it, with every usual check."""
    word = interaction.action.partition(".")[2]
    ref = interaction.value.strip().upper()
    if word not in _CASE_WORDS or not ref.startswith("TAC-") or not ref[4:].isdigit():
        return replace(Reply.text("That button no longer does anything."), refused=True)
    command = Command(actor=interaction.actor, text=f"{word} case {ref}", room_id=interaction.room_id)
    return await handle(ask.core, command)


INTERACTIONS[CASE_AREA] = on_case_pick


async def on_confirm(ask: Ask, interaction: Interaction) -> Reply:
    """*Confirm* runs the command it was shown for again, confirmed; *Cancel* changes nothing."""
    if interaction.action != f"{CONFIRM_WORD}.run" or not interaction.value:
        return Reply.text("Cancelled: nothing changed.")
    command = Command(actor=interaction.actor, text=interaction.value, room_id=interaction.room_id)
    return await handle(ask.core, command, confirmed=True)


INTERACTIONS[CONFIRM_WORD] = on_confirm


def opens_form_at_once(text: str) -> bool:
    """Whether the words are a bare `review record`, which opens its form at once: an edge hurries it
    along (Slack's trigger id for the modal lasts 3 seconds). Words only: no parsing, no dates."""
    words = [w for w in split_confirm(text)[0].lower().split() if not _CASE_WORD.match(w)]
    if words[:1] in (["/tac"], ["tac"]):
        words = words[1:]
    return words == ["review", "record"]


async def handle(core: Core, command: Command, *, confirmed: bool = False) -> Reply:
    """Handle one command from anyone, anywhere, off the event loop (``handlers.offload``). Always
    returns a reply for the asker; never raises.

    A trailing `confirm` (or ``confirmed``, from the *Confirm* button) lets a step that asks first go on.
    """
    return await off_loop(core, lambda moved: _command(moved, command, confirmed=confirmed))


async def _command(core: Core, command: Command, *, confirmed: bool) -> Reply:
    text, typed_confirm = split_confirm(command.text)
    ask = Ask.start(core, replace(command, text=text), confirmed=confirmed or typed_confirm)
    if command.room_id is not None and looks_like_disclosure(ask.command.text):
        return disclosure_reminder()  # not acted on, not stored: safeguarding is never in the room
    try:
        parsed = parse(ask.command.text, today=ask.today)
        if not isinstance(parsed, c.InviteExternal):
            ask, parsed = names.resolve(ask, parsed)
        return await USE_CASES[type(parsed)](ask, parsed)
    except TacBotError as error:
        return error_reply(error)
    except Busy:
        return busy_reply()
    except Exception:
        log.exception("command failed (platform=%s)", command.actor.platform)
        return Reply.text(
            "Sorry, something went wrong on our side. Please try again; "
            "if it keeps happening, tell your administrator."
        )
