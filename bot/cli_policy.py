"""`tacbot policy show|set|reset`: a school's overrides of the chasing policy's defaults, audited."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from bot.settings import Settings, parse_person_id


def add_parser(sub: Any) -> None:
    """The `policy` subcommands (``sub`` is the top-level subparsers action)."""
    pol = sub.add_parser("policy", help="the chasing policy: when reminders go out, per school")
    pol_sub = pol.add_subparsers(dest="policy_command", required=True, metavar="<policy command>")
    scope = "<platform>:<workspace id>, e.g. slack:T0123 (default: every school)"
    show = pol_sub.add_parser("show", help="the effective values, marking the overridden ones")
    show.add_argument("--school", help=scope)
    put = pol_sub.add_parser("set", help="override values, e.g. repeat_school_days=5 ehc_chaser_weeks=4,5")
    put.add_argument("values", nargs="+", help="<key>=<value>; a list is comma-separated")
    put.add_argument("--school", help=scope)
    reset = pol_sub.add_parser("reset", help="back to the defaults (the given keys, or every key)")
    reset.add_argument("keys", nargs="*", help="the keys to reset (default: all)")
    reset.add_argument("--school", help=scope)


def policy_command(settings: Settings, args: argparse.Namespace) -> int:
    """Show, set or reset the policy of one school (``--school``) or of every school."""
    from bot.app import open_database
    from scheduler.policy import PolicyError

    db = open_database(settings)
    try:
        with db.transaction() as s:
            if args.policy_command == "show":
                print(_show(s, args.school))
            elif args.policy_command == "set":
                print(_set(s, args.school, args.values))
            else:
                print(_reset(s, args.school, args.keys))
        return 0
    except (PolicyError, ValueError) as exc:
        print(f"tacbot: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def school_id_of(s: Any, school: str | None, *, create: bool) -> int | None:
    """The school's id (None for every school); ValueError when a school to show is unknown."""
    from sqlalchemy import select

    from storage.models import School
    from storage.repo import people

    if not school:
        return None
    platform, workspace = parse_person_id(school)
    if create:
        now = datetime.now(UTC)
        return people.get_or_create_school(s, platform=platform, external_id=workspace, now=now).id
    found = s.scalars(
        select(School.id).where(School.platform == platform, School.external_id == workspace)
    ).first()
    if found is None:
        raise ValueError(f"no school {school} yet: it appears when the bot is first used there")
    return int(found)


def _show(s: Any, school: str | None) -> str:
    from scheduler.policy import SETTINGS, as_json, effective
    from storage.repo import policies as repo

    school_id = school_id_of(s, school, create=False)
    layers = repo.layers(s, school_ids=[] if school_id is None else [school_id])
    policy = effective(layers, school_id=school_id)
    own, shared = layers.get(school_id, {}), layers.get(None, {}) if school_id is not None else {}
    lines = [f"Chasing policy for {school or 'every school'} (* set here, + set for every school):"]
    for setting in SETTINGS:
        value = as_json(setting.key, getattr(policy, setting.key))
        shown = ",".join(map(str, value)) if isinstance(value, list) else str(value)
        mark = "*" if setting.key in own else "+" if setting.key in shared else " "
        lines.append(f"{mark} {setting.key:<26} {shown:<6} {setting.meaning} [{setting.source}]")
    return "\n".join(lines)


def _set(s: Any, school: str | None, pairs: list[str]) -> str:
    from scheduler.policy import DEFAULT, PolicyError, as_json, coerce
    from storage import audit
    from storage.repo import policies as repo

    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep:
            raise PolicyError(f"{pair}: write <key>=<value>")
        values[key.strip()] = as_json(key.strip(), coerce(key.strip(), text))
    school_id = school_id_of(s, school, create=True)
    layers = repo.layers(s, school_ids=[] if school_id is None else [school_id])
    shared = layers.get(None, {}) if school_id is not None else {}
    # The whole effective policy must hold (e.g. chasers before the due week) before anything is stored:
    # for one school, or, for every school, together with each school's own overrides.
    DEFAULT.overridden({**shared, **layers.get(school_id, {}), **values})
    if school_id is None:
        for other, own in repo.layers(s, school_ids=repo.schools_with_overrides(s)).items():
            if other is not None:
                try:
                    DEFAULT.overridden({**layers.get(None, {}), **values, **own})
                except PolicyError as error:
                    raise PolicyError(f"{error} (with the own settings of school {other})") from None
    now, by = datetime.now(UTC), "tacbot policy set"
    repo.set_overrides(s, school_id=school_id, values=values, now=now, by=by)
    audit.record(s, action="policy.set", at=now, school_id=school_id, values=values, by=by)
    return f"Set for {school or 'every school'}: " + ", ".join(f"{k}={v}" for k, v in values.items())


def _reset(s: Any, school: str | None, keys: list[str]) -> str:
    from scheduler.policy import BY_KEY, DEFAULT, PolicyError
    from storage import audit
    from storage.repo import policies as repo

    for key in keys:
        if key not in BY_KEY:
            raise PolicyError(f"{key}: no such setting (try one of {', '.join(BY_KEY)})")
    school_id = school_id_of(s, school, create=False)
    layers = repo.layers(s, school_ids=[] if school_id is None else [school_id])
    remaining = {k: v for k, v in layers.get(school_id, {}).items() if keys and k not in keys}
    shared = layers.get(None, {}) if school_id is not None else {}
    DEFAULT.overridden({**shared, **remaining})
    now, by = datetime.now(UTC), "tacbot policy reset"
    dropped = repo.reset(s, school_id=school_id, keys=keys or None, now=now, by=by)
    if not dropped:
        return f"Nothing to reset for {school or 'every school'}: it uses the defaults there."
    audit.record(s, action="policy.reset", at=now, school_id=school_id, keys=dropped, by=by)
    return f"Back to the default for {school or 'every school'}: " + ", ".join(dropped)
