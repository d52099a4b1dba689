"""Where the bot may send Bot Framework traffic: the defence against server-side request forgery.

An activity names the ``serviceUrl`` the bot answers to. Unchecked, anyone able to POST to
``/api/messages`` could make the server send requests wherever they chose. So:

- with ``TACBOT_TEAMS_EMULATOR`` (development only, no authentication) only loopback addresses;
- with an app id, only the service URL carried by the request's validated token (the endpoint checks
  the token's ``serviceurl`` claim), and in production only Microsoft's Bot Connector hosts over HTTPS.

The same rule is applied again before every proactive send, so a stored reference or
``TACBOT_TEAMS_SERVICE_URL`` cannot lead anywhere else either.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# The Bot Connector's public hosts for Teams: commercial (all regions), GCC, GCC High and DoD.
MICROSOFT_HOSTS = frozenset(
    {
        "smba.trafficmanager.net",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    }
)
MICROSOFT_DOMAINS = (".botframework.com", ".botframework.us", ".botframework.azure.us")


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    host = host_of(url)
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_microsoft(url: str) -> bool:
    host = host_of(url)
    return urlsplit(url).scheme == "https" and (
        host in MICROSOFT_HOSTS or any(host.endswith(domain) for domain in MICROSOFT_DOMAINS)
    )


def service_url_allowed(url: str | None, *, emulator: bool, production: bool) -> bool:
    """Whether the bot may send to ``url`` in this mode (see the module's docstring)."""
    if not url:
        return False
    if emulator:
        return is_loopback(url)
    if production:
        return is_microsoft(url)
    return urlsplit(url).scheme in ("http", "https") and bool(host_of(url))


def same_service_url(a: str | None, b: str | None) -> bool:
    """The token's claim and the activity's field name the same service (case and a final / aside)."""
    if not a or not b:
        return False
    return a.rstrip("/").lower() == b.rstrip("/").lower()
