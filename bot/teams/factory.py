"""Build the Teams platform from settings (the composition root calls this)."""

from __future__ import annotations

from bot.settings import Settings
from bot.teams.config import TeamsConfig
from bot.teams.endpoint import make_adapter
from bot.teams.graph import GraphClient, msal_token_provider
from bot.teams.platform import TeamsPlatform
from bot.teams.refs import References
from handlers.clock import Clock
from storage.engine import Database


def build_teams_platform(settings: Settings, *, db: Database, clock: Clock | None = None) -> TeamsPlatform:
    config = TeamsConfig.from_settings(settings)
    graph = None
    if config.graph_enabled:
        assert config.app_tenant_id and config.team_id
        graph = GraphClient(
            base_url=config.graph_api_url,
            team_id=config.team_id,
            token=msal_token_provider(
                authority=config.graph_authority,
                tenant_id=config.app_tenant_id,
                client_id=config.app_id,
                secret=config.app_password,
            ),
        )
    return TeamsPlatform(
        config=config, refs=References(db), adapter=make_adapter(config), graph=graph, clock=clock
    )
