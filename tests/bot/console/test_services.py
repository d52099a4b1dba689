"""`services` and `service <name>`: the school's directory, as anyone in the school sees it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.console.session import ConsoleBot
from storage.models import Person
from tests.directory import load_example

pytestmark = pytest.mark.asyncio


async def test_without_a_directory_people_are_told_how_one_is_loaded(bot: ConsoleBot) -> None:
    assert "tacbot services load" in await bot.exec("tom", "/tac services")
    assert "no service directory yet" in await bot.exec("tom", "/tac service eps")


async def test_anyone_lists_the_directory_and_reads_one_service(bot: ConsoleBot) -> None:
    load_example(bot.core.db)
    listing = await bot.exec("priya", "/tac services")
    assert "County Educational Psychology Service (eps) · education · wait about 12 weeks" in listing
    shown = await bot.exec("jo", "/tac service eps")
    for label in ("Remit", "Who is eligible", "How to refer", "Typical wait", "Cost to the school", "Beyond"):
        assert label in shown
    assert "£520 a day" in shown and "refer eps" in shown
    assert "Early Help Hub" in await bot.exec("jo", "/tac service early help hub")
    assert "CAMHS" in await bot.exec("jo", '/tac service "camhs"')
    assert "Community Paediatrics" in await bot.exec("jo", "/tac service paediatrics")


async def test_an_unknown_service_is_refused_with_a_suggestion(bot: ConsoleBot) -> None:
    load_example(bot.core.db)
    assert "Did you mean service salt?" in await bot.exec("tom", "/tac service slat")
    refused = await bot.exec("tom", "/tac service Therapy")  # in more than one name: not a guess
    assert "There is no service called Therapy" in refused and "The directory has: " in refused
    assert "not a person" in await bot.exec("tom", "/tac service @anna")


async def test_invite_suggests_the_agency_from_the_directory(bot: ConsoleBot) -> None:
    load_example(bot.core.db)
    await bot.exec("sam", "/tac open Robin")
    await bot.exec("sam", '/tac consent given by "Jo Taylor" scope all', room="tac-0001")
    invited = await bot.exec("sam", "/tac invite @priya speech-and-language-therapist", room="tac-0001")
    assert "From the school's directory: agency \"NHS Children's Speech and Language Therapy\"" in invited
    named = await bot.exec(
        "sam", '/tac invite @anna educational-psychologist agency "County EPS"', room="tac-0001"
    )
    assert "From the school's directory" not in named
    assert "From the school's directory" not in await bot.exec(
        "sam", "/tac invite @tom class-teacher", room="tac-0001"
    )


async def test_a_refused_lookup_writes_nothing(bot: ConsoleBot) -> None:
    def people() -> int:
        with bot.core.db.transaction() as s:
            return int(s.scalar(select(func.count()).select_from(Person)) or 0)

    before = people()
    assert "no service directory yet" in await bot.exec("dan", "/tac service given owner")
    assert people() == before  # not even the asker's first record
