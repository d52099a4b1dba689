"""Slack across workspaces: which settings turn it on, which are refused, and the manifest it needs."""

from __future__ import annotations

import pytest
import yaml

from bot.cli import main
from bot.settings import Settings
from bot.slack.manifest import manifest_for
from bot.slack.plugin import slack_plugin
from storage.crypto import new_key

OAUTH = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x"}
KEYED = {**OAUTH, "TACBOT_DATA_KEY": new_key()}


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_client_id_secret_and_signing_secret_turn_on_many_workspaces() -> None:
    on = settings(**OAUTH, TACBOT_DATA_KEY=new_key())
    assert on.slack_oauth and on.slack_enabled and not on.slack_single and on.slack_problem() is None
    single = settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="x")
    assert single.slack_single and not single.slack_oauth and single.slack_problem() is None


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({**KEYED, "SLACK_BOT_TOKEN": "xoxb-1"}, "both set"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "x"}, "go together"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"}, "SLACK_SIGNING_SECRET"),
        (OAUTH, "TACBOT_DATA_KEY"),  # tokens are never stored in plain text, in development either
        (
            {**KEYED, "TACBOT_ENV": "production", "SLACK_REDIRECT_URI": "http://tac.example/oauth"},
            "SLACK_REDIRECT_URI must be https",
        ),
        (
            {**KEYED, "TACBOT_ENV": "production", "SLACK_API_URL": "http://slack.example/api/"},
            "SLACK_API_URL",
        ),
    ],
)
def test_insecure_or_ambiguous_slack_settings_are_refused(values: dict[str, str], said: str) -> None:
    given = settings(**values)
    problem = given.slack_problem()
    assert problem is not None and said in problem
    with pytest.raises(ValueError, match=said.split()[0]):
        slack_plugin(given)


def test_the_manifest_for_many_workspaces_has_the_redirect_url_and_the_uninstall_events() -> None:
    many = yaml.safe_load(manifest_for("https://tac.example/", many_workspaces=True))
    assert many["oauth_config"]["redirect_urls"] == ["https://tac.example/slack/oauth_redirect"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(many["settings"]["event_subscriptions"]["bot_events"])
    one = yaml.safe_load(manifest_for("https://tac.example/"))
    assert "redirect_urls" not in one["oauth_config"]
    assert "app_uninstalled" not in one["settings"]["event_subscriptions"]["bot_events"]


def test_tacbot_slack_manifest_many_workspaces(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slack", "manifest", "--url", "https://tac.example", "--many-workspaces"]) == 0
    assert "https://tac.example/slack/oauth_redirect" in capsys.readouterr().out
