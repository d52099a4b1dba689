"""Forms on Slack: the *Open form* button, the modal's *Save draft* and its submission (Bolt listeners).

The button opens the modal with the click's trigger id, which Slack honours for 3 seconds: the
permission check and the view are built at once (no queue). A submission is checked on the server
before the ack (errors go back under their fields); the room summary and the thank-you follow the ack.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import incoming
from bot.slack.background import Background
from bot.slack.form_flow import SubmissionOutcome, open_view, save_modal_draft, view_submission
from bot.slack.forms import CALLBACK_ID, DRAFT_ACTION, metadata, modal
from bot.slack.respond import Http, tell
from handlers.core import Core
from handlers.dispatch import error_reply
from handlers.errors import TacBotError
from handlers.forms import api
from handlers.model import Actor
from handlers.offload import BUSY, busy_reply, off_loop
from handlers.replies import Reply
from storage.engine import Busy

log = logging.getLogger(__name__)

OPEN_ACTION = "form.open"


ACK_BUDGET = 2.5  # seconds of database work before an acknowledgement Slack wants within 3


def busy_ack(view: Mapping[str, Any]) -> dict[str, Any]:
    """The submission's answer when the database is busy: the message under the modal's first input."""
    first = next((b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"), None)
    if first is None:
        return {}
    return {"response_action": "errors", "errors": {str(first): BUSY}}


class FormListeners:
    """The form listeners of one Bolt app, sharing its core, client, background and HTTP session."""

    def __init__(
        self,
        core: Core,
        *,
        clients: Callable[[str], Awaitable[AsyncWebClient]],
        background: Background,
        http: Http,
    ) -> None:
        self.core, self.clients, self.background, self.http = core, clients, background, http

    def install(self, app: AsyncApp) -> None:
        app.action(DRAFT_ACTION)(self.on_draft)
        app.view(CALLBACK_ID)(self.on_submit)

    async def open_modal(self, press: incoming.Pressed) -> None:
        """The *Open form* button: the modal for someone entitled, a polite refusal for anyone else."""
        actor = press.interaction.actor

        async def opened(core: Core) -> dict[str, Any]:
            return open_view(core, actor, press.interaction.value)

        try:
            view = await off_loop(self.core, opened, within=ACK_BUDGET)  # the trigger id lives 3 s
        except TacBotError as error:
            await tell(self.core, self.http, actor, error_reply(error), press.response_url)
            return
        except Busy:
            await tell(self.core, self.http, actor, busy_reply(), press.response_url)
            return
        try:
            await (await self.clients(actor.workspace)).views_open(trigger_id=press.trigger_id, view=view)
        except SlackApiError as error:  # expired_trigger_id: Slack reached us too late
            log.warning("could not open a form: %s", error.response.get("error"))
            again = Reply.text("Sorry, the form did not open in time. Please press Open form again.")
            await tell(self.core, self.http, actor, again, press.response_url)

    async def open_at_once(self, actor: Actor, request_id: str, trigger_id: str) -> bool:
        """A command's own form as a modal from its trigger id; False (answer in chat instead) if not."""

        async def opened(core: Core) -> dict[str, Any]:
            return open_view(core, actor, request_id)

        try:
            view = await off_loop(self.core, opened, within=ACK_BUDGET)
            await (await self.clients(actor.workspace)).views_open(trigger_id=trigger_id, view=view)
        except (TacBotError, Busy):
            return False
        except SlackApiError as error:  # expired_trigger_id: the chat answer carries Open form
            log.warning("could not open a form at once: %s", error.response.get("error"))
            return False
        return True

    async def on_draft(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._save_draft(body), name="form draft", urgent=True)

    async def _save_draft(self, body: dict[str, Any]) -> None:
        """Keep what was typed; the modal then says it shows a draft (or a DM says why not)."""
        actor, view = incoming.actor_of(body), body.get("view") or {}
        request_id, step = metadata(view)

        async def saving(core: Core) -> tuple[Reply, dict[str, Any]]:
            saved = save_modal_draft(core, actor, view)
            return saved, modal(api.open_form(core, actor, request_id), step=step)

        try:
            saved, again = await off_loop(self.core, saving)
        except TacBotError as error:
            await tell(self.core, self.http, actor, error_reply(error))
            return
        except Busy:
            await tell(self.core, self.http, actor, busy_reply())
            return
        try:
            await (await self.clients(actor.workspace)).views_update(
                view_id=str(view.get("id")), hash=view.get("hash"), view=again
            )
        except SlackApiError as error:  # hash_conflict, or the modal was closed meanwhile
            log.info("could not refresh the form after saving a draft: %s", error.response.get("error"))
            await tell(self.core, self.http, actor, saved)

    async def on_submit(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Validate and store before the ack (its body carries errors or the next step), then announce."""
        actor, view = incoming.actor_of(body), body.get("view") or {}

        async def submitting(core: Core) -> SubmissionOutcome:
            return await view_submission(core, actor, view)

        try:
            outcome = await off_loop(self.core, submitting, within=ACK_BUDGET)
        except TacBotError as error:
            await ack()
            self.background.spawn(tell(self.core, self.http, actor, error_reply(error)), name="form refused")
            return
        except Busy:  # nothing was stored: the modal stays open with what was typed, and says why
            await ack(**busy_ack(view))
            return
        await ack(**outcome.ack)
        if outcome.post is not None:
            post = outcome.post

            async def announcing(core: Core) -> None:
                await api.announce(core, post)

            self.background.spawn(off_loop(self.core, announcing), name="form summary")
        if outcome.reply is not None:
            self.background.spawn(tell(self.core, self.http, actor, outcome.reply), name="form thanks")
