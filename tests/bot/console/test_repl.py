"""`tacbot console`: typing as different people in rooms and DMs."""

from __future__ import annotations

import io

from bot.console.platform import ConsolePlatform
from bot.console.repl import run_repl, show_delivery
from handlers.core import Core


async def test_a_session_in_the_console(core: Core) -> None:
    out = io.StringIO()
    platform = core.platforms["console"]
    assert isinstance(platform, ConsolePlatform)
    platform.on_delivery = show_delivery(out)
    script = "\n".join(
        [
            "/tac open Robin",
            ":in tac-0001",
            'consent given by "Jo Taylor"',
            "invite @tom class-teacher",
            ":as dan",
            "status",
            ":as tom",
            "status",
            ":rooms",
            ":quit",
        ]
    )
    assert await run_repl(core, platform, stdin=io.StringIO(script + "\n"), out=out) == 0
    text = out.getvalue()
    assert "Opened case TAC-0001 (Robin)" in text
    assert "[#tac-0001] TAC Bot:" in text and "@tom joined the team" in text
    assert "@dan is not in #tac-0001" in text
    assert "Status of TAC-0001 (Robin)" in text
    assert "#tac-0001: @sam, @tom" in text


async def test_unknown_people_and_rooms_are_answered_not_ignored(core: Core) -> None:
    stdin = io.StringIO(":as nobody\n:in tac-0099\n")
    out = io.StringIO()
    platform = core.platforms["console"]
    assert isinstance(platform, ConsolePlatform)
    assert await run_repl(core, platform, stdin=stdin, out=out) == 0
    text = out.getvalue()
    assert "No @nobody in this school; try one of @sam" in text
    assert "No room #tac-0099. Rooms: none yet." in text
