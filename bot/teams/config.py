"""Teams settings, read once from ``bot.settings.Settings`` into one value the edge passes around."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.settings import Settings
from bot.teams.service_urls import service_url_allowed

log = logging.getLogger(__name__)

EMULATOR_WARNING = (
    "\n"
    "*****************************************************************************************\n"
    "* TEAMS IS RUNNING WITHOUT AUTHENTICATION (TACBOT_TEAMS_EMULATOR=true).                 *\n"
    "* /api/messages accepts unsigned activities, and the bot answers only loopback service  *\n"
    "* URLs (the Bot Framework Emulator on this machine). Never expose this instance.        *\n"
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
    emulator: bool
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
            emulator=settings.teams_emulator,
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
    def enabled(self) -> bool:
        """`/api/messages` exists: with an app id, or for the Emulator in development."""
        return self.authenticated or self.emulator

    def may_send_to(self, service_url: str | None) -> bool:
        return service_url_allowed(service_url, emulator=self.emulator, production=self.production)

    def describe(self) -> str:
        """What `/api/messages` accepts and where the bot answers, for the start-up message."""
        if self.emulator:
            return "Teams, UNAUTHENTICATED for the Bot Framework Emulator; answers only loopback service URLs"
        tenants = ", ".join(sorted(self.tenants)) or "any tenant"
        where = "Microsoft's Bot Connector hosts" if self.production else "the service URL of each token"
        return f"Teams, Bot Framework JWT for app {self.app_id} ({tenants}); answers only {where}"

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
        """Refuse what is unsafe (the Emulator's open door in production, or beside an app id; an empty
        tenant allow-list or a non-Microsoft service URL in production); warn about the rest."""
        if not self.enabled:
            return
        if self.emulator and self.authenticated:
            raise TeamsConfigError(
                "TACBOT_TEAMS_EMULATOR=true and MICROSOFT_APP_ID are both set: the Emulator mode turns "
                "authentication off. Unset TACBOT_TEAMS_EMULATOR."
            )
        if self.emulator:
            if self.production:
                raise TeamsConfigError(
                    "TACBOT_TEAMS_EMULATOR=true is refused with TACBOT_ENV=production: it accepts "
                    "unauthenticated requests. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD instead."
                )
            log.warning(EMULATOR_WARNING)
            return
        if not self.tenants:
            if self.production:
                raise TeamsConfigError(
                    "TACBOT_ENV=production but TACBOT_TEAMS_TENANTS is empty: any Microsoft 365 tenant "
                    "could use the bot. Set it to your tenant id(s)."
                )
            log.warning("TACBOT_TEAMS_TENANTS is empty: Teams activities from any tenant are accepted.")
        if self.production and not self.may_send_to(self.service_url):
            raise TeamsConfigError(
                f"TACBOT_TEAMS_SERVICE_URL={self.service_url} is not a Microsoft Bot Connector address "
                "(https://smba.trafficmanager.net/...)."
            )
