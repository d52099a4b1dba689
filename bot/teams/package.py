"""`tacbot teams package`: the Teams app package (manifest.json + two icons) as a zip to upload."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from importlib import resources
from pathlib import Path
from typing import Any

ACCENT = (0x2E, 0x6B, 0x5E)
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


def png(width: int, height: int, pixel: Any) -> bytes:
    """A truecolour-with-alpha PNG from ``pixel(x, y) -> (r, g, b, a)`` (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _mark(x: float, y: float) -> bool:
    """Three linked circles (the team around the child) in a unit square."""
    centres = ((0.5, 0.3), (0.3, 0.66), (0.7, 0.66))
    return any(0.11**2 <= (x - cx) ** 2 + (y - cy) ** 2 <= 0.17**2 for cx, cy in centres)


def color_icon() -> bytes:
    """192x192, full colour: a white mark on the accent colour."""
    return png(192, 192, lambda x, y: (255, 255, 255, 255) if _mark(x / 192, y / 192) else (*ACCENT, 255))


def outline_icon() -> bytes:
    """32x32, white on transparent, as Teams requires for outline icons."""
    return png(32, 32, lambda x, y: (255, 255, 255, 255) if _mark(x / 32, y / 32) else (0, 0, 0, 0))


def manifest(
    *,
    app_id: str,
    domain: str,
    version: str = "0.1.0",
    privacy_url: str | None = None,
    terms_url: str | None = None,
) -> dict[str, Any]:
    """The packaged manifest with this bot's app id and the domain it is served from filled in.

    The privacy and terms links are the school's own pages when given, else the ``/privacy`` and
    ``/terms`` pages that `tacbot serve` answers on that domain (``bot.notices``).
    """
    data: dict[str, Any] = json.loads(
        resources.files("bot.teams").joinpath("manifest.json").read_text("utf-8")
    )
    data["id"] = app_id
    data["version"] = version
    data["bots"][0]["botId"] = app_id
    data["validDomains"] = [domain]
    site = f"https://{domain}/"
    data["developer"].update(
        websiteUrl=site,
        privacyUrl=privacy_url or site + "privacy",
        termsOfUseUrl=terms_url or site + "terms",
    )
    return data


def build_package(
    out: Path, *, app_id: str, domain: str, privacy_url: str | None = None, terms_url: str | None = None
) -> Path:
    data = manifest(app_id=app_id, domain=domain, privacy_url=privacy_url, terms_url=terms_url)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(data, indent=2))
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return out
