"""A small Microsoft Graph client for case rooms as private channels (aiohttp; app-only MSAL token)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import aiohttp

from handlers.platform import PlatformError

log = logging.getLogger(__name__)

TokenProvider = Callable[[], Awaitable[str]]
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
DESCRIPTION_CHARS = 1024  # a channel description's limit in Graph
USERS_BIND = "https://graph.microsoft.com/v1.0/users('{}')"
GUEST_TIMEOUT = 20.0  # seconds: a guest invitation waits inside `invite external`, which must not hang


def msal_token_provider(
    *, authority: str, tenant_id: str, client_id: str, secret: str, http_client: Any = None
) -> TokenProvider:
    """Client-credentials tokens from Microsoft Entra via MSAL (cached by MSAL; run off the event loop).

    ``http_client`` (a ``requests.Session``-like object) is MSAL's own hook; tests route it locally."""
    import msal

    app = msal.ConfidentialClientApplication(
        client_id=client_id,
        client_credential=secret,
        authority=authority.rstrip("/") + "/" + tenant_id,
        http_client=http_client,
        instance_discovery=False,
    )

    def acquire() -> str:
        result = app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
        if "access_token" not in result:
            log.error("Graph token refused: %s", result.get("error"))
            raise PlatformError("Microsoft 365 refused TAC Bot's sign-in; tell your administrator.")
        return str(result["access_token"])

    async def provide() -> str:
        return await asyncio.to_thread(acquire)

    return provide


