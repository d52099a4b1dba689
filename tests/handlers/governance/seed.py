"""Two pupils' cases seeded through the use cases (the console, the forms, the reminder clock), and a
walker that finds, through every table's foreign keys (reflected from the database), each row that
concerns one case: the independent check of the subject access export and of erasure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session

from bot.app import add_sencos
from bot.console.platform import ConsolePlatform
from bot.console.session import ConsoleBot
from handlers.chasing.delivery import run_due
from handlers.clock import ManualClock
from handlers.core import Core
from storage import migrate
from storage.crypto import DataCipher, new_key
from storage.engine import Database
from tests.bot.console.test_forms import EP
from tests.directory import load_example
from tests.handlers.chasing.helpers import at

SKIP = {"alembic_version"}


@dataclass(frozen=True, slots=True)
class Pupil:
    alias: str
    room: str
    marker: str  # text only this pupil's records hold
    name: str
    upn: str


ROBIN = Pupil("Robin", "tac-0001", "Quokka-marker-A", "Robin Alderney Taylor", "A123456789012")
ASH = Pupil("Ash", "tac-0002", "Narwhal-marker-B", "Ash Bexley Moor", "B123456789012")


async def seed_case(bot: ConsoleBot, p: Pupil) -> None:
    r = p.room
    if p is ROBIN:
        load_example(bot.core.db)  # the service directory, for `refer`
    assert "Opened" in await bot.exec("sam", f"/tac open {p.alias} year 4"), p
    await bot.exec("sam", f'/tac consent given by "Parent of {p.marker}" scope all', room=r)
    await bot.exec("sam", "/tac invite @anna educational-psychologist", room=r)
    await bot.exec("sam", "/tac invite @tom class-teacher", room=r)
    await bot.exec("sam", "/tac request ep-advice from @anna", room=r)
    rid = bot.form_requests("anna")[-1]
    await bot.fill_form("anna", rid, {**EP, "strengths": f"Strengths of {p.marker}"})
    await bot.fill_form("anna", rid, {**EP, "strengths": f"Strengths (v2) of {p.marker}"})
    await bot.exec("sam", f'/tac share input 1 reason "for the review of {p.marker}"', room=r)
    await bot.exec("sam", "/tac request teacher-input from @tom", room=r)
    from handlers.forms import api

    await bot.press("tom", "form.open", bot.form_requests("tom")[-1])
    api.save_draft(
        bot.core, bot.actor("tom"), bot.form_requests("tom")[-1], {"strengths": f"Draft {p.marker}"}
    )
    opened = await bot.exec("sam", "/tac pupil details", room=r)
    assert "[Open form]" in opened
    details = [v for who, rep in bot.replies if who == "sam" for v in _form_ids(rep)][-1]
    await bot.fill_form("sam", details, {"full_name": p.name, "date_of_birth": "2017-03-04", "upn": p.upn})
    await bot.exec("sam", f'/tac outcome add "{p.alias} reads aloud ({p.marker})"', room=r)
    await bot.exec("sam", f'/tac action add "Phonics {p.marker}" owner @tom due 2026-09-28 outcome 1', room=r)
    assert "Recorded referral 1" in await bot.exec(
        "sam", f'/tac refer salt reason "Speech ({p.marker})"', room=r
    )
    await bot.exec("sam", "/tac update family", room=r)
    await bot.exec("sam", "/tac review poll 20/10 14:30, 22/10 09:00", room=r)
    await bot.exec("tom", "/tac status", room=r)
    await bot.exec("tom", "/tac plan", room=r)
    await bot.exec("sam", "/tac plan export", room=r)


def _form_ids(reply: object) -> list[str]:
    from bot.console.forms import form_request_ids
    from handlers.replies import Reply

    return form_request_ids([reply]) if isinstance(reply, Reply) else []


async def seed_two(bot: ConsoleBot, clock: ManualClock) -> None:
    bot.core.cipher = bot.core.cipher or DataCipher(new_key())
    await seed_case(bot, ROBIN)
    await seed_case(bot, ASH)
    for p in (ROBIN, ASH):  # answer the polls, then fix the meeting and record it
        poll = [d for d in bot.sent_to(user="tom") if "[Can]" in d.text][-1 if p is ASH else 0]
        review_id = next(b.buttons[0].value.split(":")[0] for b in poll.reply.blocks if hasattr(b, "buttons"))
        await bot.press("tom", "poll.can", f"{review_id}:1")
        await bot.exec("sam", "/tac review pick 1", room=p.room)
    clock.set(at(2026, 9, 28, 9))
    await run_due(bot.core, now=clock.now())
    clock.set(at(2026, 10, 20, 16))
    for p in (ROBIN, ASH):
        await bot.exec(
            "sam", f'/tac review record attendees @tom decided "Agreed for {p.marker}"', room=p.room
        )


def concerning(s: Session, case_id: int) -> dict[str, set[object]]:
    """Per table, the primary keys of the rows that concern the case: ``cases`` itself, then every row
    with a foreign key to a row that concerns it (to a fixpoint), and the room's conversation reference."""
    meta = MetaData()
    meta.reflect(bind=s.connection())
    found: dict[str, set[object]] = {name: set() for name in meta.tables if name not in SKIP}
    found["cases"] = {case_id}
    rooms = meta.tables["rooms"]
    refs = meta.tables["conversation_refs"]
    changed = True
    while changed:
        changed = False
        for name, table in meta.tables.items():
            if name in SKIP or name == "cases":
                continue
            for fk in table.foreign_keys:
                target = fk.column.table.name
                ids = found.get(target, set())
                if not ids:
                    continue
                key = next(iter(table.primary_key.columns))
                new = set(s.scalars(select(key).where(fk.parent.in_(list(ids))))) - found[name]
                if new:
                    found[name] |= new
                    changed = True
    keys = [k for k in s.scalars(select(rooms.c.external_id).where(rooms.c.case_id == case_id)) if k]
    if keys:
        found["conversation_refs"] |= set(
            s.scalars(select(refs.c.id).where(refs.c.kind == "room", refs.c.key.in_(keys)))
        )
    return found


def tables_in_schema(s: Session) -> set[str]:
    meta = MetaData()
    meta.reflect(bind=s.connection())
    return set(meta.tables) - SKIP


def ids(rows: Iterable[dict[str, object]]) -> set[object]:
    return {r["id"] for r in rows}


def file_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> tuple[ConsoleBot, Database]:
    """A migrated SQLite file that the CLI (``DATABASE_URL``, ``TACBOT_DATA_KEY``) opens too, and a console
    bot on it whose SENCO is @sam: for tests that seed through the bot, then run `tacbot ...`."""
    url, key = f"sqlite:///{tmp_path / name}", new_key()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TACBOT_DATA_KEY", key)
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    clock = ManualClock(datetime(2026, 9, 14, 8, 30, tzinfo=UTC))
    platform = ConsolePlatform()
    core = Core(db=db, clock=clock, platforms={"console": platform}, cipher=DataCipher(key))
    add_sencos(db, [("console", "sam")], clock=clock, added_by="tests")
    return ConsoleBot(core=core, platform=platform), db
