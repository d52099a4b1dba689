"""The Bolt ``AsyncApp``: built by a factory per server (no module-level app), listeners thin.

Every listener acks at once and hands the real work to ``Background``: Slack gets its answer well
inside 3 seconds, and the person gets theirs along the ``response_url`` (ephemeral when private).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.logsafe import withheld_logger
from bot.slack import incoming
from bot.slack.background import Background
from bot.slack.dedupe import SeenEvents
from bot.slack.form_listeners import OPEN_ACTION, FormListeners
from bot.slack.prompt import prompt_view
from bot.slack.render import ACTION_PREFIX, view_blocks
from bot.slack.respond import Http, answer
from handlers.core import Core
from handlers.dispatch import handle, handle_interaction, opens_form_at_once
from handlers.home import overview
from handlers.membership import member_left_room
from handlers.model import Actor
from handlers.offload import off_loop
from handlers.replies import Reply
from handlers.room_guard import member_joined_room

log = logging.getLogger(__name__)

ClientFor = Callable[[str], Awaitable[AsyncWebClient]]  # a workspace's client (its own bot token)
NOT_INSTALLED = (
    "TAC Bot is not installed in this Slack workspace any more: ask your Slack administrator to install it."
)


def build_slack_app(
    core: Core,
    *,
    client: AsyncWebClient,
    signing_secret: str,
    background: Background,
    seen: SeenEvents,
    http: Http | None = None,
    clients: ClientFor | None = None,
    oauth: AsyncOAuthSettings | None = None,
) -> AsyncApp:
    """A Bolt app whose listeners reach the core; request signatures always verified.

    One workspace: ``client`` carries its bot token. Many workspaces (``oauth``): Bolt's OAuth flow
    installs them, its authorisation finds (and rotates) each workspace's bot token in the installation
    store, ``app_uninstalled`` and ``tokens_revoked`` delete them, and ``clients`` gives the listeners'
    own calls the token of the workspace they answer."""
    many = (
        {}
        if oauth is None
        else {
            "oauth_settings": oauth,
            "installation_store_bot_only": True,  # a bot-only app: its bot row is what authorises a request
            "user_facing_authorize_error_message": NOT_INSTALLED,
        }
    )
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        request_verification_enabled=True,
        ignoring_self_events_enabled=True,
        process_before_response=True,  # our listeners only ack and spawn: answer at once, no polling
        name="tacbot",
        logger=withheld_logger(),  # Bolt logs request bodies; its lines keep what happened, not the body
        **many,  # type: ignore[arg-type]
    )
    if oauth is not None:
        app.enable_token_revocation_listeners()

    async def the_client(workspace: str) -> AsyncWebClient:
        return client

    clients = clients or the_client

    async def once_per_event(body: dict[str, Any], next: Any) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await seen.first_time(str(event_id)):
            return BoltResponse(status=200, body="")
        await next()
        return None

    app.middleware(once_per_event)
    http = http or Http()

    async def run_command(body: dict[str, Any]) -> None:
        command = incoming.command(body)
        reply = await handle(core, command)
        trigger = str(body.get("trigger_id") or "")
        if (
            reply.opens_form
            and trigger
            and await forms.open_at_once(command.actor, reply.opens_form, trigger)
        ):
            return  # the modal is the answer
        await answer(http.webhook(body["response_url"]), reply)

    async def on_tac(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        urgent = opens_form_at_once(str(body.get("text") or ""))  # its modal's trigger id lasts 3 s
        background.spawn(run_command(body), name="slash command", urgent=urgent)

    app.command("/tac")(on_tac)

    async def tell(actor: Actor, reply: Reply) -> None:
        await core.platform("slack").direct_message(
            workspace=actor.workspace, user_id=actor.user_id, reply=reply
        )

    async def run_press(press: incoming.Pressed) -> None:
        if press.prompt is not None:
            today = core.clock.now().astimezone(core.tz).date().isoformat()
            try:
                opener = await clients(press.interaction.actor.workspace)
                await opener.views_open(trigger_id=press.trigger_id, view=prompt_view(press, today=today))
            except SlackApiError as error:  # e.g. expired_trigger_id when Slack was slow to reach us
                log.warning("could not open a prompt: %s", error.response.get("error"))
                if press.response_url:
                    await answer(
                        http.webhook(press.response_url), Reply.text("Please press the button again.")
                    )
            return
        reply = await handle_interaction(core, press.interaction)
        if press.response_url:
            await answer(http.webhook(press.response_url), reply)
        else:
            await tell(press.interaction.actor, reply)

    forms = FormListeners(core, clients=clients, background=background, http=http)
    forms.install(app)

    async def on_button(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        press = incoming.pressed(body)
        if press.interaction.action == OPEN_ACTION:  # a modal: the trigger id lasts 3 s, skip the queue
            background.spawn(forms.open_modal(press), name="open form", urgent=True)
        else:
            background.spawn(run_press(press), name="button", urgent=press.prompt is not None)

    app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(on_button)

    async def run_submission(done: incoming.Submitted) -> None:
        reply = await handle_interaction(core, done.interaction)
        if done.response_url:
            await answer(http.webhook(done.response_url), reply)
        else:
            await tell(done.interaction.actor, reply)

    async def on_prompt(ack: AsyncAck, body: dict[str, Any]) -> None:
        done = incoming.submitted(body)
        if done.errors:
            await ack(response_action="errors", errors=done.errors)
            return
        await ack()
        background.spawn(run_submission(done), name="prompt submitted")

    app.view(incoming.PROMPT_CALLBACK)(on_prompt)

    async def on_left(body: dict[str, Any], context: AsyncBoltContext) -> None:
        left = incoming.room_change(body)
        if left.user_id == context.bot_user_id:
            return
        background.spawn(off_loop(core, lambda moved: _left(moved, left)), name="member left")

    app.event("member_left_channel")(on_left)

    async def on_joined(body: dict[str, Any], context: AsyncBoltContext) -> None:
        joined = incoming.room_change(body)
        if joined.user_id == context.bot_user_id:
            return
        background.spawn(off_loop(core, lambda moved: _joined(moved, joined)), name="member joined")

    app.event("member_joined_channel")(on_joined)

    async def publish_home(actor: Actor) -> None:
        reply = await off_loop(core, lambda moved: overview(moved, actor))
        home = await clients(actor.workspace)
        await home.views_publish(user_id=actor.user_id, view={"type": "home", "blocks": view_blocks(reply)})

    async def on_home(body: dict[str, Any]) -> None:
        if body["event"].get("tab", "home") == "home":
            background.spawn(publish_home(incoming.home_opener(body)), name="app home")

    app.event("app_home_opened")(on_home)
    return app


async def _joined(core: Core, joined: incoming.RoomChange) -> None:
    """Someone not on the case's team is taken out again (``handlers.room_guard``)."""
    await member_joined_room(
        core,
        platform=incoming.PLATFORM,
        workspace=joined.workspace,
        room_id=joined.room_id,
        user_id=joined.user_id,
    )


async def _left(core: Core, left: incoming.RoomChange) -> None:
    await member_left_room(
        core, platform=incoming.PLATFORM, workspace=left.workspace, room_id=left.room_id, user_id=left.user_id
    )
