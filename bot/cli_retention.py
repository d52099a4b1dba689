"""`tacbot retention run|erase` and `tacbot erasure request|approve|list`: keeping records no longer than
the school's retention period, and erasing earlier only with a second person's approval."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.settings import Settings, parse_person_id

SCHOOL = "<platform>:<workspace id> when several schools have that reference"


def add_parsers(sub: Any) -> None:
    ret = sub.add_parser("retention", help="cases past their retention period, and erasing them")
    ret_sub = ret.add_subparsers(dest="retention_command", required=True, metavar="<retention command>")
    run = ret_sub.add_parser("run", help="list the cases due for erasure, and DM them to the SENCOs and DSLs")
    run.add_argument("--now", help="the instant, ISO 8601 (local time of TACBOT_TIMEZONE if no offset)")
    erase = ret_sub.add_parser("erase", help="erase one listed case for good, leaving an audit tombstone")
    erase.add_argument("reference", help="the case, e.g. TAC-0007")
    erase.add_argument("--approved-by", required=True, help="who approved the erasure")
    erase.add_argument("--school", help=SCHOOL)
    era = sub.add_parser("erasure", help="erasure before retention ends: a request, then a second approval")
    era_sub = era.add_subparsers(dest="erasure_command", required=True, metavar="<erasure command>")
    req = era_sub.add_parser("request", help="record a request to erase a case early")
    req.add_argument("reference", help="the case, e.g. TAC-0007")
    req.add_argument("--reason", required=True, help="why (no personal data: it outlives nothing)")
    req.add_argument("--requested-by", required=True, help="who asks")
    req.add_argument("--school", help=SCHOOL)
    app = era_sub.add_parser("approve", help="a second person approves a request: the case is erased")
    app.add_argument("request", type=int, help="the request's number (`tacbot erasure list`)")
    app.add_argument("--approved-by", required=True, help="who approves (not who asked)")
    app.add_argument(
        "--no-legal-hold", action="store_true", help="confirm that no retention duty or legal hold applies"
    )
    era_sub.add_parser("list", help="the erasure requests and what became of them")


def retention_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_core
    from bot.cli_reminders import parse_instant
    from handlers.clock import ManualClock
    from handlers.errors import TacBotError
    from handlers.governance.erasure import (
        approve_erasure,
        notify_retention,
        request_erasure,
        retention_erase,
    )

    try:
        now = parse_instant(getattr(args, "now", None), settings=settings)
    except ValueError:
        print(f"tacbot: `{args.now}` is not an ISO date and time, e.g. 2026-09-14T09:00", file=sys.stderr)
        return 2
    core = build_core(settings, clock=ManualClock(now))
    try:
        school = parse_person_id(args.school) if getattr(args, "school", None) else None
        if args.command == "retention" and args.retention_command == "run":
            due = asyncio.run(notify_retention(core, now=now))
            for d in due:
                print(f"{d.reference}: {d.why}")
            print(
                f"{len(due)} cases to review for erasure." if due else "No case is past its retention period."
            )
        elif args.command == "retention":
            removed = retention_erase(
                core, reference=args.reference, school=school, approved_by=args.approved_by, now=now
            )
            print(_erased(args.reference, removed))
        elif args.erasure_command == "request":
            row = request_erasure(
                core,
                reference=args.reference,
                school=school,
                reason=args.reason,
                requested_by=args.requested_by,
                now=now,
            )
            print(
                f"Erasure request {row.id} for {row.reference} recorded. A second person approves it with "
                f'`tacbot erasure approve {row.id} --approved-by "<name>" --no-legal-hold`.'
            )
        elif args.erasure_command == "approve":
            reference, removed = approve_erasure(
                core,
                request_id=args.request,
                approved_by=args.approved_by,
                no_hold=args.no_legal_hold,
                now=now,
            )
            print(_erased(reference, removed))
        else:
            _list(core)
        return 0
    except (TacBotError, ValueError) as exc:
        print(f"tacbot: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    finally:
        core.db.dispose()


def _erased(reference: str, removed: dict[str, int]) -> str:
    rows = sum(removed.values())
    return (
        f"{reference.upper()} erased: {rows} rows removed; its audit rows redacted, a tombstone recorded.\n"
        "The case room stays archived on the chat platform: delete it there, with the files in it."
    )


def _list(core: Any) -> None:
    from sqlalchemy import select

    from storage.models import ErasureRequest

    with core.db.transaction() as s:
        rows = s.scalars(select(ErasureRequest).order_by(ErasureRequest.id)).all()
        for r in rows:
            decided = f", approved by {r.approved_by} {r.decided_at:%Y-%m-%d}" if r.decided_at else ""
            asked = f"asked by {r.requested_by} {r.requested_at:%Y-%m-%d}"
            print(f"{r.id}. {r.reference}: {r.state}, {asked}{decided}")
        if not rows:
            print("No erasure requests.")
