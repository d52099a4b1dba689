"""``SlackPlatform``: the core's ``ChatPlatform`` over the Slack Web API: one token (one workspace), or,
installed through OAuth, each workspace's own bot token (``bot.slack.installs.WorkspaceTokens``)."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.mrkdwn import escape
from bot.slack.render import messages
from handlers.platform import PlatformError, RateLimited
from handlers.replies import Attachment, Reply

log = logging.getLogger(__name__)

NAME_ATTEMPTS = 20
TOPIC_CHARS = 250  # Slack's limit for a channel topic
DEFAULT_RETRY_AFTER = 30.0  # when a 429 says nothing about how long to wait

# Slack error codes -> what the person is told (user-safe, with what to do).
ERRORS = {
    "user_not_found": "Slack has no such person in this workspace.",
    "users_not_found": "Slack has no such person in this workspace.",
    "cant_invite": "Slack would not let me add them (they may be deactivated or a guest without access).",
    "user_is_restricted": "They are a guest account, and guests can't be added to this room.",
    "ura_max_channels": "They are a single-channel guest already in another channel.",
    "is_archived": "The case room is archived.",
    "channel_not_found": "The case room no longer exists in Slack.",
    "not_in_channel": "TAC Bot is no longer in the case room: add it back with `/invite @TAC Bot`.",
    "restricted_action": "A workspace setting stops TAC Bot doing that; ask your Slack administrator.",
    "missing_scope": "TAC Bot lacks a Slack permission; ask your administrator to reinstall the app.",
    "not_authed": "TAC Bot's Slack token is missing; ask your administrator.",
    "invalid_auth": "TAC Bot's Slack token is not valid; ask your administrator.",
    "account_inactive": "TAC Bot's Slack token has been revoked; ask your administrator.",
    "ratelimited": "Slack is busy right now; please try again in a minute.",
    "invalid_name_specials": "That room name is not allowed in Slack.",
    "cant_kick_self": "TAC Bot can't remove itself.",
    "cant_kick_from_general": "Nobody can be removed from that channel.",
    "msg_too_long": "That message was too long for Slack.",
}


def _code(error: SlackApiError) -> str:
    response: Any = error.response
    try:
        return str(response.get("error") or "unknown_error")
    except AttributeError:
        return "unknown_error"


def _retry_after(error: SlackApiError) -> float | None:
    """Slack's Retry-After (seconds) when it still answered 429 after the retry handler gave up."""
    response: Any = error.response
    if getattr(response, "status_code", None) != 429:
        return None
    headers = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) and value else value
            try:
                return max(float(raw), 1.0)
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER


def failure(error: SlackApiError, doing: str, *, nothing_sent: bool = True) -> PlatformError:
    """A Slack refusal as a user-safe sentence saying what failed and what to do.

    A 429 that outlasted the retries is ``RateLimited`` (retry after a pause) only when nothing of this
    delivery had gone yet; after a partial delivery a retry would repeat what was sent.
    """
    code = _code(error)
    wait = _retry_after(error)
    if wait is not None and nothing_sent:
        log.warning("slack still rate-limited %s after retries; retry after %.0f s", doing, wait)
        return RateLimited(f"Slack is busy and could not {doing} yet.", retry_after=wait)
    log.warning("slack refused %s: %s", doing, code)
    known = ERRORS.get(code)
    return PlatformError(f"Slack could not {doing}: {known or f'it said {code}.'}")


NOT_INSTALLED = "TAC Bot is not installed in this Slack workspace (or was removed from it)."


class Tokens(Protocol):
    async def bot_token(self, workspace: str) -> str | None: ...


