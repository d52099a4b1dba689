"""`tacbot services load|list|example`: the school's service directory, schema-checked, audited."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.settings import Settings


def add_parser(sub: Any) -> None:
    """The `services` subcommands (``sub`` is the top-level subparsers action)."""
    svc = sub.add_parser("services", help="the school's service directory, for `services` and `refer`")
    svc_sub = svc.add_subparsers(dest="services_command", required=True, metavar="<services command>")
    scope = "<platform>:<workspace id>, e.g. slack:T0123 (default: every school)"
    load = svc_sub.add_parser("load", help="load a directory file (YAML); it replaces the one loaded before")
    load.add_argument("file", type=Path, help="the directory, e.g. services.yaml")
    load.add_argument("--school", help=scope)
    listing = svc_sub.add_parser("list", help="the services loaded")
    listing.add_argument("--school", help=scope)
    svc_sub.add_parser("example", help="print the example directory that ships with TAC Bot")


def services_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import open_database
    from bot.cli_policy import school_id_of
    from handlers.directory.load import EXAMPLE, DirectoryError, read_directory, store_directory
    from storage.repo import services as repo

    if args.services_command == "example":
        print(EXAMPLE.read_text("utf-8"), end="")
        return 0
    try:
        entries = read_directory(args.file) if args.services_command == "load" else ()
    except DirectoryError as exc:
        print(f"tacbot: the directory was not loaded: {exc}", file=sys.stderr)
        return 2
    db = open_database(settings)
    try:
        with db.transaction() as s:
            if args.services_command == "load":
                school_id = school_id_of(s, args.school, create=True)
                now = datetime.now(UTC)
                store_directory(s, school_id=school_id, entries=entries, now=now, by="tacbot services load")
                print(f"Loaded {len(entries)} services for {args.school or 'every school'}.")
                return 0
            school_id = school_id_of(s, args.school, create=False)
            found = repo.directory(s, school_id=school_id) if school_id is not None else repo.shared(s)
            for service in found:
                print(f"{service.key:<20} {service.name} ({service.scope})")
            if not found:
                print("No services loaded: `tacbot services load <file.yaml>`.")
        return 0
    except ValueError as exc:
        print(f"tacbot: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
