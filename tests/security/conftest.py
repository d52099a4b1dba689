"""The Slack and Teams harnesses of tests/bot, for the security tests that drive them."""

from tests.bot.slack.conftest import fake, slack, slept  # noqa: F401
from tests.bot.teams.conftest import teams  # noqa: F401
from tests.bot.teams.test_auth import openid, signing_key  # noqa: F401
