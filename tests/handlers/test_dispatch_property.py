"""Whatever anyone types, anywhere: a reply, never a crash, and a refusal writes nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from bot.app import add_sencos
from bot.console.platform import ConsolePlatform
from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.core import Core
from storage.engine import Database
from storage.models import Base

WORDS = [
    "open",
    "consent",
    "given",
    "withdrawn",
    "by",
    "invite",
    "remove",
    "team",
    "status",
    "cases",
    "define",
    "close",
    "reason",
    "outcome",
    "action",
    "add",
    "done",
    "due",
    "owner",
    "where",
    "cost",
    "help",
    "plan",
    "case",
    "TAC-0001",
    "TAC-0002",
    "year",
    "route",
    "scope",
    "relationship",
    "agency",
    "champion",
    "@anna",
    "@sam",
    "@tom",
    "@nobody",
    "<@U1|x>",
    '"Jo"',
    "“curly”",
    '"',
    "tomorrow",
    "15/12",
    "31/02",
    "parent",
    "health",
    "all",
    "class-teacher",
    "paediatrician",
    "review",
    "forms",
    "<!channel>",
    "1",
]
HANDLES = ["sam", "tom", "anna", "dan", "jo", "ghost"]
ROOMS = [None, "tac-0001", "tac-0002", "random"]


def snapshot(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        return {
            t.name: int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def world(sqlite_engine: Engine) -> Iterator[ConsoleBot]:
    from sqlalchemy.orm import sessionmaker

    connection = sqlite_engine.connect()
    outer = connection.begin()
    db = Database(
        sqlite_engine,
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False),
    )
    clock = ManualClock()
    platform = ConsolePlatform()
    core = Core(db=db, clock=clock, platforms={"console": platform})
    add_sencos(db, [("console", "sam")], clock=clock, added_by="tests")
    try:
        yield ConsoleBot(core=core, platform=platform)
    finally:
        outer.rollback()
        connection.close()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=9),
    who=st.sampled_from(HANDLES),
    room=st.sampled_from(ROOMS),
)
async def test_anything_typed_gets_a_reply_and_refusals_write_nothing(
    world: ConsoleBot, words: list[str], who: str, room: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    if not world.platform.rooms:  # a case for the commands to find
        await world.exec("sam", "/tac open Robin")
        await world.exec("sam", '/tac consent given by "Jo"', room="tac-0001")
    before = snapshot(world.core.db)
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        text = await world.exec(who, " ".join(words), room=room)
    _, reply = world.replies[-1]
    assert text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "an unhandled exception"
    if reply.refused:
        assert snapshot(world.core.db) == before
