"""`tacbot senco|dsl add|list|remove`: who is a SENCO, and who a Designated Safeguarding Lead, per school
(``--school``) or of every school; audited (``senco.added``, ``dsl.removed``...)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any

from bot.cli_policy import school_id_of
from bot.settings import Settings, parse_person_id

SCOPE = "<platform>:<workspace id>, e.g. slack:T0123 (default: every school)"


@dataclass(frozen=True)
class _Role:
    command: str  # senco, dsl
    title: str  # SENCO, DSL
    help: str

    @property
    def model(self) -> Any:
        from storage.models import Dsl, Senco

        return Senco if self.command == "senco" else Dsl


ROLES = {
    "senco": _Role("senco", "SENCO", "who is a SENCO, per school"),
    "dsl": _Role("dsl", "DSL", "who is a Designated Safeguarding Lead, per school (and TACBOT_DSL)"),
}


def add_parser(sub: Any) -> None:
    """The `senco` and `dsl` subcommands (``sub`` is the top-level subparsers action)."""
    for role in ROLES.values():
        parser = sub.add_parser(role.command, help=role.help)
        role_sub = parser.add_subparsers(
            dest="role_command", required=True, metavar=f"<{role.command} command>"
        )
        add = role_sub.add_parser("add", help=f"name a {role.title}, e.g. slack:U0123ABC")
        add.add_argument("person", help="<platform>:<user id>")
        add.add_argument("--school", help=SCOPE)
        listing = role_sub.add_parser("list", help=f"the {role.title}s, and of which school")
        listing.add_argument("--school", help="only those of this school, <platform>:<workspace id>")
        remove = role_sub.add_parser("remove", help=f"take the {role.title} role away")
        remove.add_argument("person", help="<platform>:<user id>")
        remove.add_argument(
            "--school", help=SCOPE.replace("every school", f"every school they are {role.title} of")
        )


def senco_command(settings: Settings, args: argparse.Namespace) -> int:
    """`tacbot senco ...` and `tacbot dsl ...` (``args.command`` says which)."""
    from bot.app import open_database

    role = ROLES[args.command]
    db = open_database(settings)
    try:
        with db.transaction() as s:
            if args.role_command == "add":
                print(_add(s, role, args.person, args.school))
            elif args.role_command == "list":
                print(_list(s, role, args.school, settings))
            else:
                print(_remove(s, role, args.person, args.school, settings))
        return 0
    except ValueError as exc:
        print(f"tacbot: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _now() -> Any:
    from handlers.clock import SystemClock

    return SystemClock().now()


def _add(s: Any, role: _Role, text: str, school: str | None) -> str:
    from storage.repo import people

    platform, user_id = parse_person_id(text)
    person = people.get_or_create_person(
        s, platform=platform, external_id=user_id, display_name="", now=_now()
    )
    school_id = school_id_of(s, school, create=True)
    where = f"of {school}" if school else "of every school"
    added = people.add_senco(
        s,
        person=person,
        school_id=school_id,
        added_by=f"tacbot {role.command} add",
        now=_now(),
        role=role.model,
    )
    if added:
        return f"{text} is now a {role.title} {where}."
    return f"{text} was already a {role.title} {where}."


def _list(s: Any, role: _Role, school: str | None, settings: Settings) -> str:
    from storage.repo import people

    rows = people.sencos(s, school_id=school_id_of(s, school, create=False), role=role.model)
    lines = [
        f"{p.platform}:{p.external_id}  "
        f"{f'{sch.platform}:{sch.external_id}' if sch else 'every school'}  "
        f"added {row.added_at:%Y-%m-%d} by {row.added_by or 'unknown'}"
        for p, sch, row in rows
    ]
    if role.command == "dsl":
        lines += [
            f"{platform}:{user}  every school  TACBOT_DSL"
            for platform, user in settings.dsl_ids
            if school is None or school.partition(":")[0] == platform
        ]
    if not lines:
        return (
            f"No {role.title}s yet: name one with "
            f"`tacbot {role.command} add <platform>:<user id> [--school ...]`."
        )
    return "\n".join(lines)


def _remove(s: Any, role: _Role, text: str, school: str | None, settings: Settings) -> str:
    from storage.repo import people

    platform, user_id = parse_person_id(text)
    person = people.find_person(s, platform=platform, external_id=user_id)
    school_id = school_id_of(s, school, create=False)
    removed = (
        0
        if person is None
        else people.remove_senco(
            s,
            person=person,
            school_id=school_id,
            removed_by=f"tacbot {role.command} remove",
            now=_now(),
            role=role.model,
        )
    )
    if removed:
        return f"{text} is no longer a {role.title} {f'of {school}' if school else 'anywhere'}."
    if (
        person is not None
        and school_id is not None
        and people.is_senco(s, person_id=person.id, school_id=school_id, role=role.model)
    ):
        raise ValueError(
            f"{text} is a {role.title} of every school (named without --school): remove them without --school"
        )
    if role.command == "dsl" and (platform, user_id) in settings.dsl_ids:
        raise ValueError(f"{text} is a DSL of every school through TACBOT_DSL: take them out of it")
    raise ValueError(f"{text} is not a {role.title}{f' of {school}' if school else ''}")
