"""The console's chat platform: rooms and DMs in memory, every delivery kept in a transcript."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.console import render
from bot.console.school import BY_HANDLE
from handlers.platform import PlatformError
from handlers.replies import Reply


@dataclass
class SimRoom:
    id: str
    name: str
    topic: str
    members: set[str] = field(default_factory=set)
    archived: bool = False


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message the bot sent: to a room (``room``) or a person (``user``)."""

    room: str | None
    user: str | None
    reply: Reply
    files: tuple[tuple[str, bytes], ...] = ()  # (file name, content) uploaded or attached

    @property
    def text(self) -> str:
        return render.render(self.reply)


class ConsolePlatform:
    """Implements ``handlers.platform.ChatPlatform`` for the simulated school."""

    name = "console"

    def __init__(
        self, *, on_delivery: Callable[[Delivery], None] | None = None, export_dir: Path | None = None
    ) -> None:
        self.export_dir = export_dir  # where files are written; None keeps them in the transcript only
        self.rooms: dict[str, SimRoom] = {}
        self.deliveries: list[Delivery] = []
        self.on_delivery = on_delivery
        self.fail_next: dict[str, str] = {}  # method -> user-safe error, for trying failure paths

    def _maybe_fail(self, method: str) -> None:
        message = self.fail_next.pop(method, None)
        if message is not None:
            raise PlatformError(message)

    def _deliver(self, delivery: Delivery) -> None:
        if self.export_dir is not None:
            self.export_dir.mkdir(parents=True, exist_ok=True)
            for name, content in delivery.files:
                (self.export_dir / Path(name).name).write_bytes(content)
        self.deliveries.append(delivery)
        if self.on_delivery is not None:
            self.on_delivery(delivery)

    def room_by_name(self, name: str) -> SimRoom | None:
        return next((r for r in self.rooms.values() if r.name == name), None)

    async def create_private_room(self, *, workspace: str, name: str, topic: str) -> str:
        self._maybe_fail("create_private_room")
        final, n = name, 1
        while self.room_by_name(final) is not None:
            n += 1
            final = f"{name}-{n}"
        room = SimRoom(id=f"R{len(self.rooms) + 1:04d}", name=final, topic=topic)
        self.rooms[room.id] = room
        return room.id

    def _room(self, room_id: str) -> SimRoom:
        room = self.rooms.get(room_id)
        if room is None:
            raise PlatformError("That room no longer exists.")
        if room.archived:
            raise PlatformError("That room is archived.")
        return room

    async def add_members(self, *, workspace: str, room_id: str, user_ids: list[str]) -> None:
        self._maybe_fail("add_members")
        room = self._room(room_id)
        for user_id in user_ids:
            if user_id not in BY_HANDLE:
                raise PlatformError(f"There is no @{user_id} in this school.")
            room.members.add(user_id)

    async def remove_member(self, *, workspace: str, room_id: str, user_id: str) -> None:
        self._room(room_id).members.discard(user_id)

    async def archive_room(self, *, workspace: str, room_id: str) -> None:
        self._room(room_id).archived = True

    async def set_topic(self, *, workspace: str, room_id: str, topic: str) -> None:
        self._maybe_fail("set_topic")
        self._room(room_id).topic = topic

    async def unarchive_room(self, *, workspace: str, room_id: str) -> None:
        self._maybe_fail("unarchive_room")
        room = self.rooms.get(room_id)
        if room is None:
            raise PlatformError("That room no longer exists.")
        room.archived = False

    async def post(self, *, workspace: str, room_id: str, reply: Reply) -> None:
        self._maybe_fail("post")
        room = self._room(room_id)
        files = tuple((a.filename, a.content) for a in reply.attachments)
        self._deliver(Delivery(room=room.name, user=None, reply=reply, files=files))

    async def direct_message(self, *, workspace: str, user_id: str, reply: Reply) -> None:
        self._maybe_fail("direct_message")
        if user_id not in BY_HANDLE:
            raise PlatformError(f"There is no @{user_id} in this school.")
        files = tuple((a.filename, a.content) for a in reply.attachments)
        self._deliver(Delivery(room=None, user=user_id, reply=reply, files=files))

    async def upload_file(
        self, *, workspace: str, room_id: str, filename: str, content: bytes, title: str
    ) -> None:
        self._maybe_fail("upload_file")
        room = self._room(room_id)
        where = f" (saved in {self.export_dir})" if self.export_dir is not None else ""
        notice = Reply.text(f"Uploaded {filename}: ", title, where, private=False)
        self._deliver(Delivery(room=room.name, user=None, reply=notice, files=((filename, content),)))

    async def user_name(self, *, workspace: str, user_id: str) -> str | None:
        person = BY_HANDLE.get(user_id)
        return person.name if person else None
