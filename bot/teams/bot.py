"""The Teams activity handler: tenant check, remember references, then the same grammar and handlers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import replace
from functools import partial
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    Attachment,
)
from botbuilder.schema.teams import FileConsentCardResponse, TeamsChannelAccount

from bot.teams import file_consent, form_turn
from bot.teams.cards import CARD_CONTENT_TYPE, render_card
from bot.teams.form_flow import open_card
from bot.teams.platform import TeamsPlatform, card_activity
from bot.teams.refs import acting_user, tenant
from bot.teams.translate import (
    actor_of,
    channel_of,
    is_personal,
    submitted_data,
    to_command,
    to_interaction,
)
from handlers.core import Core
from handlers.dispatch import handle, handle_interaction
from handlers.errors import TacBotError
from handlers.forms import api
from handlers.membership import member_left_room
from handlers.model import Actor, Command
from handlers.offload import off_loop
from handlers.platform import PlatformError
from handlers.replies import Reply
from handlers.room_guard import member_joined_room
from storage import audit
from storage.repo import cases as case_repo

log = logging.getLogger(__name__)


def activity_json(activity: Activity) -> dict[str, Any]:
    """The activity as Teams sent it: ``serialize()`` drops the fields entities carry beyond ``type``."""
    data: dict[str, Any] = activity.serialize()
    data["entities"] = [
        {**entity.serialize(), **(entity.additional_properties or {})} for entity in activity.entities or []
    ]
    return data


class TacTeamsBot(TeamsActivityHandler):  # type: ignore[misc]
    """One instance per app; everything per turn lives in the TurnContext."""

    def __init__(self, *, core: Core, platform: TeamsPlatform) -> None:
        super().__init__()
        self.core = core
        self.platform = platform

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        workspace = tenant(activity)
        if not self.platform.config.tenant_allowed(workspace):
            await asyncio.to_thread(self._refused, workspace, activity)
            log.warning("Ignored a Teams activity from a tenant not in TACBOT_TEAMS_TENANTS")
            return
        if activity.conversation is not None and activity.type in ("message", "invoke", "conversationUpdate"):
            await asyncio.to_thread(self.platform.refs.remember, activity, now=self.core.clock.now())
        await super().on_turn(turn_context)

    def _refused(self, workspace: str, activity: Activity) -> None:
        with self.core.db.transaction() as s:
            audit.record(
                s,
                action="teams.tenant_refused",
                at=self.core.clock.now(),
                tenant=workspace,
                activity_type=activity.type,
                user=getattr(activity.from_property, "id", None),
            )

    def _room(self, room_id: str | None) -> str | None:
        """A channel post's conversation is ``<channel>;messageid=<post>``: a thread room matches whole,
        a private-channel room matches its channel."""
        if room_id is None or ";" not in room_id:
            return room_id
        with self.core.db.transaction() as s:
            if case_repo.get_case_by_room(s, platform="teams", room_external_id=room_id) is not None:
                return room_id
        return channel_of(room_id)

    async def _learn_mentioned(self, turn_context: TurnContext, command: Command) -> None:
        """Look up mentioned people once (their Entra id lets Graph add them to private channels)."""
        for user_id, name in command.names.items():
            known = await asyncio.to_thread(self.platform.refs.user, user_id)
            if known is not None and known[1]:
                continue
            directory_id: str | None = None
            try:
                member = await TeamsInfo.get_member(turn_context, user_id)
                directory_id, name = member.aad_object_id, member.name or name
            except Exception as exc:  # the mention still works; only Graph membership needs the id
                log.info("Could not look up a mentioned Teams user: %s", type(exc).__name__)
            await asyncio.to_thread(
                self.platform.refs.remember_user,
                workspace=command.actor.workspace,
                user_id=user_id,
                name=name,
                directory_id=directory_id,
                now=self.core.clock.now(),
            )

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        data = activity_json(turn_context.activity)
        submitted = submitted_data(data)
        if submitted is not None and form_turn.is_form_data(submitted):
            await self._form(turn_context, self._answer(actor_of(data), submitted))
            return
        answer = await self._reply(turn_context)
        if answer.direct and not is_personal(data):
            await self._direct(data, answer)
            return
        form = self._form_card(data, answer)
        if form is not None:  # the command's own form: the card itself, not a button to get it
            await self._show(turn_context, form, in_place=False)
            return
        await turn_context.send_activity(card_activity(answer))

    async def _direct(self, data: dict[str, Any], answer: Reply) -> None:
        """A reply for the asker alone (safeguarding), typed in a channel: by 1:1 chat, never the channel."""
        actor = actor_of(data)
        try:
            await self.platform.direct_message(workspace=actor.workspace, user_id=actor.user_id, reply=answer)
        except PlatformError:
            log.warning("Could not send a private reply by 1:1 chat; nothing was said in the channel")

    def _form_card(self, data: dict[str, Any], reply: Reply) -> dict[str, Any] | None:
        if reply.opens_form is None:
            return None
        try:
            return open_card(self.core, actor_of(data), reply.opens_form)
        except TacBotError:
            return None

    async def _form(self, turn_context: TurnContext, pending: Awaitable[form_turn.FormAnswer]) -> None:
        """Show the form card (in place of the card pressed when possible), reply, then tell the room."""
        result = await pending
        if result.card is not None:
            await self._show(turn_context, result.card, in_place=result.in_place)
        if result.reply is not None:
            await self._show(turn_context, render_card(result.reply), in_place=result.in_place)
        if result.post is not None:
            await self._announce(result.post)

    async def _answer(self, actor: Actor, submitted: dict[str, Any]) -> form_turn.FormAnswer:
        """A form's card pressed, handled off the event loop (``handlers.offload``)."""
        return await off_loop(self.core, lambda core: form_turn.answer(core, actor, submitted))

    async def _announce(self, post: api.RoomPost) -> None:
        await off_loop(self.core, lambda core: api.announce(core, post))

    async def _show(self, turn_context: TurnContext, card: dict[str, Any], *, in_place: bool) -> None:
        """Update the pressed card (its id is the submit's ``replyToId``); else send the card anew."""
        out = Activity(
            type=ActivityTypes.message,
            summary=str(card.get("fallbackText") or "") or None,  # plain text, never the card's markdown
            attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
        )
        pressed = turn_context.activity.reply_to_id
        if in_place and pressed:
            out.id = pressed
            try:
                await turn_context.update_activity(out)
                return
            except Exception as exc:  # e.g. the card is too old to edit: send it anew instead
                log.info("Could not update a Teams card in place: %s", type(exc).__name__)
                out.id = None
        await turn_context.send_activity(out)

    async def _reply(self, turn_context: TurnContext) -> Reply:
        """A command typed, or a card's button pressed (Action.Submit or Action.Execute), handled."""
        data = activity_json(turn_context.activity)
        interaction = to_interaction(data)
        token = acting_user.set(str(data.get("from", {}).get("id") or "") or None)
        try:
            if interaction is not None:
                room = await asyncio.to_thread(self._room, interaction.room_id)
                interaction = replace(interaction, room_id=room)
                return await handle_interaction(self.core, interaction)
            command = to_command(data)
            if not command.text and not command.names:
                command = replace(command, text="help")
            await self._learn_mentioned(turn_context, command)
            room = await asyncio.to_thread(self._room, command.room_id)
            return await handle(self.core, replace(command, room_id=room))
        finally:
            acting_user.reset(token)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """Action.Execute (Universal Actions): handled like Action.Submit; the answer replaces the card."""
        data = activity_json(turn_context.activity)
        submitted = submitted_data(data)
        if submitted is not None and form_turn.is_form_data(submitted):
            result = await self._answer(actor_of(data), submitted)
            value = result.card if result.card is not None else render_card(result.reply or Reply.text(""))
            if result.post is not None:
                await self._announce(result.post)
        else:
            reply = await self._reply(turn_context)
            value = self._form_card(data, reply) or render_card(reply)
        return AdaptiveCardInvokeResponse(status_code=200, type=CARD_CONTENT_TYPE, value=value)

    async def on_teams_members_added(
        self, teams_members_added: list[TeamsChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        """People added to a channel: in a case room, anyone not on its team is taken out again
        (``handlers.room_guard``); the bot's own arrival, and a guest it invited itself, are ignored."""
        activity = turn_context.activity
        channel = (activity.channel_data or {}).get("channel") or {}
        room = str(channel.get("id") or channel_of(getattr(activity.conversation, "id", "") or ""))
        bot_id = getattr(activity.recipient, "id", None)
        workspace = tenant(activity)
        for member in teams_members_added:
            if not member.id or member.id == bot_id:
                continue
            guest = getattr(member, "aad_object_id", None)
            if guest and await asyncio.to_thread(
                self.platform.refs.is_guest, room_id=room, directory_id=guest
            ):
                continue  # a member outside the tenant TAC Bot asked in as a guest (`invite external`)
            await off_loop(
                self.core, partial(_joined, workspace=workspace, room_id=room, user_id=str(member.id))
            )

    async def on_teams_members_removed(
        self, teams_members_removed: list[TeamsChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        """People who left a case room (or were taken out of it outside TAC Bot) come off its team, and
        the key worker is told (``handlers.membership.member_left_room``): the room is the team. A guest
        account of a member outside the tenant is known by its Entra object id."""
        activity = turn_context.activity
        channel = (activity.channel_data or {}).get("channel") or {}
        room = str(channel.get("id") or channel_of(getattr(activity.conversation, "id", "") or ""))
        bot_id = getattr(activity.recipient, "id", None)
        workspace = tenant(activity)
        for member in teams_members_removed:
            if not member.id or member.id == bot_id:
                continue
            for user_id in dict.fromkeys([str(member.id), str(getattr(member, "aad_object_id", "") or "")]):
                if not user_id:
                    continue
                left: bool = await off_loop(
                    self.core, partial(_left, workspace=workspace, room_id=room, user_id=user_id)
                )
                if left:
                    break

    async def on_teams_file_consent_accept(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        """*Allow* on a file offered in a 1:1 chat (a review's .ics): upload it to their OneDrive."""
        await file_consent.accepted(turn_context, file_consent_card_response)

    async def on_teams_file_consent_decline(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        await file_consent.declined(turn_context, file_consent_card_response)


async def _left(core: Core, *, workspace: str, room_id: str, user_id: str) -> bool:
    return await member_left_room(
        core, platform="teams", workspace=workspace, room_id=room_id, user_id=user_id
    )


async def _joined(core: Core, *, workspace: str, room_id: str, user_id: str) -> bool:
    return await member_joined_room(
        core, platform="teams", workspace=workspace, room_id=room_id, user_id=user_id
    )
