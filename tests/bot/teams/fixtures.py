"""Recorded Teams activities (tests/fixtures/teams), loaded fresh for each use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "teams"
TENANT = "8f5b2c1a-3e4d-4f6a-9b7c-1d2e3f4a5b6c"
APP_ID = "6e2f1a4b-0c3d-4e5f-8a9b-7c6d5e4f3a2b"
BOT_ID = f"28:{APP_ID}"


def recorded(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))  # type: ignore[no-any-return]
