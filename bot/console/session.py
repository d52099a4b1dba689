"""Drive the bot as people of the simulated school: the REPL, the demo and the tests all use this."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.console.forms import fill_in, form_request_ids
from bot.console.platform import ConsolePlatform, Delivery
from bot.console.render import render
from bot.console.school import BY_HANDLE, SCHOOL
from handlers.core import Core
from handlers.dispatch import handle, handle_interaction
from handlers.model import Actor, Command, Interaction
from handlers.replies import Reply

_MENTION = re.compile(r"(?<![\w<@])@([A-Za-z0-9][A-Za-z0-9_.\-]*)")


def console_actor(handle_: str) -> Actor:
    """Someone of the simulated school, as the handlers see them."""
    person = BY_HANDLE.get(handle_)
    return Actor(
        platform="console", workspace=SCHOOL, user_id=handle_, display_name=person.name if person else ""
    )


def to_command(handle_: str, text: str, *, room_id: str | None) -> Command:
    """Console input -> the neutral command (pure): `@anna` becomes the canonical mention `<@anna>`."""
    text = text.strip()
    if text.lower().startswith("/tac"):
        text = text[4:]
    actor = console_actor(handle_)
    names = {h: p.name for h, p in BY_HANDLE.items()}
    return Command(actor=actor, text=_MENTION.sub(r"<@\1>", text), room_id=room_id, names=names)


@dataclass
class ConsoleBot:
    """Type commands as anyone, anywhere; read back what they and everyone else were sent."""

    core: Core
    platform: ConsolePlatform
    replies: list[tuple[str, Reply]] = field(default_factory=list)
    on_reply: Callable[[str, Reply], None] | None = None  # told each reply as it comes (the demo prints)

    def room_id(self, room: str | None) -> str | None:
        if room is None:
            return None
        found = self.platform.room_by_name(room.lstrip("#"))
        return found.id if found else f"unknown:{room}"

    async def exec(self, handle_: str, text: str, *, room: str | None = None) -> str:
        """Run one command as ``handle_`` (in ``room``, a room name, or a DM); return the reply's text."""
        command = to_command(handle_, text, room_id=self.room_id(room))
        reply = await handle(self.core, command)
        self._replied(handle_, reply)
        return render(reply)

    async def press(
        self,
        handle_: str,
        action: str,
        value: str = "",
        *,
        room: str | None = None,
        inputs: dict[str, str] | None = None,
    ) -> str:
        """Press a button the bot sent, as ``handle_``; return the reply's text."""
        interaction = Interaction(
            actor=console_actor(handle_),
            action=action,
            value=value,
            room_id=self.room_id(room),
            inputs=dict(inputs or {}),
        )
        reply = await handle_interaction(self.core, interaction)
        self._replied(handle_, reply)
        return render(reply)

    def replied(self, handle_: str, reply: Reply) -> None:
        """Record (and tell ``on_reply``) a reply someone got outside a command, e.g. a scripted form."""
        self._replied(handle_, reply)

    def _replied(self, handle_: str, reply: Reply) -> None:
        self.replies.append((handle_, reply))
        if self.on_reply is not None:
            self.on_reply(handle_, reply)

    def form_requests(self, user: str) -> list[str]:
        """The request ids of the forms the bot sent ``user`` (their *Open form* buttons), oldest first."""
        return form_request_ids([d.reply for d in self.sent_to(user=user)])

    async def fill_form(self, handle_: str, request_id: str, answers: dict[str, object]) -> str:
        """Open and submit a requested form as ``handle_``, as the REPL's questions would."""
        return await fill_in(self.core, self.actor(handle_), request_id, answers)

    def actor(self, handle_: str) -> Actor:
        return console_actor(handle_)

    def sent_to(self, *, room: str | None = None, user: str | None = None) -> list[Delivery]:
        return [
            d
            for d in self.platform.deliveries
            if (room is None or d.room == room) and (user is None or d.user == user)
        ]
