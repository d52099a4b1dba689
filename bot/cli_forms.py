"""`tacbot forms load|list|remove`: a school's own input forms, checked like the built-in ones, audited
(``form.loaded``, ``form.removed``). The built-in forms and ``TACBOT_FORMS_DIR`` are every school's."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.settings import Settings

SCHOOL = "<platform>:<workspace id>, e.g. slack:T0123"


def add_parser(sub: Any) -> None:
    """The `forms` subcommands (``sub`` is the top-level subparsers action)."""
    forms = sub.add_parser("forms", help="a school's own input forms")
    forms_sub = forms.add_subparsers(dest="forms_command", required=True, metavar="<forms command>")
    load = forms_sub.add_parser("load", help="check and keep a school's own form(s); a broken one: none kept")
    load.add_argument("path", type=Path, help="a form file (<id>.yaml) or a folder of them")
    load.add_argument("--school", required=True, help=SCHOOL)
    listing = forms_sub.add_parser("list", help="the forms: built-in, of every school, each school's own")
    listing.add_argument("--school", help=f"only what this school sees, {SCHOOL}")
    remove = forms_sub.add_parser("remove", help="stop offering a school's form (requests made stay)")
    remove.add_argument("form_id", help="the form's id")
    remove.add_argument("--school", required=True, help=SCHOOL)


def forms_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import open_database
    from handlers.forms.library import FormDefinitionError, FormLibrary, form_files

    try:
        base = FormLibrary.load(settings.forms_dir or None)
        files: list[tuple[str, str]] = []
        if args.forms_command == "load":
            paths = form_files(args.path) if args.path.is_dir() else [args.path]
            files = [(p.name, _read(p)) for p in paths]
    except FormDefinitionError as exc:
        print(f"tacbot: nothing was loaded: {exc}", file=sys.stderr)
        return 2
    db = open_database(settings)
    try:
        with db.transaction() as s:
            if args.forms_command == "load":
                print(_load(s, base, args.school, files))
            elif args.forms_command == "list":
                print(_list(s, base, args.school))
            else:
                print(_remove(s, base, args.school, args.form_id))
        return 0
    except FormDefinitionError as exc:
        print(f"tacbot: nothing was loaded: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"tacbot: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _read(path: Path) -> str:
    from handlers.forms.library import FormDefinitionError

    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(f"{path.name}: cannot be read: {exc}") from None


def _load(s: Any, base: Any, school: str, files: list[tuple[str, str]]) -> str:
    from bot.cli_policy import school_id_of
    from handlers.forms.schools import load_own

    school_id = school_id_of(s, school, create=True)
    assert school_id is not None
    now = datetime.now(UTC)
    loaded = load_own(s, base, school_id=school_id, files=files, by="tacbot forms load", now=now)
    return "\n".join(
        f"{form.id}: {'loaded' if changed else 'unchanged'} for {school} ({form.title})"
        for form, changed in loaded
    )


def _list(s: Any, base: Any, school: str | None) -> str:
    from sqlalchemy import select

    from bot.cli_policy import school_id_of
    from handlers.forms.library import BUILTIN_IDS
    from storage.models import School
    from storage.repo import school_forms

    school_id = school_id_of(s, school, create=False)
    lines = [
        f"{form.id}  {'built-in' if form.id in BUILTIN_IDS else 'every school'}"
        f"{'  (internal)' if form.internal else ''}  {form.title}"
        for form in sorted(base.values(), key=lambda f: f.id)
    ]
    schools = {sch.id: f"{sch.platform}:{sch.external_id}" for sch in s.scalars(select(School))}
    for row in school_forms.listed(s, school_id=school_id):
        removed = f"  (removed {row.removed_at:%Y-%m-%d})" if row.removed_at else ""
        lines.append(f"{row.form_id}  {schools[row.school_id]}{removed}  loaded {row.loaded_at:%Y-%m-%d}")
    return "\n".join(lines)


def _remove(s: Any, base: Any, school: str, form_id: str) -> str:
    from bot.cli_policy import school_id_of
    from storage.repo import school_forms

    school_id = school_id_of(s, school, create=False)
    assert school_id is not None
    if form_id in base:
        raise ValueError(
            f"{form_id} is a form of every school (built-in or TACBOT_FORMS_DIR), not {school}'s"
        )
    if not school_forms.remove(
        s, school_id=school_id, form_id=form_id, by="tacbot forms remove", now=datetime.now(UTC)
    ):
        raise ValueError(f"{school} has no form {form_id} to remove (`tacbot forms list --school {school}`)")
    return f"{form_id} is no longer offered in {school}; inputs already requested with it stay open."
