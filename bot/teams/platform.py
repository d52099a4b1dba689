"""``handlers.platform.ChatPlatform`` for Teams: proactive messages through stored references, case
rooms as Graph private channels (or, without Graph, threads in one configured channel)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote, urlencode

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)

from bot.teams.cards import CARD_CONTENT_TYPE, render_card
from bot.teams.config import TeamsConfig
from bot.teams.files import consent_attachment, link_card
from bot.teams.graph import GraphClient, GraphError
from bot.teams.refs import CHANNEL, References, acting_user
from bot.teams.service_urls import host_of
from handlers.clock import Clock, SystemClock
from handlers.platform import PlatformError
from handlers.replies import Reply, Strong, unmarked

log = logging.getLogger(__name__)


def attachment_activity(attachment: dict[str, Any], *, summary: str | None = None) -> Activity:
    """A message carrying one attachment given as Bot Framework JSON (a card, a file consent card)."""
    return Activity(
        type=ActivityTypes.message,
        summary=summary,
        attachments=[
            Attachment(
                content_type=attachment["contentType"],
                content=attachment.get("content"),
                name=attachment.get("name"),
                content_url=attachment.get("contentUrl"),
            )
        ],
    )


def card_activity(reply: Reply) -> Activity:
    """A reply as a message activity carrying one Adaptive Card (``summary`` for notifications)."""
    return Activity(
        type=ActivityTypes.message,
        summary=unmarked(reply.summary) or None,
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=render_card(reply))],
    )


class TeamsPlatform:
    """Sends through botbuilder's CloudAdapter; makes rooms through Graph when it is configured."""

    name = "teams"

    def __init__(
        self,
        *,
        config: TeamsConfig,
        refs: References,
        adapter: CloudAdapter,
        graph: GraphClient | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.config = config
        self.refs = refs
        self.adapter = adapter
        self.graph = graph
        self.clock = clock or SystemClock()

    @property
    def bot_id(self) -> str:
        return f"28:{self.config.app_id}" if self.config.app_id else "28:tacbot"

    def _check_service(self, service_url: str | None) -> None:
        """Never send anywhere the mode does not allow (``bot.teams.service_urls``), whatever is stored."""
        if not self.config.may_send_to(service_url):
            log.warning("Teams send refused: service URL host %r is not allowed", host_of(service_url or ""))
            raise PlatformError("Microsoft Teams cannot be reached from here for that conversation.")

    async def _send(self, reference: ConversationReference, reply: Reply | Activity, *more: Activity) -> None:
        self._check_service(reference.service_url)

        async def callback(context: TurnContext) -> None:
            await context.send_activity(card_activity(reply) if isinstance(reply, Reply) else reply)
            for activity in more:
                await context.send_activity(activity)

        try:
            await self.adapter.continue_conversation(reference, callback, bot_app_id=self.config.app_id)
        except PlatformError:
            raise
        except Exception as exc:
            log.warning("Teams refused a message: %s", type(exc).__name__)
            raise PlatformError("Microsoft Teams did not accept the message; try again shortly.") from exc

    async def _create(self, workspace: str, parameters: ConversationParameters) -> ConversationReference:
        """Create a conversation (a 1:1 chat or a channel thread); return a reference to it."""
        base = await asyncio.to_thread(
            self.refs.service, workspace=workspace, default_url=self.config.service_url, bot_id=self.bot_id
        )
        self._check_service(base.service_url)
        parameters.bot = base.bot or ChannelAccount(id=self.bot_id)
        parameters.tenant_id = workspace
        made: list[ConversationReference] = []

        async def callback(context: TurnContext) -> None:
            made.append(
                ConversationReference(
                    channel_id=CHANNEL,
                    service_url=base.service_url,
                    bot=parameters.bot,
                    user=(parameters.members or [None])[0],
                    conversation=ConversationAccount(
                        id=context.activity.conversation.id,
                        tenant_id=workspace,
                        conversation_type="personal" if not parameters.is_group else "channel",
                        is_group=bool(parameters.is_group),
                    ),
                )
            )

        try:
            await self.adapter.create_conversation(
                self.config.app_id, callback, parameters, CHANNEL, base.service_url
            )
        except Exception as exc:
            log.warning("Teams could not create a conversation: %s", type(exc).__name__)
            raise PlatformError("Microsoft Teams could not start that conversation.") from exc
        return made[0]

    async def direct_message(self, *, workspace: str, user_id: str, reply: Reply) -> None:
        reference = await asyncio.to_thread(self.refs.reference, kind="user", key=user_id)
        if reference is None:
            reference = await self._create(
                workspace,
                ConversationParameters(
                    is_group=False,
                    members=[ChannelAccount(id=user_id)],
                    channel_data={"tenant": {"id": workspace}},
                ),
            )
            await asyncio.to_thread(
                self.refs.remember_conversation,
                workspace=workspace,
                kind="user",
                key=user_id,
                reference=reference,
                now=self.clock.now(),
            )
        # Files (a review's .ics) are offered with a file consent card each: bots cannot attach files.
        offers = [consent_attachment(file) for file in reply.attachments]
        await self._send(reference, reply, *(attachment_activity(o) for o in offers if o is not None))

    def _room_reference(self, workspace: str, room_id: str) -> ConversationReference:
        reference = self.refs.reference(kind="room", key=room_id)
        if reference is not None:
            return reference
        # A channel made through Graph: post a new message in it.
        base = self.refs.service(workspace=workspace, default_url=self.config.service_url, bot_id=self.bot_id)
        return ConversationReference(
            channel_id=CHANNEL,
            service_url=base.service_url,
            bot=base.bot,
            conversation=ConversationAccount(
                id=room_id, tenant_id=workspace, conversation_type="channel", is_group=True
            ),
        )

    async def post(self, *, workspace: str, room_id: str, reply: Reply) -> None:
        await self._send(await asyncio.to_thread(self._room_reference, workspace, room_id), reply)
        if self.graph is not None:  # files beside a room message go to the channel's Files, linked
            for file in reply.attachments:
                await self.upload_file(
                    workspace=workspace,
                    room_id=room_id,
                    filename=file.filename,
                    content=file.content,
                    title=reply.summary or file.filename,
                )

    async def user_name(self, *, workspace: str, user_id: str) -> str | None:
        known = await asyncio.to_thread(self.refs.user, user_id)
        return known[0] or None if known else None

    def _directory_id(self, user_id: str) -> str:
        known = self.refs.user(user_id)
        if known is None or not known[1]:
            name = known[0] if known and known[0] else "that person"
            raise PlatformError(
                f"I don't know {name}'s Microsoft 365 account yet.",
                hint="Ask them to send TAC Bot a message once, then try again.",
            )
        return known[1]

    async def create_private_room(self, *, workspace: str, name: str, topic: str) -> str:
        home = self.config.app_tenant_id
        if home and workspace.lower() != home.lower():  # the rooms' team is another school's tenant
            raise PlatformError(
                "Case rooms in Teams are set up for another school's tenant, so this case has no room.",
                hint="The team, plan and reminders work in 1:1 chats; ask your administrator.",
            )
        if self.graph is not None:
            return await self._create_channel(name=name, topic=topic)
        if not self.config.channel_id:
            raise PlatformError(
                "No Teams channel is set up for case rooms.",
                hint="An administrator sets TACBOT_TEAMS_CHANNEL_ID (or Graph and TACBOT_TEAMS_TEAM_ID).",
            )
        reference = await self._create(
            workspace,
            ConversationParameters(
                is_group=True,
                channel_data={"channel": {"id": self.config.channel_id}, "tenant": {"id": workspace}},
                activity=MessageFactory.text(f"{name}: {topic}"),
            ),
        )
        room_id = str(reference.conversation.id)
        await asyncio.to_thread(
            self.refs.remember_conversation,
            workspace=workspace,
            kind="room",
            key=room_id,
            reference=reference,
            now=self.clock.now(),
            name=name,
        )
        return room_id

    async def _create_channel(self, *, name: str, topic: str) -> str:
        assert self.graph is not None
        actor = acting_user.get()
        owner = await asyncio.to_thread(self._directory_id, actor) if actor else self.config.channel_owner
        if not owner:
            raise PlatformError(
                "Nobody can own the new private channel.", hint="Set TACBOT_TEAMS_CHANNEL_OWNER."
            )
        final, n = name, 1
        while True:
            try:
                return await self.graph.create_private_channel(name=final, description=topic, owner=owner)
            except GraphError as exc:
                if (exc.status != 409 and "NameAlreadyExists" not in exc.code) or n >= 20:
                    raise
                n += 1
                final = f"{name}-{n}"

    async def add_members(self, *, workspace: str, room_id: str, user_ids: list[str]) -> None:
        if self.graph is not None:
            for user_id in user_ids:
                await self.graph.add_member(
                    channel_id=room_id, user=await asyncio.to_thread(self._directory_id, user_id)
                )
            return
        # A thread in a shared channel has no members of its own: tell each person where it is.
        for user_id in user_ids:
            await self.direct_message(
                workspace=workspace,
                user_id=user_id,
                reply=Reply.text(
                    "You are on a case team in Teams. Its room is the thread ",
                    Strong(await asyncio.to_thread(self._room_label, room_id)),
                    " in the case channel.",
                    private=False,
                ),
            )

    async def invite_guest(
        self, *, workspace: str, room_id: str, email: str, name: str, person: str, slack_connect: bool
    ) -> bool:
        """A member outside the tenant asked into the case's private channel as a guest, through Graph:
        ``POST /invitations`` (Microsoft e-mails them an invitation), then the guest into the team
        (``roles: ["guest"]``) and into the channel. The guest account is remembered as the external
        member ``person``'s in this room before it joins (``refs.remember_guest``). Without Graph (a
        thread-per-case room) there is no channel to join. Any refusal (a tenant that allows no guests, a
        permission not granted, a timeout) is logged by its status alone, never the address: TAC Bot's
        e-mail and the portal carry on."""
        if self.graph is None:
            return False
        step = "invitation"
        try:
            user = await self.graph.invite_guest(
                email=email, name=name, redirect_url=self.channel_url(workspace, room_id)
            )
            await asyncio.to_thread(
                self.refs.remember_guest,
                workspace=workspace,
                room_id=room_id,
                person=person,
                directory_id=user,
                now=self.clock.now(),
            )
            step = "team"
            await self.graph.add_team_guest(user=user)
            step = "channel"
            await self.graph.add_channel_guest(channel_id=room_id, user=user)
        except GraphError as exc:
            log.info("teams guest not added (%s): %s", step, exc.status)
            return False
        except PlatformError:  # not reached (a timeout, no answer) or no token
            log.info("teams guest not added (%s): no answer", step)
            return False
        return True

    async def remove_guest(self, *, workspace: str, room_id: str, person: str, user_id: str) -> None:
        """The guest account ``user_id`` (Entra object id) of the external member ``person`` out of the
        case's private channel; a refusal raises (``GraphError``) for the room guard to keep and retry.
        The guest stays in the tenant and the team: other cases' channels may still have them."""
        if self.graph is not None:
            await self.graph.remove_member(channel_id=room_id, user=user_id)

    def channel_url(self, workspace: str, room_id: str) -> str:
        """A link that opens the case's channel in Teams (where a redeemed invitation lands)."""
        assert self.graph is not None
        query = urlencode({"groupId": self.graph.team_id, "tenantId": workspace})
        return f"https://teams.microsoft.com/l/channel/{quote(room_id, safe='')}/case?{query}"

    def _room_label(self, room_id: str) -> str:
        known = self.refs.user(room_id, kind="room")
        return known[0] if known and known[0] else "for this case"

    async def remove_member(self, *, workspace: str, room_id: str, user_id: str) -> None:
        if self.graph is not None:
            await self.graph.remove_member(
                channel_id=room_id, user=await asyncio.to_thread(self._directory_id, user_id)
            )

    async def archive_room(self, *, workspace: str, room_id: str) -> None:
        if self.graph is not None:
            await self.graph.archive_channel(channel_id=room_id)

    async def set_topic(self, *, workspace: str, room_id: str, topic: str) -> None:
        """A private channel's description, through Graph; a thread has none (the room was told)."""
        if self.graph is not None:
            await self.graph.describe_channel(channel_id=room_id, description=topic)

    async def unarchive_room(self, *, workspace: str, room_id: str) -> None:
        if self.graph is not None:
            await self.graph.unarchive_channel(channel_id=room_id)

    async def upload_file(
        self, *, workspace: str, room_id: str, filename: str, content: bytes, title: str
    ) -> None:
        """Documents go to the channel's Files (SharePoint) through Graph, and a card links to them.

        A case room that is a thread (no Graph) has no Files of its own, and a bot cannot attach a file to
        a channel message: that is refused, saying what to configure."""
        if self.graph is None:
            raise PlatformError(  # the export's reply shows the message alone, so it says it all
                "Posting documents to Teams needs Microsoft Graph, which is not set up here (an "
                "administrator sets TACBOT_TEAMS_TEAM_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID "
                "and grants Files.ReadWrite.All). The plan is still shown in chat with `plan`."
            )
        url = await self.graph.upload_to_channel(channel_id=room_id, filename=filename, content=content)
        card = link_card(title=title, filename=filename, url=url)
        activity = attachment_activity({"contentType": CARD_CONTENT_TYPE, "content": card}, summary=title)
        await self._send(await asyncio.to_thread(self._room_reference, workspace, room_id), activity)
