"""Many workspaces: the stores, the per-workspace tokens and Bolt's OAuth settings for one deployment.

`GET /slack/install` sends the installer to Slack (``https://slack.com/oauth/v2/authorize`` with a
one-time ``state``); `GET /slack/oauth_redirect` checks the state, exchanges the code with
``oauth.v2.access`` and stores the installation (tokens encrypted). The workspace is a school from then
on; whoever installed it becomes its first SENCO when it has none of its own (``school_installed``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources

import yaml
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack.installs import (
    ROTATE_MINUTES,
    STATE_SECONDS,
    Installations,
    SealedInstallationStore,
    States,
    StateStore,
    Worker,
    WorkspaceTokens,
)
from handlers.core import Core
from storage.crypto import DataCipher
from storage.engine import Database
from storage.repo import people

log = logging.getLogger(__name__)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def bot_scopes() -> list[str]:
    """The bot scopes of the shipped manifest: what an install asks each workspace for."""
    manifest = yaml.safe_load(resources.files("bot.slack").joinpath("manifest.yaml").read_text("utf-8"))
    return [str(scope) for scope in manifest["oauth_config"]["scopes"]["bot"]]


@dataclass
class ManyWorkspaces:
    """What the platform (outgoing calls) and the Bolt app (incoming requests, installs) share."""

    installations: Installations
    states: States
    tokens: WorkspaceTokens
    worker: Worker


def many_workspaces(settings: Settings, db: Database, *, client: AsyncWebClient) -> ManyWorkspaces:
    """The stores on ``db`` and the tokens of each workspace; ``client`` (no token) reaches SLACK_API_URL."""
    if settings.slack_client_id is None or settings.slack_client_secret is None or settings.data_key is None:
        raise ValueError(settings.slack_problem() or "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are not set")
    worker = Worker()
    cipher = DataCipher(settings.data_key.get_secret_value())
    store = SealedInstallationStore(client_id=settings.slack_client_id, db=db, cipher=cipher)
    installations = Installations(store, worker=worker)
    rotator = AsyncTokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        client=client,
    )
    return ManyWorkspaces(
        installations=installations,
        states=States(StateStore(db=db, expiration_seconds=STATE_SECONDS), worker=worker),
        tokens=WorkspaceTokens(installations, rotator=rotator, rotate_minutes=ROTATE_MINUTES),
        worker=worker,
    )


def oauth_settings(settings: Settings, many: ManyWorkspaces, core: Core) -> AsyncOAuthSettings:
    """Bolt's OAuth flow over our stores: a redirect (no install page), the state checked once."""
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None

    def record(installation: Installation) -> bool:
        with core.db.transaction() as session:
            return people.school_installed(
                session,
                platform="slack",
                external_id=str(installation.team_id),
                name=installation.team_name or "",
                installer=str(installation.user_id),
                now=core.clock.now(),
            )

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        if installation.team_id:
            first = await many.worker.run(lambda: record(installation))
            log.info(
                "Slack: installed in a workspace%s", " (its installer is its first SENCO)" if first else ""
            )
        return await args.default.success(args)

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        log.warning("Slack: an install did not complete (%s)", args.reason)
        return await args.default.failure(args)

    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=bot_scopes(),
        redirect_uri=settings.slack_redirect_uri or None,
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,  # straight to Slack
        redirect_uri_path=REDIRECT_PATH,
        callback_options=AsyncCallbackOptions(success=success, failure=failure),
        installation_store=many.installations,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=ROTATE_MINUTES,
        state_store=many.states,
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )
