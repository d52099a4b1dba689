"""Configuration, read once from the environment (and a `.env` file) and passed in."""

from __future__ import annotations

from datetime import time
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from scheduler.calendar import parse_hours
from storage.engine import PoolSize


class Settings(BaseSettings):
    """The variables of interface.md. Secrets are ``SecretStr`` so they never reach a log."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default="sqlite:///tacbot.db", alias="DATABASE_URL")
    db_pool_size: int = Field(default=5, ge=1, le=100, alias="TACBOT_DB_POOL_SIZE")
    db_max_overflow: int = Field(default=5, ge=0, le=100, alias="TACBOT_DB_MAX_OVERFLOW")
    db_pool_timeout: float = Field(default=10.0, gt=0, le=120, alias="TACBOT_DB_POOL_TIMEOUT")
    port: int = Field(default=3000, alias="PORT")
    host: str = Field(default="0.0.0.0", alias="HOST")
    sencos: str = Field(default="", alias="TACBOT_SENCOS")
    dsls: str = Field(default="", alias="TACBOT_DSL")
    timezone: str = Field(default="Europe/London", alias="TACBOT_TIMEZONE")
    working_hours: str = Field(default="08:00-17:00", alias="TACBOT_WORKING_HOURS")
    log_format: Literal["text", "json"] = Field(default="text", alias="TACBOT_LOG_FORMAT")
    forms_dir: str | None = Field(default=None, alias="TACBOT_FORMS_DIR")
    privacy_url: str | None = Field(default=None, alias="TACBOT_PRIVACY_URL")
    terms_url: str | None = Field(default=None, alias="TACBOT_TERMS_URL")
    data_key: SecretStr | None = Field(default=None, alias="TACBOT_DATA_KEY")
    public_url: str | None = Field(default=None, alias="TACBOT_PUBLIC_URL")
    smtp_host: str | None = Field(default=None, alias="TACBOT_SMTP_HOST")
    smtp_port: int = Field(default=587, ge=1, le=65535, alias="TACBOT_SMTP_PORT")
    smtp_user: str | None = Field(default=None, alias="TACBOT_SMTP_USER")
    smtp_password: SecretStr | None = Field(default=None, alias="TACBOT_SMTP_PASSWORD")
    smtp_starttls: bool = Field(default=True, alias="TACBOT_SMTP_STARTTLS")
    mail_from: str | None = Field(default=None, alias="TACBOT_MAIL_FROM")
    link_days: int = Field(default=14, ge=1, le=90, alias="TACBOT_LINK_DAYS")
    slack_connect: bool = Field(default=False, alias="TACBOT_SLACK_CONNECT")

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    slack_redirect_uri: str | None = Field(default=None, alias="SLACK_REDIRECT_URI")

    microsoft_app_id: str | None = Field(default=None, alias="MICROSOFT_APP_ID")
    microsoft_app_password: SecretStr | None = Field(default=None, alias="MICROSOFT_APP_PASSWORD")
    microsoft_app_tenant_id: str | None = Field(default=None, alias="MICROSOFT_APP_TENANT_ID")
    microsoft_app_type: str | None = Field(default=None, alias="MICROSOFT_APP_TYPE")
    graph_api_url: str = Field(default="https://graph.microsoft.com/v1.0/", alias="GRAPH_API_URL")
    teams_emulator: bool = Field(default=False, alias="TACBOT_TEAMS_EMULATOR")
    environment: str = Field(default="development", alias="TACBOT_ENV")
    log_level: str = Field(default="INFO", alias="TACBOT_LOG_LEVEL")
    teams_tenants: str = Field(default="", alias="TACBOT_TEAMS_TENANTS")
    teams_team_id: str | None = Field(default=None, alias="TACBOT_TEAMS_TEAM_ID")
    teams_channel_id: str | None = Field(default=None, alias="TACBOT_TEAMS_CHANNEL_ID")
    teams_channel_owner: str | None = Field(default=None, alias="TACBOT_TEAMS_CHANNEL_OWNER")
    teams_service_url: str = Field(
        default="https://smba.trafficmanager.net/teams/", alias="TACBOT_TEAMS_SERVICE_URL"
    )
    graph_authority: str = Field(default="https://login.microsoftonline.com/", alias="TACBOT_GRAPH_AUTHORITY")

    @field_validator("log_format", mode="before")
    @classmethod
    def _format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone, at start-up rather than at the first reminder
        return value

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value)  # raises ValueError with a readable message
        return value

    @property
    def hours(self) -> tuple[time, time]:
        """`TACBOT_WORKING_HOURS` as (start, end) local times."""
        return parse_hours(self.working_hours)

    @property
    def pool(self) -> PoolSize:
        """The database connection pool of each process (PostgreSQL; see docs/operations.md)."""
        return PoolSize(size=self.db_pool_size, overflow=self.db_max_overflow, timeout=self.db_pool_timeout)

    @property
    def base_url(self) -> str:
        """Where links in e-mails point: `TACBOT_PUBLIC_URL`, or this machine in development."""
        return (self.public_url or f"http://localhost:{self.port}").rstrip("/")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def senco_ids(self) -> list[tuple[str, str]]:
        """`TACBOT_SENCOS` as (platform, user id) pairs."""
        return [parse_person_id(item) for item in self.sencos.split(",") if item.strip()]

    @property
    def dsl_ids(self) -> tuple[tuple[str, str], ...]:
        """`TACBOT_DSL`: the Designated Safeguarding Leads, as (platform, user id) pairs."""
        return tuple(parse_person_id(item) for item in self.dsls.split(",") if item.strip())

    @property
    def production(self) -> bool:
        """`TACBOT_ENV=production`: refuse insecure set-ups (e.g. Teams with no app id) at start."""
        return self.environment.strip().lower() in ("production", "prod")

    @property
    def teams_enabled(self) -> bool:
        """Teams is on with an app id, or for the Emulator (`TACBOT_TEAMS_EMULATOR`, development only)."""
        return bool(self.microsoft_app_id) or self.teams_emulator

    @property
    def slack_single(self) -> bool:
        """One workspace: `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET`."""
        return self.slack_bot_token is not None and self.slack_signing_secret is not None

    @property
    def slack_oauth(self) -> bool:
        """Many workspaces, each installed through OAuth: `SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET` and
        `SLACK_SIGNING_SECRET`, and no `SLACK_BOT_TOKEN` (``slack_problem`` refuses both at once)."""
        return (
            bool(self.slack_client_id)
            and self.slack_client_secret is not None
            and self.slack_signing_secret is not None
            and self.slack_bot_token is None
        )

    @property
    def slack_enabled(self) -> bool:
        return self.slack_single or self.slack_oauth

    def slack_problem(self) -> str | None:
        """Why this Slack configuration is refused at start (None: it is usable, or Slack is off)."""
        oauth_given = bool(self.slack_client_id) or self.slack_client_secret is not None
        if oauth_given and self.slack_bot_token is not None:
            return (
                "SLACK_BOT_TOKEN (one workspace) and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET (many workspaces, "
                "installed through OAuth) are both set: keep one way"
            )
        if oauth_given and not (self.slack_client_id and self.slack_client_secret is not None):
            return "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together"
        if oauth_given and self.slack_signing_secret is None:
            return "SLACK_CLIENT_ID needs SLACK_SIGNING_SECRET: every request from Slack is checked with it"
        if self.slack_oauth and (self.data_key is None or not self.data_key.get_secret_value().strip()):
            return (
                "Slack across workspaces stores each workspace's token, always encrypted: set "
                "TACBOT_DATA_KEY (make one with `tacbot data new-key`)"
            )
        redirect = self.slack_redirect_uri
        if redirect and self.production and not redirect.startswith("https://"):
            return "SLACK_REDIRECT_URI must be https:// with TACBOT_ENV=production"
        if self.production and self.slack_oauth and not self.slack_api_url.startswith("https://"):
            return (
                "SLACK_API_URL must be https:// with TACBOT_ENV=production (tokens and secrets travel on it)"
            )
        return None


PLATFORMS = ("slack", "teams", "console")


def parse_person_id(text: str) -> tuple[str, str]:
    """`slack:U0123ABC` -> ("slack", "U0123ABC"). Raises ValueError with a readable message."""
    platform, sep, user_id = text.strip().partition(":")
    if not sep or not user_id or platform.lower() not in PLATFORMS:
        raise ValueError(
            f"`{text.strip()}` is not <platform>:<user id> (platform one of {', '.join(PLATFORMS)})"
        )
    return platform.lower(), user_id.strip()
