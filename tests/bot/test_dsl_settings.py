"""`TACBOT_DSL`: the Designated Safeguarding Leads reach the core; the console school has its own."""

from __future__ import annotations

import pytest

from bot.app import build_core
from bot.console.platform import ConsolePlatform
from bot.settings import Settings
from storage.engine import Database


def test_dsls_are_parsed_and_handed_to_the_core(db: Database) -> None:
    settings = Settings(_env_file=None, TACBOT_DSL="slack:U0DSL, teams:29:1Dee", TACBOT_SENCOS="")  # type: ignore[call-arg]
    assert settings.dsl_ids == (("slack", "U0DSL"), ("teams", "29:1Dee"))
    core = build_core(settings, db=db, platforms={"console": ConsolePlatform()})
    assert core.dsls == (("slack", "U0DSL"), ("teams", "29:1Dee"))
    assert Settings(_env_file=None, TACBOT_SENCOS="").dsl_ids == ()  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="not <platform>:<user id>"):
        _ = Settings(_env_file=None, TACBOT_DSL="irc:bob", TACBOT_SENCOS="").dsl_ids  # type: ignore[call-arg]