class GraphError(PlatformError):
    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class GraphClient:
    """Just the calls TAC Bot makes: channels and their members in one team."""

    def __init__(
        self, *, base_url: str, token: TokenProvider, team_id: str, guest_timeout: float = GUEST_TIMEOUT
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.token = token
        self.team_id = team_id
        self.guest_timeout = guest_timeout

    async def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        upload: bytes | None = None,
        seconds: float = 60.0,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {await self.token()}"}
        if upload is not None:
            headers["Content-Type"] = "application/octet-stream"
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=seconds)) as session,
                session.request(
                    method, self.base_url + path, json=body, data=upload, headers=headers
                ) as response,
            ):
                data: dict[str, Any] = (
                    await response.json(content_type=None) if response.content_length != 0 else {}
                ) or {}
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("Graph %s %s failed: %s", method, path, type(exc).__name__)
            raise PlatformError("Microsoft Teams could not be reached; try again shortly.") from exc
        if status >= 400:
            code = str((data.get("error") or {}).get("code") or status)
            log.warning("Graph %s %s -> %s %s", method, path, status, code)
            raise GraphError(f"Microsoft Teams refused ({code}).", status=status, code=code)
        return data

    def _channel(self, channel_id: str, rest: str = "") -> str:
        return f"teams/{self.team_id}/channels/{channel_id}{rest}"

    async def create_private_channel(self, *, name: str, description: str, owner: str) -> str:
        """A private channel with ``owner`` (an Entra object id) as its first owner; returns its id."""
        body = {
            "displayName": name,
            "description": description,
            "membershipType": "private",
            "members": [_member(owner, owner=True)],
        }
        data = await self._call("POST", f"teams/{self.team_id}/channels", body)
        return str(data["id"])

    async def add_member(self, *, channel_id: str, user: str) -> None:
        try:
            await self._call("POST", self._channel(channel_id, "/members"), _member(user, owner=False))
        except GraphError as exc:
            if exc.status != 409:  # already a member
                raise

    async def invite_guest(self, *, email: str, name: str, redirect_url: str) -> str:
        """``POST /invitations``: a B2B guest account for ``email`` in the tenant, Microsoft's own invitation
        e-mail sent to them (redeemed, it lands on ``redirect_url``); returns the guest's Entra object id.

        Inviting an address again answers the same user (Graph re-sends the invitation)."""
        body = {
            "invitedUserEmailAddress": email,
            "invitedUserDisplayName": name,
            "inviteRedirectUrl": redirect_url,
            "sendInvitationMessage": True,
        }
        data = await self._call("POST", "invitations", body, seconds=self.guest_timeout)
        user = str((data.get("invitedUser") or {}).get("id") or "")
        if not user:
            raise PlatformError("Microsoft 365 made the invitation but named no guest account.")
        return user

    async def add_team_guest(self, *, user: str) -> None:
        """``POST /teams/{team}/members``: the guest into the team (a private channel's members must be
        members of its team first), with the ``guest`` role; already a member is fine."""
        body = _member(user, owner=False) | {"roles": ["guest"]}
        try:
            await self._call("POST", f"teams/{self.team_id}/members", body, seconds=self.guest_timeout)
        except GraphError as exc:
            if exc.status != 409:
                raise

    async def add_channel_guest(self, *, channel_id: str, user: str) -> None:
        """The guest into the case's private channel (``roles: []``, like any member)."""
        try:
            await self._call(
                "POST",
                self._channel(channel_id, "/members"),
                _member(user, owner=False),
                seconds=self.guest_timeout,
            )
        except GraphError as exc:
            if exc.status != 409:
                raise

    async def remove_member(self, *, channel_id: str, user: str) -> None:
        members = await self._call("GET", self._channel(channel_id, "/members"))
        for member in members.get("value", []):
            if str(member.get("userId", "")).lower() == user.lower():
                await self._call("DELETE", self._channel(channel_id, f"/members/{member['id']}"))

    async def describe_channel(self, *, channel_id: str, description: str) -> None:
        """``PATCH /teams/{team}/channels/{channel}`` with the channel's new description."""
        await self._call("PATCH", self._channel(channel_id), {"description": description[:DESCRIPTION_CHARS]})

    async def archive_channel(self, *, channel_id: str) -> None:
        """Archive (read-only, kept); where the tenant cannot archive channels, delete it instead."""
        try:
            await self._call("POST", self._channel(channel_id, "/archive"), {})
        except GraphError as exc:
            if exc.status not in (400, 404, 405):
                raise
            await self._call("DELETE", self._channel(channel_id))

    async def unarchive_channel(self, *, channel_id: str) -> None:
        """Make an archived channel writable again (a channel deleted instead is gone: GraphError)."""
        await self._call("POST", self._channel(channel_id, "/unarchive"), {})

    async def upload_to_channel(self, *, channel_id: str, filename: str, content: bytes) -> str:
        """Put a file in the channel's Files folder (its SharePoint folder); returns the file's webUrl.

        ``GET .../filesFolder`` gives the folder as a driveItem; ``PUT /drives/{drive}/items/{folder}:/
        {name}:/content`` (the simple upload, for files up to 250 MB) replaces a file of the same name.
        """
        try:
            folder = await self._call("GET", self._channel(channel_id, "/filesFolder"))
        except GraphError as exc:
            if exc.status != 404:
                raise
            raise PlatformError(  # a new private channel's SharePoint site takes a while to appear
                "The case channel's Files folder is not ready yet; try again in a few minutes."
            ) from exc
        drive = str((folder.get("parentReference") or {}).get("driveId") or "")
        if not drive or not folder.get("id"):
            raise PlatformError("Microsoft Teams did not say where the channel's files are kept.")
        path = f"drives/{quote(drive, safe='')}/items/{quote(str(folder['id']), safe='')}"
        name = quote(safe_filename(filename), safe="")
        item = await self._call("PUT", f"{path}:/{name}:/content", upload=content)
        if not item.get("webUrl"):
            raise PlatformError("Microsoft Teams stored the file but gave no link to it.")
        return str(item["webUrl"])


_UNSAFE = re.compile(r'["*:<>?/\\|#%\x00-\x1f]')


def safe_filename(name: str) -> str:
    """A name SharePoint accepts: no ``" * : < > ? / \\ | # %``, no leading/trailing dots or spaces."""
    cleaned = _UNSAFE.sub("-", name).strip(" .")
    return cleaned or "document"


def _member(user: str, *, owner: bool) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.aadUserConversationMember",
        "roles": ["owner"] if owner else [],
        "user@odata.bind": USERS_BIND.format(user),
    }
