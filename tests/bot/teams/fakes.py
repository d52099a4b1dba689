"""Local fakes of Microsoft's services: the Bot Connector (at the activity's serviceUrl) and Graph."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.bot.teams.cardcheck import card_errors
from tests.bot.teams.fixtures import BOT_ID, TENANT, recorded


@dataclass(frozen=True)
class Person:
    handle: str
    id: str
    name: str
    aad: str


PEOPLE = {
    p.handle: p
    for p in (
        Person(
            "sam", "29:1SamSencoQ0vLx8hQb7Yk3tq1nZ2P", "Sam Senco", "a1b2c3d4-0001-4a5b-8c9d-000000000001"
        ),
        Person("tom", "29:1TomTeacherHk2b9QwZ", "Tom Teacher", "a1b2c3d4-0002-4a5b-8c9d-000000000002"),
        Person("anna", "29:1AnnaEvansEPmJ4rT9wXc2Lk8s", "Anna Evans", "a1b2c3d4-0004-4a5b-8c9d-000000000004"),
        Person("ravi", "29:1RaviPaedsW8n3Kq", "Ravi Patel", "a1b2c3d4-0006-4a5b-8c9d-000000000006"),
        Person("dan", "29:1DanSocialWorkerF3kq0ZpLw", "Dan Walker", "a1b2c3d4-0007-4a5b-8c9d-000000000007"),
    )
}
_ESCAPES = re.compile(r"\\(.)")


def card_text(activity: dict[str, Any]) -> str:
    """Everything a person would read on the cards of an activity, markdown escapes undone."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                out.append(node["text"])
            if node.get("type") == "FactSet":
                out.extend(f"{f['title']}: {f['value']}" for f in node["facts"])
            for key, value in node.items():
                if key not in ("msteams",):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for attachment in activity.get("attachments") or []:
        walk(attachment.get("content"))
    return _ESCAPES.sub(r"\1", "\n".join(out).replace("**", "")).replace("\u200b", "")


@dataclass
class Sent:
    conversation: str
    activity: dict[str, Any]
    auth: str
    reply_to: str | None = None
    id: str = ""  # what the connector answered: the id a later update (PUT) names
    updated: bool = False  # an update in place of the card ``id`` (PUT), not a new message

    @property
    def text(self) -> str:
        return card_text(self.activity)


