"""The shipped Slack app manifest, with the placeholder address replaced by the operator's own."""

from __future__ import annotations

from importlib import resources

PLACEHOLDER = "https://tacbot.example.org"


def manifest_text() -> str:
    return resources.files("bot.slack").joinpath("manifest.yaml").read_text("utf-8")


def manifest_for(url: str) -> str:
    """The manifest pointing Slack at ``url`` (the public HTTPS address of `tacbot serve`)."""
    return manifest_text().replace(PLACEHOLDER, url.rstrip("/"))
