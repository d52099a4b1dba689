"""The portal's web layer, mounted by `serve` under ``/portal/``: thin, as every platform edge.

Pages work without JavaScript (there is none). A ``GET`` never changes anything (e-mail scanners fetch
links before people do): a chaser's answer link opens a page that asks, and only its ``POST`` acts.
Every form carries a CSRF token (an HMAC of the link's token and the page's nonce, with a key derived
from ``TACBOT_DATA_KEY``). Every answer has strict headers (CSP with no script at all, no caching, no
referrer, no framing). Requests are rate-limited per client address and bodies are capped. The use
cases (``handlers.outside.portal``) run off the event loop.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from importlib.resources import files
from typing import Any, TypeVar

import aiohttp_jinja2
import jinja2
from aiohttp import web
from multidict import MultiDictProxy

from bot.portal.limits import RateLimiter
from bot.server import CORE, Plugin
from handlers.core import Core
from handlers.forms.library import Field
from handlers.offload import off_loop
from handlers.outside import portal
from storage.engine import Busy

log = logging.getLogger(__name__)
T = TypeVar("T")

PREFIX = "/portal"
MAX_BODY = 256 * 1024  # a whole form's worth of long answers, in any script, URL-encoded
MAX_FIELDS = 300
TOKEN = r"{token:[A-Za-z0-9_.\-]{1,400}}"

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

# What each refusal says: never the case, never whether the link was ever good for one.
REFUSALS: dict[int, tuple[str, str]] = {
    403: ("This link does not work", "Check that you opened the whole link from the e-mail."),
    404: ("There is nothing here", "Go back to your page from the link in the e-mail."),
    405: ("There is nothing here", "Go back to your page from the link in the e-mail."),
    410: (
        "This link no longer opens anything",
        "It may be too old, or what it was for has changed. If you still need it, ask the school.",
    ),
    413: ("That was too much to send", "Nothing was changed. Shorten your answers and try again."),
    415: ("That could not be read", "Nothing was changed. Send the form from its page."),
    429: ("Too many requests", "Wait a minute, then try again."),
    503: ("The service is busy", "Nothing was changed. Try again in a minute."),
}
STALE_FORM = (
    "This form could not be checked",
    "Nothing was changed. Open the page again from your link and send it from there.",
)

JINJA: web.AppKey[jinja2.Environment] = web.AppKey("portal_jinja", jinja2.Environment)
LIMITER: web.AppKey[RateLimiter] = web.AppKey("portal_limiter", RateLimiter)
_TOKEN_IN_PATH = re.compile(r"(/portal/)[A-Za-z0-9_.\-]{8,}")


class _Stop(Exception):
    """Answer with the short refusal page of ``status`` (a heading and a sentence)."""

    def __init__(self, status: int, words: tuple[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.words = status, words or REFUSALS.get(status, REFUSALS[404])


def _root(request: web.Request) -> str:
    """The relative way back to ``/portal/`` from this page (the portal may sit behind a path prefix)."""
    depth = request.path[len(PREFIX) + 1 :].count("/")
    return "../" * depth


def _render(request: web.Request, name: str, context: dict[str, Any], *, status: int = 200) -> web.Response:
    context = {"root": _root(request), **context}
    return aiohttp_jinja2.render_template(name, request, context, status=status, app_key=JINJA)


def _refusal(request: web.Request, status: int, words: tuple[str, str]) -> web.Response:
    title, line = words
    return _render(request, "refused.html", {"title": title, "line": line}, status=status)


@web.middleware
async def guard(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Rate limit, body cap, refusal pages, and the strict headers on every answer."""
    response: web.StreamResponse
    try:
        if not request.app[LIMITER].allow(request.remote or "unknown"):
            raise _Stop(429)
        if request.method == "POST":
            if request.content_length is None or request.content_length > MAX_BODY:
                raise _Stop(413)
            if request.content_type != "application/x-www-form-urlencoded":
                raise _Stop(415)
        response = await handler(request)
    except _Stop as stop:
        response = _refusal(request, stop.status, stop.words)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = _refusal(request, exc.status, REFUSALS.get(exc.status, REFUSALS[404]))
    response.headers.update(HEADERS)
    return response


async def _run(request: web.Request, work: Callable[[Core], Awaitable[T]]) -> T:
    """A use case, off the event loop; its refusal or a busy database become the short pages."""
    core = request.config_dict[CORE]
    try:
        return await off_loop(core, work)
    except portal.Refused as refused:
        raise _Stop(refused.status) from None
    except Busy:
        raise _Stop(503) from None


def _csrf(request: web.Request, token: str) -> dict[str, str]:
    """A fresh nonce for this page, and the CSRF token that goes with it."""
    outside = request.config_dict[CORE].outside
    if outside is None:
        raise _Stop(403)
    nonce = secrets.token_urlsafe(16)
    return {"nonce": nonce, "csrf": outside.links.form_token(token, nonce)}


async def _posted(request: web.Request, token: str) -> MultiDictProxy[str]:
    """The posted fields, once their CSRF token is checked (a form from anywhere else changes nothing)."""
    data: MultiDictProxy[Any] = await request.post()
    outside = request.config_dict[CORE].outside
    nonce, given = data.get("nonce"), data.get("csrf")
    if (
        outside is None
        or not isinstance(nonce, str)
        or not isinstance(given, str)
        or not outside.links.form_token_ok(token, nonce, given)
    ):
        raise _Stop(403, STALE_FORM)
    if len(data) > MAX_FIELDS or any(not isinstance(v, str) for v in data.values()):
        raise _Stop(415)
    return data


