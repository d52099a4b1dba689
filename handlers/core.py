"""What every use case is handed: the services (``Core``) and one request (``Ask``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.clock import Clock
from handlers.forms.library import FormLibrary, builtin_library
from handlers.model import Command
from handlers.outside.config import Outside
from handlers.platform import ChatPlatform, PlatformError
from storage.crypto import DataCipher
from storage.engine import Database


@dataclass
class Core:
    """The services the use cases need, built once by the app factory and passed in."""

    db: Database
    clock: Clock
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    platforms: dict[str, ChatPlatform] = field(default_factory=dict)
    hours: tuple[time, time] = (time(8, 0), time(17, 0))  # the school's working hours, local time
    forms: FormLibrary = field(default_factory=builtin_library)
    # The Designated Safeguarding Leads of every school (`TACBOT_DSL`) as (platform, user id): they receive
    # `concern`s. Each school's own (and more of every school) are rows: `handlers.concerns.common.dsl_ids`.
    dsls: tuple[tuple[str, str], ...] = ()
    cipher: DataCipher | None = None  # TACBOT_DATA_KEY; pupil details are refused without it
    outside: Outside | None = None  # e-mail and the portal, for members outside the workspace

    def forms_of(self, session: Session, school_id: int | None) -> FormLibrary:
        """The forms a school sees: ``forms`` (built-in and ``TACBOT_FORMS_DIR``) and the school's own
        (`tacbot forms load --school`), never another school's. One small query; parsed forms are cached."""
        from handlers.forms.schools import school_library

        return school_library(self.forms, session, school_id)

    def platform(self, name: str) -> ChatPlatform:
        """The platform, as the use cases see it: members outside the workspace (``ext.`` ids) are
        reached by e-mail through it (``handlers.outside.routing``)."""
        from handlers.outside.routing import Routed

        try:
            return Routed(self.platforms[name], core=self, name=name)
        except KeyError:
            raise PlatformError(f"The {name} platform is not configured here.") from None


@dataclass(frozen=True, slots=True)
class Ask:
    """One command being handled: who asked, where, and the instant it is handled at."""

    core: Core
    command: Command
    now: datetime
    today: date
    confirmed: bool = False  # the asker said `confirm` (or pressed Confirm) for a step that asks first

    @classmethod
    def start(cls, core: Core, command: Command, *, confirmed: bool = False) -> Ask:
        """An Ask at the core clock's current instant, with today's date in the school's zone."""
        now = core.clock.now()
        today = now.astimezone(core.tz).date()
        return cls(core=core, command=command, now=now, today=today, confirmed=confirmed)

    @property
    def platform(self) -> ChatPlatform:
        return self.core.platform(self.command.actor.platform)

    @property
    def workspace(self) -> str:
        return self.command.actor.workspace
