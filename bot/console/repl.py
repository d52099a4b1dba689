"""`tacbot console`: chat with the bot in a terminal as anyone in the simulated school."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TextIO

from bot.console.forms import ask_questions
from bot.console.platform import ConsolePlatform, Delivery
from bot.console.school import BY_HANDLE, PEOPLE, SENCO
from bot.console.session import ConsoleBot
from handlers.core import Core

HELP = """Type /tac commands (the /tac is optional). Mention people as @handle.
  :as <handle>     type as someone else        :in <room>   type in a case room (e.g. :in tac-0001)
  :dm              type in your DM with the bot :who         the people of this school
  :rooms           the rooms and who is in them :quit        leave
  :form <n>        open form request n (its Open form button) and answer its questions one by one
                   (in a form: :back goes back a question, :draft saves, :cancel stops keeping a draft)"""


def show_delivery(out: TextIO) -> Callable[[Delivery], None]:
    def show(delivery: Delivery) -> None:
        where = f"#{delivery.room}" if delivery.room else f"DM to @{delivery.user}"
        out.write(f"\n[{where}] TAC Bot:\n{_indent(delivery.text)}\n")

    return show


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


async def run_repl(
    core: Core,
    platform: ConsolePlatform,
    *,
    as_handle: str = SENCO,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> int:
    bot = ConsoleBot(core=core, platform=platform)
    who, room = as_handle, None
    out.write("TAC Bot console. " + HELP + "\n")
    while True:
        out.write(f"\n{who}@{'#' + room if room else 'dm'}> ")
        out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            out.write("\n")
            return 0
        line = line.strip()
        if not line:
            continue
        if line.startswith(":"):
            word, _, arg = line[1:].partition(" ")
            arg = arg.strip().lstrip("@#")
            if word in ("quit", "q", "exit"):
                return 0
            if word == "as":
                if arg in BY_HANDLE:
                    who = arg
                else:
                    out.write(
                        f"No @{arg} in this school; try one of {', '.join('@' + h for h in BY_HANDLE)}.\n"
                    )
            elif word == "in":
                if platform.room_by_name(arg):
                    room = arg
                else:
                    names = ", ".join("#" + r.name for r in platform.rooms.values()) or "none yet"
                    out.write(f"No room #{arg}. Rooms: {names}.\n")
            elif word == "form" and arg:

                async def read(prompt: str) -> str:
                    out.write(prompt)
                    out.flush()
                    return str(await asyncio.to_thread(stdin.readline))

                out.write(_indent(await ask_questions(core, bot.actor(who), arg, read, out.write)) + "\n")
            elif word == "dm":
                room = None
            elif word == "who":
                out.write("\n".join(f"  @{p.handle:6} {p.name}, {p.job}" for p in PEOPLE) + "\n")
            elif word == "rooms":
                for r in platform.rooms.values():
                    state = " (archived)" if r.archived else ""
                    out.write(f"  #{r.name}{state}: {', '.join('@' + m for m in sorted(r.members))}\n")
            else:
                out.write(HELP + "\n")
            continue
        if room is not None:
            sim = platform.room_by_name(room)
            if sim is not None and who not in sim.members:
                out.write(f"@{who} is not in #{room}; they cannot type there.\n")
                continue
        text = await bot.exec(who, line, room=room)
        out.write(f"(only you can see this)\n{_indent(text)}\n")
