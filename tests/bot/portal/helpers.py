"""Reading the portal's pages in tests: the CSRF fields of a page, and its text without markup."""

from __future__ import annotations

import html
import re

from aiohttp import ClientResponse

_HIDDEN = re.compile(r'name="(nonce|csrf)" value="([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")

HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def csrf(page: str) -> dict[str, str]:
    """The nonce and CSRF token of the (first) form on a page."""
    found = dict(_HIDDEN.findall(page))
    assert set(found) == {"nonce", "csrf"}, "no CSRF fields on the page"
    return found


def words(page: str) -> str:
    """The page's text, markup removed and spaces squeezed."""
    return " ".join(html.unescape(_TAGS.sub(" ", page)).split())


def strict(response: ClientResponse) -> None:
    """Every portal answer carries the strict headers."""
    for name, value in HEADERS.items():
        assert value in response.headers.get(name, ""), (name, response.headers.get(name))
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
