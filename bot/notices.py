"""The privacy notice and terms of use that `serve` answers at ``/privacy`` and ``/terms``.

The Teams app package links to them (unless the administrator sets ``TACBOT_PRIVACY_URL`` /
``TACBOT_TERMS_URL`` to the school's own pages). Both are short, plain HTML generated from the
configuration: which platforms are on, the school's time zone, and what TAC Bot keeps and never keeps.
"""

from __future__ import annotations

from html import escape

from aiohttp import web

from bot.server import Plugin
from bot.settings import Settings

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;
line-height:1.5}}</style></head>
<body><h1>{title}</h1>
{body}
</body></html>
"""


def _platforms(settings: Settings) -> str:
    on = [
        name
        for name, enabled in (
            ("Slack", settings.slack_enabled),
            ("Microsoft Teams", bool(settings.microsoft_app_id)),
        )
        if enabled
    ]
    return " and ".join(on) if on else "the school's chat platform"


def privacy_notice(settings: Settings) -> str:
    """The privacy notice as an HTML page."""
    where = _platforms(settings)
    items = [
        "<p>TAC Bot helps the school's SENCO run the Team Around the Child: the people supporting a pupil "
        f"work together in a private room on {escape(where)}.</p>",
        "<h2>What it keeps</h2><ul>"
        "<li>Each case by a reference (like TAC-0007) and a short alias the SENCO chooses, never the "
        "pupil's full name in a room name, a notification or a log.</li>"
        "<li>Who is on each team, with their role and agency, and the consent recorded (who gave it, "
        "their relationship to the pupil, and what it covers).</li>"
        "<li>The inputs people submit through its forms, the plan (outcomes, actions, owners, dates), "
        "review meetings and their minutes.</li>"
        f"<li>Each person's {escape(where)} user id and display name, so that it can reach them.</li>"
        "<li>An append-only audit trail of every change and every read of case content.</li></ul>",
        "<h2>Who can see it</h2><p>Only the current members of a case's team, while they are on it. "
        "Nobody from outside the school joins before consent covering their agency is recorded; "
        "withdrawing consent removes them.</p>",
        "<h2>Where it is kept</h2><p>In the school's own database, run by the school's administrator. "
        f"Times are in the school's time zone ({escape(settings.timezone)}).</p>",
        "<h2>Your rights</h2><p>To see, correct or ask about what is held about you or your child, "
        "contact the school's SENCO or its data protection officer.</p>",
    ]
    return _PAGE.format(title="TAC Bot: privacy notice", body="\n".join(items))


def terms_of_use(settings: Settings) -> str:
    """The terms of use as an HTML page."""
    items = [
        "<p>TAC Bot is run by the school for the people it invites to support a pupil. Use it only for "
        "that work, and keep what you read in a case to yourself and the team.</p>",
        "<p>The school's policies on data protection, safeguarding and acceptable use apply. Raise a "
        "safeguarding concern through the school's procedures as well.</p>",
        f'<p>The privacy notice says what is kept: <a href="privacy">privacy notice</a>. Questions go '
        f"to the school's SENCO. Chat platform: {escape(_platforms(settings))}.</p>",
    ]
    return _PAGE.format(title="TAC Bot: terms of use", body="\n".join(items))


def notices_plugin(settings: Settings) -> Plugin:
    """``GET /privacy`` and ``GET /terms``, public and without any case data."""
    privacy, terms = privacy_notice(settings), terms_of_use(settings)

    async def show_privacy(request: web.Request) -> web.Response:
        return web.Response(text=privacy, content_type="text/html")

    async def show_terms(request: web.Request) -> web.Response:
        return web.Response(text=terms, content_type="text/html")

    def plug(app: web.Application) -> None:
        app.router.add_get("/privacy", show_privacy)
        app.router.add_get("/terms", show_terms)

    return plug
