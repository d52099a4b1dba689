"""`tacbot teams ...` commands."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bot.settings import Settings
from bot.teams.package import build_package

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
DEFAULT_DOMAIN = "tacbot.example.org"


def package(settings: Settings, *, out: str, app_id: str | None, domain: str | None) -> int:
    """Write the app package; the app id must be the bot's Microsoft app id (a GUID)."""
    app_id = app_id or settings.microsoft_app_id
    if not app_id or not _GUID.match(app_id):
        print(
            "tacbot: the Teams package needs the bot's Microsoft app id (a GUID): "
            "set MICROSOFT_APP_ID or pass --app-id.",
            file=sys.stderr,
        )
        return 2
    if not domain:
        domain = DEFAULT_DOMAIN
        print(
            f"tacbot: no --domain given; using {domain}: pass the host TAC Bot is served from.",
            file=sys.stderr,
        )
    for name, url in (("TACBOT_PRIVACY_URL", settings.privacy_url), ("TACBOT_TERMS_URL", settings.terms_url)):
        if url and not url.startswith("https://"):
            print(f"tacbot: {name} must be an https:// address (Teams refuses others).", file=sys.stderr)
            return 2
    path = build_package(
        Path(out),
        app_id=app_id,
        domain=domain,
        privacy_url=settings.privacy_url,
        terms_url=settings.terms_url,
    )
    print(f"Wrote {path}: upload it in Teams (Apps > Manage your apps > Upload an app).")
    return 0
