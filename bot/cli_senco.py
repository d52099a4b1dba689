"""`tacbot senco add|list|remove`: who is a SENCO, per school (``--school``) or of every school; audited."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli_policy import school_id_of
from bot.settings import Settings, parse_person_id

SCOPE = "<platform>:<workspace id>, e.g. slack:T0123 (default: every school)"


def add_parser(sub: Any) -> None:
    """The `senco` subcommands (``sub`` is the top-level subparsers action)."""
    senco = sub.add_parser("senco", help="who is a SENCO, per school")
    senco_sub = senco.add_subparsers(dest="senco_command", required=True, metavar="<senco command>")
    add = senco_sub.add_parser("add", help="name a SENCO, e.g. slack:U0123ABC")
    add.add_argument("person", help="<platform>:<user id>")
    add.add_argument("--school", help=SCOPE)
    listing = senco_sub.add_parser("list", help="the SENCOs, and of which school")
    listing.add_argument("--school", help="only those of this school, <platform>:<workspace id>")
    remove = senco_sub.add_parser("remove", help="take the SENCO role away")
    remove.add_argument("person", help="<platform>:<user id>")
    remove.add_argument("--school", help=SCOPE.replace("every school", "every school they are SENCO of"))


def senco_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import open_database

    db = open_database(settings)
    try:
        with db.transaction() as s:
            if args.senco_command == "add":
                print(_add(s, args.person, args.school))
            elif args.senco_command == "list":
                print(_list(s, args.school))
            else:
                print(_remove(s, args.person, args.school))
        return 0
    except ValueError as exc:
        print(f"tacbot: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _now() -> Any:
    from handlers.clock import SystemClock

    return SystemClock().now()


def _add(s: Any, text: str, school: str | None) -> str:
    from storage.repo import people

    platform, user_id = parse_person_id(text)
    person = people.get_or_create_person(
        s, platform=platform, external_id=user_id, display_name="", now=_now()
    )
    school_id = school_id_of(s, school, create=True)
    where = f"of {school}" if school else "of every school"
    if people.add_senco(s, person=person, school_id=school_id, added_by="tacbot senco add", now=_now()):
        return f"{text} is now a SENCO {where}."
    return f"{text} was already a SENCO {where}."


def _list(s: Any, school: str | None) -> str:
    from storage.repo import people

    rows = people.sencos(s, school_id=school_id_of(s, school, create=False))
    if not rows:
        return "No SENCOs yet: name one with `tacbot senco add <platform>:<user id> [--school ...]`."
    return "\n".join(
        f"{p.platform}:{p.external_id}  "
        f"{f'{sch.platform}:{sch.external_id}' if sch else 'every school'}  "
        f"added {sen.added_at:%Y-%m-%d} by {sen.added_by or 'unknown'}"
        for p, sch, sen in rows
    )


def _remove(s: Any, text: str, school: str | None) -> str:
    from storage.repo import people

    platform, user_id = parse_person_id(text)
    person = people.find_person(s, platform=platform, external_id=user_id)
    school_id = school_id_of(s, school, create=False)
    removed = (
        0
        if person is None
        else people.remove_senco(
            s, person=person, school_id=school_id, removed_by="tacbot senco remove", now=_now()
        )
    )
    if removed:
        return f"{text} is no longer a SENCO {f'of {school}' if school else 'anywhere'}."
    if (
        person is not None
        and school_id is not None
        and people.is_senco(s, person_id=person.id, school_id=school_id)
    ):
        raise ValueError(
            f"{text} is a SENCO of every school (named without --school): remove them without --school"
        )
    raise ValueError(f"{text} is not a SENCO{f' of {school}' if school else ''}")
