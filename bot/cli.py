"""`tacbot`: serve, console, demo, db, senco, dsl, forms, calendar, policy, reminders, teams, slack..."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli_forms import add_parser as add_forms_parser
from bot.cli_governance import add_parsers as add_governance_parsers
from bot.cli_policy import add_parser as add_policy_parser
from bot.cli_retention import add_parsers as add_retention_parsers
from bot.cli_senco import add_parser as add_senco_parser
from bot.cli_services import add_parser as add_services_parser
from bot.logs import configure_logging
from bot.logsafe import level_for
from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tacbot", description="TAC Bot: run the Team Around the Child in chat.")
    sub = p.add_subparsers(dest="command", required=True, metavar="<command>")
    serve = sub.add_parser("serve", help="run the service (HTTP endpoints and the reminder clock)")
    serve.add_argument("--no-scheduler", action="store_true", help="do not run the reminder clock here")
    console = sub.add_parser("console", help="chat with the bot locally, no Slack or Teams needed")
    console.add_argument("--as", dest="as_handle", default="sam", help="who you type as (default: sam)")
    sub.add_parser("demo", help="play a whole case in simulated time and print the conversation")
    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="<db command>")
    db_sub.add_parser("upgrade", help="apply migrations")
    add_senco_parser(sub)
    cal = sub.add_parser("calendar", help="the school calendar: holiday ranges when no reminder goes out")
    cal_sub = cal.add_subparsers(dest="calendar_command", required=True, metavar="<calendar command>")
    hol = cal_sub.add_parser("holiday", help="school holiday ranges")
    hol_sub = hol.add_subparsers(dest="holiday_command", required=True, metavar="<holiday command>")
    hol_add = hol_sub.add_parser("add", help="add a holiday range, e.g. 2026-10-26 2026-10-30 Half term")
    hol_add.add_argument("first", help="first day (2026-10-26 or 26/10/2026)")
    hol_add.add_argument("last", help="last day, inclusive")
    hol_add.add_argument("name", nargs="*", help="a name, e.g. Half term")
    hol_add.add_argument("--school", help="only for this school, <platform>:<workspace id> (default: all)")
    cal_sub.add_parser("holidays", help="list the school holiday ranges")
    rem = sub.add_parser("reminders", help="reminder commands")
    rem_sub = rem.add_subparsers(dest="reminders_command", required=True, metavar="<reminders command>")
    run_due = rem_sub.add_parser("run-due", help="send every reminder due at that instant, once, and exit")
    run_due.add_argument("--now", help="the instant, ISO 8601 (local time of TACBOT_TIMEZONE if no offset)")
    teams = sub.add_parser("teams", help="Microsoft Teams commands")
    teams_sub = teams.add_subparsers(dest="teams_command", required=True, metavar="<teams command>")
    package = teams_sub.add_parser(
        "package", help="build the Teams app package (manifest and icons) to upload"
    )
    package.add_argument(
        "--out", default="tacbot-teams.zip", help="the zip to write (default: tacbot-teams.zip)"
    )
    package.add_argument("--app-id", help="the bot's Microsoft app id (default: MICROSOFT_APP_ID)")
    package.add_argument(
        "--domain", help="the host name TAC Bot is served from (the manifest's validDomains)"
    )
    slack = sub.add_parser("slack", help="Slack set-up")
    slack_sub = slack.add_subparsers(dest="slack_command", required=True, metavar="<slack command>")
    manifest = slack_sub.add_parser("manifest", help="print the Slack app manifest for your public address")
    manifest.add_argument("--url", required=True, help="where `tacbot serve` is reachable, https://host")
    manifest.add_argument(
        "--many-workspaces",
        action="store_true",
        help="for installs through OAuth (the default when SLACK_CLIENT_ID is set): the redirect URL too",
    )
    add_policy_parser(sub)
    add_services_parser(sub)
    add_forms_parser(sub)
    add_governance_parsers(sub)
    add_retention_parsers(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    quiet = args.command in (
        "demo",
        "console",
        "db",
        "senco",
        "dsl",
        "calendar",
        "reminders",
        "teams",
        "slack",
        "policy",
        "services",
        "forms",
        "audit",
        "data",
        "export",
        "retention",
        "erasure",
    )
    try:
        settings = Settings()
        configured = level_for(settings.log_level, production=settings.production)
    except Exception as exc:  # pydantic's validation error, DEBUG in production: shown without a traceback
        print(f"tacbot: bad configuration: {exc}", file=sys.stderr)
        return 2
    configure_logging(fmt=settings.log_format, level=logging.WARNING if quiet else configured)
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from handlers.forms.library import FormDefinitionError
    from handlers.outside.config import MailConfigError
    from storage.crypto import DataKeyError

    try:
        return _run(args, settings)
    except FormDefinitionError as exc:
        print(f"tacbot: a form is broken, so TAC Bot will not start: {exc}", file=sys.stderr)
        return 2
    except (DataKeyError, MailConfigError) as exc:
        print(f"tacbot: {exc}", file=sys.stderr)
        return 2
    except (DBAPIError, ArgumentError) as exc:
        print(f"tacbot: {database_problem(settings.database_url, exc)}", file=sys.stderr)
        return 2


def database_problem(url: str, exc: Exception) -> str:
    """One line saying which database could not be used and why (no password, no traceback)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:
        shown = "DATABASE_URL"
    reason = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    first = next((line.strip() for line in str(reason).splitlines() if line.strip()), type(reason).__name__)
    return f"cannot use the database {shown} ({first}). Check DATABASE_URL and that the server is up."


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "demo":
        from bot.console.demo import run_demo

        return asyncio.run(run_demo(sys.stdout))
    if args.command == "db":
        from bot.app import open_database
        from storage import migrate

        db = open_database(settings)
        print(f"Database is at revision {migrate.current_revision(db.engine)}.")
        db.dispose()
        return 0
    if args.command in ("senco", "dsl"):
        from bot.cli_senco import senco_command

        return senco_command(settings, args)
    if args.command == "calendar":
        from bot.cli_reminders import calendar_command

        return calendar_command(settings, args)
    if args.command == "policy":
        from bot.cli_policy import policy_command

        return policy_command(settings, args)
    if args.command == "forms":
        from bot.cli_forms import forms_command

        return forms_command(settings, args)
    if args.command == "services":
        from bot.cli_services import services_command

        return services_command(settings, args)
    if args.command in ("audit", "data", "export"):
        from bot.cli_governance import audit_command, data_command, export_command

        command = {"audit": audit_command, "data": data_command, "export": export_command}[args.command]
        return command(settings, args)
    if args.command in ("retention", "erasure"):
        from bot.cli_retention import retention_command

        return retention_command(settings, args)
    if args.command == "reminders":
        from bot.cli_reminders import run_due_command

        return run_due_command(settings, args.now)
    if args.command == "teams":
        from bot.teams.cli import package

        return package(settings, out=args.out, app_id=args.app_id, domain=args.domain)
    if args.command == "console":
        return _console(settings, args.as_handle)
    if args.command == "slack":
        from bot.slack.manifest import manifest_for

        many = args.many_workspaces or bool(settings.slack_client_id)
        print(manifest_for(args.url, many_workspaces=many), end="")
        return 0
    if args.command == "serve":
        from bot.cli_serve import serve

        return serve(settings, scheduler=not args.no_scheduler)
    return 2


def _console(settings: Settings, as_handle: str) -> int:
    from bot.app import add_sencos, build_core
    from bot.console.platform import ConsolePlatform
    from bot.console.repl import run_repl, show_delivery
    from bot.console.school import BY_HANDLE, DSL, SENCO
    from handlers.clock import SystemClock

    if as_handle not in BY_HANDLE:
        print(
            f"tacbot: no @{as_handle} in the console school; try one of {', '.join(BY_HANDLE)}",
            file=sys.stderr,
        )
        return 2
    platform = ConsolePlatform(on_delivery=show_delivery(sys.stdout), export_dir=Path.cwd() / "tacbot-files")
    from bot.mail.printed import PrintedMailer

    printed = None if settings.smtp_host else PrintedMailer(lambda text: print(text, flush=True))
    core = build_core(settings, platforms={"console": platform}, mailer=printed)  # e-mail: shown, unless SMTP
    core.dsls = (*core.dsls, ("console", DSL))  # the simulated school's Designated Safeguarding Lead
    add_sencos(core.db, [("console", SENCO)], clock=SystemClock(), added_by="console")
    try:
        return asyncio.run(run_repl(core, platform, as_handle=as_handle))
    finally:
        core.db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
