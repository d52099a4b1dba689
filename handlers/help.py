"""Use case: `help [command]`, and the usage shown with every usage error."""

from __future__ import annotations

import difflib

from handlers.core import Ask
from handlers.errors import UnknownCommand
from handlers.grammar import commands as c
from handlers.grammar.parser import KNOWN
from handlers.grammar.usage import USAGES, usage_for
from handlers.replies import Block, Bullets, Code, Heading, Note, Reply, para, reply


def usage_reply(name: str, message: str, hint: str | None) -> Reply:
    u = usage_for(name)
    blocks: list[Block] = [para(message)]
    if hint:
        blocks.append(para(hint))
    if u is not None:
        blocks.append(para("Usage: ", Code(f"/tac {u.syntax}")))
        blocks.append(para("Example: ", Code(f"/tac {u.example}")))
    return reply(*blocks, summary=message)


async def show_help(ask: Ask, cmd: c.Help) -> Reply:
    if cmd.topic:
        u = usage_for(cmd.topic)
        if u is None:
            match = difflib.get_close_matches(cmd.topic, KNOWN, n=1)
            raise UnknownCommand(cmd.topic, match[0] if match else None)
        return reply(
            Heading(f"/tac {u.name}"),
            para(u.summary.capitalize() + "."),
            para("Usage: ", Code(f"/tac {u.syntax}")),
            para("Example: ", Code(f"/tac {u.example}")),
            Note((f"Who can use it: {u.who}.",)),
            summary=f"Help for {u.name}",
        )
    items = tuple((Code(u.name), f" {u.summary}") for u in USAGES)
    return reply(
        Heading("TAC Bot: the Team Around the Child"),
        Bullets(items),
        Note(
            (
                "In a case room the case is implied; elsewhere add `case TAC-0007`. "
                "`/tac help <command>` shows examples.",
            )
        ),
        summary="TAC Bot help",
    )
