"""The school's SEN development priorities, and what specialists offer towards them."""

from __future__ import annotations

import pytest

from bot.console.session import ConsoleBot
from handlers.replies import Buttons

pytestmark = pytest.mark.asyncio


async def test_sencos_add_priorities_and_specialists_offer(bot: ConsoleBot) -> None:
    assert "None yet" in await bot.exec("tom", "/tac priorities")
    assert "Only a SENCO" in await bot.exec("tom", '/tac priority add "x"')
    assert "Added priority 1" in await bot.exec("sam", '/tac priority add "Speech and language in Reception"')
    await bot.exec("sam", '/tac priority add "Calm spaces for pupils with SEMH needs"')
    assert "Asked Priya Shah" in await bot.exec("sam", "/tac priority ask @priya")
    asked = bot.sent_to(user="priya")[-1]
    assert "[Offer towards 1] <What can you offer towards priority 1?>" in asked.text
    buttons = next(b for b in asked.reply.blocks if isinstance(b, Buttons)).buttons
    reply = await bot.press(
        "priya", buttons[0].action, buttons[0].value, inputs={"offer": "Two staff training twilights a year"}
    )
    assert "offer towards priority 1 is recorded" in reply
    assert "Type what you can offer" in await bot.press("priya", buttons[1].action, buttons[1].value)
    listing = await bot.exec("jo", "/tac priority")
    assert "1. Speech and language in Reception" in listing.replace("*", "")
    assert "@priya offers: Two staff training twilights a year" in listing
    assert "Only a SENCO" in await bot.exec("tom", "/tac priority ask @priya")
