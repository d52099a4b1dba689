"""Teams settings, read once from ``bot.settings.Settings`` into one value the edge passes around."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.settings import Settings

log = logging.getLogger(__name__)

NO_APP_ID_WARNING = (
    "\n"
    "*****************************************************************************************\n"
    "* TEAMS IS RUNNING WITHOUT AUTHENTICATION: MICROSOFT_APP_ID is not set.                 *\n"
    "* Only the Bot Framework Emulator on this machine can talk to /api/messages like this.  *\n"
    "* Never expose this instance; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, and       *\n"
    "* TACBOT_ENV=production to refuse to start without them.                                *\n"
    "*****************************************************************************************"
)


class TeamsConfigError(Exception):
    """The Teams configuration cannot be used (e.g. production with no app id)."""


@dataclass(frozen=True, slots=True)
class BotFrameworkConfig:
    """The attribute names botbuilder's ``ConfigurationBotFrameworkAuthentication`` reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str | None


@dataclass(frozen=True, slots=True)
class TeamsConfig:
    app_id: str
    app_password: str
    app_tenant_id: str | None
    app_type: str
    tenants: frozenset[str]
    production: bool
    team_id: str | None
    channel_id: str | None
    channel_owner: str | None
    service_url: str
    graph_api_url: str
    graph_authority: str

    @classmethod
    def from_settings(cls, settings: Settings) -> TeamsConfig:
        return cls(
            app_id=settings.microsoft_app_id or "",
            app_password=(
                settings.microsoft_app_password.get_secret_value() if settings.microsoft_app_password else ""
            ),
            app_tenant_id=settings.microsoft_app_tenant_id,
            app_type=settings.microsoft_app_type or "MultiTenant",
            tenants=frozenset(t.strip().lower() for t in settings.teams_tenants.split(",") if t.strip()),
            production=settings.production,
            team_id=settings.teams_team_id,
            channel_id=settings.teams_channel_id,
            channel_owner=settings.teams_channel_owner,
            service_url=settings.teams_service_url,
            graph_api_url=settings.graph_api_url,
            graph_authority=settings.graph_authority,
        )

    @property
    def authenticated(self) -> bool:
        return bool(self.app_id)

    @property
    def graph_enabled(self) -> bool:
        """Private channels through Graph need the app's secret, its tenant and the team to put them in."""
        return bool(self.app_id and self.app_password and self.app_tenant_id and self.team_id)

    def tenant_allowed(self, tenant: str) -> bool:
        """An empty allow-list admits every tenant (with a warning at start)."""
        return not self.tenants or tenant.lower() in self.tenants

    def botframework(self) -> BotFrameworkConfig:
        return BotFrameworkConfig(
            APP_ID=self.app_id,
            APP_PASSWORD=self.app_password,
            APP_TYPE=self.app_type,
            APP_TENANTID=self.app_tenant_id,
        )

    def check(self) -> None:
        """Refuse production without an app id; warn loudly about anything unauthenticated or open."""
        if not self.authenticated:
            if self.production:
                raise TeamsConfigError(
                    "TACBOT_ENV=production but MICROSOFT_APP_ID is not set: "
                    "Teams would accept unauthenticated requests. Set MICROSOFT_APP_ID and "
                    "MICROSOFT_APP_PASSWORD (see the README's Microsoft Teams section)."
                )
            log.warning(NO_APP_ID_WARNING)
        if not self.tenants:
            log.warning("TACBOT_TEAMS_TENANTS is empty: Teams activities from any tenant are accepted.")
