"""Remember every person, room and tenant the bot meets, as serialised ConversationReferences."""

from __future__ import annotations

import json
from contextvars import ContextVar
from datetime import datetime

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference

from handlers.outside import guests
from storage.engine import Database
from storage.repo import conversations

PLATFORM = "teams"
CHANNEL = "msteams"

# The Teams user whose message is being handled (the owner of a private channel it creates).
acting_user: ContextVar[str | None] = ContextVar("teams_acting_user", default=None)


def dump(reference: ConversationReference) -> str:
    return json.dumps(reference.serialize(), sort_keys=True)


def load(text: str) -> ConversationReference:
    reference: ConversationReference = ConversationReference.deserialize(json.loads(text))
    return reference


def tenant(activity: Activity) -> str:
    conversation = activity.conversation
    found = conversation.tenant_id if conversation else None
    if not found and isinstance(activity.channel_data, dict):
        found = (activity.channel_data.get("tenant") or {}).get("id")
    return str(found or "")


class References:
    """The ``conversation_refs`` rows for Teams: short transactions, never held across an await."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def remember(self, activity: Activity, *, now: datetime) -> None:
        """Store the tenant's service reference, the sender, and the room (or 1:1 chat) it came from."""
        reference = TurnContext.get_conversation_reference(activity)
        text = dump(reference)
        workspace = tenant(activity)
        personal = (activity.conversation.conversation_type or "personal") == "personal"
        sender = activity.from_property
        with self.db.transaction() as s:
            conversations.save_ref(
                s,
                platform=PLATFORM,
                workspace=workspace,
                kind="service",
                key=workspace,
                reference=text,
                now=now,
            )
            if sender is not None and sender.id and activity.type != "conversationUpdate":
                conversations.save_ref(
                    s,
                    platform=PLATFORM,
                    workspace=workspace,
                    kind="user",
                    key=sender.id,
                    reference=text if personal else None,
                    name=sender.name or "",
                    directory_id=sender.aad_object_id,
                    now=now,
                )
            if not personal:
                conversations.save_ref(
                    s,
                    platform=PLATFORM,
                    workspace=workspace,
                    kind="room",
                    key=activity.conversation.id,
                    reference=text,
                    now=now,
                )

    def remember_user(
        self, *, workspace: str, user_id: str, name: str, directory_id: str | None, now: datetime
    ) -> None:
        with self.db.transaction() as s:
            conversations.save_ref(
                s,
                platform=PLATFORM,
                workspace=workspace,
                kind="user",
                key=user_id,
                name=name,
                directory_id=directory_id,
                now=now,
            )

    def remember_conversation(
        self,
        *,
        workspace: str,
        kind: str,
        key: str,
        reference: ConversationReference,
        now: datetime,
        name: str = "",
    ) -> None:
        with self.db.transaction() as s:
            conversations.save_ref(
                s,
                platform=PLATFORM,
                workspace=workspace,
                kind=kind,
                key=key,
                reference=dump(reference),
                name=name,
                now=now,
            )

    def remember_guest(
        self, *, workspace: str, room_id: str, person: str, directory_id: str, now: datetime
    ) -> None:
        """The guest account (Entra object id) of the external member ``person`` (``ext.`` id) TAC Bot asked
        into a case channel (``invite external``): when Teams then tells of them joining it, they are on
        the team, not someone added by hand (``is_guest``); `remove` takes that account out again. Kept
        with the room's own reference, so a case's subject access export and erasure take it too."""
        with self.db.transaction() as s:
            guests.remember(
                s,
                platform=PLATFORM,
                workspace=workspace,
                room_id=room_id,
                person=person,
                user_id=directory_id.lower(),
                now=now,
            )

    def is_guest(self, *, room_id: str, directory_id: str) -> bool:
        with self.db.transaction() as s:
            return guests.is_guest(s, platform=PLATFORM, room_id=room_id, user_id=directory_id)

    def reference(self, *, kind: str, key: str) -> ConversationReference | None:
        with self.db.transaction() as s:
            row = conversations.get_ref(s, platform=PLATFORM, kind=kind, key=key)
            text = row.reference if row is not None else None
        return load(text) if text else None

    def user(self, user_id: str, *, kind: str = "user") -> tuple[str, str | None] | None:
        """(name, Entra object id) of a Teams user the bot has met or seen mentioned (or of a room)."""
        with self.db.transaction() as s:
            row = conversations.get_ref(s, platform=PLATFORM, kind=kind, key=user_id)
            return (row.name, row.directory_id) if row is not None else None

    def service(self, *, workspace: str, default_url: str, bot_id: str) -> ConversationReference:
        """Where to reach a tenant: its last seen reference, or the configured service URL."""
        known = self.reference(kind="service", key=workspace)
        if known is not None and known.service_url:
            return known
        return ConversationReference(
            channel_id=CHANNEL,
            service_url=default_url,
            bot=ChannelAccount(id=bot_id),
            conversation=ConversationAccount(tenant_id=workspace),
        )