def _number(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 12:
        raise _Stop(404)
    return int(raw)


async def show_page(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"]
    page = await _run(request, lambda core: portal.open_page(core, token))
    days = request.config_dict[CORE].outside.links.lifetime.days  # type: ignore[union-attr]
    context = {"page": page, "token": token, "days": days, "choices": portal.CHOICES}
    return _render(request, "page.html", {**context, **_csrf(request, token)})


def _form_context(request: web.Request, token: str, page: portal.FormPage) -> dict[str, Any]:
    return {"page": page, "token": token, "form": page.form, **_csrf(request, token)}


async def show_form(request: web.Request) -> web.StreamResponse:
    token, number = request.match_info["token"], _number(request.match_info["request"])
    page = await _run(request, lambda core: portal.open_form(core, token, number))
    return _render(request, "form.html", _form_context(request, token, page))


async def post_form(request: web.Request) -> web.StreamResponse:
    token, number = request.match_info["token"], _number(request.match_info["request"])
    data = await _posted(request, token)
    submit = data.get("intent", "submit") != "draft"
    raw: dict[str, portal.RawValue] = {}
    for key in data:
        if key in ("nonce", "csrf", "intent") or key in raw:
            continue
        values = data.getall(key)
        raw[key] = values if len(values) > 1 else values[0]
    page = await _run(request, lambda core: portal.post_form(core, token, number, raw, submit=submit))
    status = 400 if page.errors else 200
    return _render(request, "form.html", _form_context(request, token, page), status=status)


def _chaser_args(request: web.Request) -> tuple[str, str, int, str]:
    m = request.match_info
    return m["token"], m["kind"], _number(m["subject"]), m["choice"]


async def show_chaser(request: web.Request) -> web.StreamResponse:
    token, kind, subject, choice = _chaser_args(request)
    page = await _run(request, lambda core: portal.chaser_page(core, token, kind, subject, choice))
    return _render(request, "chaser.html", {"page": page, "token": token, **_csrf(request, token)})


async def post_chaser(request: web.Request) -> web.StreamResponse:
    token, kind, subject, choice = _chaser_args(request)
    data = await _posted(request, token)
    when, reason = data.get("date", ""), data.get("reason", "")
    page = await _run(
        request,
        lambda core: portal.answer_chaser(core, token, kind, subject, choice, when=when, reason=reason),
    )
    status = 400 if page.errors else 200
    context = {"page": page, "token": token, **_csrf(request, token)}
    return _render(request, "chaser.html", context, status=status)


async def post_poll(request: web.Request) -> web.StreamResponse:
    token, review = request.match_info["token"], _number(request.match_info["review"])
    data = await _posted(request, token)
    answers = {
        int(key[5:]): value
        for key, value in data.items()
        if key.startswith("slot-") and key[5:].isdigit() and len(key) < 12
    }
    said = await _run(request, lambda core: portal.answer_poll(core, token, review, answers))
    return _render(request, "notice.html", {"title": "Your answers", "line": said, "token": token})


async def stylesheet(request: web.Request) -> web.StreamResponse:
    return web.Response(body=_CSS, content_type="text/css", charset="utf-8")


_CSS = (files("bot.portal") / "static" / "portal.css").read_bytes()


def _is_multi(f: Field) -> bool:
    return f.type == "multi_choice"


def _listed(value: object) -> list[str]:
    """A field's kept value as a list (the ticked boxes), whether one or several were sent."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str) and value:
        return [v.strip() for v in value.split(",")]
    return []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ",".join(value) if isinstance(value, list) else ""


def portal_app(*, limiter: RateLimiter | None = None) -> web.Application:
    """The portal as a sub-application (its own middleware and templates), mounted under ``/portal``."""
    app = web.Application(middlewares=[guard])
    app[LIMITER] = limiter or RateLimiter()
    env = aiohttp_jinja2.setup(
        app,
        app_key=JINJA,
        loader=jinja2.PackageLoader("bot.portal", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        default_helpers=False,
    )
    env.filters["listed"] = _listed
    env.filters["text"] = _text
    env.filters["day"] = lambda d: f"{d:%A %d %B %Y}"
    env.globals["MULTI"] = _is_multi
    app.router.add_get("/static/portal.css", stylesheet)
    app.router.add_get(f"/{TOKEN}", show_page)
    app.router.add_get(f"/{TOKEN}/form/{{request}}", show_form)
    app.router.add_post(f"/{TOKEN}/form/{{request}}", post_form)
    chaser = f"/{TOKEN}/chaser/{{kind:action|input_request}}/{{subject}}/{{choice:done|later|blocked}}"
    app.router.add_get(chaser, show_chaser)
    app.router.add_post(chaser, post_chaser)
    app.router.add_post(f"/{TOKEN}/poll/{{review}}", post_poll)
    return app


class _NoTokens(logging.Filter):
    """The access log never shows a portal link's token (it is the person's key to their page)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "/portal/" in record.msg:
            record.msg = _TOKEN_IN_PATH.sub(r"\1<link>", record.msg)
        return True


def portal_plugin(*, limiter: RateLimiter | None = None) -> Plugin:
    """`serve`'s portal: ``/portal/<token>`` and the pages under it."""

    def plug(app: web.Application) -> None:
        access = logging.getLogger("aiohttp.access")
        if not any(isinstance(f, _NoTokens) for f in access.filters):
            access.addFilter(_NoTokens())
        app.add_subapp(PREFIX, portal_app(limiter=limiter))

    return plug