@dataclass
class FakeConnector:
    """The Bot Connector service: records every activity the bot sends and conversation it creates."""

    sent: list[Sent] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # OneDrive: name -> (bytes, range)
    invalid: list[str] = field(default_factory=list)  # schema errors of any Adaptive Card the bot sent
    accounts: dict[str, dict[str, str]] = field(default_factory=dict)  # others in the tenant: id -> account
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1789380000000))
    server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._send)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_get("/v3/conversations/{cid}/members/{uid}", self._member)
        app.router.add_put("/onedrive/upload/{name}", self._onedrive)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def _check(self, activity: dict[str, Any]) -> dict[str, Any]:
        """Record what is wrong with a card; never raise here (a handler that raises drops the bot's turn)."""
        for attachment in activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                try:
                    self.invalid.extend(card_errors(attachment["content"]))
                except Exception as error:  # the test asserts on `invalid`, never inside the server
                    self.invalid.append(f"card not checked: {error!r}")
        return activity

    async def _send(self, request: web.Request) -> web.Response:
        activity_id = str(next(self.ids))
        self.sent.append(
            Sent(
                conversation=request.match_info["cid"],
                activity=self._check(await request.json()),
                auth=request.headers.get("Authorization", ""),
                reply_to=request.match_info.get("aid"),
                id=activity_id,
            )
        )
        return web.json_response({"id": activity_id})

    async def _update(self, request: web.Request) -> web.Response:
        """Edit a message the bot sent earlier in that conversation; anything else is not found."""
        cid, aid = request.match_info["cid"], request.match_info["aid"]
        if not any(s.id == aid and s.conversation == cid for s in self.sent):
            return web.json_response({"error": {"code": "ActivityNotFoundInConversation"}}, status=404)
        activity = self._check(await request.json())
        self.sent.append(Sent(cid, activity, request.headers.get("Authorization", ""), id=aid, updated=True))
        return web.json_response({"id": aid})

    async def _onedrive(self, request: web.Request) -> web.Response:
        """The OneDrive upload URL a file consent card's *Allow* gives the bot (served here too)."""
        name = request.match_info["name"]
        self.uploads[name] = (await request.read(), request.headers.get("Content-Range", ""))
        return web.json_response({"id": f"item-{name}", "name": name}, status=201)

    async def _create(self, request: web.Request) -> web.Response:
        params = await request.json()
        self.created.append(params)
        activity_id = str(next(self.ids))
        channel = ((params.get("channelData") or {}).get("channel") or {}).get("id")
        if channel:  # a new thread (post) in a channel
            self.sent.append(Sent(f"{channel};messageid={activity_id}", params.get("activity") or {}, ""))
            return web.json_response({"id": f"{channel};messageid={activity_id}", "activityId": activity_id})
        user = params["members"][0]["id"]
        return web.json_response({"id": f"a:1{user[3:12]}NewChat"})

    async def _member(self, request: web.Request) -> web.Response:
        person = next((p for p in PEOPLE.values() if p.id == request.match_info["uid"]), None)
        if person is None and request.match_info["uid"] in self.accounts:  # e.g. a guest
            return web.json_response({**self.accounts[request.match_info["uid"]], "tenantId": TENANT})
        if person is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(
            {"id": person.id, "name": person.name, "aadObjectId": person.aad, "tenantId": TENANT}
        )

    def to(self, conversation: str) -> list[Sent]:
        return [s for s in self.sent if s.conversation == conversation]

    def last_text(self, conversation: str) -> str:
        return self.to(conversation)[-1].text


