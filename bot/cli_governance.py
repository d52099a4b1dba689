"""`tacbot audit verify`, `tacbot data new-key|rotate-key`: the audit chain and the data key."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.settings import Settings, parse_person_id

SCHOOL = "<platform>:<workspace id> when several schools have that reference"


def add_parsers(sub: Any) -> None:
    """The `audit` and `data` subcommands (``sub`` is the top-level subparsers action)."""
    aud = sub.add_parser("audit", help="the audit trail")
    aud_sub = aud.add_subparsers(dest="audit_command", required=True, metavar="<audit command>")
    ver = aud_sub.add_parser(
        "verify", help="check the audit trail's hash chain; exit 1 naming the first bad row"
    )
    ver.add_argument("--head", help="a head hash printed by an earlier run: it must still be in the chain")
    exp = sub.add_parser("export", help="subject access: everything held about one pupil")
    exp_sub = exp.add_subparsers(dest="export_command", required=True, metavar="<export command>")
    pupil = exp_sub.add_parser("pupil", help="a zip of JSON files and one readable PDF, for the DPO")
    pupil.add_argument("reference", help="the case, e.g. TAC-0007")
    pupil.add_argument("--out", required=True, help="the zip to write")
    pupil.add_argument("--school", help=SCHOOL)
    data = sub.add_parser("data", help="the key that encrypts pupil details and tokens (TACBOT_DATA_KEY)")
    data_sub = data.add_subparsers(dest="data_command", required=True, metavar="<data command>")
    data_sub.add_parser("new-key", help="print a fresh key for TACBOT_DATA_KEY")
    data_sub.add_parser(
        "rotate-key", help="re-encrypt every stored value with the first key of TACBOT_DATA_KEY"
    )


def audit_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import open_database
    from storage import audit

    db = open_database(settings)
    try:
        with db.transaction() as s:
            verdict = audit.verify(s, head=args.head)
    finally:
        db.dispose()
    if not verdict.ok:
        print(f"tacbot: the audit trail is NOT intact: {verdict.problem}", file=sys.stderr)
        print(f"{verdict.count} rows before it verified.", file=sys.stderr)
        return 1
    print(f"The audit trail is intact: {verdict.count} rows verified. Head: {verdict.head}")
    return 0


def data_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import data_cipher, open_database
    from storage.crypto import new_key
    from storage.repo import sealed

    if args.data_command == "new-key":
        print(new_key())
        return 0
    cipher = data_cipher(settings)
    if cipher is None:
        print("tacbot: TACBOT_DATA_KEY is not set: there is nothing to rotate to", file=sys.stderr)
        return 2
    db = open_database(settings)
    try:
        with db.transaction() as s:
            count = sealed.rotate_all(s, cipher=cipher)
    finally:
        db.dispose()
    print(f"Re-encrypted {count} stored values with the first key of TACBOT_DATA_KEY.")
    return 0


def export_command(settings: Settings, args: argparse.Namespace) -> int:
    """`tacbot export pupil <ref> --out <zip>`."""
    from pathlib import Path

    from bot.app import data_cipher, open_database
    from handlers.clock import SystemClock
    from handlers.errors import TacBotError
    from handlers.forms.library import FormLibrary
    from handlers.governance.operator import export_pupil

    db = open_database(settings)
    try:
        school = parse_person_id(args.school) if args.school else None
        reference, content = export_pupil(
            db,
            reference=args.reference,
            school=school,
            cipher=data_cipher(settings),
            forms=FormLibrary.load(settings.forms_dir or None),
            tz=settings.tz,
            now=SystemClock().now(),
            by="tacbot export pupil",
        )
    except (TacBotError, ValueError) as exc:
        print(f"tacbot: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    out = Path(args.out)
    out.write_bytes(content)
    out.chmod(0o600)
    print(f"Wrote the subject access export of {reference} to {out} ({len(content)} bytes).")
    print("Before release, the DPO reviews what it says of third parties (third-parties.json).")
    return 0
