"""The app manifest asks for exactly what the bot uses; configuration turns Slack on and off."""

from __future__ import annotations

import pytest
import yaml

from bot.app import build_platforms
from bot.cli import main
from bot.cli_serve import plugins_for
from bot.settings import Settings
from bot.slack.manifest import manifest_text
from bot.slack.platform import SlackPlatform
from tests.fakes.slack_api import scopes_needed


def manifest() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(manifest_text())  # type: ignore[no-any-return]


def test_the_manifest_is_shipped_and_asks_for_the_least_that_works() -> None:
    m = manifest()
    (command,) = m["features"]["slash_commands"]
    assert command["command"] == "/tac" and command["should_escape"] is True
    assert command["url"].endswith("/slack/events")
    assert m["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert m["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "member_left_channel",
        "member_joined_channel",
    }
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    needed = set(scopes_needed()) | {"commands", "groups:read"}
    assert set(m["oauth_config"]["scopes"]["bot"]) == needed


def test_slack_is_on_only_with_both_variables() -> None:
    off = Settings(SLACK_BOT_TOKEN="xoxb-1")
    assert "slack" not in build_platforms(off)
    on = Settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", SLACK_API_URL="http://127.0.0.1:9/api")
    platforms = build_platforms(on)
    assert isinstance(platforms["slack"], SlackPlatform)
    assert str(platforms["slack"].client.base_url) == "http://127.0.0.1:9/api/"
    assert len(plugins_for(on, scheduler=False)) == len(plugins_for(off, scheduler=False)) + 1


def test_tacbot_prints_the_manifest_for_your_address(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slack", "manifest", "--url", "https://tac.school.example/"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed["features"]["slash_commands"][0]["url"] == "https://tac.school.example/slack/events"
    assert printed["settings"]["interactivity"]["request_url"] == "https://tac.school.example/slack/events"