@dataclass
class FakeGraph:
    """Microsoft Graph: private channels of one team and their members, and B2B guest invitations.

    ``guests`` is the tenant's policy: ``allowed``; ``refused`` (external collaboration off: ``POST
    /invitations`` answers 403); ``silent`` (Graph never answers it: the client's timeout must end it)."""

    calls: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    archived: set[str] = field(default_factory=set)
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)  # channel -> file name -> content
    guests: Literal["allowed", "refused", "silent"] = "allowed"
    invited: dict[str, str] = field(default_factory=dict)  # address (lower case) -> guest's object id
    keep_in: set[str] = field(default_factory=set)  # object ids whose removal from a channel answers 403
    team_members: dict[str, list[str]] = field(default_factory=dict)  # object id -> roles in the team
    release: asyncio.Event = field(default_factory=asyncio.Event)  # ends a ``silent`` wait at close
    server: TestServer | None = None
    token: str = "graph-token"
    drive: str = "b!oakPrimarySenTeamDrive"

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/v1.0/"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/v1.0/{path:.*}", self._route)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        self.release.set()
        if self.server is not None:
            await self.server.close()

    def guest_calls(self) -> list[tuple[str, str, dict[str, Any] | None]]:
        """The invitation and the team's membership calls (channel calls are in ``calls`` too)."""
        return [c for c in self.calls if c[1] == "invitations" or re.fullmatch(r"teams/[^/]+/members", c[1])]

    async def _invite(self, body: dict[str, Any]) -> web.Response:
        """``POST /invitations`` as Graph answers it: 201 and the invitation, its ``invitedUser``."""
        if not body.get("invitedUserEmailAddress") or not body.get("inviteRedirectUrl"):
            return web.json_response({"error": {"code": "BadRequest"}}, status=400)
        if self.guests == "silent":
            await self.release.wait()
            return web.json_response({"error": {"code": "GatewayTimeout"}}, status=504)
        if self.guests == "refused":
            return web.json_response(
                {
                    "error": {
                        "code": "Authorization_RequestDenied",
                        "message": "Guest invitations not allowed for your company.",
                    }
                },
                status=403,
            )
        address = str(body["invitedUserEmailAddress"]).lower()
        user = self.invited.setdefault(address, f"c0ffee00-0000-4000-8000-{len(self.invited) + 1:012d}")
        answer = {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#invitations/$entity",
            "id": f"invitation-{user}",
            "inviteRedeemUrl": "https://login.microsoftonline.com/redeem?rd=https%3a%2f%2finvitations",
            "invitedUserDisplayName": body.get("invitedUserDisplayName"),
            "invitedUserType": "Guest",
            "invitedUserEmailAddress": body["invitedUserEmailAddress"],
            "sendInvitationMessage": bool(body.get("sendInvitationMessage")),
            "resetRedemption": False,
            "inviteRedirectUrl": body["inviteRedirectUrl"],
            "status": "PendingAcceptance",
            "invitedUserMessageInfo": {
                "messageLanguage": None,
                "ccRecipients": [],
                "customizedMessageBody": None,
            },
            "invitedUser": {"id": user},
        }
        return web.json_response(answer, status=201)

    async def _team_member(self, body: dict[str, Any]) -> web.Response:
        """``POST /teams/{team}/members``: a guest may be neither an owner nor a plain member."""
        user = _user(body)
        roles = list(body.get("roles") or [])
        if body.get("@odata.type") != "#microsoft.graph.aadUserConversationMember":
            return web.json_response({"error": {"code": "BadRequest"}}, status=400)
        if user in self.invited.values() and roles != ["guest"]:
            return web.json_response({"error": {"code": "BadRequest"}}, status=400)
        if user in self.team_members:
            return web.json_response({"error": {"code": "Conflict"}}, status=409)
        self.team_members[user] = roles
        member = {
            "@odata.type": "#microsoft.graph.aadUserConversationMember",
            "id": f"tm-{user}",
            "roles": roles,
            "userId": user,
        }
        return web.json_response(member, status=201)

    async def _route(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        path = request.match_info["path"]
        if path.startswith("drives/"):
            return await self._upload(request, path)
        body = await request.json() if request.can_read_body else None
        self.calls.append((request.method, path, body))
        if request.method == "POST" and body is None:  # Graph answers a body-less create with 400
            return web.json_response({"error": {"code": "BadRequest"}}, status=400)
        if path == "invitations" and request.method == "POST":
            return await self._invite(body)
        parts = path.split("/")  # teams/{team}/channels[/{channel}[/members[/{id}]|/archive]]
        if parts[2:] == ["members"] and request.method == "POST":
            return await self._team_member(body)
        if request.method == "POST" and len(parts) == 3:
            if any(c["displayName"] == body["displayName"] for c in self.channels.values()):
                return web.json_response({"error": {"code": "NameAlreadyExists"}}, status=409)
            channel_id = f"19:private{len(self.channels) + 1:03d}@thread.tacv2"
            self.channels[channel_id] = body
            self.members[channel_id] = [_user(m) for m in body["members"]]
            return web.json_response({"id": channel_id, **body}, status=201)
        channel_id = parts[3]
        if channel_id not in self.channels:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        if parts[4:] == ["members"] and request.method == "POST":
            if _user(body) in self.invited.values() and _user(body) not in self.team_members:
                return web.json_response({"error": {"code": "BadRequest"}}, status=400)  # not in the team
            if _user(body) in self.members[channel_id]:
                return web.json_response({"error": {"code": "Conflict"}}, status=409)
            self.members[channel_id].append(_user(body))
            return web.json_response({"id": f"m-{_user(body)}"}, status=201)
        if parts[4:] == ["members"]:
            value = [{"id": f"m-{u}", "userId": u} for u in self.members[channel_id]]
            return web.json_response({"value": value})
        if len(parts) == 6 and request.method == "DELETE":
            if parts[5][2:] in self.keep_in:  # e.g. the app's permission to manage members was revoked
                denied = {"code": "Forbidden", "message": "Insufficient privileges to complete it."}
                return web.json_response({"error": denied}, status=403)
            self.members[channel_id].remove(parts[5][2:])
            return web.Response(status=204)
        if len(parts) == 4 and request.method == "PATCH":
            self.channels[channel_id].update(body or {})
            return web.Response(status=204)
        if parts[4:] == ["archive"]:
            self.archived.add(channel_id)
            return web.Response(status=202)
        if parts[4:] == ["filesFolder"] and request.method == "GET":
            return web.json_response(
                {
                    "id": f"folder-{channel_id}",
                    "name": self.channels[channel_id]["displayName"],
                    "parentReference": {"driveId": self.drive, "driveType": "documentLibrary"},
                    "folder": {"childCount": len(self.files.get(channel_id, {}))},
                }
            )
        return web.json_response({"error": {"code": "BadRequest"}}, status=400)

    async def _upload(self, request: web.Request, path: str) -> web.Response:
        """``PUT drives/{drive}/items/{folder}:/{name}:/content``: the simple upload of a new file."""
        match = re.fullmatch(r"drives/([^/]+)/items/folder-([^/]+):/(.+):/content", path)
        if request.method != "PUT" or match is None or match.group(1) != self.drive:
            return web.json_response({"error": {"code": "itemNotFound"}}, status=404)
        channel_id, name = match.group(2), match.group(3)
        if channel_id not in self.channels:
            return web.json_response({"error": {"code": "itemNotFound"}}, status=404)
        content = await request.read()
        self.calls.append(("PUT", path, None))
        self.files.setdefault(channel_id, {})[name] = content
        url = f"https://oakprimary.sharepoint.com/sites/SENteam-{channel_id[3:13]}/Shared%20Documents/{name}"
        return web.json_response({"id": f"item-{name}", "name": name, "size": len(content), "webUrl": url})


def _user(member: dict[str, Any]) -> str:
    return str(member["user@odata.bind"]).split("'")[1]


def message(
    who: str, text: str, *, service_url: str, room: str | None = None, n: itertools.count[int] | None = None
) -> dict[str, Any]:
    """A message as Teams posts it: to the bot in a 1:1 chat, or @mentioning it in a channel ``room``.

    ``@handle`` in ``text`` becomes a Teams @mention of that person.
    """
    person = PEOPLE[who]
    activity = recorded("channel_message_invite" if room else "personal_message")
    activity.pop("attachments", None)
    activity_id = str(next(n) if n else 1789370000001)
    entities: list[dict[str, Any]] = []

    def at(match: re.Match[str]) -> str:
        other = PEOPLE.get(match.group(1))
        if other is None:
            return match.group(0)
        entities.append(
            {
                "type": "mention",
                "text": f"<at>{other.name}</at>",
                "mentioned": {"id": other.id, "name": other.name},
            }
        )
        return f"<at>{other.name}</at>"

    body = re.sub(r"@(\w+)", at, text).replace('"', "&quot;")
    if room:
        entities.insert(
            0, {"type": "mention", "text": "<at>TAC Bot</at>", "mentioned": {"id": BOT_ID, "name": "TAC Bot"}}
        )
        body = f"<at>TAC Bot</at> {body}"
        conversation = room if ";" in room else f"{room};messageid={activity_id}"
        activity["conversation"] = {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": conversation,
        }
    else:
        activity["conversation"] = {
            "conversationType": "personal",
            "tenantId": TENANT,
            "id": f"a:1{who}PersonalChat",
        }
    activity.update(id=activity_id, serviceUrl=service_url, text=body, entities=entities)
    activity["from"] = {"id": person.id, "name": person.name, "aadObjectId": person.aad}
    return activity


def submit(who: str, data: dict[str, Any], *, service_url: str) -> dict[str, Any]:
    """An Action.Submit pressed in the 1:1 chat: Teams posts a message whose ``value`` is the data."""
    activity = recorded("card_submit")
    person = PEOPLE[who]
    activity["from"] = {"id": person.id, "name": person.name, "aadObjectId": person.aad}
    activity["conversation"]["id"] = f"a:1{who}PersonalChat"
    activity.update(serviceUrl=service_url, value=data)
    return activity


def dumps(activity: dict[str, Any]) -> str:
    return json.dumps(activity)
