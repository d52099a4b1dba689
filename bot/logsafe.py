"""Logging without personal data: request bodies and SQL parameters never reach a log line.

Bolt logs the raw body of a request whose signature fails (at INFO), and of requests nothing handled
(at WARNING); a body holds what a person typed. ``withheld_logger`` is the logger Bolt is given: its
filter keeps each line up to where the request's content would start. SQLAlchemy's parameters are
hidden by the engine (``hide_parameters``), so a failed statement shows its SQL, never the values.
DEBUG is for a developer's machine: ``configure`` refuses it in production.
"""

from __future__ import annotations

import logging

BOLT_LOGGER = "bot.slack.bolt"
_CONTENT_MARKERS = ("body", "payload", "parameters", "params", "text=", "{'", '{"')
WITHHELD = "[request content withheld]"


class WithholdContent(logging.Filter):
    """Cut a log line where a request's content begins; the rest of the line (what happened) stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        lowered = message.lower()
        cuts = [i for i in (lowered.find(marker) for marker in _CONTENT_MARKERS) if i >= 0]
        if cuts:
            record.msg = f"{message[: min(cuts)].rstrip(' (:,')} {WITHHELD}"
            record.args = None
        return True


def withheld_logger() -> logging.Logger:
    """The logger Bolt uses (and copies, with its filter, to every middleware and listener logger)."""
    logger = logging.getLogger(BOLT_LOGGER)
    if not any(isinstance(f, WithholdContent) for f in logger.filters):
        logger.addFilter(WithholdContent())
    return logger


class DebugInProduction(ValueError):
    """TACBOT_LOG_LEVEL=DEBUG with TACBOT_ENV=production."""


def level_for(name: str, *, production: bool) -> int:
    """The level `TACBOT_LOG_LEVEL` names; DEBUG (which may show request content) refused in production."""
    level = logging.getLevelName(name.strip().upper())
    if not isinstance(level, int):
        raise ValueError(f"TACBOT_LOG_LEVEL={name!r} is not a level (DEBUG, INFO, WARNING, ERROR)")
    if production and level < logging.INFO:
        raise DebugInProduction(
            "TACBOT_LOG_LEVEL=DEBUG is refused with TACBOT_ENV=production: debug logs may hold what "
            "people typed. Use INFO."
        )
    return level
