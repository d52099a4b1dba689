"""The command line and the HTTP server's health endpoints."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.cli import main
from bot.console.demo import run_demo
from bot.server import make_app
from bot.settings import Settings, parse_person_id
from handlers.core import Core
from storage.engine import Database


async def test_demo_plays_a_whole_case() -> None:
    out = io.StringIO()
    assert await run_demo(out) == 0
    text = out.getvalue()
    for expected in (
        "Opened case",
        "Recorded consent",
        "Invited @anna",
        "Added action 1",
        "Overdue actions: 1",
        "is done",
        "I can't find TAC-0001",
        "TAC-0001 is closed",
        "set the team's purpose",
        "Recorded referral 1",
        "has had no answer since it was sent",
        "is now waiting, expected wait about 18 weeks",
        "is now seen",
        "[DM to @dee] TAC Bot:\n        == Safeguarding concern 1 ==",
        "You have acknowledged concern 1",
        "[DM to @jo] TAC Bot:\n        == An update from the team at school",
        "Sent the update to @jo.",
        "Demo finished.",
        "Invited Kim Shah to TAC-0001",
        "[e-mail to kim.shah@nhs.example] TAC-0001: a form is asked of you",
        "(the portal) TAC-0001: Speech and language therapy advice: Thank you.",
        "Kim Shah · Speech and language therapist · NHS Speech and Language Therapy · external (by e-mail)",
    ):
        assert expected in text, expected
    assert "went wrong" not in text
    for mail in text.split("[e-mail to ")[1:]:  # what leaves the school's platform names no child
        assert "Robin" not in mail.split("TAC Bot, for the school's Team Around the Child")[0]


def test_senco_add_and_db_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert main(["db", "upgrade"]) == 0
    assert main(["senco", "add", "slack:U0123ABC"]) == 0
    assert main(["senco", "add", "slack:U0123ABC"]) == 0
    assert main(["senco", "add", "nonsense"]) == 2
    out = capsys.readouterr()
    assert "is now a SENCO" in out.out and "already a SENCO" in out.out and "not <platform>" in out.err


def test_person_ids() -> None:
    assert parse_person_id("slack:U0123ABC") == ("slack", "U0123ABC")
    assert Settings(TACBOT_SENCOS="slack:U1, teams:29:abc").senco_ids == [
        ("slack", "U1"),
        ("teams", "29:abc"),
    ]
    with pytest.raises(ValueError):
        parse_person_id("irc:bob")


def test_python_m_bot_runs_from_another_directory(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "console" in result.stdout


async def test_health_and_readiness(core: Core) -> None:
    async with TestClient(TestServer(make_app(core))) as client:
        assert (await client.get("/healthz")).status == 200
        ready = await client.get("/readyz")
        assert ready.status == 200 and (await ready.json())["status"] == "ready"


async def test_readiness_fails_without_a_database(core: Core, tmp_path: Path) -> None:
    broken = Core(db=Database.from_url("postgresql://nobody@127.0.0.1:1/none"), clock=core.clock)
    async with TestClient(TestServer(make_app(broken))) as client:
        assert (await client.get("/readyz")).status == 503
