"""`tacbot calendar ...` and `tacbot reminders run-due`: the school calendar and one delivery pass."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime

from bot.settings import Settings, parse_person_id
from handlers.platform import ChatPlatform


def _day(text: str, *, settings: Settings) -> date:
    from handlers.grammar.dates import parse_date

    return parse_date(text, today=datetime.now(settings.tz).date())


def calendar_command(settings: Settings, args: argparse.Namespace) -> int:
    """Add or list the school holiday ranges (stored in the database, table ``school_holidays``)."""
    from bot.app import open_database
    from handlers.errors import TacBotError
    from scheduler.calendar import add_holiday, list_holidays
    from storage.repo import people

    db = open_database(settings)
    try:
        if args.calendar_command == "holidays":
            with db.transaction() as s:
                rows = list(list_holidays(s))
                for h in rows:
                    scope = f" (school {h.school_id})" if h.school_id else ""
                    print(f"{h.first_day:%a %d %b %Y} - {h.last_day:%a %d %b %Y}  {h.name}{scope}".rstrip())
            if not rows:
                print(
                    "No school holidays recorded. "
                    "Add one with `tacbot calendar holiday add <from> <to> [name]`."
                )
            return 0
        try:
            first, last = _day(args.first, settings=settings), _day(args.last, settings=settings)
        except TacBotError as error:
            print(f"tacbot: {error.message}", file=sys.stderr)
            return 2
        if last < first:
            print(f"tacbot: {last} is before {first}", file=sys.stderr)
            return 2
        now = datetime.now(UTC)
        with db.transaction() as s:
            school_id = None
            if args.school:
                platform, workspace = parse_person_id(args.school)
                school_id = people.get_or_create_school(
                    s, platform=platform, external_id=workspace, now=now
                ).id
            add_holiday(
                s, first_day=first, last_day=last, name=" ".join(args.name), school_id=school_id, now=now
            )
        print(f"No reminders from {first:%a %d %b %Y} to {last:%a %d %b %Y}.")
        return 0
    except ValueError as exc:
        print(f"tacbot: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def parse_instant(text: str | None, *, settings: Settings) -> datetime:
    """An ISO instant; without an offset it is the school's local time."""
    if not text:
        return datetime.now(UTC)
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=settings.tz)
    return instant.astimezone(UTC)


def run_due_command(
    settings: Settings, now_text: str | None, *, platforms: dict[str, ChatPlatform] | None = None
) -> int:
    """One pass of "send what is due" at ``--now`` (default: the real time), then exit. ``platforms``
    (tests) replaces those the settings turn on."""
    from bot.app import build_core
    from handlers.chasing.delivery import run_due
    from handlers.clock import ManualClock

    try:
        now = parse_instant(now_text, settings=settings)
    except ValueError:
        print(f"tacbot: `{now_text}` is not an ISO date and time, e.g. 2026-09-14T09:00", file=sys.stderr)
        return 2
    core = build_core(settings, clock=ManualClock(now), platforms=platforms)
    try:
        stats = asyncio.run(run_due(core, now=now))
    finally:
        core.db.dispose()
    print(
        f"run-due at {now.astimezone(settings.tz):%a %d %b %Y %H:%M}: {stats.sent} sent, "
        f"{stats.cancelled} no longer needed, {stats.held} held to the next working slot, "
        f"{stats.failed} failed."
    )
    return 0
