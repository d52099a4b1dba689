"""The platform as the use cases see it: a member outside the workspace is reached by e-mail.

``Core.platform`` hands out a ``Routed`` platform. A direct message to an ``ext.`` id is queued as an
e-mail (``handlers.outside.outbox``) from the message's ``MailNote``, never from its text; adding to a
room leaves them out (they are not in the workspace: Slack Connect and Teams guests are invited apart, by
``handlers.outside.invite``), and taking them out of one removes the guest account they joined with
(``handlers.outside.guests``). Everything else goes to the real platform untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from handlers.outside.ids import is_external
from handlers.platform import ChatPlatform
from handlers.replies import Reply

if TYPE_CHECKING:
    from handlers.core import Core


class Routed:
    def __init__(self, platform: ChatPlatform, *, core: Core, name: str) -> None:
        self._platform = platform
        self._core = core
        self.name = name

    def __getattr__(self, attr: str) -> Any:  # a platform's own extras (e.g. Slack's modal opening)
        return getattr(self._platform, attr)

    async def create_private_room(self, *, workspace: str, name: str, topic: str) -> str:
        return await self._platform.create_private_room(workspace=workspace, name=name, topic=topic)

    async def add_members(self, *, workspace: str, room_id: str, user_ids: list[str]) -> None:
        inside = [u for u in user_ids if not is_external(u)]
        if inside:
            await self._platform.add_members(workspace=workspace, room_id=room_id, user_ids=inside)

    async def remove_member(self, *, workspace: str, room_id: str, user_id: str) -> None:
        if not is_external(user_id):
            await self._platform.remove_member(workspace=workspace, room_id=room_id, user_id=user_id)
            return
        await self._remove_guest(workspace=workspace, room_id=room_id, person=user_id)

    async def _remove_guest(self, *, workspace: str, room_id: str, person: str) -> None:
        """An external member asked into the room (a Teams guest, a Slack Connect member) is taken out
        through the platform's optional ``remove_guest``, then forgotten; one asked in who never joined is
        just forgotten (should they accept later, the room guard takes them out as anyone else). A refusal
        (``PlatformError``) keeps the link, for ``room_guard.reconcile_rooms`` to try again."""
        from handlers.outside import guests

        with self._core.db.transaction() as s:
            guest = guests.user_of(s, platform=self.name, room_id=room_id, person=person)
        remove_guest = getattr(self._platform, "remove_guest", None)
        if guest and remove_guest is not None:
            await remove_guest(workspace=workspace, room_id=room_id, person=person, user_id=guest)
        with self._core.db.transaction() as s:
            guests.forget(s, platform=self.name, room_id=room_id, person=person)

    async def archive_room(self, *, workspace: str, room_id: str) -> None:
        await self._platform.archive_room(workspace=workspace, room_id=room_id)

    async def set_topic(self, *, workspace: str, room_id: str, topic: str) -> None:
        await self._platform.set_topic(workspace=workspace, room_id=room_id, topic=topic)

    async def unarchive_room(self, *, workspace: str, room_id: str) -> None:
        await self._platform.unarchive_room(workspace=workspace, room_id=room_id)

    async def post(self, *, workspace: str, room_id: str, reply: Reply) -> None:
        await self._platform.post(workspace=workspace, room_id=room_id, reply=reply)

    async def direct_message(self, *, workspace: str, user_id: str, reply: Reply) -> None:
        if not is_external(user_id):
            await self._platform.direct_message(workspace=workspace, user_id=user_id, reply=reply)
            return
        from handlers.outside.outbox import queue_reply

        queue_reply(self._core, platform=self.name, user_id=user_id, reply=reply)

    async def upload_file(
        self, *, workspace: str, room_id: str, filename: str, content: bytes, title: str
    ) -> None:
        await self._platform.upload_file(
            workspace=workspace, room_id=room_id, filename=filename, content=content, title=title
        )

    async def user_name(self, *, workspace: str, user_id: str) -> str | None:
        if is_external(user_id):
            return None  # named by the quoted name they were invited with (``handlers.outside.names``)
        return await self._platform.user_name(workspace=workspace, user_id=user_id)