class SlackPlatform:
    """Rooms are private channels; posts are Block Kit messages; people are Slack user ids.

    ``client`` carries the base URL, retries and HTTP session; with ``tokens`` each call is made with
    the bot token of the workspace it is for, and a workspace without one is refused."""

    name = "slack"

    def __init__(self, client: AsyncWebClient, *, tokens: Tokens | None = None) -> None:
        self.client = client
        self.tokens = tokens

    async def client_for(self, workspace: str) -> AsyncWebClient:
        """The client for ``workspace``: the one client, or one with that workspace's bot token."""
        if self.tokens is None:
            return self.client
        token = await self.tokens.bot_token(workspace)
        if token is None:
            raise PlatformError(NOT_INSTALLED, hint="Ask your Slack administrator to install TAC Bot again.")
        return AsyncWebClient(
            token=token,
            base_url=self.client.base_url,
            session=self.client.session,
            retry_handlers=self.client.retry_handlers,
            timeout=self.client.timeout,
        )

    async def create_private_room(self, *, workspace: str, name: str, topic: str) -> str:
        client = await self.client_for(workspace)
        candidate = name
        for attempt in range(2, NAME_ATTEMPTS + 2):
            try:
                response = await client.conversations_create(name=candidate, is_private=True)
            except SlackApiError as error:
                if _code(error) == "name_taken":
                    candidate = f"{name}-{attempt}"
                    continue
                raise failure(error, "create the case room") from None
            room_id = str(response["channel"]["id"])
            await self._describe(client, room_id, topic)
            return room_id
        raise PlatformError(
            f"Slack could not create the case room: every name from {name} to {candidate} is taken.",
            hint="Archive or rename old channels with those names, then repeat the command.",
        )

    async def _describe(self, client: AsyncWebClient, room_id: str, topic: str) -> None:
        """Topic and purpose are a courtesy: failing to set them never fails the room."""
        try:
            await client.conversations_setTopic(channel=room_id, topic=topic)
            await client.conversations_setPurpose(channel=room_id, purpose=topic)
        except SlackApiError as error:
            log.warning("could not set the room's topic or purpose: %s", _code(error))

    async def set_topic(self, *, workspace: str, room_id: str, topic: str) -> None:
        """``conversations.setTopic``; the topic is user text, escaped so it cannot ping or link."""
        client = await self.client_for(workspace)
        try:
            await client.conversations_setTopic(channel=room_id, topic=escape(topic)[:TOPIC_CHARS])
        except SlackApiError as error:
            raise failure(error, "change the room's topic") from None

    async def add_members(self, *, workspace: str, room_id: str, user_ids: list[str]) -> None:
        client = await self.client_for(workspace)
        for user_id in user_ids:
            try:
                await client.conversations_invite(channel=room_id, users=user_id)
            except SlackApiError as error:
                if _code(error) in ("already_in_channel", "cant_invite_self"):
                    continue
                raise failure(error, "add them to the case room") from None

    async def invite_guest(
        self, *, workspace: str, room_id: str, email: str, name: str, person: str, slack_connect: bool
    ) -> bool:
        """A member outside the workspace asked into the case room through Slack Connect
        (``conversations.inviteShared``), when ``TACBOT_SLACK_CONNECT`` is on. It needs a paid plan and
        the workspace's consent: any refusal is logged (its code only) and e-mail carries on alone. When
        they accept, they join from their own workspace (``outside_email`` tells who they are)."""
        if not slack_connect:
            return False
        try:
            client = await self.client_for(workspace)
        except PlatformError:
            return False  # not installed there (any more): e-mail carries on alone
        try:
            await client.conversations_inviteShared(channel=room_id, emails=[email], external_limited=True)
        except SlackApiError as error:
            log.info("slack connect invitation not sent: %s", _code(error))
            return False
        return True

    async def outside_email(self, *, workspace: str, user_id: str) -> str | None:
        """The e-mail address of someone from another workspace (a Slack Connect member) as ``users.info``
        shows it (``profile.email``, with ``users:read.email``); None for the workspace's own people, bots,
        and anyone whose organisation hides it."""
        client = await self.client_for(workspace)
        try:
            answer = await client.users_info(user=user_id)
        except SlackApiError as error:
            raise failure(error, "look them up") from None
        user = answer.get("user") or {}
        if not isinstance(user, dict) or user.get("is_bot") or user.get("deleted"):
            return None
        profile = user.get("profile") or {}
        home = str(user.get("team_id") or profile.get("team") or "")
        if not home or home == workspace:
            return None  # one of this workspace's own people: the room guard decides
        email = profile.get("email")
        return str(email) if email else None

    async def remove_guest(self, *, workspace: str, room_id: str, person: str, user_id: str) -> None:
        """The Slack Connect member ``user_id`` (the external member ``person`` here) out of the case room:
        ``conversations.kick`` as for anyone; a refusal raises for the room guard to keep and retry."""
        await self.remove_member(workspace=workspace, room_id=room_id, user_id=user_id)

    async def remove_member(self, *, workspace: str, room_id: str, user_id: str) -> None:
        client = await self.client_for(workspace)
        try:
            await client.conversations_kick(channel=room_id, user=user_id)
        except SlackApiError as error:
            if _code(error) != "not_in_channel":
                raise failure(error, "remove them from the case room") from None

    async def archive_room(self, *, workspace: str, room_id: str) -> None:
        client = await self.client_for(workspace)
        try:
            await client.conversations_archive(channel=room_id)
        except SlackApiError as error:
            if _code(error) != "already_archived":
                raise failure(error, "archive the case room") from None

    async def unarchive_room(self, *, workspace: str, room_id: str) -> None:
        """Slack lets only a user token unarchive; a refusal makes `reopen` open a new room instead."""
        client = await self.client_for(workspace)
        try:
            await client.conversations_unarchive(channel=room_id)
        except SlackApiError as error:
            if _code(error) != "not_archived":
                raise failure(error, "bring the case room back") from None

    async def post(self, *, workspace: str, room_id: str, reply: Reply) -> None:
        """The reply's messages, then its attachments uploaded into the same conversation."""
        sent = False
        client = await self.client_for(workspace)
        for message in messages(reply):
            try:
                await client.chat_postMessage(
                    channel=room_id,
                    text=message.text,
                    blocks=message.blocks,
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as error:
                raise failure(error, "post the message", nothing_sent=not sent) from None
            sent = True
        for attachment in reply.attachments:
            await self._attach(client, room_id, attachment)

    async def _attach(self, client: AsyncWebClient, room_id: str, attachment: Attachment) -> None:
        """One file beside the message already posted (so never ``RateLimited``: that would repeat it)."""
        try:
            await client.files_upload_v2(
                channel=room_id,
                content=attachment.content,
                filename=attachment.filename,
                title=attachment.filename,
            )
        except SlackApiError as error:
            raise failure(error, f"attach {attachment.filename}", nothing_sent=False) from None

    async def upload_file(
        self, *, workspace: str, room_id: str, filename: str, content: bytes, title: str
    ) -> None:
        """Slack's current upload pair (files.getUploadURLExternal + files.completeUploadExternal)."""
        client = await self.client_for(workspace)
        try:
            await client.files_upload_v2(channel=room_id, content=content, filename=filename, title=title)
        except SlackApiError as error:
            raise failure(error, "upload the document") from None

    async def direct_message(self, *, workspace: str, user_id: str, reply: Reply) -> None:
        client = await self.client_for(workspace)
        try:
            opened = await client.conversations_open(users=user_id)
        except SlackApiError as error:
            raise failure(error, "message them directly") from None
        await self.post(workspace=workspace, room_id=str(opened["channel"]["id"]), reply=reply)

    async def user_name(self, *, workspace: str, user_id: str) -> str | None:
        client = await self.client_for(workspace)
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as error:
            if _code(error) in ("user_not_found", "users_not_found"):
                return None
            raise failure(error, "look that person up") from None
        user = response["user"]
        if user.get("deleted"):
            return None
        profile = user.get("profile") or {}
        return str(profile.get("display_name") or user.get("real_name") or user.get("name") or user_id)
