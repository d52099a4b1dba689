"""The Teams activity handler: tenant check, remember references, then the same grammar and handlers."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import Activity, AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue

from bot.teams.cards import render_card
from bot.teams.platform import TeamsPlatform, card_activity
from bot.teams.refs import acting_user, tenant
from bot.teams.translate import channel_of, to_command, to_interaction
from handlers.core import Core
from handlers.dispatch import handle, handle_interaction
from handlers.model import Command
from handlers.replies import Reply
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
            with self.core.db.transaction() as s:
                audit.record(
                    s,
                    action="teams.tenant_refused",
                    at=self.core.clock.now(),
                    tenant=workspace,
                    activity_type=activity.type,
                    user=getattr(activity.from_property, "id", None),
                )
            log.warning("Ignored a Teams activity from a tenant not in TACBOT_TEAMS_TENANTS")
            return
        if activity.conversation is not None and activity.type in ("message", "invoke", "conversationUpdate"):
            self.platform.refs.remember(activity, now=self.core.clock.now())
        await super().on_turn(turn_context)

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
            known = self.platform.refs.user(user_id)
            if known is not None and known[1]:
                continue
            directory_id: str | None = None
            try:
                member = await TeamsInfo.get_member(turn_context, user_id)
                directory_id, name = member.aad_object_id, member.name or name
            except Exception as exc:  # the mention still works; only Graph membership needs the id
                log.info("Could not look up a mentioned Teams user: %s", type(exc).__name__)
            self.platform.refs.remember_user(
                workspace=command.actor.workspace,
                user_id=user_id,
                name=name,
                directory_id=directory_id,
                now=self.core.clock.now(),
            )

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(card_activity(await self._reply(turn_context)))

    async def _reply(self, turn_context: TurnContext) -> Reply:
        """A command typed, or a card's button pressed (Action.Submit or Action.Execute), handled."""
        data = activity_json(turn_context.activity)
        interaction = to_interaction(data)
        token = acting_user.set(str(data.get("from", {}).get("id") or "") or None)
        try:
            if interaction is not None:
                interaction = replace(interaction, room_id=self._room(interaction.room_id))
                return await handle_interaction(self.core, interaction)
            command = to_command(data)
            if not command.text and not command.names:
                command = replace(command, text="help")
            await self._learn_mentioned(turn_context, command)
            return await handle(self.core, replace(command, room_id=self._room(command.room_id)))
        finally:
            acting_user.reset(token)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """Action.Execute (Universal Actions): handled like Action.Submit; the reply replaces the card."""
        reply = await self._reply(turn_context)
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.card.adaptive", value=render_card(reply)
        )
