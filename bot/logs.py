"""Logging set-up: readable lines, or one JSON object a line (`TACBOT_LOG_FORMAT=json`) for log shippers.

What is logged is already free of personal data (the code logs references and ids, never an alias or
text someone typed). An exception's message can still carry data from elsewhere (a database error quotes
the row), so in JSON an exception is its type and where it was raised, not its message.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime

FORMATS = ("text", "json")
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, and any exception's type
    and stack (file, line, function: no values, no message)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["exception"] = type(error).__qualname__
            entry["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(error.__traceback__)
            ]
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(*, fmt: str, level: int) -> None:
    """Replace the root logger's handlers with one to stderr in ``fmt`` (text or json)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
