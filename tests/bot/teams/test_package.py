"""The Teams app package: a manifest valid against Microsoft's schema, and real PNG icons."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker

from bot.cli import main
from bot.teams.package import manifest
from tests.bot.teams.fixtures import APP_ID
from tests.conftest import spec


def _validate(data: dict[str, object]) -> None:
    schema = json.loads(spec("teams-app-manifest.schema.json").read_text("utf-8"))
    errors = sorted(Draft4Validator(schema, format_checker=FormatChecker()).iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def _png_size(data: bytes) -> tuple[int, int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (
        kind == b"IHDR"
        and zlib.crc32(data[12 : 16 + length]) == struct.unpack(">I", data[16 + length : 20 + length])[0]
    )
    width, height, _, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def test_the_manifest_is_valid_and_names_the_bot() -> None:
    data = manifest(app_id=APP_ID, domain="tacbot.oak-primary.sch.uk")
    _validate(data)
    bot = data["bots"][0]
    assert data["id"] == bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    titles = {c["title"] for lst in bot["commandLists"] for c in lst["commands"]}
    assert {"help", "open", "status", "invite", "request", "close"} <= titles
    assert data["validDomains"] == ["tacbot.oak-primary.sch.uk"]


def test_tacbot_teams_package_zips_manifest_and_icons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "app.zip"
    assert (
        main(["teams", "package", "--out", str(out), "--app-id", APP_ID, "--domain", "bot.school.example"])
        == 0
    )
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        data = json.loads(archive.read("manifest.json"))
        assert _png_size(archive.read("color.png")) == (192, 192, 6)
        assert _png_size(archive.read("outline.png")) == (32, 32, 6)
    _validate(data)
    assert data["bots"][0]["botId"] == APP_ID
    assert main(["teams", "package", "--out", str(out), "--app-id", "not-a-guid"]) == 2
    assert "app id" in capsys.readouterr().err
