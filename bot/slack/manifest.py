"""The shipped Slack app manifest, with the placeholder address replaced by the operator's own."""

from __future__ import annotations

from importlib import resources

PLACEHOLDER = "https://tacbot.example.org"


def manifest_text() -> str:
    return resources.files("bot.slack").joinpath("manifest.yaml").read_text("utf-8")


def manifest_for(url: str, *, many_workspaces: bool = False) -> str:
    """The manifest pointing Slack at ``url`` (the public HTTPS address of `tacbot serve`). For many
    workspaces (installed through OAuth) it adds the redirect URL and the two events that delete a
    workspace's tokens (``app_uninstalled``, ``tokens_revoked``)."""
    text = manifest_text().replace(PLACEHOLDER, url.rstrip("/"))
    if not many_workspaces:
        return text
    redirect = f"{url.rstrip('/')}/slack/oauth_redirect"
    text = text.replace("oauth_config:\n", f"oauth_config:\n  redirect_urls:\n    - {redirect}\n", 1)
    last_event = "      - member_joined_channel\n"
    return text.replace(
        last_event,
        last_event + "      - app_uninstalled   # forget the workspace's tokens\n      - tokens_revoked\n",
        1,
    )
